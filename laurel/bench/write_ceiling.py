"""The write ceiling with the database a few milliseconds away (issue 25).

Every writer of the event store takes its table lock (the order of the log), so on
PostgreSQL commands are saved one transaction at a time, and each transaction costs
round trips to the server while it holds the lock: the farther the database, the lower
the ceiling, whatever the number of API processes. This suite puts a private PostgreSQL
server (``laurel.private_postgres``) behind a proxy that delays each chunk towards the
server (``DELAY``: about 2.4 ms of round trip here, measured and reported), and measures,
in turn, ``ROUNDS`` times (figures are medians):

- **single**: proposals given one at a time, each saved in its own transaction (the
  command thread with groups of one), as many queued as the thread can take;
- **group commit**: the same proposals through ``GroupCommit`` (up to 64 a transaction),
  as the API gives them;
- the baselines, same run, same proxy: ``SELECT 1`` one after another (a round trip), and
  a bare locked one-row transaction (``LOCK TABLE … IN EXCLUSIVE MODE``; ``INSERT``;
  ``COMMIT``), one after another.

Compare with the national peak: about 30–70 commands/s after the year-end review.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

import psycopg

from domain.actor import Actor
from domain.commands import Context, Proposal, Propose
from domain.vocabulary import Role
from infrastructure.group_commit import MAX_GROUP, GroupCommit
from infrastructure.settings import Settings
from laurel import private_postgres
from laurel.bench.commands import ACHIEVEMENTS, AWARD, DOCUMENTS, NOMINEE, UNIT
from laurel.bench.report import Figure, median
from laurel.bench.run import BenchContext
from laurel.migrate import migrate
from laurel.system import open_laurel

DELAY = 0.002
"""Seconds each chunk towards the server is held (the event loop's timers make it about
2.4 ms of round trip on this machine: ``round_trip_ms`` says what it was)."""
ROUNDS = 3
NATIONAL_PEAK = "30–70 commands/s (the year-end review)"


def run(context: BenchContext) -> list[Figure]:
    if not private_postgres.available():
        print("  (skipped: initdb and pg_ctl are not installed)", flush=True)
        return []
    singles_count = context.scale(150, 400)
    grouped_count = context.scale(1500, 4000)
    with private_postgres.private_cluster() as cluster:
        direct = cluster.create_database("ceiling")
        with private_postgres.delay_proxy_process(cluster.port, DELAY) as proxy_port:
            url = direct.replace(f":{cluster.port}/", f":{proxy_port}/")
            rtt = private_postgres.round_trip_ms(url)
            settings = Settings(data_dir=context.work_dir / f"ceiling-{uuid.uuid4().hex[:6]}",
                                database_url=url, jwt_secret="bench-" + uuid.uuid4().hex)
            migrate(settings)
            _bare_table(url)
            laurel = open_laurel(settings)
            try:
                rounds: dict[str, list[float]] = {"trip": [], "bare": [], "single": [],
                                                  "grouped": []}
                for _ in range(ROUNDS):
                    rounds["trip"].append(_round_trips(url, 300))
                    rounds["bare"].append(_bare_transactions(url, 200))
                    rounds["single"].append(_commands(laurel, 1, singles_count))
                    rounds["grouped"].append(_commands(laurel, MAX_GROUP, grouped_count))
                    print(f"  round: {', '.join(f'{k} {v[-1]:,.0f}/s' for k, v in rounds.items())}",
                          flush=True)
            finally:
                laurel.close()
    details: dict[str, Any] = {"round_trip_ms": round(rtt, 2),
                               "rounds": {k: [round(x, 1) for x in v] for k, v in rounds.items()},
                               "national_peak": NATIONAL_PEAK}
    bare = median(rounds["bare"])
    return [
        Figure(f"write ceiling, single commands, database {rtt:.1f} ms away", "commands/s",
               median(rounds["single"]), bare,
               "bare locked one-row transactions, one after another",
               f"≥ national peak, {NATIONAL_PEAK}", details),
        Figure(f"write ceiling, group commit, database {rtt:.1f} ms away", "commands/s",
               median(rounds["grouped"]), bare,
               "bare locked one-row transactions, one after another",
               f"≥ national peak, {NATIONAL_PEAK}", details),
        Figure(f"round trips to the database {rtt:.1f} ms away", "queries/s",
               median(rounds["trip"]), None, "", "", details),
    ]


def _commands(laurel: Any, max_group: int, count: int) -> float:
    """Proposals per second, ``count`` queued at once on a command thread that saves up
    to ``max_group`` in a transaction."""
    commands = GroupCommit(laurel.nominations, max_group=max_group)
    actor = Actor("bench-proposer", frozenset({Role.PROPOSER}), UNIT)
    now = datetime.now(UTC)
    batch = uuid.uuid4().hex[:6]

    def propose(i: int) -> Any:
        def give() -> Any:
            proposal = laurel.nominations.handle(
                Propose(AWARD, {**NOMINEE, "name": f"Lê Văn {batch} {i}"}, ACHIEVEMENTS,
                        DOCUMENTS), Context(actor, now))
            assert isinstance(proposal, Proposal)
            return proposal
        return give

    try:
        commands.submit(propose(-1)).result(60)  # the thread started, the pool warm
        started = time.perf_counter()
        futures: list[Future[Any]] = [commands.submit(propose(i)) for i in range(count)]
        for future in futures:
            future.result(300)
        return count / (time.perf_counter() - started)
    finally:
        commands.close()


def _round_trips(url: str, count: int) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT 1")
        started = time.perf_counter()
        for _ in range(count):
            conn.execute("SELECT 1").fetchone()
        return count / (time.perf_counter() - started)


def _bare_table(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, "
                     "state bytea NOT NULL)")


def _bare_transactions(url: str, count: int) -> float:
    """Locked one-row transactions per second, one after another (BEGIN, LOCK TABLE, INSERT,
    COMMIT: a round trip each)."""
    state = b"x" * 600
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        for _ in range(count):
            with conn.transaction():
                conn.execute("LOCK TABLE bench_rows IN EXCLUSIVE MODE")
                conn.execute("INSERT INTO bench_rows (state) VALUES (%s)", (state,))
        return count / (time.perf_counter() - started)
