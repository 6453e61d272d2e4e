"""Read models of decisions (``domain.decision``): ``decisions``, one row a document, and
``decision_items``, the nominations each decides, in the document's order.

A decision is recorded once and never changed, so its rows are only ever inserted, made
from its one event alone: no row is read back, and a rebuild in parts makes the same
rows whichever part holds the decision. The nominees' names, units and awards are the
nominations' rows, joined when read (``decision_rows``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.engine import Connection

from domain.decision import Decision
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.pending import Write, prepare_insert
from projections.tables import metadata, nominations

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("number", String(300), nullable=False),
    Column("decision_date", String(10), nullable=False),
    Column("signer", String(300), nullable=False),
    Column("authority", Text, nullable=False),
    Column("items", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("actor_unit", String(120), nullable=False),
)

decision_items = Table(
    "decision_items",
    metadata,
    Column("decision_id", String(36), nullable=False),
    # The item's place in the document (its annex's order).
    Column("position", Integer, nullable=False),
    Column("nomination_id", String(36), nullable=False),
    Column("task_id", String(36), nullable=False),
    Column("outcome", String(20), nullable=False),
    PrimaryKeyConstraint("decision_id", "position"),
    Index("ix_decision_items_nomination", "nomination_id"),
)

TABLES = (decisions, decision_items)
"""Both tables, for ``projections.read_models``."""


def writes(conn: Connection, events: Sequence[LoggedEvent]) -> list[Write]:
    """The inserts of the decisions recorded among ``events``, ready to run in the
    batch's transaction."""
    made: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for logged in events:
        e: Any = logged.event
        if not isinstance(e, Decision.Recorded):
            continue
        made.append(dict(
            id=logged.nomination_id, unit_id=e.unit_id, number=e.number,
            decision_date=e.decision_date, signer=e.signer, authority=e.authority,
            items=len(e.items), recorded_at=utc(e.timestamp), actor=e.actor,
            actor_role=e.actor_role, actor_unit=e.actor_unit))
        items += [dict(decision_id=logged.nomination_id, position=i,
                       nomination_id=item["nomination_id"], task_id=item["task_id"],
                       outcome=item["outcome"]) for i, item in enumerate(e.items)]
    if not made:
        return []
    return [prepare_insert(conn, decisions, made), prepare_insert(conn, decision_items, items)]


# -- reading ----------------------------------------------------------------------


def decision_row(conn: Connection, decision_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).mappings().first()
    return dict(row) if row is not None else None


ITEM_COLUMNS = (decision_items.c.position, decision_items.c.nomination_id,
                decision_items.c.task_id, decision_items.c.outcome,
                nominations.c.nominee_name, nominations.c.nominee_kind,
                nominations.c.unit_id, nominations.c.award_code, nominations.c.tracking_code)


def decision_rows(conn: Connection, decision_id: str) -> list[dict[str, Any]]:
    """The decision's items in the document's order, each with its nominee, proposing
    unit and award (from the nominations' rows)."""
    query = (select(*ITEM_COLUMNS)
             .join(nominations, nominations.c.id == decision_items.c.nomination_id)
             .where(decision_items.c.decision_id == decision_id)
             .order_by(decision_items.c.position))
    return [dict(row) for row in conn.execute(query).mappings()]


def decisions_of(conn: Connection, nomination_id: str) -> list[str]:
    """The decisions naming a nomination, oldest first."""
    query = (select(decision_items.c.decision_id)
             .join(decisions, decisions.c.id == decision_items.c.decision_id)
             .where(decision_items.c.nomination_id == nomination_id)
             .order_by(decisions.c.recorded_at))
    return list(conn.scalars(query))
