"""Every use Laurel makes of SQLAlchemy's private API (2.0), and of the DB-API driver
(``sqlite3``, psycopg 3) reached through a SQLAlchemy connection, in one place.

Each is a measured fast path of the read models' writes. Each has a test in
``tests/test_library_internals.py`` that compares it, on real stores (an SQLite file,
and PostgreSQL where it runs), with what SQLAlchemy's public path does; an upgrade that
moves one of these fails that test rather than changing what is stored.

- ``sqlite.DATETIME._storage_format`` (private attribute): ``projections.pending``
  formats datetimes for SQLite itself instead of through SQLAlchemy's bind processor,
  which goes through a dict of seven fields (8 % of a rebuild; ``sqlite_datetime``
  writes the same text in two thirds of the time). Only for a column whose storage
  format is SQLAlchemy's default, which ``is_default_sqlite_datetime`` tells. Pinned by
  ``test_sqlite_datetimes_are_stored_as_sqlalchemys_datetime_type_stores_them``.
- The driver's connection under a SQLAlchemy connection
  (``Connection.connection.driver_connection``), used inside SQLAlchemy's transaction:
  - ``driver_executemany``, for ``projections.pending.prepare_many`` on SQLite:
    ``sqlite3``'s ``executemany`` with values converted by each column's own bind
    processor, SQLAlchemy's per-row bookkeeping skipped (a fifth of a rebuild's time);
  - ``driver_copy``, for ``projections.pending.prepare_insert`` on PostgreSQL: psycopg's
    ``COPY … FROM STDIN`` (about 2.5x a batched INSERT there);
  - ``driver_connection``, for ``projections.database.checkpoints_aside`` on SQLite:
    ``PRAGMA wal_autocheckpoint`` and ``wal_checkpoint(PASSIVE)`` on the connection
    itself (the write-ahead log copied into the database outside the lock a rebuild's
    parts take to write).
  Pinned by ``test_driver_writes_store_the_rows_sqlalchemy_core_stores``,
  ``test_driver_writes_are_inside_sqlalchemys_transaction`` and
  ``test_wal_pragmas_on_the_driver_are_the_connections_own``.

Not gathered here: the SQLite engine's ``connect`` listener (``infrastructure.database``)
is handed the DB-API connection by SQLAlchemy's public event; ``Row._mapping``
(``laurel.policy_check``) is public, underscored only to keep clear of column names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

SQLITE_DATETIME_FORMAT = sqlite.DATETIME()._storage_format  # type: ignore[no-untyped-call]
"""SQLAlchemy's default text for a datetime on SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``,
as a format of named fields)."""


def is_default_sqlite_datetime(impl: TypeEngine[Any]) -> bool:
    """Whether ``impl`` (a column type's implementation for the SQLite dialect) is
    SQLAlchemy's SQLite ``DATETIME`` with its default storage format."""
    return type(impl) is sqlite.DATETIME and impl._storage_format == SQLITE_DATETIME_FORMAT


def driver_connection(conn: Connection) -> Any:
    """The DB-API connection beneath ``conn`` (``sqlite3`` or psycopg's), in the same
    transaction as ``conn``."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def driver_executemany(conn: Connection, statement: str, params: list[Any]) -> None:
    """``statement`` (in the driver's paramstyle) run for each of ``params`` straight on
    the driver, in ``conn``'s transaction."""
    cursor = driver_connection(conn).cursor()
    try:
        cursor.executemany(statement, params)
    finally:
        cursor.close()


@contextmanager
def driver_copy(conn: Connection, statement: str) -> Iterator[Any]:
    """psycopg's ``Copy`` for ``statement`` (a ``COPY … FROM STDIN``) in ``conn``'s
    transaction: ``write_row`` each row in it."""
    cursor = driver_connection(conn).cursor()
    with cursor.copy(statement) as copy:
        yield copy
