"""Questions the read models answer, returning plain dicts (times in UTC)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, select
from sqlalchemy.engine import Connection

from domain.vocabulary import Status, TaskStatus
from infrastructure.database import utc
from projections.tables import history, nominations, tasks


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {k: utc(v) if isinstance(v, datetime) else v for k, v in row.items()}


def _page(
    conn: Connection, query: Select[Any], table: Table, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    # Counted from the table itself, not from the ordered query: the count then runs
    # on an index alone (no sort, no row lookups).
    counting = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = conn.execute(counting).scalar_one()
    rows = conn.execute(query.limit(limit).offset(offset)).mappings()
    return [_plain(r) for r in rows], int(total)


# Lookups by key, built once: SQLAlchemy then reuses their compiled form and cache key
# (building a statement per request cost more than running it).
_NOMINATION = select(nominations).where(nominations.c.id == bindparam("key"))
_NOMINATION_BY_CODE = select(nominations).where(nominations.c.tracking_code == bindparam("key"))
_TASK = select(tasks).where(tasks.c.id == bindparam("key"))


def _one(conn: Connection, statement: Select[Any], key: str) -> dict[str, Any] | None:
    found = conn.execute(statement, {"key": key}).mappings().first()
    return _plain(found) if found else None


def nomination(conn: Connection, nomination_id: str) -> dict[str, Any] | None:
    return _one(conn, _NOMINATION, nomination_id)


def nomination_by_tracking_code(conn: Connection, code: str) -> dict[str, Any] | None:
    return _one(conn, _NOMINATION_BY_CODE, code)


def nominations_of_units(
    conn: Connection, unit_ids: Collection[str] | None, status: str | None,
    limit: int, offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Nominations proposed by any of ``unit_ids`` (all when None), newest first."""
    query = select(nominations).order_by(nominations.c.proposed_at.desc(), nominations.c.id)
    if unit_ids is not None:
        query = query.where(nominations.c.unit_id.in_(list(unit_ids)))
    if status:
        query = query.where(nominations.c.status == status)
    return _page(conn, query, nominations, limit, offset)


def in_public_notice(
    conn: Connection, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Nominations in their comment period (or held by an objection), ending soonest first."""
    query = (
        select(nominations)
        .where(nominations.c.status.in_([Status.PUBLIC_NOTICE, Status.ON_HOLD]))
        .order_by(nominations.c.notice_until, nominations.c.id)
    )
    return _page(conn, query, nominations, limit, offset)


def history_of(conn: Connection, nomination_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(history).where(history.c.nomination_id == nomination_id).order_by(history.c.version)
    ).mappings()
    return [_plain(r) for r in rows]


def task(conn: Connection, task_id: str) -> dict[str, Any] | None:
    return _one(conn, _TASK, task_id)


def inbox(
    conn: Connection, unit_id: str, kinds: Collection[str], limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A unit's open tasks of the given kinds, the most urgent first."""
    query = (
        select(tasks)
        .where(tasks.c.unit_id == unit_id, tasks.c.status == TaskStatus.OPEN,
               tasks.c.kind.in_(kinds))
        .order_by(tasks.c.due_at, tasks.c.id)
    )
    return _page(conn, query, tasks, limit, offset)
