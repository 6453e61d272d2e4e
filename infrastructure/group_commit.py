"""Group commit: the API's commands run one after another on one thread, and the events
of those that arrive together are saved in one transaction.

Under load, a command per transaction spends most of its time on the commit (a flush to
disk) and on worker threads taking turns with the GIL; one thread giving the commands in
turn and committing each group once does the same work for a fraction of the cost. Each
command still succeeds or fails on its own:

- a command that raises records nothing and its caller gets the error;
- a command that reads a nomination another command of the group has changed first has
  the group saved, then runs on the saved state (``SaveFirst``);
- if saving the group fails (a conflict with another process, a database error), each of
  its commands is given again alone, exactly as without grouping, so only the command
  that conflicts fails;
- but if the store is busy or away (a lock or statement timeout, no connection:
  ``infrastructure.database.unavailable``), every command of the group fails at once
  with that error, recording nothing, and so do the commands queued behind a command
  that met it: each would otherwise wait out the same timeout in turn.

Callers wait for their command's own result, given only once its events are stored.

While another writer holds the store (``busy``: SQLite's one writer lock, taken by another
process), the commands that arrived meanwhile join the group before it is saved: the
wait becomes work, and the group one commit instead of two.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from domain.application import Nominations, SaveFirst
from infrastructure.database import unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_GROUP = 64
"""Commands saved in one transaction at most: bounds a failed group's retries."""


@dataclass
class _Job:
    command: Callable[[], Any]
    future: Future[Any] = field(default_factory=Future)


@dataclass
class _Done:
    job: _Job
    result: Any = None
    error: BaseException | None = None


def _never() -> bool:
    return False


class GroupCommit:
    def __init__(self, nominations: Nominations, max_group: int = MAX_GROUP,
                 busy: Callable[[], bool] = _never) -> None:
        self.nominations = nominations
        self.max_group = max_group
        self.busy = busy
        """Whether another writer holds the store now (a glance, never a wait)."""
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def run(self, command: Callable[[], T]) -> T:
        """Give ``command`` on the command thread; its result once its events are stored."""
        result: T = await asyncio.wrap_future(self.submit(command))
        return result

    def submit(self, command: Callable[[], T]) -> Future[T]:
        self._start()
        job = _Job(command)
        self._jobs.put(job)
        return job.future

    def close(self) -> None:
        with self._lock:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread.join()
                self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._serve, name="laurel-commands", daemon=True)
                    self._thread.start()

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            group = [job, *self._queued(self.max_group - 1)]
            try:
                self._give(group)
            except BaseException as error:  # never leave a caller waiting
                log.exception("the command thread failed")
                for j in group:
                    if not j.future.done():
                        j.future.set_exception(error)

    def _queued(self, most: int) -> list[_Job]:
        """The jobs waiting now, ``most`` at most, without waiting for any."""
        jobs: list[_Job] = []
        while len(jobs) < most:
            try:
                more = self._jobs.get_nowait()
            except queue.Empty:
                break
            if more is None:
                self._jobs.put(None)  # stop after this group
                break
            jobs.append(more)
        return jobs

    def _give(self, group: list[_Job]) -> None:
        """Give the commands of ``group`` and save their events, ``group`` growing by those
        that arrive while the store is busy (so that ``_serve`` answers them too, should
        this fail)."""
        pending = list(group)
        store_failed = False
        while pending:
            done: list[_Done] = []
            with self.nominations.collecting_saves() as collected:
                while pending:
                    job = pending[0]
                    mark = len(collected)
                    try:
                        done.append(_Done(job, result=job.command()))
                    except SaveFirst:
                        del collected[mark:]
                        break  # save what is collected, then give this command again
                    except Exception as error:
                        del collected[mark:]
                        done.append(_Done(job, error=error))
                        if unavailable(error):
                            # The store is busy or away: the commands behind this one
                            # would each wait as long for it. They fail now, unrun.
                            done += [_Done(j, error=error) for j in pending[1:]]
                            del pending[1:]
                            store_failed = True
                    pending.pop(0)
                    if not pending and collected and not store_failed \
                            and len(group) < self.max_group and self.busy():
                        pending = self._queued(self.max_group - len(group))
                        group += pending
            failure = self._save(collected) if collected else None
            if failure is not None and unavailable(failure):
                done = [_Done(d.job, error=failure) if d.error is None else d for d in done]
            elif failure is not None:
                done = [self._alone(d.job) if d.error is None else d for d in done]
            for d in done:
                if d.error is None:
                    d.job.future.set_result(d.result)
                else:
                    d.job.future.set_exception(d.error)

    def _save(self, collected: list[Any]) -> Exception | None:
        """Save the group; what failed, if it did. A store busy or away fails every
        command of the group (nothing is recorded; each caller hears it at once), any
        other failure has each given again alone."""
        try:
            self.nominations.save_collected(collected)
        except Exception as error:
            log.info("a group of %d commands did not save together%s", len(collected),
                     "" if unavailable(error) else "; giving each alone", exc_info=True)
            return error
        return None

    @staticmethod
    def _alone(job: _Job) -> _Done:
        try:
            return _Done(job, result=job.command())
        except Exception as error:
            return _Done(job, error=error)
