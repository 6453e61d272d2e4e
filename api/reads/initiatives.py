"""The initiatives of the register as their readers see them: those of the units they may
see (as people and nominations, ``visible_units``), found by title accents and case
aside, each with its authors and every use of it as a nomination's basis. An author of a
unit the reader may not see is named by id only."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from api import labels
from api.people_schemas import (
    InitiativeAuthor,
    InitiativePublic,
    InitiativesPublic,
    InitiativeSummary,
    InitiativeUsePublic,
)
from api.reads.access import visible_units
from domain.actor import Actor
from domain.errors import NotFound
from domain.policy import Policy
from infrastructure.container import Laurel
from projections.people_tables import initiative_authors, initiative_uses, initiatives, people
from projections.search import QueryForms


def _summary(policy: Policy, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "unit_name": labels.unit_name(policy, row["unit_id"]) or row["unit_id"]}


def listing(user: Actor, policy: Policy, conn: Connection, q: str | None, limit: int,
            offset: int) -> InitiativesPublic:
    """The initiatives of the units ``user`` may see, by title (folded: "Đổi mới" among
    the D's, alike on SQLite and PostgreSQL); with ``q``, those whose title has the words
    asked for from any of its words on (accents and case aside)."""
    where: list[ColumnElement[bool]] = [
        initiatives.c.unit_id.in_(visible_units(user, policy.org))]
    forms = QueryForms.of(q)
    if forms is not None:
        where.append(or_(*(initiatives.c.search.like(p) for p in forms.patterns)))
    total = conn.scalar(select(func.count()).select_from(initiatives).where(*where)) or 0
    rows = conn.execute(select(initiatives).where(*where)
                        .order_by(initiatives.c.search, initiatives.c.id)
                        .limit(limit).offset(offset)).mappings()
    return InitiativesPublic(
        items=[InitiativeSummary.model_validate(_summary(policy, dict(r))) for r in rows],
        total=total, limit=limit, offset=offset)


def initiative(user: Actor, policy: Policy, conn: Connection,
               initiative_id: str) -> InitiativePublic:
    """One initiative with its authors and uses, if ``user`` may see its unit."""
    units = visible_units(user, policy.org)
    row = _row(conn, initiative_id)
    if row is None or row["unit_id"] not in units:
        raise NotFound(f"No initiative {initiative_id}",
                       vi=f"Không có sáng kiến {initiative_id}")
    authors = conn.execute(
        select(initiative_authors.c.person_id, people.c.name, people.c.unit_id)
        .select_from(initiative_authors.outerjoin(
            people, people.c.id == initiative_authors.c.person_id))
        .where(initiative_authors.c.initiative_id == initiative_id)
        .order_by(initiative_authors.c.ordinal)).mappings()
    uses = conn.execute(select(initiative_uses)
                        .where(initiative_uses.c.initiative_id == initiative_id)
                        .order_by(initiative_uses.c.used_at, initiative_uses.c.id)).mappings()
    return InitiativePublic.model_validate({
        **_summary(policy, row),
        "authors": [InitiativeAuthor(id=a["person_id"],
                                     name=a["name"] if a["unit_id"] in units else None)
                    for a in authors],
        "uses": [InitiativeUsePublic.model_validate({
            **u, "used_at": u["used_at"].isoformat(),
            "award_name": labels.award_name(policy, u["award_code"]),
            "unit_name": labels.unit_name(policy, u["unit_id"]) or u["unit_id"]})
            for u in uses],
        "links": links(initiative_id)})


def _row(conn: Connection, initiative_id: str) -> dict[str, Any] | None:
    try:
        UUID(initiative_id)
    except ValueError:
        return None
    found = conn.execute(select(initiatives).where(initiatives.c.id == initiative_id)
                         ).mappings().first()
    return dict(found) if found else None


def recorded_for(user: Actor, laurel: Laurel, initiative_id: str) -> bool:
    """Whether the event store holds this initiative and ``user`` may see it: one the
    read models do not show yet (registered a moment ago) is worth waiting for."""
    try:
        found = laurel.nominations.register.initiative(UUID(initiative_id))
    except ValueError:
        return False
    return found is not None and found.unit_id in visible_units(user, laurel.policy.org)


def links(initiative_id: str) -> dict[str, str]:
    return {"self": f"/initiatives/{initiative_id}"}
