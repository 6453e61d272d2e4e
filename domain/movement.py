"""An emulation movement (*phong trào thi đua*): launched by a unit or the province with a
decision, over a scope of units and a period, with its criteria, the award forms it
offers and the window in which its dossiers are taken; closed with a result.

A nomination proposed in a movement (``movement_id``) must come from a unit of its scope,
for a form it offers, while its dossier window is open (``admits``); the proposal is
refused otherwise, citing the movement's decision.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import InvalidMovement, NotInMovement, OutsideIntakeWindow, WrongRole
from domain.person import clean_name
from domain.vocabulary import Role

_MOVEMENTS = UUID("0c6a1f4e-6b1b-4e39-9d55-5a8f6f0e2b71")
LAUNCHERS = (Role.PROPOSER, Role.REVIEWER, Role.DECIDER, Role.ADMIN)
"""Who launches and closes a unit's movement: its clerk, council secretary, head or
administrator."""
OPEN, CLOSED = "open", "closed"


def movement_id(unit_id: str, decision_number: str) -> UUID:
    """A movement is known by the decision that launched it, in its unit's register."""
    return uuid5(_MOVEMENTS, f"{unit_id}\n{' '.join(decision_number.split()).casefold()}")


class Movement(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Launched(Event, Aggregate.Created):
        name: str
        unit_id: str
        decision_number: str
        decision_date: str
        scope: list[str]
        """The units it covers, each with the units below it."""
        period_from: str
        period_to: str
        criteria: str
        award_codes: list[str]
        dossier_from: str
        dossier_until: str
        """The dossier window, both days included (ISO dates, the policy's calendar)."""

        def apply(self, aggregate: Movement) -> None:
            aggregate.name, aggregate.unit_id = self.name, self.unit_id
            aggregate.decision_number, aggregate.decision_date = (self.decision_number,
                                                                  self.decision_date)
            aggregate.scope, aggregate.award_codes = list(self.scope), list(self.award_codes)
            aggregate.dossier_from = date.fromisoformat(self.dossier_from)
            aggregate.dossier_until = date.fromisoformat(self.dossier_until)
            aggregate.status = OPEN

    class Closed(Event):
        result: str
        document_id: str = ""

        def apply(self, aggregate: Movement) -> None:
            aggregate.status, aggregate.result = CLOSED, self.result

    def __init__(self) -> None:
        self.status = OPEN
        self.result = ""
        self.name: str
        self.unit_id: str
        self.decision_number: str
        self.decision_date: str
        self.scope: list[str]
        self.award_codes: list[str]
        self.dossier_from: date
        self.dossier_until: date

    @classmethod
    def launch(cls, *, actor: Actor, name: str, decision_number: str, decision_date: date,
               scope: list[str], period_from: date, period_to: date, criteria: str,
               award_codes: list[str], dossier_from: date, dossier_until: date,
               at: datetime) -> Movement:
        """The caller checks the scope and awards against the policy (``Movements``)."""
        role = next((r for r in LAUNCHERS if r in actor.roles), None)
        if role is None:
            role = actor.acting_as(Role.PROPOSER)  # refused, naming the role it takes
        number = " ".join(decision_number.split())
        if not clean_name(name) or not number:
            raise InvalidMovement("A movement has a name and the number of the decision "
                                  "that launched it",
                                  vi="Phong trào cần có tên và số quyết định phát động")
        if period_to < period_from or dossier_until < dossier_from:
            raise InvalidMovement("A period ends on or after the day it starts",
                                  vi="Thời gian kết thúc phải từ ngày bắt đầu trở đi")
        if not scope or not award_codes:
            raise InvalidMovement("A movement covers at least one unit and offers at least "
                                  "one form of award",
                                  vi="Phong trào phải có phạm vi đơn vị và hình thức khen "
                                     "thưởng")
        return cls._create(
            cls.Launched, id=movement_id(actor.unit_id, number), timestamp=at, actor=actor.id,
            actor_role=role, actor_unit=actor.unit_id, name=clean_name(name),
            unit_id=actor.unit_id, decision_number=number,
            decision_date=decision_date.isoformat(), scope=list(dict.fromkeys(scope)),
            period_from=period_from.isoformat(), period_to=period_to.isoformat(),
            criteria=criteria.strip(), award_codes=list(dict.fromkeys(award_codes)),
            dossier_from=dossier_from.isoformat(), dossier_until=dossier_until.isoformat())

    def close(self, *, actor: Actor, result: str, at: datetime, document_id: str = "") -> None:
        role = next((r for r in LAUNCHERS if r in actor.roles), None)
        if role is None:
            role = actor.acting_as(Role.PROPOSER)  # refused, naming the role it takes
        if actor.unit_id != self.unit_id:
            raise WrongRole("Only the launching unit closes its movement",
                            vi="Chỉ đơn vị phát động mới tổng kết phong trào")
        if self.status == CLOSED:
            raise InvalidMovement("The movement is closed already",
                                  vi="Phong trào đã được tổng kết")
        if not result.strip():
            raise InvalidMovement("Closing a movement states its result",
                                  vi="Tổng kết phong trào cần nêu kết quả")
        self.trigger_event(self.Closed, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, result=result.strip(),
                           document_id=document_id)

    def admits(self, *, award_code: str, unit_in_scope: bool, on: date) -> None:
        """A nomination proposed in it on ``on``: refused, citing the decision, when the
        window is shut, the form is not offered or the unit lies outside its scope."""
        cited = f"{self.name} ({self.decision_number}, {self.decision_date})"
        if self.status == CLOSED or not self.dossier_from <= on <= self.dossier_until:
            raise OutsideIntakeWindow(
                f"The movement {cited} takes dossiers from {self.dossier_from.isoformat()} to "
                f"{self.dossier_until.isoformat()}" + (" and is closed" if self.status == CLOSED
                                                       else ""),
                vi=f"Phong trào {cited} nhận hồ sơ từ {self.dossier_from:%d/%m/%Y} đến "
                   f"{self.dossier_until:%d/%m/%Y}"
                   + (" và đã tổng kết" if self.status == CLOSED else ""),
                rule=cited)
        if award_code not in self.award_codes:
            raise NotInMovement(
                f"The movement {cited} offers {', '.join(self.award_codes)}, not {award_code}",
                vi=f"Phong trào {cited} không xét hình thức {award_code} (chỉ: "
                   f"{', '.join(self.award_codes)})")
        if not unit_in_scope:
            raise NotInMovement(f"Your unit lies outside the scope of the movement {cited}",
                                vi=f"Đơn vị không thuộc phạm vi phong trào {cited}")
