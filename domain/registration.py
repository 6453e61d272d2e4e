"""A registration for the year's titles (*đăng ký thi đua*): at the start of a year a
person or a collective of the register says which titles they aim at, through their
unit's clerk. One aggregate per registrant and year; titles are added to it, each with
the day it was registered, and none is taken away (a registration withdrawn is a fact
too: ``Withdrawn``).

Where an award's rules include ``registered`` (``domain.eligibility``), a nominee
without the title among those registered for the nomination's year fails it, the rule
cited with its legal basis.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import InvalidRegistration
from domain.person import REGISTRARS

_REGISTRATIONS = UUID("9b3d6a1e-2f57-4c0e-8a41-7d2c5e8f1a93")


def registration_id(person_id: str, year: int) -> UUID:
    return uuid5(_REGISTRATIONS, f"{person_id}\n{year}")


class Registration(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Opened(Event, Aggregate.Created):
        person_id: str
        year: int
        unit_id: str

        def apply(self, aggregate: Registration) -> None:
            aggregate.person_id, aggregate.year = self.person_id, self.year
            aggregate.unit_id = self.unit_id

    class TitlesRegistered(Event):
        award_codes: list[str]
        person_id: str
        year: int
        unit_id: str

        def apply(self, aggregate: Registration) -> None:
            for code in self.award_codes:
                aggregate.titles[code] = self.timestamp

    class Withdrawn(Event):
        award_code: str
        reason: str
        person_id: str
        year: int

        def apply(self, aggregate: Registration) -> None:
            aggregate.titles.pop(self.award_code, None)

    def __init__(self) -> None:
        self.titles: dict[str, datetime] = {}
        """Each title registered (and not withdrawn), with when."""
        self.person_id: str
        self.year: int
        self.unit_id: str

    @classmethod
    def open(cls, *, actor: Actor, person_id: str, year: int, unit_id: str,
             at: datetime) -> Registration:
        return cls._create(cls.Opened, id=registration_id(person_id, year), timestamp=at,
                           actor=actor.id, actor_role=_role(actor), actor_unit=actor.unit_id,
                           person_id=person_id, year=year, unit_id=unit_id)

    def register(self, *, actor: Actor, award_codes: list[str], at: datetime) -> None:
        new = [code for code in dict.fromkeys(award_codes) if code not in self.titles]
        if not award_codes:
            raise InvalidRegistration("Name at least one title",
                                      vi="Cần đăng ký ít nhất một danh hiệu")
        if new:
            self.trigger_event(self.TitlesRegistered, timestamp=at, actor=actor.id,
                               actor_role=_role(actor), actor_unit=actor.unit_id,
                               award_codes=new, person_id=self.person_id, year=self.year,
                               unit_id=self.unit_id)

    def withdraw(self, *, actor: Actor, award_code: str, reason: str, at: datetime) -> None:
        if award_code not in self.titles:
            raise InvalidRegistration(f"{award_code} is not registered for {self.year}",
                                      vi=f"Chưa đăng ký {award_code} năm {self.year}")
        self.trigger_event(self.Withdrawn, timestamp=at, actor=actor.id,
                           actor_role=_role(actor), actor_unit=actor.unit_id,
                           award_code=award_code, reason=reason.strip(),
                           person_id=self.person_id, year=self.year)


def _role(actor: Actor) -> str:
    role = next((r for r in REGISTRARS if r in actor.roles), None)
    return role if role is not None else actor.acting_as(REGISTRARS[0])
