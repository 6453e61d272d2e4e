"""The vocabulary an award's eligibility is stated in: one frozen dataclass per kind of
rule, each citing its legal basis. The policy file writes them under an award
(``eligibility:``, read by ``domain.eligibility.reader``); ``domain.eligibility.checks``
evaluates them against a nominee's history.

Award codes in a rule are those of the policy's catalogue; a rule is described in words
with the catalogue's names, so a clerk reads "Chiến sĩ thi đua cơ sở 3 năm liên tục
2022–2024", not a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any, ClassVar, Protocol

from domain.vocabulary import Label


class Named(Protocol):
    """What a rule needs of the catalogue: an award's name (``domain.policy.Award``)."""

    @property
    def name(self) -> Label: ...


Catalogue = Mapping[str, Named]

FACT_KINDS: dict[str, Label] = {
    "discipline": Label("kỷ luật", "discipline"),
    "investigation": Label("điều tra", "investigation"),
    "inspection": Label("thanh tra, kiểm tra", "inspection"),
    "complaint": Label("khiếu nại, tố cáo chưa giải quyết xong", "unresolved complaint"),
}
"""The facts that bar an award while they last (domain.md, "Disqualifiers")."""

QUOTA_PERIODS = ("unit_year",)
"""What a quota counts over: the nominee's unit, in the nomination's year."""


def award_name(catalogue: Catalogue, code: str) -> Label:
    """An award's name in the catalogue, or its code for one the catalogue lacks (an
    award imported from before Laurel, under a code no version lists any more)."""
    award = catalogue.get(code)
    return award.name if award is not None else Label(code, code)


def either(catalogue: Catalogue, codes: tuple[str, ...]) -> Label:
    """Several awards' names joined by "or": "Bằng khen … hoặc Cờ thi đua …"."""
    names = [award_name(catalogue, code) for code in codes]
    return Label(" hoặc ".join(n.vi for n in names), " or ".join(n.en for n in names))


def listing(labels: list[Label]) -> Label:
    """Names in a sentence: "kỷ luật, điều tra hay thanh tra" / "…, investigation or …"."""
    if len(labels) == 1:
        return labels[0]
    return Label(", ".join(n.vi for n in labels[:-1]) + f" hay {labels[-1].vi}",
                 ", ".join(n.en for n in labels[:-1]) + f" or {labels[-1].en}")


@cache
def fact_kinds(kinds: tuple[str, ...]) -> Label:
    """The kinds' names in a sentence (the names are constants: worked out once)."""
    return listing([FACT_KINDS[k] for k in kinds])


def percent(share: Fraction) -> str:
    """``Fraction(3, 20)`` as "15 %"; "33,33 %" in Vietnamese would need a comma, so the
    figure keeps at most two decimals and no thousands separator."""
    value = float(share * 100)
    return f"{value:.2f}".rstrip("0").rstrip(".") + " %"


@dataclass(frozen=True)
class ConsecutiveTitles:
    """The nominee held ``title`` in each of the ``years`` consecutive years ending with
    the nomination's year (``years: 1``: that title in the same year)."""

    title: str
    years: int
    legal_basis: str
    kind: ClassVar[str] = "consecutive_titles"

    def parameters(self) -> dict[str, Any]:
        return {"title": self.title, "years": self.years}

    def describe(self, catalogue: Catalogue) -> Label:
        name = award_name(catalogue, self.title)
        if self.years == 1:
            return Label(f"Đạt danh hiệu {name.vi} trong năm xét",
                         f"The title {name.en} in the nomination's year")
        return Label(f"Đạt danh hiệu {name.vi} {self.years} năm liên tục, đến năm xét",
                     f"The title {name.en} in each of the {self.years} consecutive years "
                     "ending with the nomination's year")


@dataclass(frozen=True)
class EarlierAward:
    """The nominee received one of ``awards`` in the ``within_years`` years before the
    nomination's year."""

    awards: tuple[str, ...]
    within_years: int
    legal_basis: str
    kind: ClassVar[str] = "earlier_award"

    def parameters(self) -> dict[str, Any]:
        return {"awards": list(self.awards), "within_years": self.within_years}

    def describe(self, catalogue: Catalogue) -> Label:
        name = either(catalogue, self.awards)
        return Label(f"Đã được tặng {name.vi} trong {self.within_years} năm trước năm xét",
                     f"{name.en} in the {self.within_years} years before the nomination's "
                     "year")


@dataclass(frozen=True)
class MinimumService:
    """The nominee had served at least ``months`` full months by the end of the
    nomination's year (or by the day of the evaluation, if earlier)."""

    months: int
    legal_basis: str
    kind: ClassVar[str] = "minimum_service"

    def parameters(self) -> dict[str, Any]:
        return {"months": self.months}

    def describe(self, catalogue: Catalogue) -> Label:
        return Label(f"Công tác đủ {self.months} tháng trở lên trong năm xét",
                     f"At least {self.months} months of service by the end of the year")


@dataclass(frozen=True)
class NoDisqualifier:
    """No fact of ``kinds`` (``FACT_KINDS``) in force at any time from 1 January of the
    nomination's year to the day of the evaluation."""

    kinds: tuple[str, ...]
    legal_basis: str
    kind: ClassVar[str] = "no_disqualifier"

    def parameters(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds)}

    def describe(self, catalogue: Catalogue) -> Label:
        kinds = fact_kinds(self.kinds)
        return Label(f"Không đang bị {kinds.vi}", f"No {kinds.en} in force")


@dataclass(frozen=True)
class UnusedInitiative:
    """The nomination rests on a recognised initiative that has not been the basis of
    another award, anywhere in the province."""

    legal_basis: str
    kind: ClassVar[str] = "unused_initiative"

    def parameters(self) -> dict[str, Any]:
        return {}

    def describe(self, catalogue: Catalogue) -> Label:
        return Label("Có sáng kiến được công nhận, chưa dùng làm căn cứ khen thưởng lần nào",
                     "A recognised initiative not yet used as the basis of an award")


@dataclass(frozen=True)
class Quota:
    """At most ``share`` of the unit's holders of ``of_title`` in the year may hold the
    award (rounded down): Chiến sĩ thi đua cơ sở at most 15 % of the Lao động tiên tiến."""

    share: Fraction
    of_title: str
    legal_basis: str
    per: str = "unit_year"
    kind: ClassVar[str] = "quota"

    def parameters(self) -> dict[str, Any]:
        return {"share": str(self.share), "of": self.of_title, "per": self.per}

    def describe(self, catalogue: Catalogue) -> Label:
        base = award_name(catalogue, self.of_title)
        return Label(f"Không quá {percent(self.share)} số người đạt {base.vi} của đơn vị "
                     "trong năm",
                     f"At most {percent(self.share)} of the unit's holders of {base.en} in "
                     "the year")


@dataclass(frozen=True)
class Registered:
    """The nominee registered for the award at the start of the nomination's year
    (*đăng ký thi đua*: no registration, no consideration)."""

    legal_basis: str
    kind: ClassVar[str] = "registered"

    def parameters(self) -> dict[str, Any]:
        return {}

    def describe(self, catalogue: Catalogue) -> Label:
        return Label("Đã đăng ký thi đua danh hiệu này trong năm",
                     "Registered for this title for the year")


Rule = (ConsecutiveTitles | EarlierAward | MinimumService | NoDisqualifier | UnusedInitiative
        | Quota | Registered)

RULE_KINDS: tuple[str, ...] = tuple(
    r.kind for r in (ConsecutiveTitles, EarlierAward, MinimumService, NoDisqualifier,
                     UnusedInitiative, Quota, Registered)
)
