"""``laurel bench``: Laurel's speed beside the limits of its own parts, in one run.

Each figure is measured next to a baseline taken in the same run on the same machine
(the bare library or server doing the least the figure needs), so the ratio holds on a
noisy machine. Suites live in sibling modules; each returns ``Figure`` rows.
"""
