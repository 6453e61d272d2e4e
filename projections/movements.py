"""Read model of emulation movements (``domain.movement``): ``movements``, one row each,
inserted when launched and changed once when closed; its nominations are the
nominations' rows naming it (``nominations.movement_id``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Column, DateTime, String, Table, Text, bindparam, func, select, update
from sqlalchemy.engine import Connection

from domain.movement import OPEN, Movement
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.pending import Write, prepare_insert, prepare_many
from projections.tables import metadata, nominations

movements = Table(
    "movements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("decision_number", String(300), nullable=False),
    Column("decision_date", String(10), nullable=False),
    Column("scope", JSON, nullable=False),
    Column("period_from", String(10), nullable=False),
    Column("period_to", String(10), nullable=False),
    Column("criteria", Text, nullable=False),
    Column("award_codes", JSON, nullable=False),
    Column("dossier_from", String(10), nullable=False),
    Column("dossier_until", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("result", Text),
    Column("result_document_id", String(36)),
    Column("launched_at", DateTime(timezone=True), nullable=False),
    Column("launched_by", String(120), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)

TABLES = (movements,)
_CLOSE = update(movements).where(movements.c.id == bindparam("row_id"))
"""Each row gives the columns it sets by their names (what ``PendingTable`` does)."""


def writes(conn: Connection, events: Sequence[LoggedEvent]) -> list[Write]:
    """The movements launched among ``events``, then those closed, in the batch's
    transaction (a movement launched and closed in one batch: inserted, then changed)."""
    launched: list[dict[str, Any]] = []
    closed: list[dict[str, Any]] = []
    for logged in events:
        e: Any = logged.event
        if isinstance(e, Movement.Launched):
            launched.append(dict(
                id=logged.nomination_id, unit_id=e.unit_id, name=e.name,
                decision_number=e.decision_number, decision_date=e.decision_date,
                scope=e.scope, period_from=e.period_from, period_to=e.period_to,
                criteria=e.criteria, award_codes=e.award_codes, dossier_from=e.dossier_from,
                dossier_until=e.dossier_until, status=OPEN, result=None,
                result_document_id=None, launched_at=utc(e.timestamp), launched_by=e.actor,
                closed_at=None))
        elif isinstance(e, Movement.Closed):
            closed.append(dict(row_id=logged.nomination_id, status="closed", result=e.result,
                               result_document_id=e.document_id or None,
                               closed_at=utc(e.timestamp)))
    made: list[Write] = []
    if launched:
        made.append(prepare_insert(conn, movements, launched))
    if closed:
        made.append(prepare_many(conn, _CLOSE, closed))
    return made


# -- reading ----------------------------------------------------------------------


def movement_row(conn: Connection, movement_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(movements).where(movements.c.id == movement_id)).mappings().first()
    return dict(row) if row is not None else None


def movements_of(conn: Connection, units: Sequence[str], limit: int,
                 offset: int) -> tuple[list[dict[str, Any]], int]:
    """The movements launched by ``units``, the latest first."""
    where = movements.c.unit_id.in_(list(units))
    total = conn.scalar(select(func.count()).select_from(movements).where(where)) or 0
    rows = conn.execute(select(movements).where(where)
                        .order_by(movements.c.launched_at.desc(), movements.c.id)
                        .limit(limit).offset(offset)).mappings()
    return [dict(r) for r in rows], int(total)


def nominations_by_status(conn: Connection, movement_id: str,
                          units: Sequence[str]) -> list[dict[str, Any]]:
    """The movement's nominations among ``units``' (those the reader may see), by status
    then newest first."""
    query = (select(nominations.c.id, nominations.c.tracking_code, nominations.c.status,
                    nominations.c.nominee_name, nominations.c.unit_id,
                    nominations.c.award_code, nominations.c.proposed_at)
             .where(nominations.c.movement_id == movement_id,
                    nominations.c.unit_id.in_(list(units)))
             .order_by(nominations.c.status, nominations.c.proposed_at.desc()))
    return [dict(r) for r in conn.execute(query).mappings()]
