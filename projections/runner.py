"""The projector: applies events to every read model, exactly once, in batches.

Each batch is one transaction holding the rows of every read model *and* the
projector's position, so a crash mid-batch leaves neither; an event at or below the
stored position is skipped, so delivering it again changes nothing. A batch's rows are
read once, folded in memory and written with one statement per table and shape of
change (``projections.pending``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from projections import inbox, nomination_status, timeline
from projections.database import drop_read_models
from projections.eventlog import EventLog, LoggedEvent
from projections.pending import PendingRows
from projections.tables import positions

log = logging.getLogger(__name__)

CONSUMER = "projector"
REBUILDING = -1
"""The projector's position while the read models are being rebuilt."""
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


@dataclass(frozen=True)
class SideBySide:
    """What the parts of a rebuild run side by side share (``laurel.rebuild``)."""

    dropped: Callable[[], object]
    """Returns once the read models are dropped and created afresh (``begin_rebuild``,
    run meanwhile elsewhere): each part reads, decodes and folds its first batch in the
    meantime, and writes it after."""
    writing: AbstractContextManager[Any]
    """Held from a batch's first write to its commit. With one SQLite database, a lock
    shared by the processes: SQLite lets one writer in at a time, and a writer that finds
    it taken polls, sleeping up to 100 ms between tries; the lock wakes the next at once.
    PostgreSQL takes the parts' rows side by side: nothing to hold."""


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
        """Apply the events not yet applied; return how many were (none while the read
        models are being rebuilt: the rebuild takes them)."""
        with self.engine.begin() as conn:
            done = lock_position(conn, CONSUMER)
            fresh = [e for e in events if e.position > done] if done != REBUILDING else []
            if fresh:
                _apply(conn, fresh)
                store_position(conn, CONSUMER, fresh[-1].position)
        return len(fresh)

    def catch_up(
        self, progress: Callable[[int, int], None] | None = None, through: int | None = None
    ) -> int:
        """Apply everything in the log now (or up to ``through``); report (done, total)."""
        applied, after = 0, self.position()
        if after == REBUILDING:
            return 0
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
        """Drop every read model and build it again from the first event, in this
        process (``laurel.rebuild`` shares the work among processes)."""
        head = self.begin_rebuild()
        applied = self.rebuild_part(head, progress=progress)
        self.finish_rebuild(head)
        return applied + self.catch_up(progress)

    # A rebuild in parts: every read model row belongs to one nomination, so the
    # nominations can be shared among processes, each folding its own into the rows.

    def begin_rebuild(self) -> int:
        """Drop every read model and mark them being rebuilt; the log's head to rebuild
        up to. Until ``finish_rebuild`` the projector applies nothing."""
        with self.engine.begin() as conn:
            lock_position(conn, CONSUMER)
            drop_read_models(conn)
            store_position(conn, CONSUMER, REBUILDING)
        return self.log.last_position()

    def rebuild_part(self, head: int, part: int = 0, parts: int = 1,
                     progress: Callable[[int, int], None] | None = None,
                     side_by_side: SideBySide | None = None) -> int:
        """Apply every event up to ``head`` of the nominations in ``part`` of ``parts``:
        rows only, one transaction per batch; the position is the caller's to store.
        Runs after ``begin_rebuild`` (or beside it, ``side_by_side``): the part's first
        batch finds none of its rows stored, and reads none."""
        applied = after = 0
        first = True
        with _collector_paused():
            while after < head:
                events, after = self.log.read_part(after, self.batch_size, head, part, parts)
                if events:
                    with self.engine.connect() as conn, conn.begin() as transaction:
                        writes = _folded(conn, events, stored=not first).writes(conn)
                        if first and side_by_side:
                            side_by_side.dropped()
                        with side_by_side.writing if side_by_side else contextlib.nullcontext():
                            for write in writes:
                                write()
                            transaction.commit()
                    applied += len(events)
                    first = False
                if progress:
                    progress(after, head)
        return applied

    def finish_rebuild(self, head: int) -> None:
        with self.engine.begin() as conn:
            lock_position(conn, CONSUMER)
            store_position(conn, CONSUMER, head)

    async def run(self, stop: asyncio.Event) -> None:
        while await asyncio.to_thread(self.position) == REBUILDING and not stop.is_set():
            log.warning("the read models are being rebuilt; waiting (if no rebuild is "
                        "running, one was cut off: run 'laurel projections rebuild')")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=5)
        after = await asyncio.to_thread(self.position)
        log.info("projector following the event log from position %d", after)
        async for batch in self.log.follow(after, stop, batch_size=self.batch_size,
                                           settle=SETTLE):
            await asyncio.to_thread(self.process, batch.events)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off, then one collection of what was made meanwhile. A
    rebuild's batch makes hundreds of thousands of objects that die by reference
    counting; the collector would walk all of them again and again as they are made
    (decoding took a third longer with it on). The objects from before are frozen: the
    last collection need not walk the whole process (it took 3 % of a rebuild)."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
        gc.unfreeze()


def _apply(conn: Connection, events: list[LoggedEvent]) -> None:
    """Fold the events into the rows they touch, then write each table at once."""
    _folded(conn, events).flush(conn)


def _folded(conn: Connection, events: list[LoggedEvent], stored: bool = True) -> PendingRows:
    """The rows the events touch, read (unless none is ``stored``) and the events folded
    into them; not written."""
    rows = PendingRows()
    if stored:
        rows.load(conn, (logged.nomination_id for logged in events))
    for logged in events:
        for apply in READ_MODEL_UPDATERS:
            apply(rows, logged)
    return rows
