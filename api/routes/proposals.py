"""Proposals (tờ trình): one submission listing many nominees."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import NewCommand
from api.problems import PROBLEM_RESPONSES
from api.routes.nominations import created_public
from api.schemas import ProposalCreate, ProposalCreated
from domain.commands import NomineeItem

router = APIRouter(prefix="/proposals", tags=["nominations"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED)
async def propose_list(body: ProposalCreate, command: NewCommand) -> ProposalCreated:
    """Create one nomination per listed nominee, atomically: if any item is refused, the
    problem names it (``item``, and ``items[i]`` in the detail) and nothing is recorded."""
    items = [NomineeItem(i.award_code, i.nominee.model_dump(), i.achievements,
                         [d.model_dump() for d in i.documents], i.procedure)
             for i in body.items]
    proposal_id, proposals = await command.run(lambda: command.laurel.nominations.propose_many(
        command.user, items, at=command.clock(), request_key=command.key))
    return ProposalCreated(proposal_id=proposal_id,
                           nominations=[created_public(p) for p in proposals])
