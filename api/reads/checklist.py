"""A nomination's eligibility checklist as the pages show it: each rule of the award with
its verdict, explanation, evidence and legal basis, a quota rule's count as a meter, and
every reason a proposer or a council gave to go on although a rule failed.

While the nomination is in progress the checklist is worked out as things stand (a
history may have changed since the proposal: the council judges today's facts); once it
has ended, it is the verdict last recorded (what decided: an awarded nomination is in the
register's history itself, and counting it again would put it twice in its own quota).
Explanations stay in both languages here; the page picks its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from math import floor
from typing import Any
from uuid import UUID

from domain.eligibility.rules import Quota, percent
from domain.errors import DomainError
from domain.vocabulary import CLOSED_STATUSES
from infrastructure.container import Laurel


@dataclass(frozen=True)
class QuotaMeter:
    """How full a unit's quota is with this nomination counted: ``counted`` of at most
    ``limit`` (``share`` of the ``base_holders`` holders of ``base_title``)."""

    counted: int
    limit: int
    share: str
    base_holders: int
    base_title: str
    year: int

    @property
    def over(self) -> bool:
        return self.counted > self.limit

    def counting(self, more: int) -> QuotaMeter:
        """The meter with ``more`` nominations counted besides (a meeting's earlier
        approvals; negative: those the meeting itself counts again)."""
        return replace(self, counted=max(self.counted + more, 1))


@dataclass(frozen=True)
class CheckLine:
    rule: str
    passed: bool | None
    """None: not checked (a nominee outside the register)."""
    explanation: dict[str, str]
    """{"vi", "en"}."""
    evidence: list[dict[str, Any]]
    legal_basis: str
    meter: QuotaMeter | None = None


@dataclass(frozen=True)
class Override:
    """A reason given to go on although a rule failed, by whom and at which step."""

    reason: str
    step: str
    """"proposal" or "review"."""
    level: str
    at: datetime | None
    actor: str


@dataclass(frozen=True)
class Checklist:
    checks: list[CheckLine]
    policy_version: str
    evaluated_on: str
    live: bool
    """Worked out as things stand; False: the verdict recorded last."""
    overrides: list[Override]
    award_code: str
    unit_id: str
    year: int | None

    @property
    def eligible(self) -> bool | None:
        """Every check passed (a meter over its limit fails); None when none failed but
        some could not be checked."""
        if any((c.passed is False and c.meter is None) or (c.meter is not None and c.meter.over)
               for c in self.checks):
            return False
        return None if any(c.passed is None for c in self.checks) else True

    @property
    def failed(self) -> list[CheckLine]:
        return [c for c in self.checks
                if (c.meter.over if c.meter is not None else c.passed is False)]

    def counting(self, more: int) -> Checklist:
        """The checklist with ``more`` nominations counted in each quota (a meeting)."""
        return replace(self, checks=[
            replace(c, meter=c.meter.counting(more)) if c.meter is not None and more else c
            for c in self.checks])


def checklist(laurel: Laurel, row: dict[str, Any], at: datetime) -> Checklist | None:
    """The checklist of the nomination whose read-model row is ``row``, as of ``at``;
    None for an award without rules (and a nomination older than verdicts, ended).

    Reads the event store and the quota counts: called off the event loop."""
    key = UUID(str(row["id"]))
    app = laurel.nominations
    recorded = app.recorded_verdicts(key)
    verdict: dict[str, Any] | None = None
    live = row["status"] not in CLOSED_STATUSES
    if live:
        try:
            verdict = app.eligibility_now(key, at)
        except DomainError:  # an initiative or person gone from the register: as recorded
            live = False
    if not live:
        verdict = recorded[-1] if recorded else row.get("eligibility")
    if verdict is None:
        return None
    overrides = [Override(str(r["override_reason"]), str(r.get("step", "")),
                          str(r.get("level", "")), r.get("recorded_at"), str(r.get("actor", "")))
                 for r in recorded if r.get("override_reason")]
    if not overrides and row.get("override_reason"):
        overrides = [Override(str(row["override_reason"]), "proposal", "", None, "")]
    version = str(verdict.get("policy_version") or row["policy_version"])
    rules = _quota_rules(laurel, version, str(row["award_code"]))
    return Checklist(
        checks=[_line(c, rules) for c in verdict["checks"]], policy_version=version,
        evaluated_on=str(verdict.get("evaluated_on", "")), live=live, overrides=overrides,
        award_code=str(row["award_code"]), unit_id=str(row["unit_id"]), year=row.get("year"))


def _quota_rules(laurel: Laurel, version: str, award_code: str) -> list[Quota]:
    try:
        policy = laurel.policies.version(version)
    except (DomainError, KeyError):
        policy = laurel.policy
    award = policy.awards.get(award_code)
    return [r for r in award.eligibility if isinstance(r, Quota)] if award else []


def _line(check: dict[str, Any], rules: list[Quota]) -> CheckLine:
    meter = None
    if check["rule"] == "quota":
        count = next((e for e in check["evidence"] if e.get("kind") == "quota_count"), None)
        rule = next((r for r in rules if count and r.of_title == count.get("base_title")),
                    None)
        if count is not None and rule is not None:
            meter = QuotaMeter(counted=int(count["holders"]) + 1,
                               limit=floor(rule.share * int(count["base_holders"])),
                               share=percent(rule.share),
                               base_holders=int(count["base_holders"]),
                               base_title=str(count["base_title"]), year=int(count["year"]))
    explanation = check["explanation"]
    if isinstance(explanation, str):
        explanation = {"vi": explanation, "en": explanation}
    return CheckLine(rule=str(check["rule"]), passed=check["passed"],
                     explanation=dict(explanation), evidence=list(check["evidence"]),
                     legal_basis=str(check.get("legal_basis", "")), meter=meter)


def for_meeting(laurel: Laurel, rows: Sequence[dict[str, Any]], approves: Sequence[bool],
                at: datetime) -> list[Checklist | None]:
    """Each listed nomination's checklist as the meeting would leave it: the meeting
    counts its own approvals (``approves``: each row's outcome is one) in the order
    listed, each towards the quota of the rows after it, as the council's list is
    recorded; so a nomination of the list a lower council approved is counted where it
    stands in the list, not before it, and a row the meeting rejects or returns counts
    for no one after it."""
    found = [checklist(laurel, row, at) for row in rows]
    if not any(approves):
        return found
    approved_before: Counter[tuple[str, int | None, str]] = Counter()
    counted_now: Counter[tuple[str, int | None, str]] = Counter(
        (str(r["unit_id"]), r.get("year"), str(r["award_code"])) for r in rows
        if int(r.get("approvals") or 0) > 0 and r["status"] not in CLOSED_STATUSES)
    shifted: list[Checklist | None] = []
    for row, found_here, approved in zip(rows, found, approves, strict=True):
        key = (str(row["unit_id"]), row.get("year"), str(row["award_code"]))
        self_counted = int(row.get("approvals") or 0) > 0 and \
            row["status"] not in CLOSED_STATUSES
        already = counted_now[key] - (1 if self_counted else 0)
        shifted.append(found_here.counting(approved_before[key] - already)
                       if found_here is not None else None)
        if approved:
            approved_before[key] += 1
    return shifted
