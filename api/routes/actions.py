"""What proposers, boards and deciders do to a nomination outside the task inbox:
supplement a returned dossier, withdraw, object during the public notice, resolve an
objection, revoke an award."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status

from api.deps import Command, CommandOnVersion, PublicCommandOnVersion
from api.problems import PROBLEM_RESPONSES, Unauthenticated
from api.routes.nominations import visible_row
from api.schemas import (
    ActionResult,
    ObjectionCreate,
    ObjectionResolutionCreate,
    RevocationCreate,
    SupplementCreate,
    WithdrawalCreate,
)
from domain.actor import PUBLIC
from domain.errors import NotFound
from projections import queries

router = APIRouter(prefix="/nominations", tags=["nominations"], responses=PROBLEM_RESPONSES)


def _result(nomination_id: str, state: str, **extra: object) -> ActionResult:
    path = f"/nominations/{nomination_id}"
    return ActionResult.model_validate({
        "nomination_id": nomination_id, "status": state,
        "links": {"nomination": path, "history": f"{path}/history"}, **extra,
    })


@router.post("/{nomination_id}/supplement")
async def supplement(
    nomination_id: str, body: SupplementCreate, command: CommandOnVersion,
) -> ActionResult:
    """The proposing unit answers a return for supplement with a new dossier version;
    the review resumes at the level that returned it. Every version stays in the history."""

    def record() -> ActionResult:
        row = _visible(command, nomination_id)
        achievements = row["achievements"] if body.achievements is None else body.achievements
        version = command.laurel.nominations.supplement(
            UUID(nomination_id), command.user,
            documents=[d.model_dump() for d in body.documents], achievements=achievements,
            note=body.note, at=command.clock(), expected_version=command.expected,
            request_key=command.key,
        )
        return _result(nomination_id, "under_review", dossier_version=version)

    return await command.run(record)


@router.post("/{nomination_id}/withdraw")
async def withdraw(
    nomination_id: str, body: WithdrawalCreate, command: CommandOnVersion,
) -> ActionResult:
    """The proposer withdraws before the decision; every open task closes."""

    def record() -> ActionResult:
        _visible(command, nomination_id)
        command.laurel.nominations.withdraw(
            UUID(nomination_id), command.user, reason=body.reason, at=command.clock(),
            expected_version=command.expected, request_key=command.key)
        return _result(nomination_id, "withdrawn")

    return await command.run(record)


@router.post("/{nomination_id}/objections", status_code=status.HTTP_201_CREATED)
async def lodge_objection(
    nomination_id: str, body: ObjectionCreate, command: PublicCommandOnVersion,
) -> ActionResult:
    """An objection during the public notice (công khai, lấy ý kiến): by any signed-in
    user, or by anyone with the tracking code published in the notice. It holds the
    nomination until the board dismisses or upholds it."""

    def record() -> ActionResult:
        with command.laurel.engine.connect() as conn:
            row = queries.nomination(conn, nomination_id) if _is_uuid(nomination_id) else None
        if command.user is PUBLIC:
            code = body.tracking_code.strip().upper()
            if not code:
                raise Unauthenticated("Sign in, or give the tracking code of the public notice")
            if row is None or row["tracking_code"] != code:
                raise NotFound(f"No nomination {nomination_id} with that tracking code")
        elif row is None:
            raise NotFound(f"No nomination {nomination_id}")
        objection_id = command.laurel.nominations.lodge_objection(
            UUID(nomination_id), command.user, text=body.text, contact=body.contact,
            at=command.clock(), expected_version=command.expected, request_key=command.key)
        return _result(nomination_id, "on_hold", objection_id=objection_id)

    return await command.run(record)


@router.post("/{nomination_id}/objections/{objection_id}/resolution")
async def resolve_objection(
    nomination_id: str, objection_id: str, body: ObjectionResolutionCreate,
    command: CommandOnVersion,
) -> ActionResult:
    """The board of the level that gave notice verifies the objection: dismissed, the
    nomination goes on; upheld, it is rejected."""

    def record() -> ActionResult:
        _visible(command, nomination_id)
        command.laurel.nominations.resolve_objection(
            UUID(nomination_id), objection_id, command.user, outcome=body.outcome,
            note=body.note, at=command.clock(), expected_version=command.expected,
            request_key=command.key)
        outcome = "rejected" if body.outcome == "upheld" else "public_notice"
        return _result(nomination_id, outcome)

    return await command.run(record)


@router.post("/{nomination_id}/revoke")
async def revoke(
    nomination_id: str, body: RevocationCreate, command: CommandOnVersion,
) -> ActionResult:
    """Revoke an award (thu hồi) by a decision of the deciding unit: recorded, never
    deleted."""

    def record() -> ActionResult:
        _visible(command, nomination_id)
        command.laurel.nominations.revoke(
            UUID(nomination_id), command.user, reason=body.reason,
            decision_number=body.decision_number,
            decision_date=body.decision_date.isoformat(), at=command.clock(),
            expected_version=command.expected, request_key=command.key)
        return _result(nomination_id, "revoked")

    return await command.run(record)


def _visible(command: Command, nomination_id: str) -> dict[str, Any]:
    """The nomination's row, if the one giving the command may see it."""
    with command.laurel.engine.connect() as conn:
        return visible_row(command.user, command.laurel, conn, nomination_id)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
