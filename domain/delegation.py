"""Delegations of a unit: a person on leave gives their tasks to another person of the
unit for a period. One aggregate per unit (its id derived from the unit), each delegation
an event of it, so the unit's delegations in force are read in one load.

While a delegation is in force, the tasks its delegator holds show in the delegate's
inbox (``GET /tasks?assignee=me``), and an act of the delegate on one of them records
both names (the event's actor, and ``on_behalf_of`` the holder).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import InvalidDelegation
from domain.vocabulary import Role

_DELEGATIONS = UUID("5d0f7a8e-2c41-4b9e-8f3a-6e1b9c2d7a40")


def delegations_id(unit_id: str) -> UUID:
    """The id of ``unit_id``'s delegations."""
    return uuid5(_DELEGATIONS, unit_id)


@dataclass(frozen=True)
class InForce:
    delegator: str
    delegate: str
    since: datetime
    until: datetime


class Delegations(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Started(Event, Aggregate.Created):
        unit_id: str

        def apply(self, aggregate: Delegations) -> None:
            aggregate.unit_id = self.unit_id

    class Delegated(Event):
        delegator: str
        delegate: str
        until: datetime

        def apply(self, aggregate: Delegations) -> None:
            aggregate.given.append(InForce(self.delegator, self.delegate, self.timestamp,
                                           self.until))

    def __init__(self) -> None:
        self.given: list[InForce] = []
        self.unit_id: str

    @classmethod
    def start(cls, unit_id: str, actor: Actor, at: datetime) -> Delegations:
        return cls._create(cls.Started, id=delegations_id(unit_id), timestamp=at,
                           actor=actor.id, actor_role=Role.SYSTEM, actor_unit=actor.unit_id,
                           unit_id=unit_id)

    def delegate(self, actor: Actor, *, delegator: str, delegate: str, until: datetime,
                 at: datetime) -> InForce:
        """``delegator`` ("" for the actor) gives their tasks to ``delegate`` until
        ``until``. Someone records their own delegation in a role that acts on tasks
        (reviewer or decider); the unit's head (decider, administrator) records anyone's."""
        if actor.unit_id != self.unit_id:
            raise InvalidDelegation("A delegation is recorded within one's own unit",
                                    vi="Chỉ ghi nhận ủy quyền trong đơn vị của mình")
        delegator = delegator.strip() or actor.id
        delegate = delegate.strip()
        head = next((r for r in (Role.DECIDER, Role.ADMIN) if r in actor.roles), None)
        if delegator == actor.id:
            role = next((r for r in (Role.REVIEWER, Role.DECIDER, Role.ADMIN)
                         if r in actor.roles), None) or actor.acting_as(Role.REVIEWER)
        elif head is None:
            role = actor.acting_as(Role.DECIDER)
        else:
            role = head
        if not delegate or delegate == delegator:
            raise InvalidDelegation("A delegation names another person as the delegate",
                                    vi="Phải ủy quyền cho một người khác")
        if until <= at:
            raise InvalidDelegation(f"A delegation lasts until a later moment than {at}",
                                    vi=f"Thời hạn ủy quyền phải sau thời điểm hiện tại ({at})")
        self.trigger_event(self.Delegated, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, delegator=delegator, delegate=delegate,
                           until=until)
        return self.given[-1]

    def current(self, at: datetime) -> list[InForce]:
        """The delegations in force at ``at``, one per delegator (a later one of the same
        delegator replaces an earlier one), by delegator."""
        found: dict[str, InForce] = {}
        for given in self.given:
            if given.since > at:
                continue
            if at < given.until:
                found[given.delegator] = given
            else:
                found.pop(given.delegator, None)
        return [found[delegator] for delegator in sorted(found)]

    def in_force(self, at: datetime) -> dict[str, str]:
        """Delegator → delegate, for the delegations in force at ``at``."""
        return {given.delegator: given.delegate for given in self.current(at)}

    def delegators_of(self, person: str, at: datetime) -> list[str]:
        """Who delegated their tasks to ``person``, in force at ``at``."""
        return sorted(d for d, to in self.in_force(at).items() if to == person)
