"""The read models' schema: made on first start, and checked on every start after.

A fingerprint of the tables (their columns, types and indexes) is stored beside the
consumers' positions. A process that finds another fingerprint stored refuses to start:
its tables differ from what the code reads and writes (a column added, say), and only a
rebuild from the events makes them agree again, with every row filled in.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib

from sqlalchemy import Column, Engine, MetaData, String, Table, delete, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, IntegrityError

from infrastructure.positions import create_positions
from projections.read_models import READ_MODELS
from projections.tables import metadata

_schema_metadata = MetaData()
read_model_schema = Table(
    "read_model_schema",
    _schema_metadata,
    Column("fingerprint", String(64), primary_key=True),
)


class ReadModelSchemaChanged(RuntimeError):
    """The read models in the database were made by another version of Laurel."""


@functools.cache
def fingerprint() -> str:
    """The read models' tables as this code defines them, in short (made once: a rebuild
    stores it too)."""
    lines = []
    for table in sorted(READ_MODELS, key=lambda t: t.name):
        lines.append(f"table {table.name}")
        for column in table.columns:
            lines.append(f"  {column.name} {column.type!r} null={column.nullable} "
                         f"key={column.primary_key} unique={column.unique}")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            lines.append(f"  index {index.name} {[c.name for c in index.columns]} "
                         f"unique={index.unique}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def prepare_read_models(engine: Engine) -> None:
    """Create the read models if the database has none; otherwise require that they are
    the ones this code defines (``ReadModelSchemaChanged`` names the fix)."""
    create_positions(engine)
    stored = stored_fingerprint(engine)
    if stored is None and not _any_read_model(engine):
        create_read_models(engine)
        stored = stored_fingerprint(engine)
    if stored != fingerprint():
        raise ReadModelSchemaChanged(
            "The read models in this database were made by another version of Laurel "
            f"(schema {str(stored)[:12]}, this version's {fingerprint()[:12]}). Run "
            "'laurel projections rebuild' to rebuild them from the events, then start again.")


def create_read_models(engine: Engine) -> None:
    """Make the read models in a database that has none, with their fingerprint."""
    create_positions(engine)
    _schema_metadata.create_all(engine)
    try:
        metadata.create_all(engine)
    except DatabaseError:
        metadata.create_all(engine)  # raced by another process starting: look again
    with contextlib.suppress(IntegrityError), engine.begin() as conn:
        if conn.scalar(select(read_model_schema.c.fingerprint)) is None:
            conn.execute(insert(read_model_schema).values(fingerprint=fingerprint()))


def stored_fingerprint(engine: Engine) -> str | None:
    _schema_metadata.create_all(engine)
    with engine.connect() as conn:
        found = conn.scalar(select(read_model_schema.c.fingerprint))
    return str(found) if found is not None else None


def store_fingerprint(conn: Connection) -> None:
    """Record the tables just made as this code's (within their transaction)."""
    _schema_metadata.create_all(conn)
    conn.execute(delete(read_model_schema))
    conn.execute(insert(read_model_schema).values(fingerprint=fingerprint()))


def has_read_models(engine: Engine) -> bool:
    """Whether the database holds any read model's table (with a fingerprint or not)."""
    return _any_read_model(engine)


def _any_read_model(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return any(table.name in names for table in READ_MODELS)
