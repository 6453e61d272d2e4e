"""The commendation policy as plain data: award catalogue, org tree, vote rule, calendar.

Nothing here is hard-coded law. A deployment owns a policy document of one or more
versions, each with an effective date (``laurel/data/demo-province.yaml``);
``domain.policy_reader`` validates it. A nomination records the version it was proposed
under and the route planned from it, and keeps both to the end, whatever changes later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.eligibility import EligibilitySubject, Rule, Verdict, evaluate
from domain.errors import (
    NomineeNotEligible,
    NotFound,
    ProcedureNotOffered,
    UnknownAward,
    UnknownOrgUnit,
    WrongLevel,
)
from domain.intake import IntakeRule
from domain.level_steps import Agency, LevelSteps
from domain.vocabulary import Label
from domain.voting import VoteRule

NOMINEE_KINDS = ("individual", "collective", "household")
DOCUMENT_KINDS: dict[str, Label] = {
    "proposal": Label("Tờ trình đề nghị khen thưởng", "Proposal (tờ trình)"),
    "achievement_report": Label("Báo cáo thành tích", "Achievement report"),
    "meeting_minutes": Label("Biên bản họp Hội đồng thi đua, khen thưởng",
                             "Minutes of the council's meeting"),
    "initiative_certification": Label("Giấy chứng nhận sáng kiến",
                                      "Certification of the initiative"),
    "other": Label("Tài liệu khác", "Other document"),
}
"""What a document of a dossier is; the policy names those an award requires."""
CENTRAL = "central"
STANDARD = "standard"
PROCEDURES = (STANDARD, "adhoc", "simplified")
MINUTES_A_DAY = 24 * 60


NOMINEE_KIND_NAMES = {"individual": Label("Cá nhân", "Individual"),
                      "collective": Label("Tập thể", "Collective"),
                      "household": Label("Hộ gia đình", "Household")}
PROCEDURE_NAMES = {STANDARD: Label("Thông thường", "Standard"),
                   "adhoc": Label("Khen thưởng đột xuất", "Ad-hoc"),
                   "simplified": Label("Thủ tục đơn giản", "Simplified")}


def _vi(names: Mapping[str, Label], code: str) -> str:
    return names[code].vi if code in names else code


@dataclass(frozen=True)
class OrgUnit:
    id: str
    name: str
    level: str
    kind: str
    parent_id: str | None
    formerly: tuple[str, ...] = ()
    """Ids of units this one renamed or merged (their users now act for this one)."""
    head: str = ""
    """The account of the head of the unit's commendation board: escalations go to them,
    and they sign off an appraisal ("": the unit's deciders)."""


@dataclass(frozen=True)
class OrgTree:
    units: Mapping[str, OrgUnit]
    children: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        below: dict[str, list[str]] = {}
        for unit in self.units.values():
            if unit.parent_id is not None:
                below.setdefault(unit.parent_id, []).append(unit.id)
        object.__setattr__(self, "children", {k: tuple(v) for k, v in below.items()})

    def get(self, unit_id: str) -> OrgUnit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise UnknownOrgUnit(f"No organisation unit '{unit_id}'",
                             vi=f"Không có đơn vị '{unit_id}' trong sơ đồ tổ chức") from None

    def current(self, unit_id: str) -> OrgUnit:
        """The unit, or the one that took it over by a rename or merger."""
        if unit_id in self.units:
            return self.units[unit_id]
        for unit in self.units.values():
            if unit_id in unit.formerly:
                return unit
        raise UnknownOrgUnit(f"No organisation unit '{unit_id}'",
                             vi=f"Không có đơn vị '{unit_id}' trong sơ đồ tổ chức")

    def ancestry(self, unit_id: str) -> list[OrgUnit]:
        """The unit itself, then its parent, and so on up to the root."""
        chain = [self.get(unit_id)]
        while chain[-1].parent_id is not None:
            chain.append(self.get(chain[-1].parent_id))
        return chain

    def is_within(self, unit_id: str, ancestor_id: str) -> bool:
        """Whether ``unit_id`` is ``ancestor_id`` or lies below it."""
        return unit_id in self.units and any(
            u.id == ancestor_id for u in self.ancestry(unit_id)
        )

    def subtree(self, root_id: str) -> list[str]:
        """The unit and every unit below it (asked on every scoped request)."""
        if root_id not in self.units:
            return []
        found, pending = [], [root_id]
        while pending:
            unit_id = pending.pop()
            found.append(unit_id)
            pending.extend(self.children.get(unit_id, ()))
        return found


@dataclass(frozen=True)
class Procedure:
    """How an award is processed: the standard way, ad hoc (fast) or simplified (short)."""

    name: str
    chain: tuple[str, ...]
    review_days: Mapping[str, int]


@dataclass(frozen=True)
class Award:
    code: str
    name: Label
    nominee_kinds: frozenset[str]
    deciding_level: str
    authority: Label
    procedures: Mapping[str, Procedure]
    vote: VoteRule
    public_notice: bool = False
    eligibility: tuple[Rule, ...] = ()
    """Who may be nominated, as the policy states it (``domain.eligibility``), checked at
    the proposal and each council's review (``domain.candidates``)."""
    required_documents: tuple[str, ...] = ()
    """The kinds of document (``DOCUMENT_KINDS``) a proposal's dossier must hold as files
    (Law Art. 84: tờ trình, báo cáo thành tích, biên bản họp; the initiative's
    certification for an emulation fighter)."""
    lower_forms: tuple[str, ...] = ()
    """Awards a decider may grant instead of this one, lower in the policy's order
    (a nominee of a kind the lower form does not take cannot be granted it)."""

    @property
    def chain(self) -> tuple[str, ...]:
        return self.procedures[STANDARD].chain

    @property
    def review_days(self) -> Mapping[str, int]:
        return self.procedures[STANDARD].review_days

    @property
    def decided_centrally(self) -> bool:
        return self.deciding_level == CENTRAL


@dataclass(frozen=True)
class ReviewStep:
    level: str
    unit_id: str
    review_days: int
    appraisal_days: int = 0
    """Working days of the board's appraisal before the council (0: none at this level)."""
    consulted: tuple[Agency, ...] = ()
    """The agencies consulted before the council's task opens (none: no consultation)."""

    def to_dict(self) -> dict[str, Any]:
        step: dict[str, Any] = {"level": self.level, "unit_id": self.unit_id,
                                "review_days": self.review_days}
        if self.appraisal_days:  # left out otherwise: routes recorded before read the same
            step["appraisal_days"] = self.appraisal_days
        if self.consulted:
            step["consulted"] = [a.to_dict() for a in self.consulted]
        return step

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewStep:
        return cls(data["level"], data["unit_id"], data["review_days"],
                   data.get("appraisal_days", 0),
                   tuple(Agency.from_dict(a) for a in data.get("consulted", ())))


@dataclass(frozen=True)
class DecisionStep:
    level: str
    unit_id: str
    """The unit that records the decision (the province, for a central award)."""
    authority: Label
    central: bool


@dataclass(frozen=True)
class Route:
    """Where a nomination goes and under which rules; recorded when it is proposed."""

    reviews: tuple[ReviewStep, ...]
    decision: DecisionStep
    vote: VoteRule
    procedure: str = STANDARD
    public_notice_days: float = 0
    """0: no public notice; else the comment period before the decision, in days (a
    fraction of a day only in a rehearsal: ``PolicyBook.rehearsing_notices``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviews": [r.to_dict() for r in self.reviews],
            "decision": {
                "level": self.decision.level,
                "unit_id": self.decision.unit_id,
                "authority_vi": self.decision.authority.vi,
                "authority_en": self.decision.authority.en,
                "central": self.decision.central,
            },
            "vote": self.vote.to_dict(),
            "procedure": self.procedure,
            "public_notice_days": self.public_notice_days,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Route:
        d = data["decision"]
        return cls(
            reviews=tuple(ReviewStep.from_dict(r) for r in data["reviews"]),
            decision=DecisionStep(
                level=d["level"],
                unit_id=d["unit_id"],
                authority=Label(d["authority_vi"], d["authority_en"]),
                central=d["central"],
            ),
            vote=VoteRule.from_dict(data["vote"]),
            procedure=data.get("procedure", STANDARD),
            public_notice_days=data.get("public_notice_days", 0),
        )


@dataclass(frozen=True)
class Policy:
    version: str
    effective_from: date
    levels: tuple[str, ...]
    """Org levels from the bottom up, e.g. unit, district, province."""
    level_names: Mapping[str, Label]
    vote: VoteRule
    awards: Mapping[str, Award]
    org: OrgTree
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    decision_days: int = 20
    notice_days: float = 7
    reminder_share: float = 0.8
    unregistered_nominees: tuple[str, ...] = ("individual", "collective", "household")
    """The kinds of nominee a unit may propose by name only, outside the register; anyone
    else is chosen from the register, so that their history is checked."""
    return_reasons: Mapping[str, Label] = field(default_factory=dict)
    """The catalogue of reasons a council returns a dossier for, by code."""
    inside_levels: LevelSteps = field(default_factory=LevelSteps)
    """Appraisal, consultation and council rosters: the steps before a council votes."""
    intake: tuple[IntakeRule, ...] = ()
    """When proposals are taken, per award and kind of commendation (``domain.intake``)."""
    cluster_scoring_steps: tuple[str, ...] = ("leader", "board")
    """The approval steps that score an emulation cluster's members (``domain.cluster``)."""

    def award(self, code: str) -> Award:
        try:
            return self.awards[code]
        except KeyError:
            raise UnknownAward(f"No award '{code}' in policy {self.version}",
                               vi=f"Quy định {self.version} không có hình thức khen thưởng "
                                  f"'{code}'") from None

    def eligibility(
        self, award_code: str, subject: EligibilitySubject, year: int, on: date
    ) -> Verdict:
        """The verdict of ``award_code``'s rules on ``subject`` for the achievements of
        ``year``, as things stand on ``on``, explained with this version's award names."""
        award = self.award(award_code)
        return evaluate(award.eligibility, subject, year, on, award=award.code,
                        catalogue=self.awards)

    def lower_forms_for(self, award_code: str, nominee_kind: str) -> list[str]:
        """The awards a decider may grant instead of ``award_code`` to a nominee of this
        kind (the award's ``lower_forms`` that take the kind)."""
        return [code for code in self.award(award_code).lower_forms
                if nominee_kind in self.award(code).nominee_kinds]

    def level_vi(self, level: str) -> str:
        """A level's Vietnamese name inside a sentence: "cấp tỉnh", "cơ sở"."""
        return self.level_names[level].vi_in_sentence if level in self.level_names else level

    def rank(self, level: str) -> int:
        return len(self.levels) if level == CENTRAL else self.levels.index(level)

    def plan_route(
        self, award_code: str, proposing_unit_id: str, nominee_kind: str,
        procedure: str = STANDARD,
    ) -> Route:
        """The reviews a nomination goes through, from the proposing unit upwards."""
        award = self.award(award_code)
        if nominee_kind not in award.nominee_kinds:
            raise NomineeNotEligible(
                f"'{award.name.en}' is not given to a nominee of kind '{nominee_kind}'",
                vi=f"'{award.name.vi}' không xét tặng cho đối tượng "
                   f"'{_vi(NOMINEE_KIND_NAMES, nominee_kind)}'",
            )
        if procedure not in award.procedures:
            offered = ", ".join(award.procedures)
            raise ProcedureNotOffered(
                f"'{award.name.en}' is not given under the {procedure} procedure "
                f"(offered: {offered})",
                vi=f"'{award.name.vi}' không xét theo '{_vi(PROCEDURE_NAMES, procedure)}'"
                   f" (chỉ áp dụng: "
                   f"{', '.join(_vi(PROCEDURE_NAMES, p) for p in award.procedures)})",
            )
        steps = award.procedures[procedure]
        ancestry = self.org.ancestry(proposing_unit_id)
        start = self.rank(ancestry[0].level)
        deciding = self.rank(award.deciding_level)
        if start > deciding or (start == deciding and award.decided_centrally):
            raise WrongLevel(
                f"A {ancestry[0].level}-level unit cannot propose '{award.name.en}', "
                f"which is decided at {award.deciding_level} level",
                vi=f"Đơn vị {self.level_vi(ancestry[0].level)} không đề nghị được "
                   f"'{award.name.vi}', hình thức do "
                   f"{self.level_vi(award.deciding_level)} quyết định",
            )
        holder_at: dict[str, OrgUnit] = {}
        for unit in ancestry:  # nearest first: the unit itself holds its own level
            holder_at.setdefault(unit.level, unit)
        inside = self.inside_levels
        central = award.decided_centrally
        reviews = tuple(
            ReviewStep(level, holder_at[level].id, steps.review_days[level],
                       inside.appraisal_days(award.code, central, level),
                       inside.consulted(award.code, central, level))
            for level in steps.chain
            if level != CENTRAL and self.rank(level) >= start and level in holder_at
        )
        if not reviews:
            raise WrongLevel(f"No level of '{award.name.en}' lies above this unit",
                            vi=f"Không có cấp nào xét '{award.name.vi}' ở trên đơn vị này")
        deciding_unit = reviews[-1].unit_id
        if not award.decided_centrally:
            if award.deciding_level not in holder_at:
                raise WrongLevel(
                    f"This unit has no {award.deciding_level} above it",
                    vi=f"Đơn vị này không có {self.level_vi(award.deciding_level)} "
                       "ở trên")
            deciding_unit = holder_at[award.deciding_level].id
        return Route(
            reviews=reviews,
            decision=DecisionStep(
                level=award.deciding_level,
                unit_id=deciding_unit,
                authority=award.authority,
                central=award.decided_centrally,
            ),
            vote=award.vote,
            procedure=procedure,
            public_notice_days=self.notice_days if award.public_notice else 0,
        )


@dataclass(frozen=True)
class PolicyBook:
    """Every version of the policy, oldest first; one of them is in force on any day."""

    versions: Sequence[Policy]

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError("A policy book needs at least one version")

    def active(self, on: date) -> Policy:
        """The version in force on ``on`` (the earliest, before any took effect)."""
        in_force = [p for p in self.versions if p.effective_from <= on]
        return in_force[-1] if in_force else self.versions[0]

    def version(self, name: str) -> Policy:
        for policy in self.versions:
            if policy.version == name:
                return policy
        raise NotFound(f"No policy version '{name}'", vi=f"Không có phiên bản quy định '{name}'")

    @property
    def latest(self) -> Policy:
        return self.versions[-1]

    def rehearsing_notices(self, minutes: float) -> PolicyBook:
        """Every version with public notices of ``minutes`` instead of the policy's days:
        for a demonstration or a training run, where a state award should reach central
        government in minutes. Each nomination's route records the period it was given."""
        return PolicyBook(tuple(replace(p, notice_days=minutes / MINUTES_A_DAY)
                                for p in self.versions))
