"""Proposals (tờ trình): one submission listing many nominees."""

from __future__ import annotations

from fastapi import APIRouter, status

from api import commands
from api.deps import NewCommand
from api.problems import PROBLEM_RESPONSES
from api.schemas import ProposalCreate, ProposalCreated
from domain.commands import Proposed

router = APIRouter(prefix="/proposals", tags=["nominations"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED)
async def propose_list(body: ProposalCreate, command: NewCommand) -> ProposalCreated:
    """Create one nomination per listed nominee, atomically: if any item is refused, the
    problem names it (``item``, and ``items[i]`` in the detail) and nothing is recorded."""
    proposed = await command.give(commands.propose_list(body))
    assert isinstance(proposed, Proposed)
    return ProposalCreated(proposal_id=proposed.proposal_id,
                           nominations=[commands.created_public(p) for p in proposed.nominations])
