"""Eligibility as policy data: the rule vocabulary (``rules``), what a nominee's history
gives them (``subject``), the evaluation (``checks``) and its verdict (``verdict``).

The award catalogue states each award's rules (``Award.eligibility``), read from the
policy file by ``reader``; nothing in Python states what the law requires.
"""

from domain.eligibility.checks import evaluate, unchecked
from domain.eligibility.rules import (
    FACT_KINDS,
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
from domain.eligibility.subject import (
    EligibilitySubject,
    Fact,
    HeldAward,
    Initiative,
    InitiativeUse,
    QuotaCount,
    RegisteredTitle,
    Service,
)
from domain.eligibility.verdict import Check, Verdict

__all__ = [
    "FACT_KINDS", "RULE_KINDS", "Check", "ConsecutiveTitles", "EarlierAward",
    "EligibilitySubject", "Fact", "HeldAward", "Initiative", "InitiativeUse",
    "MinimumService", "NoDisqualifier", "Quota", "QuotaCount", "Registered",
    "RegisteredTitle", "Rule", "Service",
    "UnusedInitiative", "Verdict", "evaluate", "unchecked",
]
