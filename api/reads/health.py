"""Whether the read models can be read: each table's first and last rows, the pages a
damaged file most often loses (its schema with them). ``SELECT 1`` answered while every
read of a damaged file failed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from projections.tables import metadata


def read_every_table(conn: Connection) -> None:
    """Read each read model's first and last rows; raises what reading them raises."""
    for table in metadata.sorted_tables:
        key = list(table.primary_key.columns) or list(table.columns)[:1]
        for order in (key[0].asc(), key[0].desc()):
            conn.execute(select(table).order_by(order).limit(1)).all()
