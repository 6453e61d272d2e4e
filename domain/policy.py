"""The commendation policy as plain data: award catalogue, org tree, vote rule.

Nothing here is hard-coded law: a deployment loads a policy document (see
``laurel/data/demo-province.yaml``) and ``Policy.from_dict`` validates it, naming the
offending entry when something is wrong. Every nomination records the policy version
it was proposed under, and the route planned from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.errors import NomineeNotEligible, PolicyError, UnknownAward, UnknownOrgUnit, WrongLevel

NOMINEE_KINDS = ("individual", "collective", "household")
CENTRAL = "central"


@dataclass(frozen=True)
class Label:
    """A name in Vietnamese and in English."""

    vi: str
    en: str


@dataclass(frozen=True)
class OrgUnit:
    id: str
    name: str
    level: str
    kind: str
    parent_id: str | None


@dataclass(frozen=True)
class OrgTree:
    units: Mapping[str, OrgUnit]

    def get(self, unit_id: str) -> OrgUnit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise UnknownOrgUnit(f"No organisation unit '{unit_id}'") from None

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
        return [u for u in self.units if self.is_within(u, root_id)]


@dataclass(frozen=True)
class VoteRule:
    """Council ballot rule: a quorum of members present, a share of all members for."""

    quorum: float
    approval_share: float


@dataclass(frozen=True)
class Award:
    code: str
    name: Label
    nominee_kinds: frozenset[str]
    chain: tuple[str, ...]
    deciding_level: str
    authority: Label
    review_days: Mapping[str, int]
    approval_share: float | None = None

    @property
    def decided_centrally(self) -> bool:
        return self.deciding_level == CENTRAL


@dataclass(frozen=True)
class ReviewStep:
    level: str
    unit_id: str
    review_days: int


@dataclass(frozen=True)
class DecisionStep:
    level: str
    unit_id: str
    """The unit that records the decision (the province, for a central award)."""
    authority: Label
    central: bool


@dataclass(frozen=True)
class Route:
    """Where a nomination goes: council reviews in order, then the decision."""

    reviews: tuple[ReviewStep, ...]
    decision: DecisionStep

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviews": [
                {"level": r.level, "unit_id": r.unit_id, "review_days": r.review_days}
                for r in self.reviews
            ],
            "decision": {
                "level": self.decision.level,
                "unit_id": self.decision.unit_id,
                "authority_vi": self.decision.authority.vi,
                "authority_en": self.decision.authority.en,
                "central": self.decision.central,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Route:
        d = data["decision"]
        return cls(
            reviews=tuple(ReviewStep(**r) for r in data["reviews"]),
            decision=DecisionStep(
                level=d["level"],
                unit_id=d["unit_id"],
                authority=Label(d["authority_vi"], d["authority_en"]),
                central=d["central"],
            ),
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
    decision_days: int = 20
    extra: Mapping[str, Any] = field(default_factory=dict)

    def award(self, code: str) -> Award:
        try:
            return self.awards[code]
        except KeyError:
            raise UnknownAward(f"No award '{code}' in policy {self.version}") from None

    def rank(self, level: str) -> int:
        return len(self.levels) if level == CENTRAL else self.levels.index(level)

    def plan_route(self, award_code: str, proposing_unit_id: str, nominee_kind: str) -> Route:
        """The reviews a nomination goes through, from the proposing unit upwards."""
        award = self.award(award_code)
        if nominee_kind not in award.nominee_kinds:
            raise NomineeNotEligible(
                f"'{award.name.en}' is not given to a nominee of kind '{nominee_kind}'"
            )
        ancestry = self.org.ancestry(proposing_unit_id)
        start = self.rank(ancestry[0].level)
        if start > self.rank(award.deciding_level) or (
            start == self.rank(award.deciding_level) and award.decided_centrally
        ):
            raise WrongLevel(
                f"A {ancestry[0].level}-level unit cannot propose '{award.name.en}', "
                f"which is decided at {award.deciding_level} level"
            )
        holder_at: dict[str, OrgUnit] = {}
        for unit in ancestry:  # nearest first: the unit itself holds its own level
            holder_at.setdefault(unit.level, unit)
        reviews = tuple(
            ReviewStep(level, holder_at[level].id, award.review_days[level])
            for level in award.chain
            if level != CENTRAL and self.rank(level) >= start and level in holder_at
        )
        if not reviews:
            raise WrongLevel(f"No level of '{award.name.en}' lies above this unit")
        deciding_unit = reviews[-1].unit_id
        if not award.decided_centrally:
            if award.deciding_level not in holder_at:
                raise WrongLevel(f"This unit has no {award.deciding_level} above it")
            deciding_unit = holder_at[award.deciding_level].id
        return Route(
            reviews=reviews,
            decision=DecisionStep(
                level=award.deciding_level,
                unit_id=deciding_unit,
                authority=award.authority,
                central=award.decided_centrally,
            ),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        return _PolicyReader(data).read()


class _PolicyReader:
    """Validates a policy document, naming the entry at fault in each error."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def fail(self, where: str, what: str) -> PolicyError:
        return PolicyError(f"{where}: {what}")

    def need(
        self, obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str
    ) -> Any:
        if not isinstance(obj, Mapping) or key not in obj:
            raise self.fail(where, f"missing '{key}'")
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.fail(f"{where}.{key}", f"expected {names}, got {value!r}")
        return value

    def label(self, obj: Mapping[str, Any], key: str, where: str) -> Label:
        raw = self.need(obj, key, dict, where)
        return Label(
            vi=self.need(raw, "vi", str, f"{where}.{key}"),
            en=self.need(raw, "en", str, f"{where}.{key}"),
        )

    def read(self) -> Policy:
        d = self.data
        version = str(self.need(d, "version", (str, int, float), "policy"))
        effective = d.get("effective_from")
        if not isinstance(effective, date):
            try:
                effective = date.fromisoformat(str(effective))
            except ValueError:
                raise self.fail("policy.effective_from", f"not a date: {effective!r}") from None
        levels_raw = self.need(d, "levels", list, "policy")
        levels = tuple(
            self.need(lv, "code", str, f"levels[{i}]") for i, lv in enumerate(levels_raw)
        )
        level_names = {
            lv["code"]: self.label(lv, "name", f"levels[{i}]") for i, lv in enumerate(levels_raw)
        }
        if CENTRAL in levels:
            raise self.fail("policy.levels", "'central' lies above the tree and is not listed")
        vote_raw = self.need(d, "vote", dict, "policy")
        vote = VoteRule(
            quorum=float(self.need(vote_raw, "quorum", (int, float), "vote")),
            approval_share=float(self.need(vote_raw, "approval_share", (int, float), "vote")),
        )
        org = self.read_org(self.need(d, "org_units", list, "policy"), levels)
        awards = {}
        for i, raw in enumerate(self.need(d, "awards", list, "policy")):
            award = self.read_award(raw, f"awards[{i}]", levels)
            if award.code in awards:
                raise self.fail(f"awards[{i}].code", f"duplicate award '{award.code}'")
            awards[award.code] = award
        return Policy(
            version=version,
            effective_from=effective,
            levels=levels,
            level_names=level_names,
            vote=vote,
            awards=awards,
            org=org,
            decision_days=int(d.get("decision_days", 20)),
        )

    def read_org(self, raw_units: Sequence[Any], levels: tuple[str, ...]) -> OrgTree:
        units: dict[str, OrgUnit] = {}
        for i, raw in enumerate(raw_units):
            where = f"org_units[{i}]"
            unit = OrgUnit(
                id=self.need(raw, "id", str, where),
                name=self.need(raw, "name", str, where),
                level=self.need(raw, "level", str, where),
                kind=str(raw.get("kind", raw["level"])),
                parent_id=raw.get("parent"),
            )
            if unit.level not in levels:
                raise self.fail(f"{where}.level", f"unknown level '{unit.level}'")
            if unit.id in units:
                raise self.fail(f"{where}.id", f"duplicate unit '{unit.id}'")
            units[unit.id] = unit
        for i, unit in enumerate(units.values()):
            if unit.parent_id is None:
                continue
            parent = units.get(unit.parent_id)
            if parent is None:
                raise self.fail(f"org_units[{i}].parent", f"unknown unit '{unit.parent_id}'")
            if levels.index(parent.level) <= levels.index(unit.level):
                raise self.fail(
                    f"org_units[{i}].parent", f"'{parent.id}' is not above '{unit.id}'"
                )
        return OrgTree(units)

    def read_award(self, raw: Mapping[str, Any], where: str, levels: tuple[str, ...]) -> Award:
        known = (*levels, CENTRAL)
        chain = tuple(self.need(raw, "chain", list, where))
        for level in chain:
            if level not in known:
                raise self.fail(f"{where}.chain", f"unknown level '{level}'")
        if list(chain) != sorted(chain, key=known.index):
            raise self.fail(f"{where}.chain", "levels must go upwards")
        deciding = self.need(raw, "deciding_level", str, where)
        if deciding != chain[-1]:
            raise self.fail(f"{where}.deciding_level", "must be the last level of the chain")
        kinds = frozenset(self.need(raw, "nominee_kinds", list, where))
        if not kinds or not kinds <= set(NOMINEE_KINDS):
            raise self.fail(f"{where}.nominee_kinds", f"choose from {', '.join(NOMINEE_KINDS)}")
        days = self.need(raw, "review_days", dict, where)
        for level in chain:
            if level != CENTRAL and not isinstance(days.get(level), int):
                raise self.fail(f"{where}.review_days", f"no whole number of days for '{level}'")
        share = raw.get("approval_share")
        return Award(
            code=self.need(raw, "code", str, where),
            name=self.label(raw, "name", where),
            nominee_kinds=kinds,
            chain=chain,
            deciding_level=deciding,
            authority=self.label(raw, "authority", where),
            review_days=dict(days),
            approval_share=float(share) if share is not None else None,
        )
