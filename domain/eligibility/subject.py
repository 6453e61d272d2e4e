"""What eligibility is decided on: a nominee's history, as plain data gathered by the
caller (the people register, the initiative register, the unit's counts of the year).

Nothing here reads a database: whoever evaluates looks the facts up and hands them in, so
a verdict can be recorded with exactly what it used and replayed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def from_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


@dataclass(frozen=True)
class HeldAward:
    """A title or award the nominee holds: decided in Laurel, or recorded from before it
    or elsewhere. ``year`` is the year the achievements belong to."""

    award: str
    year: int
    decision_number: str = ""
    decision_date: date | None = None
    issuer: str = ""
    revoked_on: date | None = None
    """An award revoked on or before the day of an evaluation counts for nothing."""
    kind: ClassVar[str] = "award"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "award": self.award, "year": self.year,
                "decision_number": self.decision_number,
                "decision_date": day(self.decision_date), "issuer": self.issuer,
                "revoked_on": day(self.revoked_on)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HeldAward:
        return cls(data["award"], data["year"], data["decision_number"],
                   from_day(data["decision_date"]), data["issuer"],
                   from_day(data["revoked_on"]))


@dataclass(frozen=True)
class Fact:
    """Something that bars an award while it lasts (``rules.FACT_KINDS``): from ``start``
    to ``end`` inclusive, open-ended while ``end`` is None; ``evidence`` names the
    document it is recorded from."""

    fact: str
    start: date
    end: date | None = None
    evidence: str = ""
    kind: ClassVar[str] = "fact"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "fact": self.fact, "start": day(self.start),
                "end": day(self.end), "evidence": self.evidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(data["fact"], date.fromisoformat(data["start"]), from_day(data["end"]),
                   data["evidence"])


@dataclass(frozen=True)
class Service:
    """When the nominee started work in the public service or the unit that counts."""

    start: date
    evidence: str = ""
    kind: ClassVar[str] = "service"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": day(self.start), "evidence": self.evidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Service:
        return cls(date.fromisoformat(data["start"]), data["evidence"])


@dataclass(frozen=True)
class Initiative:
    """The initiative (sáng kiến) a nomination rests on; ``recognised_on`` None while no
    council has recognised it, ``recognition`` the document that did."""

    id: str
    title: str
    recognised_on: date | None = None
    recognition: str = ""
    kind: ClassVar[str] = "initiative"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title,
                "recognised_on": day(self.recognised_on), "recognition": self.recognition}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Initiative:
        return cls(data["id"], data["title"], from_day(data["recognised_on"]),
                   data["recognition"])


@dataclass(frozen=True)
class InitiativeUse:
    """An initiative already used as the basis of an award (the initiative register):
    by which nomination, for which award and year, in which unit."""

    initiative: str
    award: str
    year: int
    unit: str
    """The unit's name, as a reader knows it."""
    nomination_id: str = ""
    decision_number: str = ""
    kind: ClassVar[str] = "initiative_use"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "initiative": self.initiative, "award": self.award,
                "year": self.year, "unit": self.unit, "nomination_id": self.nomination_id,
                "decision_number": self.decision_number}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InitiativeUse:
        return cls(data["initiative"], data["award"], data["year"], data["unit"],
                   data["nomination_id"], data["decision_number"])


@dataclass(frozen=True)
class QuotaCount:
    """A unit's counts for a year: how many hold (or are proposed for) ``title`` so far,
    this nomination not counted, and how many hold ``base_title``."""

    unit: str
    """The unit's name, as a reader knows it."""
    year: int
    title: str
    holders: int
    base_title: str
    base_holders: int
    kind: ClassVar[str] = "quota_count"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "unit": self.unit, "year": self.year, "title": self.title,
                "holders": self.holders, "base_title": self.base_title,
                "base_holders": self.base_holders}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuotaCount:
        return cls(data["unit"], data["year"], data["title"], data["holders"],
                   data["base_title"], data["base_holders"])


Evidence = HeldAward | Fact | Service | Initiative | InitiativeUse | QuotaCount

EVIDENCE_KINDS: dict[str, Any] = {
    e.kind: e for e in (HeldAward, Fact, Service, Initiative, InitiativeUse, QuotaCount)
}


def evidence_from_dict(data: dict[str, Any]) -> Evidence:
    found: Evidence = EVIDENCE_KINDS[data["kind"]].from_dict(data)
    return found


@dataclass(frozen=True)
class EligibilitySubject:
    """Everything the rules may ask about one nominee for one nomination.

    ``initiative_uses``: the register's earlier uses of ``initiative`` (a use recorded
    for ``nomination_id`` itself, on a later evaluation, is not counted). ``quotas``: the
    counts of the nominee's unit for the year, one per (award, base title) a quota names.
    """

    awards: tuple[HeldAward, ...] = ()
    facts: tuple[Fact, ...] = ()
    service: Service | None = None
    initiative: Initiative | None = None
    initiative_uses: tuple[InitiativeUse, ...] = ()
    quotas: tuple[QuotaCount, ...] = ()
    nomination_id: str = ""
