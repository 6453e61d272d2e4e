"""Councils' rosters: who sits on a unit's emulation and commendation council this term
(``domain.level_steps``). A ballot's members come from here (``domain.ballot``)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import CurrentUser, LaurelDep
from api.problems import PROBLEM_RESPONSES
from api.reads import councils as reads

router = APIRouter(prefix="/councils", tags=["tasks"], responses=PROBLEM_RESPONSES)


class Words(BaseModel):
    vi: str
    en: str


class CouncilMemberPublic(BaseModel):
    username: str
    name: str
    role: str
    role_name: Words


class CouncilPublic(BaseModel):
    unit_id: str
    unit_name: str
    term_from: date
    term_to: date
    chair: CouncilMemberPublic | None
    members: list[CouncilMemberPublic]
    count: int
    """The roster's members: a ballot's members, less those who step aside."""
    written_opinions: str
    written_opinions_rule: Words


@router.get("/{unit_id}")
async def get_council(unit_id: str, user: CurrentUser, laurel: LaurelDep) -> CouncilPublic:
    """The council of a unit you may read (your own; for reviewers, deciders, auditors and
    administrators, also the units below) sitting today: its term, chair and members with
    their roles, and whether absent members' written opinions count. A ballot at that
    unit takes its `members` from it, less the members who step aside from the
    nomination (its nominee or its proposer). 404 where the policy lists no roster."""
    return CouncilPublic.model_validate(
        reads.council_of(user, laurel.policy, unit_id, laurel.clock()))
