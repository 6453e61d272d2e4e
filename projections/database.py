"""The read models' tables as a whole: dropped and made afresh, indexes deferred, the
write-ahead log copied aside (the engine is ``infrastructure.database``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateTable

from infrastructure.sqlalchemy_internals import driver_connection
from projections.schema import store_fingerprint
from projections.tables import DEFERRABLE_INDEXES, READ_MODELS


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
    driver = driver_connection(conn)  # the PRAGMAs on the connection itself
    (pages,) = driver.execute("PRAGMA wal_autocheckpoint").fetchone()
    driver.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield lambda: driver.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
    finally:
        driver.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")


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
    store_fingerprint(conn)


def create_deferred_indexes(conn: Connection) -> None:
    for index in DEFERRABLE_INDEXES:
        index.create(conn, checkfirst=True)
