"""The event store's schema version: made by ``laurel migrate``, checked by every process.

``laurel_schema`` (in the event store's database: ``events.db`` on SQLite) has a row per
version applied, with when. A process starts only against ``SCHEMA_VERSION``: an older
version (or none) is refused with ``SchemaNotMigrated``, which names ``laurel migrate``;
a newer one likewise (a newer Laurel made it). Processes run no DDL at start: ten of them
starting at once on PostgreSQL used to collide in the library's ``CREATE``s (``tuple
concurrently updated``). ``laurel migrate`` takes ``migration_lock`` first, so several
run at once one after another, and all but the first find nothing to do.

One exception keeps the embedded default as it was: on SQLite, a data directory with no
event store at all is made by the first process that opens it (``laurel api`` alone, a
test). SQLite's own file lock serialises that DDL; it never collides.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from infrastructure.settings import Settings, refuse_library_settings

SCHEMA_VERSION = 2
VERSIONS = {
    1: "the event store's tables (events, hash chain), as Laurel made them at every start",
    2: "the consumers' positions and the read models made by laurel migrate, not at start",
}
"""What each version brought. Every step is idempotent DDL (``IF NOT EXISTS``), so an
upgrade runs the steps and records the version reached."""
TABLE = "laurel_schema"
LOCK_KEY = 0x1A0E1_5C4E
"""The PostgreSQL advisory lock ``laurel migrate`` holds while it works."""


class SchemaNotMigrated(RuntimeError):
    """The event store was made by another version of Laurel, or not yet made."""


def _postgres(settings: Settings) -> psycopg.Connection[Any]:
    assert settings.database_url is not None
    params: dict[str, Any] = dict(settings.connection_parameters())
    return psycopg.connect(settings.database_url.split("?", 1)[0], autocommit=True, **params)


def _sqlite(settings: Settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.data_dir / "events.db", timeout=30)


def recorded_version(settings: Settings) -> int | None:
    """The highest version recorded, None if none is."""
    if settings.uses_postgres:
        with _postgres(settings) as conn:
            if conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone() == (None,):
                return None
            row = conn.execute(f"SELECT max(version) FROM {TABLE}").fetchone()  # noqa: S608
    else:
        if not (settings.data_dir / "events.db").exists():
            return None
        with contextlib.closing(_sqlite(settings)) as conn:
            if conn.execute("SELECT name FROM sqlite_master WHERE name = ?",
                            (TABLE,)).fetchone() is None:
                return None
            row = conn.execute(f"SELECT max(version) FROM {TABLE}").fetchone()  # noqa: S608
    return int(row[0]) if row and row[0] is not None else None


def record_version(settings: Settings, version: int = SCHEMA_VERSION) -> None:
    """Record ``version`` as applied (the steps up to it done)."""
    create = (f"CREATE TABLE IF NOT EXISTS {TABLE} (version integer PRIMARY KEY, "
              "migrated_at text NOT NULL)")
    at = datetime.now(UTC).isoformat()
    if settings.uses_postgres:
        with _postgres(settings) as pg:
            pg.execute(create)
            pg.execute(f"INSERT INTO {TABLE} VALUES (%s, %s) "  # noqa: S608
                       "ON CONFLICT DO NOTHING", (version, at))
    else:
        with contextlib.closing(_sqlite(settings)) as conn, conn:
            conn.execute(create)
            conn.execute(f"INSERT OR IGNORE INTO {TABLE} VALUES (?, ?)",  # noqa: S608
                         (version, at))


def fresh_sqlite_store(settings: Settings) -> bool:
    """On SQLite, whether the data directory has no event store at all yet."""
    if settings.uses_postgres:
        return False
    database = settings.data_dir / "events.db"
    if not database.exists():
        return True
    with contextlib.closing(_sqlite(settings)) as conn:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,))


def require_version(settings: Settings) -> None:
    """Refuse (``SchemaNotMigrated``) an event store of another version than this code's."""
    found = recorded_version(settings)
    if found == SCHEMA_VERSION:
        return
    where = ("PostgreSQL database" if settings.uses_postgres
             else f"data directory {settings.data_dir}")
    if found is None:
        raise SchemaNotMigrated(
            f"The event store in this {where} has no schema version recorded: it was "
            f"not made by 'laurel migrate' (this Laurel needs version {SCHEMA_VERSION}). "
            "Run 'laurel migrate' with the same settings, then start again.")
    if found < SCHEMA_VERSION:
        raise SchemaNotMigrated(
            f"The event store in this {where} is at schema version {found}; this Laurel "
            f"needs version {SCHEMA_VERSION}. Run 'laurel migrate' with the same "
            "settings, then start again.")
    raise SchemaNotMigrated(
        f"The event store in this {where} is at schema version {found}, made by a newer "
        f"Laurel than this one (version {SCHEMA_VERSION}): run that version.")


def check_at_start(settings: Settings) -> None:
    """What a process checks before it starts (``laurel api``, ``worker``…): no library
    setting that would weaken the record, and the schema this code needs (or, on
    SQLite, none yet)."""
    refuse_library_settings()
    if not fresh_sqlite_store(settings):
        require_version(settings)


def create_event_store(settings: Settings) -> None:
    """The event store's tables, as the library and the chained recorders define them
    (idempotent: ``CREATE ... IF NOT EXISTS``)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = Environment("laurel", settings.event_store_env(create_table=True))
    factory = InfrastructureFactory.construct(env)
    try:
        factory.application_recorder()  # creates its tables (CREATE_TABLE is on)
    finally:
        factory.close()


@contextlib.contextmanager
def migration_lock(settings: Settings) -> Iterator[None]:
    """Held while ``laurel migrate`` works: on PostgreSQL a session advisory lock, on
    SQLite an exclusive lock of ``<data_dir>/migrate.lock``. A second migrate waits."""
    if settings.uses_postgres:
        with _postgres(settings) as conn:
            conn.execute("SET statement_timeout = 0")
            conn.execute("SET lock_timeout = 0")  # waits for the migrate before it
            conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(settings.data_dir / "migrate.lock", os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
