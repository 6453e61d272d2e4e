"""The register as its readers see it: people of the units they may see (as nominations,
``visible_units``), each national ID masked but for the person's own unit and auditors;
their facts (discipline, investigation…), personal data, shown only to those who keep or
judge the person's record (``sees_facts``), withheld from anyone else who sees them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from api import labels
from api.people_schemas import (
    AwardPublic,
    AwardsPublic,
    FactPublic,
    PeoplePublic,
    PersonPublic,
    PersonSummary,
    PersonUnit,
    ServicePublic,
)
from api.reads.access import visible_units
from domain.actor import Actor
from domain.eligibility.rules import FACT_KINDS
from domain.errors import NotFound
from domain.people import reaches
from domain.person import COLLECTIVE, masked
from domain.policy import Policy
from domain.vocabulary import Role
from infrastructure.container import Laurel
from projections.people_tables import (
    people,
    person_awards,
    person_facts,
    person_service,
    person_units,
)
from projections.person_search import found_people
from projections.search import QueryForms, phrase


def sees_national_id(user: Actor, row: dict[str, Any]) -> bool:
    """The person's own unit (whoever acts for it), and auditors who may see them."""
    return user.unit_id == row["unit_id"] or Role.AUDITOR in user.roles


COUNCILS = frozenset({Role.REVIEWER, Role.DECIDER})
"""Those who judge a nominee's eligibility at the person's unit or above."""


def sees_facts(user: Actor, policy: Policy, row: dict[str, Any]) -> bool:
    """Who sees a person's facts (discipline, investigation, inspection, complaints), of
    those who may see the person: the keepers of their unit's register (its clerk, an
    administrator of it or above), the councils and deciders of the unit or above who
    judge their nominations, and auditors. Anyone else (a role that neither keeps nor
    judges: a reader of the unit's people for another purpose) is told they are withheld,
    never what they say."""
    if Role.AUDITOR in user.roles:
        return True
    if user.roles & {Role.PROPOSER, Role.ADMIN} and reaches(user, policy, row["unit_id"]):
        return True
    return bool(user.roles & COUNCILS) and row["unit_id"] in policy.org.subtree(user.unit_id)


def visible_person(user: Actor, policy: Policy, conn: Connection,
                   person_id: str) -> dict[str, Any]:
    """The person's row, if ``user`` may see them (else ``NotFound``)."""
    try:
        UUID(person_id)
    except ValueError:
        row = None
    else:
        found = conn.execute(select(people).where(people.c.id == person_id)).mappings().first()
        row = dict(found) if found else None
    if row is None or row["unit_id"] not in visible_units(user, policy.org):
        raise NotFound(f"No person {person_id}", vi=f"Không có người {person_id}")
    return row


def _summary(user: Actor, policy: Policy, row: dict[str, Any]) -> dict[str, Any]:
    shown = sees_national_id(user, row)
    return {**row, "national_id": row["national_id"] if shown else masked(row["national_id"]),
            "national_id_masked": bool(row["national_id"]) and not shown,
            "unit_name": labels.unit_name(policy, row["unit_id"]) or row["unit_id"]}


def people_listing(user: Actor, policy: Policy, conn: Connection, q: str | None, limit: int,
                   offset: int) -> PeoplePublic:
    """People of the units ``user`` may see, by name; with ``q``, those found by name
    (accents and case aside, from any word on), civil-servant code or national ID."""
    units = visible_units(user, policy.org)
    forms = QueryForms.of(q)
    if forms is not None:  # through what each person is found by (``person_terms``)
        found, total = found_people(conn, units, forms, limit, offset)
    else:
        where: list[ColumnElement[bool]] = [people.c.unit_id.in_(units)]
        total = conn.scalar(select(func.count()).select_from(people).where(*where)) or 0
        found = [dict(r) for r in conn.execute(select(people).where(*where).order_by(
            people.c.name, people.c.id).limit(limit).offset(offset)).mappings()]
    items = [PersonSummary.model_validate(_summary(user, policy, r)) for r in found]
    return PeoplePublic(items=items, total=total, limit=limit, offset=offset)


