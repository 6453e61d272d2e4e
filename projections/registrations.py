"""Read model of registrations for the year's titles (``domain.registration``):
``registered_titles``, one row per person or collective, year and title registered;
a title withdrawn takes its row away."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from domain.registration import Registration
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.pending import Write, prepare_insert, prepare_many
from projections.tables import metadata

registered_titles = Table(
    "registered_titles",
    metadata,
    Column("person_id", String(36), nullable=False),
    Column("year", Integer, nullable=False),
    Column("award_code", String(80), nullable=False),
    Column("unit_id", String(120), nullable=False, index=True),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("registered_by", String(120), nullable=False),
    PrimaryKeyConstraint("person_id", "year", "award_code"),
)

TABLES = (registered_titles,)
_FORGET = delete(registered_titles).where(
    registered_titles.c.person_id == bindparam("person"),
    registered_titles.c.year == bindparam("year_"),
    registered_titles.c.award_code == bindparam("award"))


def writes(conn: Connection, events: Sequence[LoggedEvent]) -> list[Write]:
    """Each registration event's rows, in the order of the events (a title registered,
    withdrawn and registered again in one batch comes out registered)."""
    made: list[Write] = []
    for logged in events:
        e: Any = logged.event
        if isinstance(e, Registration.TitlesRegistered):
            made.append(prepare_insert(conn, registered_titles, [dict(
                person_id=e.person_id, year=e.year, award_code=code, unit_id=e.unit_id,
                registered_at=utc(e.timestamp), registered_by=e.actor)
                for code in e.award_codes]))
        elif isinstance(e, Registration.Withdrawn):
            made.append(prepare_many(conn, _FORGET, [dict(
                person=e.person_id, year_=e.year, award=e.award_code)]))
    return made


def registered_rows(conn: Connection, units: Sequence[str], year: int | None, limit: int,
                    offset: int, person_id: str | None = None,
                    ) -> tuple[list[dict[str, Any]], int]:
    where: list[ColumnElement[bool]] = [registered_titles.c.unit_id.in_(list(units))]
    if year is not None:
        where.append(registered_titles.c.year == year)
    if person_id is not None:
        where.append(registered_titles.c.person_id == person_id)
    total = conn.scalar(select(func.count()).select_from(registered_titles).where(*where))
    rows = conn.execute(select(registered_titles).where(*where)
                        .order_by(registered_titles.c.year.desc(), registered_titles.c.unit_id,
                                  registered_titles.c.person_id,
                                  registered_titles.c.award_code)
                        .limit(limit).offset(offset)).mappings()
    return [dict(r) for r in rows], int(total or 0)
