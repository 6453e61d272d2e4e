"""Crash anywhere, lose nothing: ``laurel chaos`` on a small run, on both backends.

Every process of the service (worker, relay, projector, API, Temporal dev server) is
killed with SIGKILL at random moments, each at least once, while scripted people drive
nominations along every path. The
run's own checks (final states, contiguous versions and exact events per nomination,
hash chains, read models equal to a rebuild, workflows completed) must find nothing.
The full-size run (300 nominations) is in docs/reliability.md.

On PostgreSQL (where ``laurel chaos --backend postgres`` restarts the database server
too) the suite runs the fleet instead (``tests/test_fleet.py``): its leaders killed and
its database stopped, two of every process; the run here took 80 s more of the suite.
"""

from __future__ import annotations

import pytest

from laurel.chaos import VICTIMS, chaos


@pytest.mark.timeout(480)
def test_nothing_is_lost_while_every_process_is_killed_at_random() -> None:
    outcome = chaos("sqlite", nominations=20, interval=(2.0, 5.0), stagger=1.5, within=240)
    print(outcome.render())
    assert outcome.mismatches == []
    assert set(outcome.kills) == set(VICTIMS)  # each of them died at least once
    assert outcome.restarts >= sum(outcome.kills.values())
    assert outcome.postgres_restarts == 0
    assert outcome.events >= 20 * 6
