"""The read-model database's engine, for SQLite and PostgreSQL, and the JSON it writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import Engine, create_engine, event


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


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:
        return moment  # the common case, and a rebuild meets it on every event
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_json(value: Any) -> str:
    """The read models' JSON: datetimes in UTC ISO 8601 and UUIDs as strings, wherever
    they are nested (the serializer of every read-model engine). orjson: a rebuild
    writes a JSON value or two per event, and the standard library's encoder took a
    tenth of it."""
    return orjson.dumps(value, default=_plain, option=orjson.OPT_PASSTHROUGH_DATETIME).decode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
