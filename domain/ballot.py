"""A council's ballot on one nomination, from the roster the policy gives it.

Where the reviewing unit's council has a roster for the day (``LevelSteps.council``), the
ballot's members are not typed: they are the roster's members less those who step aside
from this nomination — a member who is its nominee (their ``person_id`` is the nominee's
in the register) or its proposer (their ``username`` is the proposer's account). A tally
that gives ``members`` must give that count. Without a roster, the tally's ``members``
stands as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from domain.errors import BallotNotTheRoster
from domain.level_steps import Council, LevelSteps

RECUSAL_REASONS = {
    "nominee": ("the nominee", "là người được đề nghị"),
    "proposer": ("the proposer", "là người đề nghị"),
}


@dataclass(frozen=True)
class Recusal:
    """A member who steps aside from a nomination, and why (``nominee`` / ``proposer``)."""

    username: str
    name: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {"username": self.username, "name": self.name, "why": self.why}

    def said(self, language: str = "en") -> str:
        en, vi = RECUSAL_REASONS.get(self.why, (self.why, self.why))
        return f"{self.name} ({vi if language == 'vi' else en})"


@dataclass(frozen=True)
class Ballot:
    """The roster's ballot on one nomination."""

    council: Council
    recused: tuple[Recusal, ...] = ()

    @property
    def members(self) -> int:
        return len(self.council.members) - len(self.recused)

    @property
    def written_opinions(self) -> str:
        return self.council.written_opinions

    def complete(self, votes: Mapping[str, int]) -> dict[str, int]:
        """The tally with the roster's members; one that typed another count is refused,
        naming the roster's count and who stepped aside."""
        typed = votes.get("members")
        if typed is not None and typed != self.members:
            roster = len(self.council.members)
            aside = "; ".join(r.said() for r in self.recused) or "nobody"
            aside_vi = "; ".join(r.said("vi") for r in self.recused) or "không có ai"
            raise BallotNotTheRoster(
                f"The council of {self.council.unit_id} has {roster} members on its roster "
                f"({self.council.term_from.isoformat()} – {self.council.term_to.isoformat()})"
                f"; {len(self.recused)} step aside from this nomination ({aside}): the "
                f"ballot's members are {self.members}, not {typed}",
                vi=f"Hội đồng của đơn vị {self.council.unit_id} có {roster} thành viên "
                   f"(nhiệm kỳ {self.council.term_from.isoformat()} – "
                   f"{self.council.term_to.isoformat()}); {len(self.recused)} người không "
                   f"tham gia xét hồ sơ này ({aside_vi}): tổng số thành viên của phiếu là "
                   f"{self.members}, không phải {typed}")
        return {**votes, "members": self.members}

    def to_dict(self) -> dict[str, Any]:
        """What the Reviewed event records of the roster."""
        chair = self.council.chair
        return {"unit_id": self.council.unit_id,
                "term_from": self.council.term_from.isoformat(),
                "term_to": self.council.term_to.isoformat(),
                "chair": chair.username if chair else "",
                "roster": len(self.council.members), "members": self.members,
                "written_opinions": self.written_opinions,
                "recused": [r.to_dict() for r in self.recused]}


def ballot_for(council: Council, nominee_person_id: str, proposer: str) -> Ballot:
    """The ballot of ``council`` on a nomination of that nominee, by that proposer."""
    recused = []
    for member in council.members:
        if nominee_person_id and member.person_id == nominee_person_id:
            recused.append(Recusal(member.username, member.name, "nominee"))
        elif proposer and member.username == proposer:
            recused.append(Recusal(member.username, member.name, "proposer"))
    return Ballot(council, tuple(recused))


BallotOf = Callable[[str], "Ballot | None"]
"""The ballot of the council of a unit (by its id) on one nomination; None: no roster."""


def ballots(steps: LevelSteps, zone: tzinfo, at: datetime, nominee: Mapping[str, Any],
            proposer: Callable[[], str]) -> BallotOf:
    """The ballots of the councils sitting on ``at``'s day (in the policy's zone) on a
    nomination of ``nominee``; ``proposer`` is asked only where there is a roster."""
    day = at.astimezone(zone).date()

    def ballot(unit_id: str) -> Ballot | None:
        council = steps.council(unit_id, day)
        if council is None:
            return None
        return ballot_for(council, str(nominee.get("person_id") or ""), proposer())

    return ballot


def proposer_of(events: Callable[..., Iterable[Any]], nomination_id: Any) -> str:
    """The account that proposed the nomination: the actor of its first event."""
    first = next(iter(events(nomination_id, lte=1)), None)
    return str(getattr(first, "actor", "") or "")
