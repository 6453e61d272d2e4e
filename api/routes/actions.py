"""What proposers, boards and deciders do to a nomination outside the task inbox:
supplement a returned dossier, withdraw, object during the public notice, resolve an
objection, revoke an award. Each answers with the state the command left."""

from __future__ import annotations

from fastapi import APIRouter, status

from api import commands
from api.deps import CommandOnVersion, PublicCommandOnVersion
from api.problems import PROBLEM_RESPONSES
from api.schemas import (
    ActionResult,
    ObjectionCreate,
    ObjectionResolutionCreate,
    RevocationCreate,
    SupplementCreate,
    WithdrawalCreate,
)

router = APIRouter(prefix="/nominations", tags=["nominations"], responses=PROBLEM_RESPONSES)


@router.post("/{nomination_id}/supplement")
async def supplement(
    nomination_id: str, body: SupplementCreate, command: CommandOnVersion,
) -> ActionResult:
    """The proposing unit answers a return for supplement with a new dossier version;
    the review resumes at the level that returned it. Every version stays in the history."""
    result = await command.give(commands.supplement(command.user, command.laurel,
                                                    nomination_id, body))
    return commands.action_result(result, dossier=True)


@router.post("/{nomination_id}/withdraw")
async def withdraw(
    nomination_id: str, body: WithdrawalCreate, command: CommandOnVersion,
) -> ActionResult:
    """The proposer withdraws before the decision; every open task closes."""
    result = await command.give(commands.withdraw(command.user, command.laurel,
                                                  nomination_id, body))
    return commands.action_result(result)


@router.post("/{nomination_id}/objections", status_code=status.HTTP_201_CREATED)
async def lodge_objection(
    nomination_id: str, body: ObjectionCreate, command: PublicCommandOnVersion,
) -> ActionResult:
    """An objection during the public notice (công khai, lấy ý kiến): by any signed-in
    user, or by anyone with the tracking code published in the notice. It holds the
    nomination until the board dismisses or upholds it."""
    result = await command.give(commands.lodge_objection(command.user, nomination_id, body))
    return commands.action_result(result)


@router.post("/{nomination_id}/objections/{objection_id}/resolution")
async def resolve_objection(
    nomination_id: str, objection_id: str, body: ObjectionResolutionCreate,
    command: CommandOnVersion,
) -> ActionResult:
    """The board of the level that gave notice verifies the objection: dismissed, the
    nomination goes on (held still while another objection is pending); upheld, it is
    rejected."""
    result = await command.give(commands.resolve_objection(
        command.user, command.laurel, nomination_id, objection_id, body))
    return commands.action_result(result)


@router.post("/{nomination_id}/revoke")
async def revoke(
    nomination_id: str, body: RevocationCreate, command: CommandOnVersion,
) -> ActionResult:
    """Revoke an award (thu hồi) by a decision of the deciding unit: recorded, never
    deleted."""
    result = await command.give(commands.revoke(command.user, command.laurel, nomination_id,
                                                body))
    return commands.action_result(result)
