"""What proposers, boards and deciders do to a nomination outside the task inbox:
supplement a returned dossier, withdraw, object during the public notice, resolve an
objection, revoke an award."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, status

from api.deps import Clock, CurrentUser, IdempotencyKey, IfMatch, LaurelDep, optional_user
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
from domain.errors import NotFound
from domain.nomination import PUBLIC, Actor
from laurel.bootstrap import Laurel
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
    nomination_id: str, body: SupplementCreate, user: CurrentUser, laurel: LaurelDep,
    clock: Clock, expected: IfMatch, key: IdempotencyKey,
) -> ActionResult:
    """The proposing unit answers a return for supplement with a new dossier version;
    the review resumes at the level that returned it. Every version stays in the history."""

    def command() -> ActionResult:
        row = _visible(user, laurel, nomination_id)
        achievements = row["achievements"] if body.achievements is None else body.achievements
        version = laurel.nominations.supplement(
            UUID(nomination_id), user, documents=[d.model_dump() for d in body.documents],
            achievements=achievements, note=body.note, at=clock(), expected_version=expected,
            request_key=key,
        )
        return _result(nomination_id, "under_review", dossier_version=version)

    return await laurel.commands.run(command)


@router.post("/{nomination_id}/withdraw")
async def withdraw(
    nomination_id: str, body: WithdrawalCreate, user: CurrentUser, laurel: LaurelDep,
    clock: Clock, expected: IfMatch, key: IdempotencyKey,
) -> ActionResult:
    """The proposer withdraws before the decision; every open task closes."""

    def command() -> ActionResult:
        _visible(user, laurel, nomination_id)
        laurel.nominations.withdraw(UUID(nomination_id), user, reason=body.reason, at=clock(),
                                    expected_version=expected, request_key=key)
        return _result(nomination_id, "withdrawn")

    return await laurel.commands.run(command)


@router.post("/{nomination_id}/objections", status_code=status.HTTP_201_CREATED)
async def lodge_objection(
    nomination_id: str, body: ObjectionCreate, laurel: LaurelDep, clock: Clock,
    user: Annotated[Actor | None, Depends(optional_user)], expected: IfMatch,
    key: IdempotencyKey,
) -> ActionResult:
    """An objection during the public notice (công khai, lấy ý kiến): by any signed-in
    user, or by anyone with the tracking code published in the notice. It holds the
    nomination until the board dismisses or upholds it."""

    def command() -> ActionResult:
        with laurel.engine.connect() as conn:
            row = queries.nomination(conn, nomination_id) if _is_uuid(nomination_id) else None
        if user is None:
            code = body.tracking_code.strip().upper()
            if not code:
                raise Unauthenticated("Sign in, or give the tracking code of the public notice")
            if row is None or row["tracking_code"] != code:
                raise NotFound(f"No nomination {nomination_id} with that tracking code")
        elif row is None:
            raise NotFound(f"No nomination {nomination_id}")
        objection_id = laurel.nominations.lodge_objection(
            UUID(nomination_id), user or PUBLIC, text=body.text, contact=body.contact,
            at=clock(), expected_version=expected, request_key=key)
        return _result(nomination_id, "on_hold", objection_id=objection_id)

    return await laurel.commands.run(command)


@router.post("/{nomination_id}/objections/{objection_id}/resolution")
async def resolve_objection(
    nomination_id: str, objection_id: str, body: ObjectionResolutionCreate,
    user: CurrentUser, laurel: LaurelDep, clock: Clock, expected: IfMatch,
    key: IdempotencyKey,
) -> ActionResult:
    """The board of the level that gave notice verifies the objection: dismissed, the
    nomination goes on; upheld, it is rejected."""

    def command() -> ActionResult:
        _visible(user, laurel, nomination_id)
        laurel.nominations.resolve_objection(UUID(nomination_id), objection_id, user,
                                             outcome=body.outcome, note=body.note, at=clock(),
                                             expected_version=expected, request_key=key)
        outcome = "rejected" if body.outcome == "upheld" else "public_notice"
        return _result(nomination_id, outcome)

    return await laurel.commands.run(command)


@router.post("/{nomination_id}/revoke")
async def revoke(
    nomination_id: str, body: RevocationCreate, user: CurrentUser, laurel: LaurelDep,
    clock: Clock, expected: IfMatch, key: IdempotencyKey,
) -> ActionResult:
    """Revoke an award (thu hồi) by a decision of the deciding unit: recorded, never
    deleted."""

    def command() -> ActionResult:
        _visible(user, laurel, nomination_id)
        laurel.nominations.revoke(
            UUID(nomination_id), user, reason=body.reason,
            decision_number=body.decision_number,
            decision_date=body.decision_date.isoformat(), at=clock(),
            expected_version=expected, request_key=key)
        return _result(nomination_id, "revoked")

    return await laurel.commands.run(command)


def _visible(user: Actor, laurel: Laurel, nomination_id: str) -> dict[str, Any]:
    with laurel.engine.connect() as conn:
        return visible_row(user, laurel, conn, nomination_id)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
