"""A verdict on eligibility: every rule's check, passed or not, explained in Vietnamese
and English, with the awards and facts it used and the legal basis it applied.

``to_dict`` gives both languages (what an event records: a verdict is recorded, not
recomputed); ``for_language`` the answer a client reads in its own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.eligibility.subject import Evidence, evidence_from_dict
from domain.vocabulary import Label


@dataclass(frozen=True)
class Check:
    rule: str
    """The rule's kind (``rules.RULE_KINDS``): a stable name clients may rely on."""
    passed: bool | None
    """None: not checked, for a nominee named only, outside the register (the council
    checks it from the dossier, as before Laurel)."""
    explanation: Label
    evidence: tuple[Evidence, ...]
    legal_basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed,
                "explanation": {"vi": self.explanation.vi, "en": self.explanation.en},
                "evidence": [e.to_dict() for e in self.evidence],
                "legal_basis": self.legal_basis}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        return cls(data["rule"], data["passed"], Label(**data["explanation"]),
                   tuple(evidence_from_dict(e) for e in data["evidence"]),
                   data["legal_basis"])


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool | None:
        """Every check passed (an award with no rules is open to anyone it is given to);
        None when none failed but some could not be checked."""
        if self.failed:
            return False
        return None if any(check.passed is None for check in self.checks) else True

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.passed is False)

    def to_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "checks": [c.to_dict() for c in self.checks]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        return cls(tuple(Check.from_dict(c) for c in data["checks"]))

    def for_language(self, language: str) -> dict[str, Any]:
        """``{"eligible", "checks": [{"rule", "passed", "explanation", "evidence",
        "legal_basis"}]}`` with each explanation in ``language`` (``vi`` or ``en``)."""
        english = language == "en"
        return {"eligible": self.eligible, "checks": [
            {"rule": c.rule, "passed": c.passed,
             "explanation": c.explanation.en if english else c.explanation.vi,
             "evidence": [e.to_dict() for e in c.evidence], "legal_basis": c.legal_basis}
            for c in self.checks]}
