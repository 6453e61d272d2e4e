"""Two of every process on PostgreSQL (``laurel chaos --fleet``) on a small run: the ten
started at once a few times without a death; then nominations along every path through
both APIs while the leading relay and projector are killed (a standby takes over) and the
run's own PostgreSQL server is stopped — 503s meanwhile, never another 5xx — and at the
end nothing lost or repeated, each relayed event signalled once, positions forward only.
The full-size run (ten starts, 300 nominations, 15 s without the database) is in
docs/reliability.md."""

from __future__ import annotations

import pytest

from laurel import private_postgres
from laurel.fleet import LEADERS, fleet

pytestmark = pytest.mark.skipif(not private_postgres.available(),
                                reason="PostgreSQL's server programs are not installed")


@pytest.mark.timeout(600)
def test_two_of_every_process_ride_out_killed_leaders_and_a_stopped_database() -> None:
    outcome = fleet(nominations=24, starts=2, outage=6, every=2.0, seed=2025)
    print(outcome.render())
    assert outcome.starts == 2 and outcome.start_crashes == []
    assert outcome.mismatches == []
    assert all(outcome.kills[kind] == 2 for kind in LEADERS)
    assert len(outcome.takeovers) == 4 and max(outcome.takeovers) < 10
    assert outcome.outage_seconds >= 6 and outcome.unavailable_answers > 0
    assert outcome.server_errors == 0
    assert outcome.signalled_twice == 0 and outcome.relayed_events >= 24 * 4
    assert outcome.regressions == []
