"""The SQLite event store's writers take turns through a lock file, and ring a doorbell
when they are done, so that the next one goes at once.

SQLite lets one writer at a time into a database, and a writer that finds the lock taken
waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15… ms between tries: it
sleeps on well past the moment the lock is free. The API's processes each commit a group
of commands every millisecond or two, so under load a process found the store's lock
taken on most commits and slept a millisecond or more each time, its core idle (strace:
~600 such sleeps in 8 s of proposals from two processes).

So every insert first takes its turn: an ``flock`` of a file beside the database
(``events.db.writers``), one thread of a process at a time (``flock`` does not order the
threads of one process, which share the open file). A writer that finds it taken waits on
a doorbell, a FIFO beside it (``events.db.doorbell``) that each writer rings when it lets
go, and tries again when it rings — or every ``RECHECK_S`` at the latest (a bell another
waiter took, a writer that died holding the turn: the kernel drops its lock). The wait is
bounded like SQLite's own (the store's lock timeout): past it the insert fails with
SQLite's own "database is locked", which the API answers 503 with Retry-After, and
nothing is stored. (A blocking ``flock`` hands on as fast but cannot be bounded: a
thread's ``flock`` is not interrupted by a signal. Polling it lost the gain: each wake
needs the GIL back from the busy event loop.) The lock is the truth; the bell only
wakes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import sqlite3
import stat
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RECHECK_S = 0.002
"""The longest a waiter goes without trying the lock again, bell or no bell."""


class WriterTurns:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.doorbell = path.with_suffix(".doorbell")
        self.timeout = timeout
        self._threads = threading.Lock()
        self._fds: tuple[int, int | None] | None = None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """This thread's turn to write, across processes; SQLite's "database is locked"
        if it does not come within ``timeout``."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise _locked()
        try:
            lock, bell = self._files()
            _take(lock, bell, deadline)
            try:
                yield
            finally:
                _let_go(lock, bell)
        finally:
            self._threads.release()

    def taken(self) -> bool:
        """Whether another writer has the turn at this moment: a glance, never a wait (the
        turn may pass the next instant)."""
        if not self._threads.acquire(blocking=False):
            return True  # another thread of this process writes
        try:
            lock, bell = self._files()
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            _let_go(lock, bell)  # a writer that tried in that instant goes now
            return False
        finally:
            self._threads.release()

    def _files(self) -> tuple[int, int | None]:
        if self._fds is None:
            lock = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            bell = _doorbell(self.doorbell)
            self._fds = (lock, bell)
            weakref.finalize(self, _close, lock, bell)  # with the recorder that holds it
        return self._fds


def _take(lock: int, bell: int | None, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _locked()
        if bell is None:
            time.sleep(min(remaining, RECHECK_S / 2))
            continue
        rung, _, _ = select.select([bell], [], [], min(remaining, RECHECK_S))
        if rung:
            with contextlib.suppress(BlockingIOError):  # another waiter heard it first
                os.read(bell, 512)  # every ring so far: the next wait is for a new one


def _let_go(lock: int, bell: int | None) -> None:
    """Give the turn back and ring for whoever waits."""
    fcntl.flock(lock, fcntl.LOCK_UN)
    if bell is not None:
        with contextlib.suppress(BlockingIOError):  # full of unheard rings
            os.write(bell, b"\0")


def _doorbell(path: Path) -> int | None:
    """The FIFO, made by whichever process comes first, opened to ring and to listen
    without blocking; None where the file system has no FIFOs (the waiter then looks
    every ``RECHECK_S / 2``)."""
    try:
        os.mkfifo(path, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    if not stat.S_ISFIFO(path.stat().st_mode):
        return None
    return os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)


def _close(lock: int, bell: int | None) -> None:
    os.close(lock)
    if bell is not None:
        os.close(bell)


def _locked() -> sqlite3.OperationalError:
    return sqlite3.OperationalError("database is locked (no turn to write came in time)")


def turns_path(db_name: str) -> Path | None:
    """The lock file beside a SQLite database file (``name.writers``); None for a
    database in memory, which one process alone can reach."""
    if db_name.startswith(":memory:") or "mode=memory" in db_name:
        return None
    return Path(db_name.removeprefix("file:").split("?", 1)[0] + ".writers")
