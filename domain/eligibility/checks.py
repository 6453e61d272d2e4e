"""Evaluating an award's rules against a nominee: one check per rule, each explained in
sentences a clerk or a council member reads without knowing the code.

``evaluate`` is pure: the same rules, subject, year and day give the same verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from math import floor

from domain.eligibility.rules import (
    FACT_KINDS,
    Catalogue,
    ConsecutiveTitles,
    EarlierAward,
    MinimumService,
    NoDisqualifier,
    Quota,
    Registered,
    Rule,
    UnusedInitiative,
    award_name,
    either,
    fact_kinds,
    percent,
)
from domain.eligibility.subject import EligibilitySubject, Fact, HeldAward
from domain.eligibility.verdict import Check, Verdict
from domain.vocabulary import Label


def evaluate(
    rules: Sequence[Rule], subject: EligibilitySubject, year: int, on: date, *,
    award: str, catalogue: Catalogue,
) -> Verdict:
    """The verdict on ``subject`` for ``award`` (a code of ``catalogue``) for the
    achievements of ``year``, as things stand on ``on``; checks in the rules' order."""
    context = _Context(subject, year, on, award, catalogue)
    return Verdict(tuple(context.check(rule) for rule in rules))


def unchecked(rules: Sequence[Rule], *, catalogue: Catalogue) -> Verdict:
    """The verdict on a nominee named only, outside the register: each rule stated, none
    checked (Laurel knows nothing of their history; the council checks the dossier)."""
    return Verdict(tuple(
        Check(rule.kind, None, Label(
            f"{(said := rule.describe(catalogue)).vi}: chưa kiểm tra được vì người được đề "
            "nghị không có trong danh sách cá nhân, tập thể",
            f"{said.en}: not checked, the nominee is not in the register"),
            (), rule.legal_basis)
        for rule in rules))


