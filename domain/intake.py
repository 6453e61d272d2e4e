"""When proposals are taken: the policy's intake windows per award and kind of
commendation (``intake:``), read and checked.

A window of the year's achievements closes on a day of the following year (a state
award's dossiers for 2026 by 31 January 2027, say); an ad-hoc commendation comes some
days before its ceremony at least. A proposal outside is refused
(``OutsideIntakeWindow``), citing the rule and its legal basis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.errors import OutsideIntakeWindow, PolicyError
from domain.vocabulary import CommendationType


@dataclass(frozen=True)
class IntakeRule:
    types: frozenset[str]
    """The kinds of commendation it governs (``CommendationType``)."""
    awards: frozenset[str] | None = None
    """The awards it governs (None: every award)."""
    until: tuple[int, int] | None = None
    """(month, day) of the year after the achievements' by which they are proposed."""
    lead_days: int = 0
    """Days at least between the proposal and the ceremony (an ad-hoc commendation)."""
    legal_basis: str = ""

    def applies(self, award_code: str, commendation_type: str) -> bool:
        return commendation_type in self.types and (self.awards is None
                                                    or award_code in self.awards)

    def check(self, *, year: int, on: date, ceremony: date | None) -> None:
        basis = f" ({self.legal_basis})" if self.legal_basis else ""
        if self.until is not None:
            closes = date(year + 1, *self.until)
            if on > closes:
                raise OutsideIntakeWindow(
                    f"Proposals for the achievements of {year} were taken until "
                    f"{closes.isoformat()}{basis}",
                    vi=f"Hồ sơ đề nghị khen thưởng thành tích năm {year} chỉ nhận đến ngày "
                       f"{closes:%d/%m/%Y}{basis}",
                    rule=f"until {closes.isoformat()}{basis}")
        if self.lead_days and (ceremony is None
                               or ceremony < on + timedelta(days=self.lead_days)):
            given = ceremony.isoformat() if ceremony else "none given"
            raise OutsideIntakeWindow(
                f"An ad-hoc commendation is proposed {self.lead_days} days before its "
                f"ceremony at least (ceremony_date: {given}){basis}",
                vi=f"Khen thưởng đột xuất phải đề nghị trước lễ trao ít nhất "
                   f"{self.lead_days} ngày (ngày tổ chức: "
                   f"{ceremony.strftime('%d/%m/%Y') if ceremony else 'chưa ghi'}){basis}",
                rule=f"{self.lead_days} days before the ceremony{basis}")


def check_intake(rules: tuple[IntakeRule, ...], *, award_code: str, commendation_type: str,
                 year: int, on: date, ceremony: date | None) -> None:
    """Refuse a proposal made on ``on`` outside a window of the rules that govern it."""
    for rule in rules:
        if rule.applies(award_code, commendation_type or CommendationType.MERIT):
            rule.check(year=year, on=on, ceremony=ceremony)


def ceremony_day(text: str) -> date | None:
    """A proposal's ``ceremony_date`` (ISO), if it gave one."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise OutsideIntakeWindow(f"The ceremony date '{text}' is no date such as 2026-03-15",
                                  vi=f"Ngày tổ chức lễ '{text}' không hợp lệ") from None


def read_intake(raw: Any, awards: set[str]) -> tuple[IntakeRule, ...]:
    """``intake: [{types, awards, until: {month, day}, lead_days, legal_basis}]``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise PolicyError("intake", "expected a list of windows")
    return tuple(_rule(item, f"intake[{i}]", awards) for i, item in enumerate(raw))


def _rule(item: Any, where: str, awards: set[str]) -> IntakeRule:
    if not isinstance(item, Mapping):
        raise PolicyError(where, "expected {types, awards, until, lead_days, legal_basis}")
    types = item.get("types", [CommendationType.MERIT])
    if not isinstance(types, list) or any(t not in tuple(CommendationType) for t in types):
        raise PolicyError(f"{where}.types",
                          f"a list of {', '.join(CommendationType)}, got {types!r}")
    listed = item.get("awards")
    if listed is not None and (not isinstance(listed, list)
                               or any(a not in awards for a in listed)):
        raise PolicyError(f"{where}.awards", f"a list of the policy's award codes, got {listed!r}")
    until = item.get("until")
    day: tuple[int, int] | None = None
    if until is not None:
        try:
            day = (int(until["month"]), int(until["day"]))
            date(2001, *day)  # a day of a common year
        except (TypeError, KeyError, ValueError):
            raise PolicyError(f"{where}.until", f"expected {{month, day}}, got {until!r}") from None
    lead = item.get("lead_days", 0)
    if not isinstance(lead, int) or isinstance(lead, bool) or lead < 0:
        raise PolicyError(f"{where}.lead_days", f"expected whole days, got {lead!r}")
    if day is None and not lead:
        raise PolicyError(where, "a window has `until` or `lead_days`")
    basis = item.get("legal_basis", "")
    if not isinstance(basis, str):
        raise PolicyError(f"{where}.legal_basis", "expected text")
    return IntakeRule(frozenset(types), frozenset(listed) if listed is not None else None,
                      day, lead, basis)
