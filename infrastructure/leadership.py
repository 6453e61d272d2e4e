"""One active follower of each kind: a lease held for the process's life.

Two relays following the log both signal every event (an outside study found 99 % of
events signalled twice, the stored position moving backwards, 22–29 % more CPU); two
projectors both read every batch and wait on each other's row lock. So each follower
process (relay, projector, notifier) runs its follower only while it holds its kind's
lease; the others stand by, trying again every ``retry`` seconds, and one of them takes
over within about that long of the leader dying.

PostgreSQL: the lease is a session-level advisory lock (``pg_try_advisory_lock``) on a
connection of its own, outside the pool, held while the process leads. The server drops
it when the connection ends: at once when the process dies (its socket closes), after
the TCP keepalives below when the machine or the network goes. The leader checks its
connection every ``check`` seconds; a check that fails or takes longer than
``check_timeout`` means the lease may be gone, and the leader stops following (finishing
the batch in hand) and stands by again. For that moment two processes may act on one
batch — which each follower already tolerates (the workflow ignores an event position it
has seen; the projector's row lock and position apply a batch once; a notification's id
is derived from its event) — and a stored position never moves backwards
(``infrastructure.positions.store_position``).

SQLite (one machine): the lease is an exclusive ``flock`` on a file beside the read
models, which the kernel drops when the process dies. A lock on a file cannot be lost
while the process lives, so there is nothing to check.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from infrastructure.metrics import Progress

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
CHECK_SECONDS = 1.0
CHECK_TIMEOUT_SECONDS = 5.0
KEEPALIVES = {"tcp_keepalives_idle": 5, "tcp_keepalives_interval": 2,
              "tcp_keepalives_count": 3}
"""The server's keepalives on the lease's connection: a leader's machine that vanishes
(no FIN) releases the lease after about 11 s, not the kernel's default two hours."""


def lock_key(name: str) -> int:
    """The advisory lock's key for a lease name: a stable signed 64-bit number."""
    digest = hashlib.blake2b(f"laurel:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Leadership:
    """The lease ``name`` (a consumer: relay, projector, notifier) on ``engine``'s
    database (PostgreSQL) or data directory (SQLite)."""

    def __init__(self, engine: Engine, name: str, *, retry: float = RETRY_SECONDS,
                 check: float = CHECK_SECONDS,
                 check_timeout: float = CHECK_TIMEOUT_SECONDS) -> None:
        self.engine = engine
        self.name = name
        self.retry = retry
        self.check = check
        self.check_timeout = check_timeout
        self.key = lock_key(name)
        self.postgres = engine.dialect.name == "postgresql"
        self._conn: Connection | None = None
        self._file: int | None = None

    # -- the lease, blocking calls (run on a thread) ----------------------------------

    def try_acquire(self) -> bool:
        """Take the lease if it is free; whether this process holds it now."""
        if self.postgres:
            if self._conn is None:
                self._conn = self._connect()
            try:
                return bool(self._conn.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                              {"key": self.key}))
            except Exception:
                self._drop()
                raise
        path = self._lock_path()
        if path is None:
            return True  # an in-memory database: this process is all there is
        if self._file is None:
            self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self._file, 0)
        os.write(self._file, f"{os.getpid()}\n".encode())
        return True

    def holds(self) -> bool:
        """Whether the lease is still this process's (PostgreSQL: its connection
        answers; the lock lives as long as that session)."""
        if not self.postgres:
            return True
        conn = self._conn
        if conn is None:
            return False
        try:
            return bool(conn.scalar(text("SELECT 1")) == 1)
        except Exception:
            return False

    def release(self) -> None:
        """Give the lease up (closing its connection, or unlocking its file)."""
        if self.postgres:
            self._drop()
        elif self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file, fcntl.LOCK_UN)
                os.close(self._file)
            self._file = None

    def _connect(self) -> Connection:
        conn = self.engine.execution_options(isolation_level="AUTOCOMMIT").connect()
        conn.detach()  # closed for good when the lease is given up: never back to the pool
        for setting, value in KEEPALIVES.items():
            conn.execute(text(f"SET {setting} = {int(value)}"))
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            # Closing a connection whose peer is gone can block: on a thread of its own.
            threading.Thread(target=_close_quietly, args=(conn,), daemon=True).start()

    def _lock_path(self) -> Path | None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return None
        return Path(database).resolve().parent / f"leader-{self.name}.lock"

    # -- leading ----------------------------------------------------------------------

    async def lead(self, stop: asyncio.Event, follow: Callable[[asyncio.Event], Awaitable[None]],
                   progress: Progress | None = None) -> None:
        """Until ``stop``: stand by until the lease is this process's, then run
        ``follow(lost)`` while it is; ``lost`` is set when the lease may be gone or
        ``stop`` is set, and ``follow`` returns after its batch in hand. Then stand by
        again."""
        standing = failing = False
        try:
            while not stop.is_set():
                try:
                    won = await asyncio.to_thread(self.try_acquire)
                    failing = False
                except Exception as error:
                    won = False
                    if not failing:  # once per outage, not every second of it
                        log.warning("%s: the lease could not be asked for (%s); trying "
                                    "again every %g s", self.name, error, self.retry)
                    failing = True
                if not won:
                    if not standing:
                        log.info("%s: standing by (another process leads)", self.name)
                        standing = True
                    if progress is not None:
                        progress.standing_by()
                    await _pause(stop, self.retry)
                    continue
                standing = False
                log.info("%s: became leader (pid %d)", self.name, os.getpid())
                if progress is not None:
                    progress.became_leader()
                lost = asyncio.Event()
                guard = asyncio.create_task(self._guard(stop, lost))
                try:
                    await follow(lost)
                finally:
                    lost.set()
                    await guard
                    await asyncio.to_thread(self.release)
                    if progress is not None:
                        progress.standing_by()
                if not stop.is_set():
                    log.warning("%s: lease lost; standing by", self.name)
        finally:
            await asyncio.to_thread(self.release)

    async def _guard(self, stop: asyncio.Event, lost: asyncio.Event) -> None:
        """Set ``lost`` on ``stop``, or when a check of the lease fails."""
        while not lost.is_set():
            await _pause_either(stop, lost, self.check)
            if stop.is_set() or lost.is_set():
                break
            try:
                held = await asyncio.wait_for(asyncio.to_thread(self.holds),
                                              self.check_timeout)
            except TimeoutError:
                held = False
            if not held:
                log.warning("%s: the lease's connection failed its check; stepping down",
                            self.name)
                self._drop()
                break
        lost.set()


def _close_quietly(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.close()


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _pause_either(first: asyncio.Event, second: asyncio.Event, seconds: float) -> None:
    waits = [asyncio.ensure_future(first.wait()), asyncio.ensure_future(second.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
