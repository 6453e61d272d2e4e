"""The projector: applies events to every read model, exactly once, in batches.

Each batch is one transaction holding the rows of every read model *and* the
projector's position, so a crash mid-batch leaves neither; an event at or below the
stored position is skipped, so delivering it again changes nothing. A batch's rows are
read once, folded in memory and written with one statement per table and shape of
change (``projections.pending``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from projections import inbox, nomination_status, timeline
from projections.database import drop_read_models
from projections.eventlog import EventLog, LoggedEvent
from projections.pending import PendingRows
from projections.tables import positions

log = logging.getLogger(__name__)

CONSUMER = "projector"
SETTLE = 0.05
"""Seconds to gather events after a small batch: under load a batch then carries tens of
events for one transaction's cost, and a reader still sees a change well within 250 ms."""
READ_MODEL_UPDATERS = (nomination_status.apply, inbox.apply, timeline.apply)


def lock_position(conn: Connection, consumer: str) -> int:
    """Read a consumer's position, holding the row's write lock until commit.

    The no-op UPDATE takes the lock first, on SQLite (the database write lock) and on
    PostgreSQL (the row lock) alike, so two runners never apply the same batch.
    """
    row = positions.c.consumer == consumer
    conn.execute(update(positions).where(row).values(position=positions.c.position))
    return int(conn.execute(select(positions.c.position).where(row)).scalar_one())


def store_position(conn: Connection, consumer: str, position: int) -> None:
    conn.execute(
        update(positions).where(positions.c.consumer == consumer).values(position=position)
    )


class Projector:
    def __init__(self, engine: Engine, log: EventLog, batch_size: int = 5000) -> None:
        self.engine = engine
        self.log = log
        self.batch_size = batch_size

    def position(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(positions.c.position).where(positions.c.consumer == CONSUMER)
                ).scalar_one()
            )

    def process(self, events: list[LoggedEvent]) -> int:
        """Apply the events not yet applied; return how many were."""
        with self.engine.begin() as conn:
            done = lock_position(conn, CONSUMER)
            fresh = [e for e in events if e.position > done]
            if fresh:
                rows = PendingRows()
                rows.load(conn, (logged.nomination_id for logged in fresh))
                for logged in fresh:
                    for apply in READ_MODEL_UPDATERS:
                        apply(rows, logged)
                rows.flush(conn)
                store_position(conn, CONSUMER, fresh[-1].position)
        return len(fresh)

    def catch_up(
        self, progress: Callable[[int, int], None] | None = None, through: int | None = None
    ) -> int:
        """Apply everything in the log now (or up to ``through``); report (done, total)."""
        applied, after = 0, self.position()
        head = self.log.last_position() if through is None else through
        while after < head:
            events = self.log.read(after, self.batch_size, through=head)
            if not events:
                break
            applied += self.process(events)
            after = events[-1].position
            if progress:
                progress(after, head)
        return applied

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Drop every read model and build it again from the first event."""
        with self.engine.begin() as conn:
            lock_position(conn, CONSUMER)
            drop_read_models(conn)
            store_position(conn, CONSUMER, 0)
        return self.catch_up(progress)

    async def run(self, stop: asyncio.Event) -> None:
        after = await asyncio.to_thread(self.position)
        log.info("projector following the event log from position %d", after)
        async for batch in self.log.follow(after, stop, batch_size=self.batch_size,
                                           settle=SETTLE):
            await asyncio.to_thread(self.process, batch.events)
