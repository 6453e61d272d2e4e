"""Read models of the register: ``people`` (found by name, code or national ID),
``person_units`` (the units each person belonged to, and since when),
``person_awards`` (every title and award held, from the person's own events: entered,
imported, or decided in Laurel and recorded on the person with the decision, revoked as
the person's ``AwardRevoked`` says), ``person_nominations`` (the nominations whose nominee
names the person, from their proposal), ``person_facts`` and ``person_service`` (what
eligibility is decided on), and the initiatives of the register (``initiatives``,
``initiative_authors``, ``initiative_uses``).

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

from domain.initiative import Initiative
from domain.nomination import Nomination
from domain.person import Person
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections import search
from projections.pending import Write
from projections.people_tables import (
    INITIATIVE_SEARCH_LENGTH,
    initiative_authors,
    initiative_uses,
    initiatives,
    people,
    person_awards,
    person_facts,
    person_nominations,
    person_service,
    person_units,
)
from projections.person_search import PersonTerms

Row = dict[str, Any]
_CHUNK = 500


class PeopleRows:
    def __init__(self) -> None:
        self.people: dict[str, Row] = {}
        self._new: dict[str, None] = {}
        self._changed: dict[str, None] = {}
        self.units: list[Row] = []
        self.awards: dict[str, Row] = {}
        self.revoked: list[Row] = []
        self.new_links: list[Row] = []
        self.facts: dict[str, Row] = {}
        self.fact_ends: list[Row] = []
        self.service: list[Row] = []
        self.initiatives: list[Row] = []
        self.authors: list[Row] = []
        self.uses: dict[str, Row] = {}
        self.releases: list[Row] = []
        self._asked: set[str] = set()
        self.terms = PersonTerms()  # what each person is found by

    def load(self, conn: Connection, events: Iterable[LoggedEvent]) -> None:
        """Read the stored rows the events change and this object does not hold yet."""
        wanted_people = []
        for logged in events:
            e: Any = logged.event  # a nomination's or the register's
            key = logged.nomination_id
            if key in self._asked:
                continue
            if isinstance(e, Person.Event) and not isinstance(e, Person.Registered):
                if key not in self.people:
                    wanted_people.append(key)
            else:
                continue
            self._asked.add(key)
        for chunk in _chunks(wanted_people):
            for row in conn.execute(select(people).where(people.c.id.in_(chunk))).mappings():
                self.people.setdefault(row["id"], dict(row))

    def apply(self, logged: LoggedEvent) -> None:
        e: Any = logged.event
        if isinstance(e, Person.Event):
            self._person(logged, e)
        elif isinstance(e, Initiative.Event):
            self._initiative(logged, e)
        elif isinstance(e, Nomination.Proposed):
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
                    registered_at=at, updated_at=at, version=e.originator_version)
                self._new[key] = None
                self.terms.follow(self.people[key], stored=False)
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
                award_id = e.nomination_id or f"{key}/{e.originator_version}"
                known = self.people.get(key)
                self.awards[award_id] = dict(
                    id=award_id, person_id=key, award_code=e.award_code, year=e.year,
                    decision_number=e.decision_number, decision_date=e.decision_date,
                    issuer=e.issuer, source=e.source, nomination_id=e.nomination_id or None,
                    revoked=False, recorded_at=at,
                    unit_id=known["unit_id"] if known else "", revoked_on=None)
            case Person.AwardRevoked():
                changes = {}
                pending = self.awards.get(e.nomination_id)
                if pending is not None:
                    pending.update(revoked=True, revoked_on=e.on)
                else:
                    self.revoked.append({"row_id": e.nomination_id, "new_on": e.on})
            case Person.FactRecorded():
                changes = {}
                self.facts[e.fact_id] = dict(
                    id=e.fact_id, person_id=key, fact=e.fact, start=e.start,
                    end=e.end or None, evidence=e.evidence, end_evidence=None,
                    recorded_at=at, actor=e.actor, actor_unit=e.actor_unit)
            case Person.FactEnded():
                changes = {}
                fact = self.facts.get(e.fact_id)
                if fact is not None:
                    fact.update(end=e.end, end_evidence=e.evidence)
                else:
                    self.fact_ends.append({"row_id": e.fact_id, "new_end": e.end,
                                           "new_evidence": e.evidence})
            case Person.ServiceRecorded():
                changes = {}
                self.service.append(dict(
                    position=logged.position, person_id=key, start=e.start,
                    evidence=e.evidence, recorded_at=at, actor=e.actor,
                    actor_unit=e.actor_unit))
            case _:
                changes = {}
        row = self.people.get(key)
        if row is None:
            return  # a person the read models never showed: nothing to change
        self.terms.follow(row)
        row.update(changes, updated_at=at, version=e.originator_version)
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
        """A proposal naming a person of the register: one of their nominations. (What
        its decision gives, the person's own events record.)"""
        person_id = e.nominee.get("person_id")
        if person_id:
            year = getattr(e, "year", None) or e.nominee.get("year")
            self.new_links.append(dict(
                nomination_id=logged.nomination_id, person_id=str(person_id),
                award_code=e.award_code,
                year=int(str(year)) if str(year or "").isdigit() else None))

    def _initiative(self, logged: LoggedEvent, e: Any) -> None:
        key, at = logged.nomination_id, utc(e.timestamp)
        match e:
            case Initiative.Registered():
                self.initiatives.append(dict(
                    id=key, title=e.title, search=initiative_search_text(e.title),
                    unit_id=e.unit_id, recognised_on=e.recognised_on,
                    recognition=e.recognition, scope=e.scope, registered_at=at,
                    actor=e.actor, actor_unit=e.actor_unit))
                self.authors += [dict(initiative_id=key, ordinal=i, person_id=person_id)
                                 for i, person_id in enumerate(e.authors)]
            case Initiative.Used():
                use_id = f"{key}/{e.originator_version}"
                self.uses[use_id] = dict(
                    id=use_id, initiative_id=key, nomination_id=e.nomination_id,
                    award_code=e.award_code, year=e.year, unit_id=e.unit_id, used_at=at,
                    released=False, release_reason=None, released_at=None)
            case Initiative.Released():
                # One use of a nomination is unreleased at a time (``Initiative.use``): the
                # one pending here, or else the stored one.
                pending = next((u for u in self.uses.values() if u["initiative_id"] == key
                                and u["nomination_id"] == e.nomination_id
                                and not u["released"]), None)
                if pending is not None:
                    pending.update(released=True, release_reason=e.reason, released_at=at)
                else:
                    self.releases.append({"key": key, "nomination": e.nomination_id,
                                          "new_reason": e.reason, "new_at": at})

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
            revoked=True, revoked_on=bindparam("new_on")), self.revoked)
        run(insert(person_nominations), self.new_links)
        run(insert(person_facts), list(self.facts.values()))
        run(update(person_facts).where(person_facts.c.id == bindparam("row_id")).values(
            end=bindparam("new_end"), end_evidence=bindparam("new_evidence")), self.fact_ends)
        run(insert(person_service), self.service)
        run(insert(initiatives), self.initiatives)
        run(insert(initiative_authors), self.authors)
        # A release not folded in memory is of a stored use: released before this
        # batch's uses are stored, lest a use made again after it be released too.
        run(update(initiative_uses).where(
            initiative_uses.c.initiative_id == bindparam("key"),
            initiative_uses.c.nomination_id == bindparam("nomination"),
            initiative_uses.c.released.is_(False)).values(
            released=True, release_reason=bindparam("new_reason"),
            released_at=bindparam("new_at")), self.releases)
        run(insert(initiative_uses), list(self.uses.values()))
        self.facts, self.fact_ends, self.service = {}, [], []
        self.initiatives, self.authors, self.uses, self.releases = [], [], {}, []
        writes += self.terms.writes(conn)
        self._new, self._changed, self.units, self.awards = {}, {}, [], {}
        self.revoked, self.new_links = [], []
        return writes


def _chunks(keys: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start:start + _CHUNK]


def initiative_search_text(title: str) -> str:
    """What an initiative is found by: its title folded, each word after a space."""
    return (" " + search.phrase(title))[:INITIATIVE_SEARCH_LENGTH]


def is_of_the_register(logged: LoggedEvent) -> bool:
    """An event of the registers (people, initiatives): no nomination's read model's."""
    return isinstance(logged.event, Person.Event | Initiative.Event)
