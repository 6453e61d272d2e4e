"""The read models' tables as a whole: dropped and made afresh, indexes deferred, the
write-ahead log copied aside (the engine is ``infrastructure.database``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable

from infrastructure.sqlalchemy_internals import driver_connection
from projections.read_models import DEFERRABLE_INDEXES, READ_MODELS
from projections.schema import store_fingerprint

Ddl = CreateTable | CreateIndex | DropTable


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
    statements: list[Ddl] = [
        DropTable(table, if_exists=True) for table in reversed(READ_MODELS)]
    for table in READ_MODELS:
        statements.append(CreateTable(table))
        statements += [CreateIndex(index) for index in table.indexes
                       if not (deferring_indexes and index in DEFERRABLE_INDEXES)]
    _run(conn, statements)
    store_fingerprint(conn)


def create_deferred_indexes(conn: Connection) -> None:
    _run(conn, [CreateIndex(index, if_not_exists=True) for index in DEFERRABLE_INDEXES])


def _run(conn: Connection, statements: list[Ddl]) -> None:
    """Run the DDL ``statements``, each compiled once for the connection's dialect: made
    for every rebuild, compiling them and asking first whether each table or index
    exists took longer than dropping and making the tables (a tenth of rebuilding a
    short log on SQLite). A schema translated (``projections.verify``'s scratch copy)
    is rendered at each run, as SQLAlchemy does."""
    if conn.get_execution_options().get("schema_translate_map"):
        for statement in statements:
            conn.execute(statement)
        return
    for statement in statements:
        conn.exec_driver_sql(_compiled(statement, conn.dialect))


_COMPILED: dict[tuple[object, ...], str] = {}


def _compiled(statement: Ddl, dialect: Dialect) -> str:
    """``statement`` as SQL for ``dialect``, compiled once. Each read model's table and
    index has a name of its own, and ``if_exists`` or ``if_not_exists`` is all that sets
    apart two statements of a kind on one of them."""
    key = (type(dialect), dialect.server_version_info, type(statement),
           statement.element.name, getattr(statement, "if_exists", False),
           getattr(statement, "if_not_exists", False))
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = str(statement.compile(dialect=dialect))
    return found
