"""Rebuilding every read model from the first event, on every core.

Each read-model row belongs to one nomination, so the nominations are shared out: each
process reads its part of the log (its nominations' events, chosen by the store), folds
them and writes their rows. The projector's position says "rebuilding" meanwhile (it
applies nothing) and becomes the log's head once every part is written; events recorded
during the rebuild are then caught up. A rebuild that is cut off leaves the position at
"rebuilding": run it again (it starts by dropping every read model).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.synchronize import Event as EventType

from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import Settings
from projections.projector import Projector, SideBySide, WriteLock

Progress = Callable[[int, int], None]
PROCESSES = min(os.cpu_count() or 1, 8)
"""By default: one per core."""
WORTH_SHARING = 20_000
"""Events in the log from which a rebuild is shared among processes."""
BATCH = 20_000
"""Log entries read per step. Larger than the live projector's batch: fewer of a
nomination's events fall in two transactions (an UPDATE instead of a folded INSERT), and
the rows of one step stay a few tens of MiB."""


def processes_for(events: int) -> int:
    """One per core, unless the log is too short for the work shared to outweigh
    another process and its connections."""
    return PROCESSES if events >= WORTH_SHARING else 1


def rebuild_read_models(laurel: Laurel, progress: Progress | None = None,
                        processes: int | None = None) -> int:
    """Drop and rebuild every read model; how many events were applied."""
    parts = processes or processes_for(laurel.log.last_position())
    projector = Projector(laurel.engine, laurel.log, batch_size=BATCH)
    if parts == 1:
        return projector.rebuild(progress)
    # Forked: a spawned child spends ~1 s importing (a fifth of a 55,000-event rebuild on
    # two cores). A forked child inherits this process's connections and pool objects
    # but never touches them: it opens its own (``_rebuild_part``), and its inherited
    # objects stay referenced by the frames it was forked from until it leaves through
    # os._exit, so none is closed behind this process's back.
    fork = multiprocessing.get_context("fork")
    writing = None if laurel.settings.uses_postgres else fork.Lock()
    dropped = fork.Event()
    head = laurel.log.last_position()  # later events are caught up after
    with fork.Pool(parts - 1, initializer=_share, initargs=(writing, dropped)) as pool, \
            ThreadPoolExecutor(1) as dropping:
        others = pool.starmap_async(
            _rebuild_part, [(laurel.settings, head, part, parts) for part in range(1, parts)])
        # The read models are dropped while every part reads and folds its first batch,
        # this process's part too: the drop runs in SQL, outside the GIL.
        drop = dropping.submit(projector.begin_rebuild)

        def tell_the_parts(done: Future[int]) -> None:
            if done.exception() is None:
                dropped.set()

        drop.add_done_callback(tell_the_parts)
        applied = projector.rebuild_part(head, 0, parts, progress,
                                         SideBySide(drop.result, writing))
        applied += sum(others.get())
    projector.finish_rebuild(head)
    return applied + projector.catch_up(progress)


_side_by_side: SideBySide | None = None
"""In a forked part: what it shares with the others (a lock or an event is shared by
inheritance, not as an argument)."""


def _share(writing: WriteLock | None, dropped: EventType) -> None:
    global _side_by_side
    _side_by_side = SideBySide(dropped.wait, writing)


def _rebuild_part(settings: Settings, head: int, part: int, parts: int) -> int:
    laurel = bootstrap(settings)
    try:
        return Projector(laurel.engine, laurel.log, batch_size=BATCH).rebuild_part(
            head, part, parts, side_by_side=_side_by_side)
    finally:
        laurel.close()
