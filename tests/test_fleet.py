"""Two of every process on PostgreSQL (``laurel chaos --fleet``), as issue 25 asks of
the test: the ten started at once ten times without a death; then 200 nominations along
every path through both APIs while the leading relay and projector are killed (a standby
takes over) and the run's own PostgreSQL server is stopped — 503s meanwhile, never
another 5xx — and at the end nothing lost or repeated, each relayed event signalled once
(counted from Temporal's histories), positions forward only. About 160 s on 2 cores;
the command's default run (300 nominations, 15 s without the database) is in
docs/reliability.md."""

from __future__ import annotations

import pytest

from laurel import private_postgres
from laurel.fleet import LEADERS, fleet

NOMINATIONS = 200

pytestmark = pytest.mark.skipif(not private_postgres.available(),
                                reason="PostgreSQL's server programs are not installed")


@pytest.mark.timeout(600)
def test_two_of_every_process_ride_out_killed_leaders_and_a_stopped_database() -> None:
    outcome = fleet(nominations=NOMINATIONS, starts=10, outage=8, every=4.0, seed=2025)
    print(outcome.render())
    assert outcome.starts == 10 and outcome.start_crashes == []
    assert outcome.mismatches == []
    assert all(outcome.kills[kind] == 2 for kind in LEADERS)
    assert len(outcome.takeovers) == 4 and max(outcome.takeovers) < 10
    assert outcome.outage_seconds >= 8 and outcome.unavailable_answers > 0
    assert outcome.server_errors == 0
    assert outcome.signalled_twice == 0 and outcome.relayed_events >= NOMINATIONS * 4
    assert outcome.regressions == []
