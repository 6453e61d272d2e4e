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
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from domain.nomination import Nomination
from infrastructure.eventlog import EventLog, LoggedEvent
from infrastructure.metrics import Progress
from infrastructure.positions import PROJECTOR as CONSUMER
from infrastructure.positions import (
    lock_position,
    read_position,
    reset_position,
    store_position,
)
from projections import (
    clusters,
    decisions,
    history,
    movements,
    nominations,
    notifications,
    registrations,
    tasks,
)
from projections.database import (
    checkpoints_aside,
    create_deferred_indexes,
    drop_read_models,
)
from projections.pending import PendingRows, Write
from projections.people import PeopleRows

log = logging.getLogger(__name__)

REBUILDING = -1
"""The projector's position while the read models are being rebuilt."""
SETTLE = 0.05
"""Seconds to gather events after a small batch: under load a batch then carries tens of
events for one transaction's cost, and a reader still sees a change well within 250 ms."""
READ_MODEL_UPDATERS = (nominations.apply, tasks.apply, history.apply)
"""Each read model's module, named after the table it fills (``projections.tables``)."""


@dataclass(frozen=True)
class SideBySide:
    """What the parts of a rebuild run side by side share (``laurel.rebuild``)."""

    dropped: Callable[[], object]
    """Returns once the read models are dropped and created afresh (``begin_rebuild``,
    run meanwhile elsewhere): each part reads, decodes and folds its first batch in the
    meantime, and writes it after."""
    writing: WriteLock | None
    """Held from a batch's first write to its commit. With one SQLite database, a lock
    shared by the processes: SQLite lets one writer in at a time, and a writer that finds
    it taken polls, sleeping up to 100 ms between tries; the lock wakes the next at once.
    PostgreSQL takes the parts' rows side by side: none."""


class WriteLock(Protocol):
    """``multiprocessing.Lock``, as a rebuild's parts use it."""

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool: ...

    def release(self) -> None: ...


class Projector:
    def __init__(self, engine: Engine, log: EventLog, batch_size: int = 5000,
                 progress: Progress | None = None) -> None:
        self.engine = engine
        self.log = log
        self.batch_size = batch_size
        self.progress = progress
        """Told of each read of the log: the process's lag and liveness (``laurel
        projector`` runs ``run`` only while it holds the projector's lease)."""

    def position(self) -> int:
        with self.engine.connect() as conn:
            return read_position(conn, CONSUMER)

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
            drop_read_models(conn, deferring_indexes=True)
            reset_position(conn, CONSUMER, REBUILDING)
        return self.log.last_position()

    def rebuild_part(self, head: int, part: int = 0, parts: int = 1,
                     progress: Callable[[int, int], None] | None = None,
                     side_by_side: SideBySide | None = None) -> int:
        """Apply every event up to ``head`` of the nominations in ``part`` of ``parts``:
        rows only, one transaction per batch written; the position is the caller's to
        store. Runs after ``begin_rebuild`` (or beside it, ``side_by_side``): the part's
        first batch finds none of its rows stored, and reads none.

        Beside other parts writing into one SQLite database, a batch's statements are
        made, then run when no other part is writing; until then the next batch is read
        and folded and its statements queued behind (up to two batches), so that no part
        waits while another writes."""
        writing = side_by_side.writing if side_by_side else None
        applied = after = held = 0
        rows, queued = PendingRows(), list[Write]()
        people = PeopleRows()  # for the whole part: it remembers the rows it wrote
        events: list[LoggedEvent] = []
        with (_collector_paused(), self.engine.connect() as writer,
              checkpoints_aside(writer) as checkpoint):
            while after < head:
                events, after = self.log.read_part(after, self.batch_size, head, part, parts)
                if events:
                    if applied or held:
                        with self.engine.connect() as conn:
                            rows.load(conn, (logged.nomination_id for logged in events))
                            people.load(conn, events)
                    _fold(rows, people, events)
                    if side_by_side and not (applied or held):
                        side_by_side.dropped()  # before the next batch reads rows
                    queued += rows.writes(writer)  # rows folded on from here are changes
                    queued += people.writes(writer)
                    queued += decisions.writes(writer, events)
                    queued += notifications.writes(writer, events)
                    queued += movements.writes(writer, events)
                    queued += registrations.writes(writer, events)
                    queued += clusters.writes(writer, events)
                    held += len(events)
                if held and _written(writer, queued, writing,
                                     wait=after >= head or held >= 2 * self.batch_size):
                    applied, held, rows, queued = applied + held, 0, PendingRows(), []
                    checkpoint()  # out of the lock: others write meanwhile
                if progress:
                    progress(after, head)
            # The last batch's events let go before the collection on leaving, which
            # would walk every object of them (11 of 200 ms rebuilding the quick bench's
            # log, in one batch; 0.5 ms without them).
            events = []
        return applied

    def finish_rebuild(self, head: int) -> None:
        with self.engine.begin() as conn:
            lock_position(conn, CONSUMER)
            create_deferred_indexes(conn)
            store_position(conn, CONSUMER, head)

    async def run(self, stop: asyncio.Event) -> None:
        while await asyncio.to_thread(self.position) == REBUILDING and not stop.is_set():
            if self.progress is not None:
                self.progress.waiting()  # alive: a rebuild may take minutes
            log.warning("the read models are being rebuilt; waiting (if no rebuild is "
                        "running, one was cut off: run 'laurel projections rebuild')")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=5)
        after = await asyncio.to_thread(self.position)
        log.info("projector following the event log from position %d", after)
        polled = self.progress.polled if self.progress else None
        async for batch in self.log.follow(after, stop, batch_size=self.batch_size,
                                           settle=SETTLE, polled=polled):
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


def _written(conn: Connection, queued: list[Write], writing: WriteLock | None,
             wait: bool) -> bool:
    """Run the queued statements in one transaction; unless another part is writing and
    this one need not ``wait``."""
    if writing is not None and not writing.acquire(wait):
        return False
    try:
        with conn.begin():
            for write in queued:
                write()
    finally:
        if writing is not None:
            writing.release()
    return True


def _apply(conn: Connection, events: list[LoggedEvent]) -> None:
    """Fold the events into the rows they touch, then write each table at once."""
    rows, people = PendingRows(), PeopleRows()
    rows.load(conn, (logged.nomination_id for logged in events
                     if _of_a_nomination(logged)))
    people.load(conn, events)
    _fold(rows, people, events)
    rows.flush(conn)
    for write in (*people.writes(conn), *decisions.writes(conn, events),
                  *notifications.writes(conn, events), *movements.writes(conn, events),
                  *registrations.writes(conn, events), *clusters.writes(conn, events)):
        write()


def _of_a_nomination(logged: LoggedEvent) -> bool:
    """The log holds the register's and the candidacies' events too (typed loosely)."""
    event: object = logged.event
    return isinstance(event, Nomination.Event)


def _fold(rows: PendingRows, people: PeopleRows, events: list[LoggedEvent]) -> None:
    """The register's events to its read models (``projections.people``), the
    nominations' to theirs; a nomination's proposal, decision and revocation to the
    register's too (the awards of a person it names)."""
    for logged in events:
        people.apply(logged)
        if not _of_a_nomination(logged):
            continue  # the register's, or a candidacy's (read from the event store alone)
        for apply in READ_MODEL_UPDATERS:
            apply(rows, logged)
