"""Laurel's domain: the nomination aggregate, its events, the commendation policy.

Pure Python plus the eventsourcing library; nothing here reads files, clocks or networks.
"""
