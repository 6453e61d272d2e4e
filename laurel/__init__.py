"""Wiring: settings, the composition root, the processes and the command line."""