def person(user: Actor, policy: Policy, conn: Connection, person_id: str) -> PersonPublic:
    row = visible_person(user, policy, conn, person_id)
    units = conn.execute(select(person_units).where(person_units.c.person_id == person_id)
                         .order_by(person_units.c.position)).mappings()
    return PersonPublic.model_validate({
        **_summary(user, policy, row),
        "units": [PersonUnit(unit_id=u["unit_id"], from_unit_id=u["from_unit_id"],
                             since=u["since"],
                             unit_name=labels.unit_name(policy, u["unit_id"]) or u["unit_id"])
                  for u in units],
        **facts_and_service(user, policy, conn, row),
        "links": links(person_id)})


def facts_and_service(user: Actor, policy: Policy, conn: Connection,
                      row: dict[str, Any]) -> dict[str, Any]:
    """The person's facts, for those who see them, oldest first (else withheld), and
    their latest start of service."""
    person_id = row["id"]
    latest = conn.execute(select(person_service).where(person_service.c.person_id == person_id)
                          .order_by(person_service.c.position.desc()).limit(1)).mappings().first()
    service = ServicePublic(start=latest["start"], evidence=latest["evidence"]) if latest else None
    if not sees_facts(user, policy, row):
        withheld = conn.scalar(select(person_facts.c.id).where(
            person_facts.c.person_id == person_id).limit(1)) is not None
        return {"facts": [], "facts_withheld": withheld, "service": service}
    found = conn.execute(select(person_facts).where(person_facts.c.person_id == person_id)
                         .order_by(person_facts.c.start, person_facts.c.recorded_at,
                                   person_facts.c.id)).mappings()
    facts = [FactPublic.model_validate({**f, "fact_name": _fact_name(f["fact"])})
             for f in found]
    return {"facts": facts, "facts_withheld": False, "service": service}


def awards(user: Actor, policy: Policy, conn: Connection, person_id: str) -> AwardsPublic:
    """Every title and award the person holds, oldest year first."""
    visible_person(user, policy, conn, person_id)
    rows = conn.execute(select(person_awards).where(person_awards.c.person_id == person_id)
                        .order_by(person_awards.c.year, person_awards.c.decision_date,
                                  person_awards.c.id)).mappings()
    return AwardsPublic(person_id=person_id, items=[
        AwardPublic.model_validate({**r, "award_name": labels.award_name(policy, r["award_code"])})
        for r in rows])


def _fact_name(fact: str) -> dict[str, str]:
    label = FACT_KINDS.get(fact)
    return {"vi": label.vi, "en": label.en} if label else {"vi": fact, "en": fact}


def reachable_by_code(conn: Connection, units: list[str], code: str) -> list[str]:
    """The ids of the people of ``units`` with this civil-servant code."""
    return [str(i) for i in conn.scalars(select(people.c.id).where(
        people.c.civil_servant_code == code, people.c.unit_id.in_(units)))]


def collectives_named(conn: Connection, units: list[str], name: str) -> list[str]:
    """The ids of the collectives of ``units`` whose name is ``name``, accents, case and
    spacing aside (a history sheet names a collective so: it has no CCCD or code)."""
    wanted = phrase(name)
    rows = conn.execute(select(people.c.id, people.c.name).where(
        people.c.kind == COLLECTIVE, people.c.unit_id.in_(units)))
    return [str(i) for i, named in rows if phrase(named) == wanted]


def row_of(conn: Connection, person_id: str) -> dict[str, Any] | None:
    found = conn.execute(select(people).where(people.c.id == person_id)).mappings().first()
    return dict(found) if found else None


def recorded_for(user: Actor, laurel: Laurel, person_id: str) -> bool:
    """Whether the event store holds this person and ``user`` may see them: one the read
    models do not show yet (registered a moment ago) is worth waiting for."""
    try:
        unit_id = laurel.nominations.register.unit_of(UUID(person_id))
    except ValueError:
        return False
    return unit_id is not None and unit_id in visible_units(user, laurel.policy.org)


def links(person_id: str) -> dict[str, str]:
    path = f"/people/{person_id}"
    return {"self": path, "awards": f"{path}/awards", "page": f"/ui{path}"}
