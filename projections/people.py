"""Read models of the register: ``people`` (found by name, code or national ID),
``person_units`` (the units each person belonged to, and since when) and
``person_awards`` (every title and award held: recorded on the register, or decided in
Laurel on a nomination whose nominee names the person — linked at the proposal through
``person_nominations``).

As the nominations' read models (``projections.pending``), a batch's rows are folded in
memory and written with one statement per table and shape of change; an object of
``PeopleRows`` lives for one batch of the projector, or for one part of a rebuild (rows
it wrote are remembered, so a later batch changes them without reading them back).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from domain.nomination import Nomination
from domain.person import Person
from domain.vocabulary import DecisionOutcome
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections import search
from projections.pending import Write
from projections.people_tables import (
    PERSON_SEARCH_LENGTH,
    people,
    person_awards,
    person_nominations,
    person_units,
)

Row = dict[str, Any]
_CHUNK = 500


def search_text(name: str, civil_servant_code: str, national_id: str) -> str:
    """What a person is found by, folded (``projections.search``): the name's words, the
    civil-servant code compacted, the national ID; each word after a space, so that a
    query's needles (``QueryForms.needles``) are found in it."""
    parts = [search.phrase(name), search.compact(civil_servant_code), national_id]
    return (" " + " | ".join(p for p in parts if p))[:PERSON_SEARCH_LENGTH]


class PeopleRows:
    def __init__(self) -> None:
        self.people: dict[str, Row] = {}
        self._new: dict[str, None] = {}
        self._changed: dict[str, None] = {}
        self.units: list[Row] = []
        self.awards: dict[str, Row] = {}
        self.revoked: list[str] = []
        self.links: dict[str, Row] = {}
        self.new_links: list[Row] = []
        self._asked: set[str] = set()

    def load(self, conn: Connection, events: Iterable[LoggedEvent]) -> None:
        """Read the stored rows the events change and this object does not hold yet."""
        wanted_people, wanted_links = [], []
        for logged in events:
            e: Any = logged.event  # a nomination's or the register's
            key = logged.nomination_id
            if key in self._asked:
                continue
            if isinstance(e, Person.Event) and not isinstance(e, Person.Registered):
                if key not in self.people:
                    wanted_people.append(key)
            elif isinstance(e, Nomination.Decided | Nomination.Revoked) and key not in self.links:
                wanted_links.append(key)
            else:
                continue
            self._asked.add(key)
        for chunk in _chunks(wanted_people):
            for row in conn.execute(select(people).where(people.c.id.in_(chunk))).mappings():
                self.people.setdefault(row["id"], dict(row))
        for chunk in _chunks(wanted_links):
            query = select(person_nominations).where(person_nominations.c.nomination_id.in_(chunk))
            for row in conn.execute(query).mappings():
                self.links.setdefault(row["nomination_id"], dict(row))

    def apply(self, logged: LoggedEvent) -> None:
        e: Any = logged.event
        if isinstance(e, Person.Event):
            self._person(logged, e)
        elif isinstance(e, Nomination.Proposed | Nomination.Decided | Nomination.Revoked):
            self._nomination(logged, e)

    def _person(self, logged: LoggedEvent, e: Any) -> None:
        key, at = logged.nomination_id, utc(e.timestamp)
        match e:
            case Person.Registered():
                self.people[key] = dict(
                    id=key, kind=e.kind, national_id=e.national_id,
                    civil_servant_code=e.civil_servant_code, name=e.name,
                    birth_date=e.birth_date, gender=e.gender, position=e.position,
                    unit_id=e.unit_id, team=e.team,
                    search=search_text(e.name, e.civil_servant_code, e.national_id),
                    registered_at=at, updated_at=at, version=e.originator_version)
                self._new[key] = None
                self._unit(logged, e.unit_id, None, at.date().isoformat())
                return
            case Person.Corrected():
                changes = dict(e.changes)
            case Person.Transferred():
                changes = {"unit_id": e.to_unit, **({"position": e.position} if e.position
                                                    else {})}
                self._unit(logged, e.to_unit, e.from_unit, e.on)
            case Person.AwardRecorded():
                changes = {}
                award_id = f"{key}/{e.originator_version}"
                self.awards[award_id] = dict(
                    id=award_id, person_id=key, award_code=e.award_code, year=e.year,
                    decision_number=e.decision_number, decision_date=e.decision_date,
                    issuer=e.issuer, source=e.source, nomination_id=e.nomination_id or None,
                    revoked=False, recorded_at=at)
            case _:
                changes = {}
        row = self.people.get(key)
        if row is None:
            return  # a person the read models never showed: nothing to change
        row.update(changes, updated_at=at, version=e.originator_version)
        row["search"] = search_text(row["name"], row["civil_servant_code"], row["national_id"])
        if key not in self._new:
            self._changed[key] = None

    def _unit(self, logged: LoggedEvent, unit_id: str, from_unit: str | None,
              since: str) -> None:
        e = logged.event
        self.units.append(dict(position=logged.position, person_id=logged.nomination_id,
                               unit_id=unit_id, from_unit_id=from_unit, since=since,
                               actor=e.actor, actor_role=e.actor_role,
                               actor_unit=e.actor_unit))

    def _nomination(self, logged: LoggedEvent, e: Any) -> None:
        key = logged.nomination_id
        match e:
            case Nomination.Proposed():
                person_id = e.nominee.get("person_id")
                if person_id:
                    year = getattr(e, "year", None) or e.nominee.get("year")
                    link: Row = dict(nomination_id=key, person_id=str(person_id),
                                     award_code=e.award_code,
                                     year=int(str(year)) if str(year or "").isdigit() else None)
                    self.links[key] = link
                    self.new_links.append(link)
            case Nomination.Decided(outcome=DecisionOutcome.AWARDED):
                found = self.links.get(key)
                if found is not None:
                    year = found["year"] or int(e.decision_date[:4])
                    self.awards[key] = dict(
                        id=key, person_id=found["person_id"], award_code=found["award_code"],
                        year=year, decision_number=e.decision_number,
                        decision_date=e.decision_date, issuer=e.authority or e.signer,
                        source="laurel", nomination_id=key, revoked=False,
                        recorded_at=utc(e.timestamp))
            case Nomination.Revoked():
                if key in self.awards:
                    self.awards[key]["revoked"] = True
                elif key in self.links:
                    self.revoked.append(key)

    def writes(self, conn: Connection) -> list[Write]:
        """The statements that store what changed since the last call, ready to run."""
        writes: list[Write] = []

        def run(statement: Any, rows: list[Row]) -> None:
            if rows:
                def write() -> None:
                    conn.execute(statement, rows)

                writes.append(write)

        run(insert(people), [self.people[k] for k in self._new])
        changed = [{**{f"new_{c}": v for c, v in self.people[k].items() if c != "id"},
                    "row_id": k} for k in self._changed if k not in self._new]
        run(update(people).where(people.c.id == bindparam("row_id")).values(
            {c.name: bindparam(f"new_{c.name}") for c in people.c if c.name != "id"}), changed)
        run(insert(person_units), self.units)
        run(insert(person_awards), list(self.awards.values()))
        run(update(person_awards).where(person_awards.c.id == bindparam("row_id")).values(
            revoked=True), [{"row_id": k} for k in self.revoked])
        run(insert(person_nominations), self.new_links)
        self._new, self._changed, self.units, self.awards = {}, {}, [], {}
        self.revoked, self.new_links = [], []
        return writes


def _chunks(keys: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start:start + _CHUNK]


def is_of_the_register(logged: LoggedEvent) -> bool:
    return isinstance(logged.event, Person.Event)
