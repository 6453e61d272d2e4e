"""Temporal side of Laurel: the nomination workflow, its activities, worker and relay."""
