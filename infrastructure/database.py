"""The read-model database's engine, for SQLite and PostgreSQL, and the JSON it writes;
which database errors mean a store busy or away for now (``unavailable``)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import eventsourcing.persistence as es
import orjson
import psycopg
import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, event

BUSY_RETRY_SECONDS = 1
"""``Retry-After`` when a lock or a statement timed out: the store is busy, not away."""
AWAY_RETRY_SECONDS = 5
"""``Retry-After`` when no connection could be had: the store is away or restarting."""


def make_engine(url: str, *, pool_size: int = 2, pool_max: int = 5,
                connect_timeout: float = 5,
                connect_args: dict[str, Any] | None = None) -> Engine:
    """The read models' engine. On PostgreSQL its pool holds ``pool_size`` connections and
    opens at most ``pool_max``; waiting longer than ``connect_timeout`` for one raises
    (``unavailable``). ``connect_args``: what each connection is opened with besides the
    URL (``Settings.read_model_engine_options``: the lock and statement timeouts)."""
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
    return create_engine(url, json_serializer=to_json, pool_size=min(pool_size, pool_max),
                         max_overflow=max(0, pool_max - pool_size),
                         pool_timeout=connect_timeout, pool_pre_ping=True,
                         connect_args=connect_args or {})


STORE_ERRORS: tuple[type[BaseException], ...] = (
    es.PersistenceError, psycopg.Error, sqlalchemy.exc.DBAPIError,
    sqlalchemy.exc.TimeoutError, sqlite3.Error)
"""What a store raises when it does not do what it is asked (every class the event
store's library, the PostgreSQL driver, SQLAlchemy and SQLite use)."""


def unavailable(error: BaseException) -> int | None:
    """Seconds to wait before trying again if ``error`` (or what it wraps) says a store is
    busy (a lock or statement timeout: ``BUSY_RETRY_SECONDS``) or away (no connection,
    the pool's wait ran out, the server shutting down: ``AWAY_RETRY_SECONDS``); None for
    an error of another kind (a conflict, a constraint, a damaged file)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
            return BUSY_RETRY_SECONDS
        if isinstance(current, sqlite3.OperationalError) and "locked" in str(current):
            return BUSY_RETRY_SECONDS
        if isinstance(current, psycopg.OperationalError | psycopg.InterfaceError
                      | sqlalchemy.exc.TimeoutError):
            return AWAY_RETRY_SECONDS
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    if isinstance(error, es.OperationalError | es.InterfaceError
                  | sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        return AWAY_RETRY_SECONDS
    return None


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
