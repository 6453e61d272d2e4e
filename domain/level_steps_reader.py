"""Reading the policy's ``appraisal``, ``consultation`` and ``councils`` sections
(``domain.level_steps``); every error names the entry at fault."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.errors import PolicyError
from domain.level_steps import (
    MEMBER_ROLES,
    WRITTEN_OPINIONS,
    Agency,
    Appraisal,
    Consultation,
    Council,
    CouncilMember,
    LevelSteps,
)
from domain.vocabulary import Label


def read_level_steps(d: Mapping[str, Any], levels: tuple[str, ...],
                     awards: set[str], units: set[str]) -> LevelSteps:
    return LevelSteps(
        appraisal=_appraisal(d.get("appraisal"), levels, awards),
        consultation=_consultation(d.get("consultation"), levels, awards),
        councils=tuple(_council(raw, f"councils[{i}]", units)
                       for i, raw in enumerate(_list(d.get("councils", []), "councils"))),
    )


def _appraisal(raw: Any, levels: tuple[str, ...], awards: set[str]) -> Appraisal | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise PolicyError("appraisal", "expected {levels: [...], working_days: N}")
    at = _list(raw.get("levels"), "appraisal.levels")
    for level in at:
        if level not in levels:
            raise PolicyError("appraisal.levels", f"unknown level {level!r}")
    return Appraisal(tuple(at), _days(raw.get("working_days", 5), "appraisal.working_days"),
                     _awards(raw.get("awards", "all"), "appraisal.awards", awards, "all"))


def _consultation(raw: Any, levels: tuple[str, ...], awards: set[str]) -> Consultation | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise PolicyError("consultation", "expected {level, awards, agencies}")
    level = raw.get("level")
    if level not in levels:
        raise PolicyError("consultation.level", f"unknown level {level!r}")
    codes = _awards(raw.get("awards", "central"), "consultation.awards", awards, "central")
    agencies: list[Agency] = []
    for i, item in enumerate(_list(raw.get("agencies"), "consultation.agencies")):
        where = f"consultation.agencies[{i}]"
        code = _text(item, "code", where)
        if any(a.code == code for a in agencies):
            raise PolicyError(f"{where}.code", f"duplicate agency {code!r}")
        agencies.append(Agency(code, Label(_text(item, "vi", where), _text(item, "en", where)),
                               _days(item.get("working_days", 10), f"{where}.working_days")))
    if not agencies:
        raise PolicyError("consultation.agencies", "name at least one agency")
    return Consultation(level, tuple(agencies), codes)


def _council(raw: Any, where: str, units: set[str]) -> Council:
    unit = _text(raw, "unit", where)
    if unit not in units:
        raise PolicyError(f"{where}.unit", f"unknown unit {unit!r}")
    term = raw.get("term")
    if not isinstance(term, Mapping):
        raise PolicyError(f"{where}.term", "expected {from: date, to: date}")
    start, end = _date(term.get("from"), f"{where}.term.from"), _date(term.get("to"),
                                                                       f"{where}.term.to")
    if end < start:
        raise PolicyError(f"{where}.term", "the term ends before it starts")
    opinions = raw.get("written_opinions", "counted")
    if opinions not in WRITTEN_OPINIONS:
        raise PolicyError(f"{where}.written_opinions", f"choose from {', '.join(WRITTEN_OPINIONS)}")
    members: list[CouncilMember] = []
    for i, item in enumerate(_list(raw.get("members"), f"{where}.members")):
        at = f"{where}.members[{i}]"
        role = item.get("role", "member") if isinstance(item, Mapping) else None
        if role not in MEMBER_ROLES:
            raise PolicyError(f"{at}.role", f"choose from {', '.join(MEMBER_ROLES)}")
        member = CouncilMember(_text(item, "username", at), _text(item, "name", at), role,
                               str(item.get("person_id") or ""))
        if any(m.username == member.username for m in members):
            raise PolicyError(f"{at}.username", f"{member.username!r} is listed twice")
        members.append(member)
    if sum(m.role == "chair" for m in members) != 1:
        raise PolicyError(f"{where}.members", "a council has exactly one chair")
    return Council(unit, start, end, tuple(members), opinions)


def _awards(raw: Any, where: str, awards: set[str], every: str) -> frozenset[str] | None:
    """A list of award codes, or the word for every award the section applies to."""
    if raw == every:
        return None
    listed = _list(raw, where)
    unknown = [c for c in listed if c not in awards]
    if unknown:
        raise PolicyError(where, f"no award {unknown[0]!r}")
    return frozenset(listed)


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise PolicyError(where, "expected a list")
    return raw


def _text(raw: Any, key: str, where: str) -> str:
    if not isinstance(raw, Mapping) or not isinstance(raw.get(key), str) or not raw[key]:
        raise PolicyError(f"{where}.{key}", "expected text")
    return str(raw[key])


def _days(raw: Any, where: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise PolicyError(where, f"expected a whole number of working days, got {raw!r}")
    return raw


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise PolicyError(where, f"not a date: {raw!r}") from None
