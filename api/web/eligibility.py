"""The eligibility checklist in one language, as the dossier and the meeting page show it:
each rule with ✓, ✗ or "not checked", its explanation, the evidence it used (awards with
their year and decision, facts, service, the initiative, the quota's counts) and legal
basis; a quota rule's count as a meter; each reason given to go on despite a failed
rule, said prominently, for every later reviewer and auditor."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api import labels
from api.deps import laurel_of
from api.reads.checklist import CheckLine, Checklist, QuotaMeter, checklist
from api.web.catalogue import MESSAGES
from api.web.session import Words, language
from domain.eligibility.rules import FACT_KINDS
from domain.errors import DomainError
from domain.policy import Policy

MARKS = {True: "✓", False: "✗", None: "–"}


@dataclass(frozen=True)
class ShownCheck:
    rule: str
    """The rule's kind, named."""
    state: str
    """"passed", "failed" or "unchecked" (the page's class for it)."""
    mark: str
    result: str
    explanation: str
    evidence: list[str]
    legal_basis: str
    meter: str
    """"Định mức: 1/1 (15 % của 7 Lao động tiên tiến)", or ""."""
    over: bool


@dataclass(frozen=True)
class ShownChecklist:
    eligible: bool | None
    verdict: str
    note: str
    checks: list[ShownCheck]
    overrides: list[str]

    @property
    def mark(self) -> str:
        return MARKS[self.eligible]

    @property
    def meters(self) -> list[ShownCheck]:
        return [c for c in self.checks if c.meter]

    @property
    def failed(self) -> list[ShownCheck]:
        return [c for c in self.checks if c.state == "failed"]


async def checklist_of(request: Request, row: dict[str, Any]) -> ShownChecklist | None:
    """The checklist of the nomination whose read-model row is ``row``, in the page's
    language; worked out off the event loop (it reads the event store and the counts)."""
    laurel = laurel_of(request)
    found = await asyncio.to_thread(checklist, laurel, row, laurel.clock())
    return shown(found, Words(laurel, language(request))) if found is not None else None


def shown(found: Checklist, words: Words) -> ShownChecklist:
    """``found`` in the language of ``words``."""
    policy = _policy(words, found.policy_version)
    eligible = found.eligible
    verdict = {True: "check.eligible", False: "check.not_eligible",
               None: "check.unchecked_all"}[eligible]
    note = words.t("check.live" if found.live else "check.recorded",
                   day=words.day(found.evaluated_on), version=found.policy_version)
    return ShownChecklist(
        eligible=eligible, verdict=words.t(verdict), note=note,
        checks=[_check(c, policy, words) for c in found.checks],
        overrides=[_override(o.reason, o.step, o.level, o.at, words) for o in found.overrides])


def _policy(words: Words, version: str) -> Policy:
    try:
        return words.laurel.policies.version(version)
    except DomainError:
        return words.laurel.policy


def _override(reason: str, step: str, level: str, at: Any, words: Words) -> str:
    said = (words.t("check.override_review", level=words.level(level), reason=reason)
            if step == "review" else words.t("check.override", reason=reason))
    return f"{said} ({words.t('check.override_when', moment=words.moment(at))})" if at \
        else said


def _check(check: CheckLine, policy: Policy, words: Words) -> ShownCheck:
    over = check.meter is not None and check.meter.over
    passed = (not over) if check.meter is not None else check.passed
    state = {True: "passed", False: "failed", None: "unchecked"}[passed]
    result = {True: "check.passed", False: "check.failed", None: "check.not_checked"}[passed]
    kind = f"rule_kind.{check.rule}"
    return ShownCheck(
        rule=words.t(kind) if kind in MESSAGES else check.rule, state=state,
        mark=MARKS[passed], result=words.t(result),
        explanation=words.pick(check.explanation),
        evidence=[line for e in check.evidence if (line := evidence(e, policy, words))],
        legal_basis=check.legal_basis,
        meter=meter(check.meter, policy, words) if check.meter else "", over=over)


def meter(found: QuotaMeter, policy: Policy, words: Words) -> str:
    """"Định mức: 1/1 (15 % của 7 Lao động tiên tiến)", with "vượt định mức" when over."""
    text = words.t("check.quota_meter", counted=found.counted, limit=found.limit,
                   share=found.share, base_holders=found.base_holders,
                   base=_award(policy, found.base_title, words))
    return f"{text} — {words.t('check.quota_over')}" if found.over else text


def _award(policy: Policy, code: str, words: Words) -> str:
    return words.pick(labels.award_name(policy, code))


def evidence(item: dict[str, Any], policy: Policy, words: Words) -> str:
    """One piece of evidence as a line a council member reads."""
    kind = item.get("kind")
    source = f" ({item['evidence']})" if item.get("evidence") else ""
    if kind == "award":
        parts = [words.t("check.evidence_award", award=_award(policy, item["award"], words),
                         year=item["year"])]
        if item.get("decision_number"):
            decision = words.t("check.evidence_decision", number=item["decision_number"])
            if item.get("decision_date"):
                decision += " " + words.t("check.evidence_decision_day",
                                          day=words.day(item["decision_date"]))
            parts.append(decision)
        if item.get("issuer"):
            parts.append(str(item["issuer"]))
        if item.get("revoked_on"):
            parts.append(words.t("check.evidence_revoked", day=words.day(item["revoked_on"])))
        return ", ".join(parts)
    if kind == "fact":
        name = FACT_KINDS.get(str(item.get("fact")))
        fact = (name.en if words.lang == "en" else name.vi) if name else str(item.get("fact"))
        if item.get("end"):
            return words.t("check.evidence_fact", fact=fact, start=words.day(item["start"]),
                           end=words.day(item["end"])) + source
        return words.t("check.evidence_fact_open", fact=fact,
                       start=words.day(item["start"])) + source
    if kind == "service":
        return words.t("check.evidence_service", start=words.day(item["start"])) + source
    if kind == "initiative":
        if not item.get("recognised_on"):
            return words.t("check.evidence_initiative_new", title=item["title"])
        said = words.t("check.evidence_initiative", title=item["title"],
                       day=words.day(item["recognised_on"]))
        return f"{said}, {item['recognition']}" if item.get("recognition") else said
    if kind == "initiative_use":
        said = words.t("check.evidence_use", award=_award(policy, item["award"], words),
                       year=item["year"], unit=item["unit"])
        if item.get("decision_number"):
            said += ", " + words.t("check.evidence_decision", number=item["decision_number"])
        return said
    if kind == "registration":
        return words.t("check.evidence_registration", award=_award(policy, item["award"], words),
                       year=item["year"], day=words.day(item["registered_on"]))
    if kind == "quota_count":
        return words.t("check.evidence_quota", unit=item["unit"], year=item["year"],
                       holders=item["holders"], award=_award(policy, item["title"], words),
                       base_holders=item["base_holders"],
                       base=_award(policy, item["base_title"], words))
    return ""

