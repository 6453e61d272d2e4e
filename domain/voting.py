"""The council's secret ballot: quorum and approval share, computed from the tally.

Absent members may send a written opinion (``written_for`` / ``written_against``, at most
the members absent). The council's roster says whether they count
(``domain.level_steps.WRITTEN_OPINIONS``): ``counted`` adds the written opinions in
favour to the votes for, over all members; ``not_counted`` records them only. The quorum
is always of members present."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from domain.errors import InvalidVoteTally, OutcomeContradictsTally, QuorumNotMet
from domain.vocabulary import OUTCOME_NAMES, Label, ReviewOutcome

TALLY_KEYS = ("members", "present", "for", "against", "abstain")
WRITTEN_KEYS = ("written_for", "written_against")
"""Absent members' written opinions, optional in a tally (none: zero)."""
COUNTED = "counted"
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

    def describe(self, language: str = "en", written_opinions: str = "") -> str:
        """The rule in words, in English or (``"vi"``) in Vietnamese; with
        ``written_opinions`` (``counted`` / ``not_counted``), how absent members' written
        opinions count."""
        sign = ">" if self.comparison == "more_than" else "≥"
        if language == "vi":
            said = (f"có mặt ≥ {self.quorum} tổng số thành viên; "
                    f"đồng ý {sign} {self.approval_share} tổng số thành viên")
            if written_opinions == COUNTED:
                said += ("; ý kiến bằng văn bản của thành viên vắng mặt được tính "
                         "vào số đồng ý")
            elif written_opinions:
                said += ("; ý kiến bằng văn bản của thành viên vắng mặt được ghi nhận, "
                         "không tính vào kết quả")
            return said
        said = (f"quorum ≥ {self.quorum} of members present; "
                f"approval {sign} {self.approval_share} of all members")
        if written_opinions == COUNTED:
            said += "; absent members' written opinions in favour count as votes for"
        elif written_opinions:
            said += "; absent members' written opinions are recorded, not counted"
        return said


@dataclass(frozen=True)
class VoteResult:
    quorum_met: bool
    approved: bool
    share_for: Fraction
    written_opinions: str = ""
    """How absent members' written opinions were taken ("" when the tally had none)."""

    def to_dict(self) -> dict[str, Any]:
        return {"quorum_met": self.quorum_met, "approved": self.approved,
                "share_for": str(self.share_for),
                **({"written_opinions": self.written_opinions}
                   if self.written_opinions else {})}


def check_tally(votes: dict[str, int]) -> None:
    """The tally must add up: members ≥ present = for + against + abstain, and the
    written opinions of absent members at most the members absent."""
    missing = [k for k in TALLY_KEYS if k not in votes]
    if missing:
        raise InvalidVoteTally(f"Missing {', '.join(missing)} in the vote tally",
                               vi=f"Kết quả kiểm phiếu thiếu {', '.join(missing)}")
    given = TALLY_KEYS + tuple(k for k in WRITTEN_KEYS if k in votes)
    if any(not isinstance(votes[k], int) or votes[k] < 0 for k in given):
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
    written, absent = _written(votes), votes["members"] - votes["present"]
    if sum(written) > absent:
        raise InvalidVoteTally(
            f"{sum(written)} written opinions ({written[0]} for, {written[1]} against) from "
            f"{absent} absent members: only a member absent sends one",
            vi=f"{sum(written)} ý kiến bằng văn bản ({written[0]} đồng ý, {written[1]} không "
               f"đồng ý) nhưng chỉ có {absent} thành viên vắng mặt: chỉ thành viên vắng mặt "
               f"mới gửi ý kiến bằng văn bản",
        )


def _written(votes: dict[str, int]) -> tuple[int, int]:
    return votes.get("written_for", 0), votes.get("written_against", 0)


def votes_for(votes: dict[str, int], written_opinions: str = "") -> int:
    """The votes for, with absent members' written opinions in favour when they count."""
    return votes["for"] + (_written(votes)[0] if written_opinions == COUNTED else 0)


def count(votes: dict[str, int], rule: VoteRule, written_opinions: str = "") -> VoteResult:
    """``written_opinions``: the roster's ``counted`` / ``not_counted`` ("": no roster,
    written opinions are recorded, not counted)."""
    check_tally(votes)
    members = votes["members"]
    share_for = Fraction(votes_for(votes, written_opinions), members)
    quorum_met = Fraction(votes["present"], members) >= rule.quorum
    if rule.comparison == "more_than":
        enough = share_for > rule.approval_share
    else:
        enough = share_for >= rule.approval_share
    written = (written_opinions or "not_counted") if any(_written(votes)) else ""
    return VoteResult(quorum_met, quorum_met and enough, share_for, written)


def require_consistent(outcome: str, votes: dict[str, int], rule: VoteRule,
                       written_opinions: str = "") -> VoteResult:
    """The outcome the council records must be the one its ballot gives."""
    result = count(votes, rule, written_opinions)
    how = written_opinions or ("not_counted" if any(_written(votes)) else "")
    if not result.quorum_met:
        raise QuorumNotMet(
            f"{votes['present']} of {votes['members']} members present; the quorum is "
            f"{rule.quorum} of members ({rule.describe(written_opinions=how)})",
            vi=f"{votes['present']}/{votes['members']} thành viên có mặt; cần có mặt ít nhất "
               f"{rule.quorum} tổng số thành viên ({rule.describe('vi', how)})",
        )
    if (outcome == ReviewOutcome.APPROVE) != result.approved:
        verdict = "approves" if result.approved else "does not approve"
        verdict_vi = "là thông qua" if result.approved else "là không thông qua"
        named = OUTCOME_NAMES.get(outcome, Label(outcome, outcome))
        yes = votes_for(votes, written_opinions)
        written, written_vi = "", ""
        if any(_written(votes)):
            taken = "counted" if written_opinions == COUNTED else "not counted"
            taken_vi = "được tính" if written_opinions == COUNTED else "không được tính"
            written = (f", written opinions {taken}: {_written(votes)[0]} for, "
                       f"{_written(votes)[1]} against")
            written_vi = (f", ý kiến bằng văn bản {taken_vi}: {_written(votes)[0]} đồng ý, "
                          f"{_written(votes)[1]} không đồng ý")
        raise OutcomeContradictsTally(
            f"The ballot ({yes} for of {votes['members']} members{written}) {verdict}; "
            f"'{named.en}' contradicts it ({rule.describe(written_opinions=how)})",
            vi=f"Kết quả bỏ phiếu ({yes}/{votes['members']} thành viên đồng ý{written_vi}) "
               f"{verdict_vi}; chọn '{named.vi}' là trái với kết quả bỏ phiếu "
               f"({rule.describe('vi', how)})",
        )
    return result


@lru_cache(maxsize=256)
def _fraction(text: str) -> Fraction:
    """A recorded share such as "2/3": read on every replay of a proposal, from a handful
    of distinct values."""
    return Fraction(text)
