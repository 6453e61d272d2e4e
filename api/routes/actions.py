"""What proposers, boards and deciders do to a nomination outside the task inbox:
supplement a returned dossier, withdraw, object during the public notice, resolve an
objection, revoke an award. Each answers with the state the command left."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from api import commands
from api.deps import CommandOnVersion, PublicCommandOnVersion
from api.problems import PROBLEM_RESPONSES, THROTTLED_RESPONSES
from api.schemas import (
    ActionResult,
    ObjectionConfirmationCreate,
    ObjectionCreate,
    ObjectionResolutionCreate,
    ObjectionResult,
    RevocationCreate,
    SupplementCreate,
    WithdrawalCreate,
)
from api.throttle import client_of, throttles_of

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


@router.post("/{nomination_id}/objections", status_code=status.HTTP_201_CREATED,
             responses=THROTTLED_RESPONSES)
async def lodge_objection(
    nomination_id: str, body: ObjectionCreate, command: PublicCommandOnVersion,
    request: Request,
) -> ObjectionResult:
    """An objection during the public notice (công khai, lấy ý kiến): by any signed-in
    user, or by anyone with the tracking code published in the notice.

    Someone signed in is accountable for it: it holds the nomination at once, until the
    board dismisses or upholds it. Without an account it holds nothing until confirmed:
    a 6-digit code goes to the e-mail address given as `contact` (valid 30 minutes, 5
    tries), to be sent back to `…/objections/{objection_id}/confirmation`; without an
    e-mail address it never holds anything, though the board reads it. Limited per client
    address and per nomination (429 with `Retry-After`)."""
    throttles_of(request).objection(client_of(request), nomination_id)
    result = await command.give(commands.lodge_objection(command.user, command.laurel,
                                                         nomination_id, body))
    return await commands.objection_answer(request.app.state.mailer, command.laurel, result,
                                           body.tracking_code)


@router.post("/{nomination_id}/objections/{objection_id}/confirmation",
             responses=THROTTLED_RESPONSES)
async def confirm_objection(
    nomination_id: str, objection_id: str, body: ObjectionConfirmationCreate,
    command: PublicCommandOnVersion, request: Request,
) -> ObjectionResult:
    """The objector sends back the code e-mailed to them: the objection now holds the
    nomination (`on_hold`) and the board's task opens. A wrong code is counted (422, with
    the tries left); the fifth locks the objection (409); a code lasts 30 minutes.
    No account needed: the objection's id and its code are the proof."""
    throttles_of(request).confirmation(client_of(request))
    result = await command.give(commands.confirm_objection(nomination_id, objection_id, body))
    return commands.confirmed_answer(result)


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
