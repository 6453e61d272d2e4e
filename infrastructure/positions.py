"""Consumer positions: how far in the event log each follower of it (the projector, the
relay) has got. A follower stores its position in the same transaction as what it did
with the events up to it, so a crash leaves neither.

The table survives a rebuild of the read models; only the projector's row changes then.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError, IntegrityError

metadata = MetaData()

positions = Table(
    "positions",
    metadata,
    Column("consumer", String(60), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

PROJECTOR = "projector"
RELAY = "relay"
NOTIFIER = "notifier"
CONSUMERS = (PROJECTOR, RELAY, NOTIFIER)


def create_positions(engine: Engine) -> None:
    """The table, and a row at position 0 for each consumer that has none."""
    try:
        metadata.create_all(engine)
    except DatabaseError:
        # Another process (an API worker starting beside this one) created the table
        # between the check and the CREATE: look again.
        metadata.create_all(engine)
    with engine.connect() as conn:
        known = set(conn.scalars(select(positions.c.consumer)))
    for consumer in set(CONSUMERS) - known:
        with contextlib.suppress(IntegrityError), engine.begin() as conn:  # raced: it is there
            conn.execute(insert(positions).values(consumer=consumer, position=0))


def read_position(conn: Connection, consumer: str) -> int:
    query = select(positions.c.position).where(positions.c.consumer == consumer)
    return int(conn.execute(query).scalar_one())


def lock_position(conn: Connection, consumer: str) -> int:
    """Read a consumer's position, holding the row's write lock until commit.

    The no-op UPDATE takes the lock first, on SQLite (the database write lock) and on
    PostgreSQL (the row lock) alike, so two runners never apply the same batch.
    """
    row = positions.c.consumer == consumer
    conn.execute(update(positions).where(row).values(position=positions.c.position))
    return read_position(conn, consumer)


def store_position(conn: Connection, consumer: str, position: int) -> None:
    conn.execute(
        update(positions).where(positions.c.consumer == consumer).values(position=position)
    )


def start_position(engine: Engine, consumer: str) -> int:
    """Where a follower of the log (relay, notifier) starts: its stored position, read
    and locked in a transaction of its own."""
    with engine.begin() as conn:
        return lock_position(conn, consumer)


def keep_position(engine: Engine, consumer: str, position: int) -> None:
    """A follower's position stored once what it read is acted on."""
    with engine.begin() as conn:
        store_position(conn, consumer, position)
