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
  that conflicts fails.

Callers wait for their command's own result, given only once its events are stored.
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


class GroupCommit:
    def __init__(self, nominations: Nominations, max_group: int = MAX_GROUP) -> None:
        self.nominations = nominations
        self.max_group = max_group
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
            group = [job]
            while len(group) < self.max_group:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._jobs.put(None)  # stop after this group
                    break
                group.append(more)
            try:
                self._give(group)
            except BaseException as error:  # never leave a caller waiting
                log.exception("the command thread failed")
                for j in group:
                    if not j.future.done():
                        j.future.set_exception(error)

    def _give(self, group: list[_Job]) -> None:
        pending = list(group)
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
                    pending.pop(0)
            if collected and not self._saved(collected):
                done = [self._alone(d.job) if d.error is None else d for d in done]
            for d in done:
                if d.error is None:
                    d.job.future.set_result(d.result)
                else:
                    d.job.future.set_exception(d.error)

    def _saved(self, collected: list[Any]) -> bool:
        try:
            self.nominations.save_collected(collected)
        except Exception:
            log.info("a group of %d commands did not save together; giving each alone",
                     len(collected), exc_info=True)
            return False
        return True

    @staticmethod
    def _alone(job: _Job) -> _Done:
        try:
            return _Done(job, result=job.command())
        except Exception as error:
            return _Done(job, error=error)
