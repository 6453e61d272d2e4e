"""Emulation movements as their readers see them: a movement is seen by the units that
may see its launching unit (as nominations are) and by every unit it covers, which
propose in it; its nominations, those among them the reader may see, by status. And the
titles registered for a year by the people and collectives of the units one may see."""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import Connection

from api import labels
from api.movement_schemas import (
    MovementPublic,
    MovementsPublic,
    MovementSummary,
    RegisteredTitle,
    RegisteredTitles,
)
from api.reads.access import visible_units
from domain.actor import Actor
from domain.errors import NotFound
from domain.movements import Movements
from domain.policy import OrgTree
from infrastructure.container import Laurel
from projections import movements as rows
from projections.people_tables import people
from projections.registrations import registered_rows

LISTED_AT_MOST = 10_000
"""Movements read to list those a unit may see (a province launches tens a year)."""


def _sees(user: Actor, org: OrgTree, row: dict[str, Any], units: set[str]) -> bool:
    return row["unit_id"] in units or any(org.is_within(user.unit_id, scope)
                                          for scope in row["scope"])


def listing(user: Actor, laurel: Laurel, conn: Connection, limit: int,
            offset: int) -> MovementsPublic:
    org = laurel.policy.org
    units = set(visible_units(user, org))
    found, _ = rows.movements_of(conn, list(org.units), LISTED_AT_MOST, 0)
    seen = [r for r in found if _sees(user, org, r, units)]
    return MovementsPublic(items=[MovementSummary.model_validate(r)
                                  for r in seen[offset:offset + limit]],
                           total=len(seen), limit=limit, offset=offset)


def movement(user: Actor, laurel: Laurel, conn: Connection, movement_id: str) -> MovementPublic:
    policy = laurel.policy
    units = visible_units(user, policy.org)
    row = rows.movement_row(conn, movement_id)
    if row is None or not _sees(user, policy.org, row, set(units)):
        raise NotFound("No such movement", vi="Không có phong trào này")
    listed = rows.nominations_by_status(conn, movement_id, units)
    return MovementPublic.model_validate({
        **row, "unit_name": labels.unit_name(policy, row["unit_id"]) or row["unit_id"],
        "award_names": {code: labels.award_name(policy, code) for code in row["award_codes"]
                        if code in policy.awards},
        "by_status": dict(Counter(n["status"] for n in listed)),
        "nominations": [{**n, "status_label": labels.label(labels.STATUS, n["status"])}
                        for n in listed]})


def recorded_for(user: Actor, laurel: Laurel, movement_id: str) -> bool:
    """Whether the event store holds the movement and ``user`` may see it."""
    try:
        found = Movements(laurel.nominations).find(UUID(movement_id))
    except ValueError:
        return False
    return found is not None and (found.unit_id in visible_units(user, laurel.policy.org)
                                  or any(laurel.policy.org.is_within(user.unit_id, s)
                                         for s in found.scope))


def links(movement_id: str) -> dict[str, str]:
    return {"self": f"/movements/{movement_id}", "page": f"/ui/movements/{movement_id}"}


def registered(user: Actor, laurel: Laurel, conn: Connection, year: int | None, limit: int,
               offset: int, person_id: str | None = None) -> RegisteredTitles:
    """The titles registered by people and collectives of the units ``user`` may see (of
    one of them, with ``person_id``)."""
    policy = laurel.policy
    found, total = registered_rows(conn, visible_units(user, policy.org), year, limit, offset,
                                   person_id)
    ids = list({r["person_id"] for r in found})
    names = dict(conn.execute(select(people.c.id, people.c.name)
                              .where(people.c.id.in_(ids))).tuples().all()) if ids else {}
    return RegisteredTitles(items=[RegisteredTitle.model_validate({
        **r, "name": names.get(r["person_id"]),
        "award_name": labels.award_name(policy, r["award_code"])}) for r in found],
        total=total, limit=limit, offset=offset)
