"""Read models built from the event log, and the followers that keep them current."""
