"""The steps inside one level, before its council votes, as the policy states them.

At a level the policy names, the board's specialist appraises the dossier (*thẩm định*)
and the board's head signs the appraisal off before the council's task opens. Before a
state award leaves the province, the province consults the agencies the policy lists
(*hiệp y*: tax, social insurance, police…), each within its own working days. And each
council has a roster for a term: its members, its chair, and whether absent members'
written opinions count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.vocabulary import Label

MEMBER_ROLES: dict[str, Label] = {
    "chair": Label("Chủ tịch Hội đồng", "Chair"),
    "vice_chair": Label("Phó Chủ tịch Hội đồng", "Vice-chair"),
    "standing": Label("Thường trực Hội đồng", "Standing member"),
    "member": Label("Ủy viên", "Member"),
}
WRITTEN_OPINIONS = ("counted", "not_counted")
"""Whether an absent member's written opinion counts as a vote (``counted``) or not."""


@dataclass(frozen=True)
class Agency:
    """An agency the province consults, and the working days it has to answer."""

    code: str
    name: Label
    working_days: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "vi": self.name.vi, "en": self.name.en,
                "working_days": self.working_days}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Agency:
        return cls(data["code"], Label(data["vi"], data["en"]), int(data["working_days"]))


@dataclass(frozen=True)
class Consultation:
    """Who is consulted, at which level, for which awards (``None``: every award decided
    centrally, the state awards)."""

    level: str
    agencies: tuple[Agency, ...]
    awards: frozenset[str] | None = None

    def applies(self, award_code: str, decided_centrally: bool, level: str) -> bool:
        if level != self.level:
            return False
        return decided_centrally if self.awards is None else award_code in self.awards


@dataclass(frozen=True)
class Appraisal:
    """The levels whose board appraises a dossier before the council, for which awards
    (``None``: every award), and the working days the specialist and the head have."""

    levels: tuple[str, ...]
    working_days: int = 5
    awards: frozenset[str] | None = None

    def applies(self, award_code: str, decided_centrally: bool, level: str) -> bool:
        if level not in self.levels:
            return False
        return self.awards is None or award_code in self.awards


@dataclass(frozen=True)
class CouncilMember:
    username: str
    """The member's account: a proposer who sits on the council is known by it."""
    name: str
    role: str = "member"
    person_id: str = ""
    """The member in the register, if there: a nominee who sits on it is known by it."""


@dataclass(frozen=True)
class Council:
    """One unit's emulation and commendation council for one term."""

    unit_id: str
    term_from: date
    term_to: date
    members: tuple[CouncilMember, ...]
    written_opinions: str = "counted"

    @property
    def chair(self) -> CouncilMember | None:
        return next((m for m in self.members if m.role == "chair"), None)

    def sits_on(self, day: date) -> bool:
        return self.term_from <= day <= self.term_to


@dataclass(frozen=True)
class LevelSteps:
    """Everything the policy says happens inside a level before the council votes."""

    appraisal: Appraisal | None = None
    consultation: Consultation | None = None
    councils: tuple[Council, ...] = field(default=())

    def appraisal_days(self, award_code: str, decided_centrally: bool, level: str) -> int:
        """The working days of the appraisal of this award at this level (0: none)."""
        if self.appraisal is None or not self.appraisal.applies(
                award_code, decided_centrally, level):
            return 0
        return self.appraisal.working_days

    def consulted(self, award_code: str, decided_centrally: bool,
                  level: str) -> tuple[Agency, ...]:
        """The agencies consulted for this award at this level (none: no consultation)."""
        if self.consultation is None or not self.consultation.applies(
                award_code, decided_centrally, level):
            return ()
        return self.consultation.agencies

    def council(self, unit_id: str, day: date) -> Council | None:
        """The unit's council sitting on ``day`` (None: the policy lists no roster)."""
        return next((c for c in self.councils if c.unit_id == unit_id and c.sits_on(day)),
                    None)
