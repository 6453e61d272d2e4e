"""What eligibility is decided on: a nominee's history, as plain data gathered by the
caller (the people register, the initiative register, the unit's counts of the year).

Nothing here reads a database: whoever evaluates looks the facts up and hands them in, so
a verdict can be recorded with exactly what it used and replayed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar, get_args, get_type_hints


class _Record:
    """Evidence written as plain data (dates as ISO text) with its ``kind``, and read back."""

    kind: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        plain: dict[str, Any] = {"kind": self.kind}
        for name in _names(type(self)):
            value = getattr(self, name)
            plain[name] = value.isoformat() if isinstance(value, date) else value
        return plain

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        days = _days(cls)
        return cls(**{f.name: date.fromisoformat(data[f.name])
                      if f.name in days and data[f.name] is not None else data[f.name]
                      for f in fields(cls)})  # type: ignore[arg-type]


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The fields of ``cls``, in order (looked up once a class: every proposal records
    its evidence)."""
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return found


def _days(cls: type) -> frozenset[str]:
    """The fields of ``cls`` that hold a date."""
    hints = get_type_hints(cls)
    return frozenset(name for name, hint in hints.items()
                     if hint is date or date in get_args(hint))


@dataclass(frozen=True)
class HeldAward(_Record):
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


@dataclass(frozen=True)
class Fact(_Record):
    """Something that bars an award while it lasts (``rules.FACT_KINDS``): from ``start``
    to ``end`` inclusive, open-ended while ``end`` is None; ``evidence`` names the
    document it is recorded from."""

    fact: str
    start: date
    end: date | None = None
    evidence: str = ""
    kind: ClassVar[str] = "fact"


@dataclass(frozen=True)
class Service(_Record):
    """When the nominee started work in the public service or the unit that counts."""

    start: date
    evidence: str = ""
    kind: ClassVar[str] = "service"


@dataclass(frozen=True)
class Initiative(_Record):
    """The initiative (sáng kiến) a nomination rests on; ``recognised_on`` None while no
    council has recognised it, ``recognition`` the document that did."""

    id: str
    title: str
    recognised_on: date | None = None
    recognition: str = ""
    kind: ClassVar[str] = "initiative"


@dataclass(frozen=True)
class InitiativeUse(_Record):
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


@dataclass(frozen=True)
class QuotaCount(_Record):
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


@dataclass(frozen=True)
class RegisteredTitle(_Record):
    """A title the nominee registered for a year, and when (*đăng ký thi đua*)."""

    award: str
    year: int
    registered_on: date
    kind: ClassVar[str] = "registration"


Evidence = (HeldAward | Fact | Service | Initiative | InitiativeUse | QuotaCount
            | RegisteredTitle)

EVIDENCE_KINDS: dict[str, Any] = {
    e.kind: e for e in (HeldAward, Fact, Service, Initiative, InitiativeUse, QuotaCount,
                        RegisteredTitle)
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
    registered: tuple[RegisteredTitle, ...] = ()
    """The titles the nominee registered for the nomination's year."""
