"""The read-model database: engine set-up for SQLite and PostgreSQL, and the schema."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.schema import CreateTable

from projections.events import to_json
from projections.tables import DEFERRABLE_INDEXES, READ_MODELS, metadata, positions

CONSUMERS = ("projector", "relay")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, json_serializer=to_json,
                               connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, json_serializer=to_json, pool_size=10, max_overflow=10,
                         pool_pre_ping=True)


@contextlib.contextmanager
def checkpoints_aside(conn: Connection) -> Iterator[Callable[[], None]]:
    """On SQLite, the connection's commits leave the write-ahead log as it is, and the
    function given copies it into the database (a passive checkpoint). SQLite does so
    itself on the commit that takes the log past 1,000 pages; in a rebuild that is
    inside the lock the parts take to write, and the others wait on it. Elsewhere, the
    function does nothing."""
    if conn.dialect.name != "sqlite":
        yield lambda: None
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    (pages,) = driver.execute("PRAGMA wal_autocheckpoint").fetchone()
    driver.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield lambda: driver.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
    finally:
        driver.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


def create_schema(engine: Engine) -> None:
    """Create missing tables and a position row for each consumer."""
    try:
        metadata.create_all(engine)
    except DatabaseError:
        # Another process (an API worker starting beside this one) created a table
        # between the check and the CREATE: look again.
        metadata.create_all(engine)
    with engine.connect() as conn:
        known = set(conn.scalars(select(positions.c.consumer)))
    for consumer in set(CONSUMERS) - known:
        with contextlib.suppress(IntegrityError), engine.begin() as conn:  # raced: it is there
            conn.execute(insert(positions).values(consumer=consumer, position=0))


def drop_read_models(conn: Connection, *, deferring_indexes: bool = False) -> None:
    """Drop every read model and create it again, empty. ``deferring_indexes``: without
    the indexes a rebuild never reads by, for ``create_deferred_indexes`` to make at its
    end: one sort each instead of a B-tree updated for every row (the history's index
    by nomination took a fifth of its insert on SQLite)."""
    for table in reversed(READ_MODELS):
        table.drop(conn, checkfirst=True)
    for table in READ_MODELS:
        conn.execute(CreateTable(table))
        for index in table.indexes:
            if not (deferring_indexes and index in DEFERRABLE_INDEXES):
                index.create(conn)


def create_deferred_indexes(conn: Connection) -> None:
    for index in DEFERRABLE_INDEXES:
        index.create(conn, checkfirst=True)
