"""Reading an award's ``eligibility:`` list from the policy document; every error names
the rule at fault, e.g. ``awards[5].eligibility[0].consecutive_titles.title: unknown
award 'x'`` (``infrastructure.policy_file`` turns that into a line of the file).

Each entry names one kind of rule with its parameters, and the legal basis it applies::

    - consecutive_titles: {title: chien-si-thi-dua-co-so, years: 3}
      legal_basis: "Luật Thi đua, khen thưởng 2022, Điều 22 khoản 1"
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from fractions import Fraction
from typing import Any

from domain.eligibility.rules import (
    FACT_KINDS,
    QUOTA_PERIODS,
    RULE_KINDS,
    ConsecutiveTitles,
    EarlierAward,
    MinimumService,
    NoDisqualifier,
    Quota,
    Registered,
    Rule,
    UnusedInitiative,
)
from domain.errors import PolicyError

MAX_YEARS = 50
MAX_MONTHS = 600
_REQUIRED = object()


def read_rules(raw: Any, where: str, award_codes: Collection[str]) -> tuple[Rule, ...]:
    """The rules of ``raw`` (None: no rules), at ``where`` (``awards[5].eligibility``);
    award codes they name must be in ``award_codes``, the version's catalogue."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PolicyError(where, "expected a list of rules")
    return tuple(_rule(entry, f"{where}[{i}]", award_codes) for i, entry in enumerate(raw))


def _rule(entry: Any, where: str, codes: Collection[str]) -> Rule:
    if not isinstance(entry, Mapping):
        raise PolicyError(where, "expected a rule such as {minimum_service: {months: 10}, "
                                 "legal_basis: \"…\"}")
    kinds = [key for key in entry if key != "legal_basis"]
    if len(kinds) != 1 or kinds[0] not in RULE_KINDS:
        named = ", ".join(repr(k) for k in kinds) or "none"
        raise PolicyError(where, f"name one kind of rule ({', '.join(RULE_KINDS)}); "
                                 f"got {named}")
    kind = str(kinds[0])
    basis = entry.get("legal_basis")
    if basis is None:
        raise PolicyError(where, "missing 'legal_basis': every rule cites the law it applies")
    if not isinstance(basis, str) or not basis.strip():
        raise PolicyError(f"{where}.legal_basis", f"expected the text of the legal basis, "
                                                  f"got {basis!r}")
    params = entry[kind]
    at = f"{where}.{kind}"
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise PolicyError(at, f"expected a mapping of parameters, got {params!r}")
    return _READERS[kind](_Params(params, at, codes), basis.strip())


class _Params:
    """One rule's parameters; each ``take`` marks one as read, ``done`` refuses the rest."""

    def __init__(self, raw: Mapping[str, Any], where: str, codes: Collection[str]) -> None:
        self.raw, self.where, self.codes = raw, where, codes
        self.read: set[str] = set()

    def _take(self, key: str, default: Any = _REQUIRED) -> Any:
        self.read.add(key)
        if key not in self.raw:
            if default is _REQUIRED:
                raise PolicyError(self.where, f"missing '{key}'")
            return default
        return self.raw[key]

    def count(self, key: str, most: int) -> int:
        value = self._take(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= most:
            raise PolicyError(f"{self.where}.{key}",
                              f"expected a whole number from 1 to {most}, got {value!r}")
        return value

    def award(self, key: str) -> str:
        return self._code(self._take(key), f"{self.where}.{key}")

    def awards(self, key: str) -> tuple[str, ...]:
        value = self._take(key)
        at = f"{self.where}.{key}"
        if isinstance(value, str):
            return (self._code(value, at),)
        if not isinstance(value, list) or not value:
            raise PolicyError(at, f"expected a list of award codes, got {value!r}")
        return tuple(self._code(v, f"{at}[{i}]") for i, v in enumerate(value))

    def _code(self, value: Any, at: str) -> str:
        if not isinstance(value, str):
            raise PolicyError(at, f"expected an award code, got {value!r}")
        if value not in self.codes:
            raise PolicyError(at, f"unknown award '{value}'")
        return value

    def fact_kinds(self, key: str) -> tuple[str, ...]:
        value = self._take(key, list(FACT_KINDS))
        at = f"{self.where}.{key}"
        if not isinstance(value, list) or not value:
            raise PolicyError(at, f"expected a list from {', '.join(FACT_KINDS)}")
        for i, kind in enumerate(value):
            if kind not in FACT_KINDS:
                raise PolicyError(f"{at}[{i}]", f"choose from {', '.join(FACT_KINDS)}, "
                                                f"got {kind!r}")
        return tuple(dict.fromkeys(value))

    def share(self, key: str) -> Fraction:
        value = self._take(key)
        at = f"{self.where}.{key}"
        try:
            share = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            raise PolicyError(at, f"not a fraction such as 15/100 or 0.15: {value!r}") from None
        if isinstance(value, bool) or not 0 < share <= 1:
            raise PolicyError(at, f"must lie between 0 and 1, got {value!r}")
        return share

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self._take(key, choices[0])
        if value not in choices:
            raise PolicyError(f"{self.where}.{key}", f"choose from {', '.join(choices)}")
        return str(value)

    def done(self) -> None:
        for key in self.raw:
            if key not in self.read:
                raise PolicyError(f"{self.where}.{key}", "not a parameter of this rule")


def _finished(rule: Rule, params: _Params) -> Rule:
    params.done()
    return rule


_READERS: dict[str, Callable[[_Params, str], Rule]] = {
    ConsecutiveTitles.kind: lambda p, basis: _finished(
        ConsecutiveTitles(p.award("title"), p.count("years", MAX_YEARS), basis), p),
    EarlierAward.kind: lambda p, basis: _finished(
        EarlierAward(p.awards("awards"), p.count("within_years", MAX_YEARS), basis), p),
    MinimumService.kind: lambda p, basis: _finished(
        MinimumService(p.count("months", MAX_MONTHS), basis), p),
    NoDisqualifier.kind: lambda p, basis: _finished(
        NoDisqualifier(p.fact_kinds("kinds"), basis), p),
    UnusedInitiative.kind: lambda p, basis: _finished(UnusedInitiative(basis), p),
    Registered.kind: lambda p, basis: _finished(Registered(basis), p),
    Quota.kind: lambda p, basis: _finished(
        Quota(p.share("share"), p.award("of"), basis, p.choice("per", QUOTA_PERIODS)), p),
}
