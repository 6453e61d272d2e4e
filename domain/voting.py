"""The council's secret ballot: quorum and approval share, computed from the tally."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from domain.errors import InvalidVoteTally, OutcomeContradictsTally, QuorumNotMet
from domain.vocabulary import OUTCOME_NAMES, Label, ReviewOutcome

TALLY_KEYS = ("members", "present", "for", "against", "abstain")
COMPARISONS = ("more_than", "at_least")


@dataclass(frozen=True)
class VoteRule:
    """Quorum: a share of members present. Approval: a share of *all* members in favour."""

    quorum: Fraction
    approval_share: Fraction
    comparison: str = "more_than"

    def to_dict(self) -> dict[str, str]:
        return {"quorum": str(self.quorum), "approval_share": str(self.approval_share),
                "comparison": self.comparison}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoteRule:
        return cls(_fraction(data["quorum"]), _fraction(data["approval_share"]),
                   data["comparison"])

    def describe(self, language: str = "en") -> str:
        """The rule in words, in English or (``"vi"``) in Vietnamese."""
        sign = ">" if self.comparison == "more_than" else "≥"
        if language == "vi":
            return (f"có mặt ≥ {self.quorum} tổng số thành viên; "
                    f"đồng ý {sign} {self.approval_share} tổng số thành viên")
        return (f"quorum ≥ {self.quorum} of members present; "
                f"approval {sign} {self.approval_share} of all members")


@dataclass(frozen=True)
class VoteResult:
    quorum_met: bool
    approved: bool
    share_for: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {"quorum_met": self.quorum_met, "approved": self.approved,
                "share_for": str(self.share_for)}


def check_tally(votes: dict[str, int]) -> None:
    """The tally must add up: members ≥ present = for + against + abstain."""
    missing = [k for k in TALLY_KEYS if k not in votes]
    if missing:
        raise InvalidVoteTally(f"Missing {', '.join(missing)} in the vote tally",
                               vi=f"Kết quả kiểm phiếu thiếu {', '.join(missing)}")
    if any(not isinstance(votes[k], int) or votes[k] < 0 for k in TALLY_KEYS):
        raise InvalidVoteTally("Vote counts must be whole numbers, zero or more",
                               vi="Số phiếu phải là số nguyên, từ 0 trở lên")
    ballots = votes["for"] + votes["against"] + votes["abstain"]
    if votes["members"] < 1 or votes["present"] > votes["members"] or ballots != votes["present"]:
        # Each member present is counted once: for, against, or abstaining (an invalid
        # ballot counts as an abstention, which is what it amounts to against the share).
        raise InvalidVoteTally(
            f"Inconsistent tally: {votes['members']} members, {votes['present']} present, "
            f"{ballots} counted (for + against + abstaining must equal those present)",
            vi=f"Kết quả kiểm phiếu không khớp: {votes['members']} thành viên, "
               f"{votes['present']} có mặt, {ballots} phiếu được tính (đồng ý + không đồng ý "
               f"+ không biểu quyết phải bằng số thành viên có mặt)",
        )


def count(votes: dict[str, int], rule: VoteRule) -> VoteResult:
    check_tally(votes)
    members = votes["members"]
    share_for = Fraction(votes["for"], members)
    quorum_met = Fraction(votes["present"], members) >= rule.quorum
    if rule.comparison == "more_than":
        enough = share_for > rule.approval_share
    else:
        enough = share_for >= rule.approval_share
    return VoteResult(quorum_met, quorum_met and enough, share_for)


def require_consistent(outcome: str, votes: dict[str, int], rule: VoteRule) -> VoteResult:
    """The outcome the council records must be the one its ballot gives."""
    result = count(votes, rule)
    if not result.quorum_met:
        raise QuorumNotMet(
            f"{votes['present']} of {votes['members']} members present; the quorum is "
            f"{rule.quorum} of members ({rule.describe()})",
            vi=f"{votes['present']}/{votes['members']} thành viên có mặt; cần có mặt ít nhất "
               f"{rule.quorum} tổng số thành viên ({rule.describe('vi')})",
        )
    if (outcome == ReviewOutcome.APPROVE) != result.approved:
        verdict = "approves" if result.approved else "does not approve"
        verdict_vi = "là thông qua" if result.approved else "là không thông qua"
        named = OUTCOME_NAMES.get(outcome, Label(outcome, outcome))
        raise OutcomeContradictsTally(
            f"The ballot ({votes['for']} for of {votes['members']} members) {verdict}; "
            f"'{named.en}' contradicts it ({rule.describe()})",
            vi=f"Kết quả bỏ phiếu ({votes['for']}/{votes['members']} thành viên đồng ý) "
               f"{verdict_vi}; chọn '{named.vi}' là trái với kết quả bỏ phiếu "
               f"({rule.describe('vi')})",
        )
    return result


@lru_cache(maxsize=256)
def _fraction(text: str) -> Fraction:
    """A recorded share such as "2/3": read on every replay of a proposal, from a handful
    of distinct values."""
    return Fraction(text)
