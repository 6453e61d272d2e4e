"""A decision (*quyết định khen thưởng*) as a record of its own: one document, numbered in
the issuing unit's register, dated, signed, issued under the award's deciding authority,
deciding a list of nominations (domain.md, "Decisions, certificates, publication").

A number is used once in a unit's register. That is kept by the event store itself: a
decision's id is derived from its unit and its number as written in the register
(``decision_id``), so a second decision with the same number would be a second creation
of one aggregate, which the store refuses whatever raced it. Each nomination it decides
still records its own ``Decided`` event (with the number, date, signer and authority, and
this decision's id), saved in the same transaction as the decision's own event.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor

_DECISIONS = UUID("0c6b9d62-5f0e-4b8e-9a51-7d3f2c8e4a19")
"""Namespace of decisions' ids: a unit and a number name one decision."""


def normalised_number(number: str) -> str:
    """A decision number as the register knows it, whatever way it was typed: full-width
    or composed letters alike (NFKC), case aside, no spaces (``12 / qđ-ubnd`` is
    ``12/QĐ-UBND``)."""
    return "".join(unicodedata.normalize("NFKC", number).upper().split())


def decision_id(unit_id: str, number: str) -> UUID:
    """The id of the decision numbered ``number`` in ``unit_id``'s register: the same
    number in the same unit is always the same decision."""
    return uuid5(_DECISIONS, f"{unit_id}\n{normalised_number(number)}")


@dataclass(frozen=True)
class Item:
    """One nomination the decision decides, and how."""

    nomination_id: str
    task_id: str
    outcome: str


class Decision(Aggregate):
    """A decision document: recorded once, never changed (a revocation is a decision of
    its own, recorded on the nomination)."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Recorded(Event, Aggregate.Created):
        unit_id: str
        """The issuing unit, whose register the number is of."""
        number: str
        """As written on the document (``12/QĐ-UBND``)."""
        decision_date: str
        signer: str
        authority: str
        """The award's deciding authority (policy), in Vietnamese."""
        items: list[dict[str, str]]
        """Each nomination decided: ``nomination_id``, ``task_id``, ``outcome``."""
        request: str = ""
        """A digest of the keyed request that recorded it (empty without a key)."""

        def apply(self, aggregate: Decision) -> None:
            aggregate.requests.add(self.request)
            aggregate.unit_id = self.unit_id
            aggregate.number = self.number
            aggregate.decision_date = self.decision_date
            aggregate.signer = self.signer
            aggregate.authority = self.authority
            aggregate.items = tuple(Item(**item) for item in self.items)

    def __init__(self) -> None:
        self.requests: set[str] = {""}
        self.unit_id: str
        self.number: str
        self.decision_date: str
        self.signer: str
        self.authority: str
        self.items: tuple[Item, ...]

    @classmethod
    def record(
        cls, *, actor: Actor, role: str, number: str, decision_date: str, signer: str,
        authority: str, items: list[Item], at: datetime, request: str = "",
    ) -> Decision:
        """The decision of ``actor``'s unit numbered ``number``; its id is the number's
        in that unit's register (``decision_id``). ``role``: the one the actor acts in,
        already checked by the caller (the decider); the texts as the caller cleaned them."""
        recorded: list[dict[str, Any]] = [
            {"nomination_id": i.nomination_id, "task_id": i.task_id, "outcome": i.outcome}
            for i in items]
        return cls._create(
            cls.Recorded, id=decision_id(actor.unit_id, number), timestamp=at,
            actor=actor.id, actor_role=role, actor_unit=actor.unit_id, unit_id=actor.unit_id,
            number=number, decision_date=decision_date, signer=signer, authority=authority,
            items=recorded, request=request)