def _d(value: date) -> str:
    """"05/03/2024": ``strftime("%d/%m/%Y")``, a third of its cost (a verdict writes
    several dates, and is worked out at every proposal)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _years(years: Sequence[int]) -> str:
    return ", ".join(str(y) for y in years)


def _decision(held: HeldAward) -> Label:
    """The decision in brackets, "(Quyết định số 12/QĐ-UBND ngày 15/01/2024)", or nothing
    when none was recorded."""
    if not held.decision_number:
        return Label("", "")
    on_vi = f" ngày {_d(held.decision_date)}" if held.decision_date else ""
    on_en = f" of {_d(held.decision_date)}" if held.decision_date else ""
    return Label(f" (Quyết định số {held.decision_number}{on_vi})",
                 f" (decision {held.decision_number}{on_en})")


def _full_months(start: date, until: date) -> int:
    """Whole months from ``start`` to ``until``, both days worked: 01/07/2023 to
    31/12/2024 is 18; 15/03/2024 to 31/12/2024 is 9 (and 17 days)."""
    after = until + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    return max(months, 0)


def _fact(fact: Fact) -> Label:
    """"kỷ luật từ 01/03/2024 đến 31/08/2024 (Quyết định số 45/QĐ-UBND)"."""
    name = FACT_KINDS.get(fact.fact, Label(fact.fact, fact.fact))
    until_vi = f" đến {_d(fact.end)}" if fact.end else " (chưa kết thúc)"
    until_en = f" to {_d(fact.end)}" if fact.end else " (not yet over)"
    source = f" ({fact.evidence})" if fact.evidence else ""
    return Label(f"{name.vi} từ {_d(fact.start)}{until_vi}{source}",
                 f"{name.en} from {_d(fact.start)}{until_en}{source}")


class _Context:
    def __init__(self, subject: EligibilitySubject, year: int, on: date, award: str,
                 catalogue: Catalogue) -> None:
        self.subject = subject
        self.year = year
        self.on = on
        self.award = award
        self.catalogue = catalogue
        self.held = tuple(a for a in subject.awards
                          if a.revoked_on is None or a.revoked_on > on)

    def name(self, code: str) -> Label:
        return award_name(self.catalogue, code)

    def check(self, rule: Rule) -> Check:
        match rule:
            case ConsecutiveTitles():
                return self.consecutive_titles(rule)
            case EarlierAward():
                return self.earlier_award(rule)
            case MinimumService():
                return self.minimum_service(rule)
            case NoDisqualifier():
                return self.no_disqualifier(rule)
            case UnusedInitiative():
                return self.unused_initiative(rule)
            case Quota():
                return self.quota(rule)
            case Registered():
                return self.registered(rule)

    def consecutive_titles(self, rule: ConsecutiveTitles) -> Check:
        title = self.name(rule.title)
        span = range(self.year - rule.years + 1, self.year + 1)
        used = tuple(sorted((a for a in self.held if a.award == rule.title and a.year in span),
                            key=lambda a: a.year))
        missing = [y for y in span if all(a.year != y for a in used)]
        first = span[0]
        if rule.years == 1:
            needs = Label("", "")
            passed = Label(f"Đạt danh hiệu {title.vi} năm {self.year}",
                           f"Held the title {title.en} in {self.year}")
        else:
            needs = Label(f" (cần đủ {rule.years} năm liên tục {first}–{self.year})",
                          f" (needs all {rule.years} consecutive years {first}–{self.year})")
            passed = Label(f"Đạt danh hiệu {title.vi} đủ {rule.years} năm liên tục "
                           f"{first}–{self.year}",
                           f"Held the title {title.en} in each of the {rule.years} "
                           f"consecutive years {first}–{self.year}")
        if not missing:
            return Check(rule.kind, True, passed, used, rule.legal_basis)
        return Check(rule.kind, False,
                     Label(f"Thiếu danh hiệu {title.vi} năm {_years(missing)}{needs.vi}",
                           f"Did not hold the title {title.en} in {_years(missing)}"
                           f"{needs.en}"),
                     used, rule.legal_basis)

    def earlier_award(self, rule: EarlierAward) -> Check:
        names = either(self.catalogue, rule.awards)
        first, last = self.year - rule.within_years, self.year - 1
        years = f"{first}–{last}" if first != last else str(last)
        span_en = f"the {rule.within_years} years" if rule.within_years > 1 else "the year"
        ever = sorted((a for a in self.held if a.award in rule.awards and a.year < self.year),
                      key=lambda a: a.year)
        inside = [a for a in ever if a.year >= first]
        if inside:
            latest = inside[-1]
            decision = _decision(latest)
            return Check(rule.kind, True, Label(
                f"Đã được tặng {self.name(latest.award).vi} năm {latest.year}{decision.vi}, "
                f"trong {rule.within_years} năm trước năm {self.year} ({years})",
                f"Received the {self.name(latest.award).en} for {latest.year}{decision.en}, "
                f"within {span_en} before {self.year} ({years})",
            ), (latest,), rule.legal_basis)
        older = Label("", "")
        if ever:
            latest = ever[-1]
            older = Label(f"; lần gần nhất năm {latest.year}, đã quá {rule.within_years} năm",
                          f"; the latest, for {latest.year}, is more than "
                          f"{rule.within_years} years old")
        return Check(rule.kind, False, Label(
            f"Chưa được tặng {names.vi} trong {rule.within_years} năm {years}{older.vi}",
            f"Received no {names.en} in {span_en} {years}{older.en}",
        ), tuple(ever[-1:]), rule.legal_basis)

    def minimum_service(self, rule: MinimumService) -> Check:
        service = self.subject.service
        if service is None:
            return Check(rule.kind, False, Label(
                f"Chưa có ngày bắt đầu công tác (cần ít nhất {rule.months} tháng)",
                f"No start of service recorded ({rule.months} months needed)",
            ), (), rule.legal_basis)
        until = min(self.on, date(self.year, 12, 31))
        months = _full_months(service.start, until)
        since = Label(f"tính đến {_d(until)} (từ {_d(service.start)}; cần ít nhất "
                      f"{rule.months} tháng)",
                      f"by {_d(until)} (since {_d(service.start)}; at least {rule.months} "
                      "needed)")
        if months >= rule.months:
            return Check(rule.kind, True, Label(f"Đã công tác {months} tháng {since.vi}",
                                                f"Served {months} months {since.en}"),
                         (service,), rule.legal_basis)
        return Check(rule.kind, False, Label(f"Mới công tác {months} tháng {since.vi}",
                                             f"Served only {months} months {since.en}"),
                     (service,), rule.legal_basis)

    def no_disqualifier(self, rule: NoDisqualifier) -> Check:
        start = date(self.year, 1, 1)
        end = max(self.on, start)
        relevant = [f for f in self.subject.facts if f.fact in rule.kinds]
        barring = tuple(f for f in relevant
                        if f.start <= end and (f.end is None or f.end >= start))
        period = Label(f"từ {_d(start)} đến {_d(end)}", f"from {_d(start)} to {_d(end)}")
        if barring:
            facts = [_fact(f) for f in barring]
            return Check(rule.kind, False, Label(
                f"Bị {'; '.join(f.vi for f in facts)}, trong thời gian xét ({period.vi})",
                f"Within the period considered ({period.en}): "
                f"{'; '.join(f.en for f in facts)}",
            ), barring, rule.legal_basis)
        kinds = fact_kinds(rule.kinds)
        none = Label(f"Không bị {kinds.vi} {period.vi}", f"No {kinds.en} {period.en}")
        before = tuple(f for f in relevant if f not in barring)
        if before:
            facts = [_fact(f) for f in before]
            none = Label(f"{none.vi}; {'; '.join(f.vi for f in facts)} đã kết thúc trước đó",
                         f"{none.en}; {'; '.join(f.en for f in facts)} ended before")
        return Check(rule.kind, True, none, before, rule.legal_basis)

    def unused_initiative(self, rule: UnusedInitiative) -> Check:
        initiative = self.subject.initiative
        if initiative is None:
            return Check(rule.kind, False, Label(
                "Chưa nêu sáng kiến được công nhận làm căn cứ đề nghị",
                "No recognised initiative is given as the basis of the nomination",
            ), (), rule.legal_basis)
        title = f"“{initiative.title}”"
        if initiative.recognised_on is None or initiative.recognised_on > self.on:
            return Check(rule.kind, False, Label(
                f"Sáng kiến {title} chưa được công nhận",
                f"The initiative {title} has not been recognised",
            ), (initiative,), rule.legal_basis)
        uses = tuple(u for u in self.subject.initiative_uses
                     if u.initiative == initiative.id
                     and not (u.nomination_id and u.nomination_id == self.subject.nomination_id))
        if uses:
            where = [(self.name(u.award), u) for u in uses]
            return Check(rule.kind, False, Label(
                f"Sáng kiến {title} đã được dùng làm căn cứ khen thưởng: "
                + "; ".join(f"{n.vi} năm {u.year} của {u.unit}" for n, u in where)
                + " — mỗi sáng kiến chỉ được dùng một lần",
                f"The initiative {title} was already the basis of "
                + "; ".join(f"the {n.en} for {u.year} at {u.unit}" for n, u in where)
                + " — an initiative may be used only once",
            ), (initiative, *uses), rule.legal_basis)
        source = f", {initiative.recognition}" if initiative.recognition else ""
        return Check(rule.kind, True, Label(
            f"Sáng kiến {title} được công nhận ngày {_d(initiative.recognised_on)}{source}, "
            "chưa dùng làm căn cứ khen thưởng nào khác",
            f"The initiative {title}, recognised on {_d(initiative.recognised_on)}{source}, "
            "has not been the basis of another award",
        ), (initiative,), rule.legal_basis)

    def registered(self, rule: Registered) -> Check:
        title = self.name(self.award)
        found = next((r for r in self.subject.registered
                      if r.award == self.award and r.year == self.year), None)
        if found is None:
            return Check(rule.kind, False, Label(
                f"Chưa đăng ký thi đua danh hiệu {title.vi} năm {self.year}",
                f"Not registered for the {title.en} for {self.year}",
            ), (), rule.legal_basis)
        return Check(rule.kind, True, Label(
            f"Đã đăng ký thi đua danh hiệu {title.vi} năm {self.year} ngày "
            f"{_d(found.registered_on)}",
            f"Registered for the {title.en} for {self.year} on {_d(found.registered_on)}",
        ), (found,), rule.legal_basis)

    def quota(self, rule: Quota) -> Check:
        award, base = self.name(self.award), self.name(rule.of_title)
        count = next((q for q in self.subject.quotas
                      if q.title == self.award and q.base_title == rule.of_title
                      and q.year == self.year), None)
        if count is None:
            return Check(rule.kind, False, Label(
                f"Chưa có số người đạt {base.vi} và {award.vi} của đơn vị năm {self.year} "
                "để tính định mức",
                f"The unit's counts of holders of {base.en} and {award.en} for {self.year} "
                "are missing, so the quota cannot be worked out",
            ), (), rule.legal_basis)
        limit = floor(rule.share * count.base_holders)
        share = percent(rule.share)
        of = Label(f"{share} của {count.base_holders} người đạt {base.vi}",
                   f"{share} of the {count.base_holders} holders of {base.en}")
        after = count.holders + 1
        if after <= limit:
            return Check(rule.kind, True, Label(
                f"{count.unit} năm {self.year}: kể cả người này có {after} {award.vi}, "
                f"trong mức tối đa {limit} người ({of.vi})",
                f"{count.unit}, {self.year}: with this nomination, {after} holders of "
                f"{award.en} of at most {limit} ({of.en})",
            ), (count,), rule.legal_basis)
        return Check(rule.kind, False, Label(
            f"{count.unit} năm {self.year} đã có {count.holders} {award.vi}, mức tối đa là "
            f"{limit} người ({of.vi}); thêm người này là {after}, vượt định mức",
            f"{count.unit} already has {count.holders} holders of {award.en} for {self.year}, "
            f"at most {limit} allowed ({of.en}); this nomination would make {after}, over "
            "the quota",
        ), (count,), rule.legal_basis)
