"""Consumer positions: how far in the event log each follower of it (the projector, the
relay, the notifier) has got. A follower stores its position in the same transaction as
what it did with the events up to it, so a crash leaves neither.

A stored position only moves forward (``store_position``): a follower that lost its lease
(``infrastructure.leadership``) and finishes a batch the new leader has already passed
leaves the row where the new leader put it. Only a rebuild of the read models moves one
back, on purpose (``reset_position``).

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


def store_position(conn: Connection, consumer: str, position: int) -> bool:
    """Move a consumer's position forward to ``position``; whether it moved. A position
    at or behind the stored one is refused (the row is left as it is): two processes
    that both acted on a batch for a moment — a leader that lost its lease finishing
    its last one — never take the position backwards."""
    row = (positions.c.consumer == consumer) & (positions.c.position < position)
    return conn.execute(update(positions).where(row).values(position=position)).rowcount > 0


def reset_position(conn: Connection, consumer: str, position: int) -> None:
    """Set a consumer's position whatever it was: a rebuild of the read models marks the
    projector's, and a benchmark starts it again from 0."""
    conn.execute(
        update(positions).where(positions.c.consumer == consumer).values(position=position)
    )


def start_position(engine: Engine, consumer: str) -> int:
    """Where a follower of the log (relay, notifier) starts: its stored position, read
    and locked in a transaction of its own."""
    with engine.begin() as conn:
        return lock_position(conn, consumer)


def keep_position(engine: Engine, consumer: str, position: int) -> bool:
    """A follower's position stored once what it read is acted on (forward only; whether
    it moved)."""
    with engine.begin() as conn:
        return store_position(conn, consumer, position)
