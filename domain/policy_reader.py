"""Reading and validating policy documents; every error names the entry at fault.

A policy book is a list of documents, one per version, in order of effective date. A
version may name a ``base`` version and leave out any top-level section it keeps
unchanged (``calendar``, ``vote``, ``awards``, ``org_units``…).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from domain.calendar import WEEKDAYS, WorkingCalendar
from domain.cluster import read_scoring_steps
from domain.eligibility.reader import read_rules
from domain.errors import PolicyError
from domain.intake import read_intake
from domain.level_steps_reader import read_level_steps
from domain.policy import (
    CENTRAL,
    DOCUMENT_KINDS,
    NOMINEE_KINDS,
    PROCEDURES,
    STANDARD,
    Award,
    OrgTree,
    OrgUnit,
    Policy,
    PolicyBook,
    Procedure,
)
from domain.vocabulary import Label
from domain.voting import COMPARISONS, VoteRule


class DocumentError(PolicyError):
    """A ``PolicyError`` that knows which document of the book it is in."""

    def __init__(self, document: int, error: PolicyError) -> None:
        super().__init__(error.where, error.what)
        self.document = document


def read_policy_book(documents: Sequence[Any]) -> PolicyBook:
    versions: list[Policy] = []
    merged: dict[str, Mapping[str, Any]] = {}
    for i, doc in enumerate(documents):
        try:
            if not isinstance(doc, Mapping):
                raise PolicyError("policy", "a version must be a mapping of sections")
            full = _with_base(doc, merged)
            policy = _Reader(full).read()
            if policy.version in merged:
                raise PolicyError("version", f"version '{policy.version}' appears twice")
            if versions and policy.effective_from <= versions[-1].effective_from:
                raise PolicyError(
                    "effective_from",
                    f"must be later than {versions[-1].version}'s "
                    f"{versions[-1].effective_from.isoformat()}",
                )
        except DocumentError:
            raise
        except PolicyError as error:
            raise DocumentError(i, error) from None
        merged[policy.version] = full
        versions.append(policy)
    if not versions:
        raise DocumentError(0, PolicyError("policy", "the file holds no version"))
    return PolicyBook(tuple(versions))


def _with_base(doc: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    base = doc.get("base")
    if base is None:
        return dict(doc)
    if str(base) not in known:
        raise PolicyError("base", f"no earlier version '{base}' to build on")
    return {**known[str(base)], **{k: v for k, v in doc.items() if k != "base"}}


def _fraction(value: Any, where: str) -> Fraction:
    try:
        share = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise PolicyError(where, f"not a fraction such as 2/3 or 0.5: {value!r}") from None
    if not 0 < share <= 1:
        raise PolicyError(where, f"must lie between 0 and 1, got {value!r}")
    return share


class _Reader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def need(
        self, obj: Any, key: str, kind: type | tuple[type, ...], where: str
    ) -> Any:
        if not isinstance(obj, Mapping):
            raise PolicyError(where, "expected a mapping")
        if key not in obj:
            raise PolicyError(where, f"missing '{key}'")
        value = obj[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise PolicyError(f"{where}.{key}" if where != "policy" else key,
                              f"expected {names}, got {value!r}")
        return value

    def label(self, obj: Mapping[str, Any], key: str, where: str) -> Label:
        raw = self.need(obj, key, dict, where)
        return Label(vi=self.need(raw, "vi", str, f"{where}.{key}"),
                     en=self.need(raw, "en", str, f"{where}.{key}"))

    def read(self) -> Policy:
        d = self.data
        version = d.get("version")
        if not isinstance(version, str) or not version:
            raise PolicyError("version", f"write the version as quoted text, e.g. \"2024.1\" "
                                         f"(got {version!r})")
        effective = d.get("effective_from")
        if isinstance(effective, datetime):
            raise PolicyError("effective_from", f"a date without a time, got {effective!r}")
        if not isinstance(effective, date):
            try:
                effective = date.fromisoformat(str(effective))
            except ValueError:
                raise PolicyError("effective_from", f"not a date: {effective!r}") from None
        levels_raw = self.need(d, "levels", list, "policy")
        levels = tuple(
            self.need(lv, "code", str, f"levels[{i}]") for i, lv in enumerate(levels_raw)
        )
        if CENTRAL in levels:
            raise PolicyError("levels", "'central' lies above the tree and is not listed")
        level_names = {
            code: self.label(lv, "name", f"levels[{i}]")
            for i, (code, lv) in enumerate(zip(levels, levels_raw, strict=True))
        }
        vote = self.read_vote(self.need(d, "vote", dict, "policy"), "vote", None)
        deadlines = d.get("deadlines", {})
        if not isinstance(deadlines, Mapping):
            raise PolicyError("deadlines", "expected a mapping")
        reminder = deadlines.get("reminder_share", 0.8)
        if not isinstance(reminder, int | float) or not 0 < reminder < 1:
            raise PolicyError("deadlines.reminder_share", "must lie between 0 and 1")
        awards = self.read_awards(self.need(d, "awards", list, "policy"), levels, vote)
        org = self.read_org(self.need(d, "org_units", list, "policy"), levels)
        return Policy(
            version=version,
            effective_from=effective,
            levels=levels,
            level_names=level_names,
            vote=vote,
            awards=awards,
            org=org,
            calendar=self.read_calendar(d.get("calendar", {})),
            decision_days=self.days(deadlines, "decision_days", 20, "deadlines"),
            notice_days=self.days(deadlines, "notice_days", 7, "deadlines"),
            reminder_share=float(reminder),
            unregistered_nominees=self.unregistered_nominees(d),
            return_reasons=self.return_reasons(d.get("return_reasons", [])),
            inside_levels=read_level_steps(d, levels, set(awards), set(org.units)),
            intake=read_intake(d.get("intake"), set(awards)),
            cluster_scoring_steps=read_scoring_steps(d),
        )

    def return_reasons(self, raw: Any) -> dict[str, Label]:
        """``return_reasons: [{code, vi, en}]``: the catalogue a council's return names."""
        if not isinstance(raw, list):
            raise PolicyError("return_reasons", "expected a list of {code, vi, en}")
        reasons: dict[str, Label] = {}
        for i, item in enumerate(raw):
            where = f"return_reasons[{i}]"
            code = self.need(item, "code", str, where)
            if code in reasons:
                raise PolicyError(f"{where}.code", f"duplicate reason '{code}'")
            reasons[code] = Label(vi=self.need(item, "vi", str, where),
                                  en=self.need(item, "en", str, where))
        return reasons

    def unregistered_nominees(self, d: Mapping[str, Any]) -> tuple[str, ...]:
        """The kinds of nominee proposed by name only, outside the register (all of them
        when the policy does not say: a policy written before the register)."""
        if "unregistered_nominees" not in d:
            return NOMINEE_KINDS
        raw = self.need(d, "unregistered_nominees", list, "policy")
        for kind in raw:
            if kind not in NOMINEE_KINDS:
                raise PolicyError("unregistered_nominees",
                                  f"{kind!r} is no kind of nominee ({', '.join(NOMINEE_KINDS)})")
        return tuple(raw)

    def days(self, obj: Mapping[str, Any], key: str, default: int, where: str) -> int:
        value = obj.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise PolicyError(f"{where}.{key}", f"expected a whole number of days, got {value!r}")
        return value

    def read_vote(self, raw: Any, where: str, base: VoteRule | None) -> VoteRule:
        if not isinstance(raw, Mapping):
            raise PolicyError(where, "expected a mapping such as {approval_share: 9/10}")
        if base is None:
            quorum = _fraction(self.need(raw, "quorum", (str, int, float), where),
                               f"{where}.quorum")
            share = _fraction(self.need(raw, "approval_share", (str, int, float), where),
                              f"{where}.approval_share")
        else:
            quorum = _fraction(raw.get("quorum", base.quorum), f"{where}.quorum")
            share = _fraction(raw.get("approval_share", base.approval_share),
                              f"{where}.approval_share")
        comparison = raw.get("comparison", base.comparison if base else "more_than")
        if comparison not in COMPARISONS:
            raise PolicyError(f"{where}.comparison", f"choose from {', '.join(COMPARISONS)}")
        return VoteRule(quorum, share, comparison)

    def read_calendar(self, raw: Any) -> WorkingCalendar:
        if not isinstance(raw, Mapping):
            raise PolicyError("calendar", "expected a mapping")
        weekend = raw.get("weekend", ["saturday", "sunday"])
        if not isinstance(weekend, list):
            raise PolicyError("calendar.weekend", "expected a list of weekdays")
        if not isinstance(raw.get("holidays", []), list):
            raise PolicyError("calendar.holidays", "expected a list of dates")
        for i, day in enumerate(weekend):
            if day not in WEEKDAYS:
                raise PolicyError(f"calendar.weekend[{i}]", f"not a weekday: {day!r}")
        holidays = []
        for i, day in enumerate(raw.get("holidays", [])):
            try:
                holidays.append(day if isinstance(day, date) else date.fromisoformat(str(day)))
            except ValueError:
                raise PolicyError(f"calendar.holidays[{i}]", f"not a date: {day!r}") from None
        offset = raw.get("utc_offset_hours", 7)
        if not isinstance(offset, int) or not -12 <= offset <= 14:
            raise PolicyError("calendar.utc_offset_hours", f"not an offset: {offset!r}")
        return WorkingCalendar(offset, frozenset(WEEKDAYS.index(d) for d in weekend),
                               frozenset(holidays))

    def read_org(self, raw_units: Sequence[Any], levels: tuple[str, ...]) -> OrgTree:
        units: dict[str, OrgUnit] = {}
        heirs: dict[str, str] = {}
        for i, raw in enumerate(raw_units):
            where = f"org_units[{i}]"
            level = self.need(raw, "level", str, where)
            if not isinstance(raw.get("parent"), str | None):
                raise PolicyError(f"{where}.parent", "expected the id of one unit")
            formerly = raw.get("formerly", [])
            if not isinstance(formerly, list) or not all(isinstance(f, str) for f in formerly):
                raise PolicyError(f"{where}.formerly", "expected a list of former unit ids")
            for old in formerly:
                if old in heirs:
                    raise PolicyError(f"{where}.formerly",
                                      f"'{old}' was already taken over by '{heirs[old]}'")
                heirs[old] = raw.get("id", "?")
            unit = OrgUnit(
                id=self.need(raw, "id", str, where),
                name=self.need(raw, "name", str, where),
                level=level,
                kind=str(raw.get("kind", level)),
                parent_id=raw.get("parent"),
                formerly=tuple(raw.get("formerly", ())),
                head=str(raw.get("head") or ""),
            )
            if unit.level not in levels:
                raise PolicyError(f"{where}.level", f"unknown level '{unit.level}'")
            if unit.id in units:
                raise PolicyError(f"{where}.id", f"duplicate unit '{unit.id}'")
            units[unit.id] = unit
        for i, unit in enumerate(units.values()):
            still_here = [old for old in unit.formerly if old in units]
            if still_here:
                raise PolicyError(f"org_units[{i}].formerly",
                                  f"'{still_here[0]}' is still a unit of this version")
            if unit.parent_id is None:
                continue
            parent = units.get(unit.parent_id)
            if parent is None:
                raise PolicyError(f"org_units[{i}].parent", f"unknown unit '{unit.parent_id}'")
            if levels.index(parent.level) <= levels.index(unit.level):
                raise PolicyError(f"org_units[{i}].parent",
                                  f"'{parent.id}' is not above '{unit.id}'")
        return OrgTree(units)

    def read_awards(
        self, raws: Sequence[Any], levels: tuple[str, ...], vote: VoteRule
    ) -> dict[str, Award]:
        awards: dict[str, Award] = {}
        # A rule may name any award of the version, listed before its own or after it.
        codes = {raw["code"] for raw in raws
                 if isinstance(raw, Mapping) and isinstance(raw.get("code"), str)}
        for i, raw in enumerate(raws):
            award = self.read_award(raw, f"awards[{i}]", levels, vote, codes)
            if award.code in awards:
                raise PolicyError(f"awards[{i}].code", f"duplicate award '{award.code}'")
            lower = raw.get("lower_forms", [])
            if (not isinstance(lower, list) or any(c not in codes or c == award.code
                                                   for c in lower)):
                raise PolicyError(f"awards[{i}].lower_forms",
                                  f"a list of other awards' codes, got {lower!r}")
            awards[award.code] = replace(award, lower_forms=tuple(lower))
        return awards

    def read_chain(self, raw: Any, where: str, levels: tuple[str, ...]) -> tuple[str, ...]:
        known = (*levels, CENTRAL)
        if not isinstance(raw, list) or not raw:
            raise PolicyError(where, "expected a list of levels")
        for level in raw:
            if level not in known:
                raise PolicyError(where, f"unknown level '{level}'")
        if list(raw) != sorted(raw, key=known.index) or len(set(raw)) != len(raw):
            raise PolicyError(where, "levels must go upwards, each once")
        return tuple(raw)

    def read_review_days(
        self, raw: Any, chain: tuple[str, ...], where: str
    ) -> dict[str, int]:
        if not isinstance(raw, Mapping):
            raise PolicyError(where, "expected a mapping of level to working days")
        for level in chain:
            value = raw.get(level)
            if level != CENTRAL and (not isinstance(value, int) or isinstance(value, bool)
                                     or value < 1):
                raise PolicyError(where, f"no whole number of working days for '{level}'")
        return {k: v for k, v in raw.items() if k in chain}

    def read_award(
        self, raw: Mapping[str, Any], where: str, levels: tuple[str, ...], vote: VoteRule,
        codes: set[str],
    ) -> Award:
        chain = self.read_chain(self.need(raw, "chain", list, where), f"{where}.chain", levels)
        deciding = self.need(raw, "deciding_level", str, where)
        if deciding != chain[-1]:
            raise PolicyError(f"{where}.deciding_level", "must be the last level of the chain")
        kinds = frozenset(self.need(raw, "nominee_kinds", list, where))
        if not kinds or not kinds <= set(NOMINEE_KINDS):
            raise PolicyError(f"{where}.nominee_kinds", f"choose from {', '.join(NOMINEE_KINDS)}")
        days = self.read_review_days(self.need(raw, "review_days", dict, where), chain,
                                     f"{where}.review_days")
        procedures = {STANDARD: Procedure(STANDARD, chain, days)}
        offered = raw.get("procedures") or {}
        if not isinstance(offered, Mapping):
            raise PolicyError(f"{where}.procedures", "expected a mapping of procedure names")
        for name, spec in offered.items():
            at = f"{where}.procedures.{name}"
            if name not in PROCEDURES or name == STANDARD:
                raise PolicyError(at, f"choose from {', '.join(PROCEDURES[1:])}")
            if not isinstance(spec, Mapping):
                raise PolicyError(at, "expected a mapping with chain and/or review_days")
            own_chain = self.read_chain(spec.get("chain", list(chain)), f"{at}.chain", levels)
            if own_chain[-1] != deciding:
                raise PolicyError(f"{at}.chain", f"must end at the deciding level '{deciding}'")
            own_days = self.read_review_days({**days, **spec.get("review_days", {})}, own_chain,
                                             f"{at}.review_days")
            procedures[name] = Procedure(name, own_chain, own_days)
        public_notice = raw.get("public_notice", False)
        if not isinstance(public_notice, bool):
            raise PolicyError(f"{where}.public_notice", "expected true or false")
        return Award(
            code=self.need(raw, "code", str, where),
            name=self.label(raw, "name", where),
            nominee_kinds=kinds,
            deciding_level=deciding,
            authority=self.label(raw, "authority", where),
            procedures=procedures,
            vote=self.read_vote(raw.get("vote", {}), f"{where}.vote", vote),
            public_notice=public_notice,
            eligibility=read_rules(raw.get("eligibility"), f"{where}.eligibility", codes),
            required_documents=self.document_kinds(raw, where),
        )

    def document_kinds(self, raw: Mapping[str, Any], where: str) -> tuple[str, ...]:
        kinds = raw.get("required_documents", [])
        if not isinstance(kinds, list) or any(k not in DOCUMENT_KINDS for k in kinds):
            raise PolicyError(f"{where}.required_documents",
                              f"a list of {', '.join(DOCUMENT_KINDS)}, got {kinds!r}")
        return tuple(kinds)
