"""Tasks: a unit's inbox of reviews and decisions, and acting on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy.engine import Connection

from api import labels
from api.deps import (
    Command,
    CommandOnVersion,
    CurrentUser,
    LaurelDep,
    Limit,
    NewCommand,
    Offset,
    read_models,
)
from api.problems import PROBLEM_RESPONSES
from api.schemas import (
    BulkReviewCreate,
    BulkReviewResult,
    DecisionCreate,
    ReviewCreate,
    TaskActionResult,
    TaskPublic,
    TasksPublic,
)
from domain.actor import Actor
from domain.commands import ReviewItem
from domain.errors import BulkItemRefused, NotFound, WrongRole
from domain.policy import Policy
from infrastructure.container import Laurel
from projections import queries

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=PROBLEM_RESPONSES)

KINDS_OF_ROLE = {"reviewer": ("review", "objection"), "decider": ("decision",)}


def _task_public(policy: Policy, row: dict[str, Any]) -> TaskPublic:
    award = labels.award_name(policy, row["award_code"])
    return TaskPublic.model_validate({**row, "award_name": award})


def kinds_acted_on(user: Actor) -> list[str]:
    return [k for r in sorted(user.roles) for k in KINDS_OF_ROLE.get(r, ())]


def _own_task(user: Actor, conn: Connection, task_id: str) -> dict[str, Any]:
    """The task, if it is held by the caller's unit; otherwise it does not exist for them."""
    row = queries.task(conn, task_id)
    if row is None or row["unit_id"] != user.unit_id:
        raise NotFound(f"No task {task_id}")
    return row


@router.get("")
async def inbox(
    user: CurrentUser, laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
) -> TasksPublic:
    """Open tasks of your unit that your roles act on, the earliest due first."""
    return await read_models(laurel, lambda conn: inbox_page(user, laurel, conn, limit, offset))


def inbox_page(user: Actor, laurel: Laurel, conn: Connection, limit: int,
               offset: int) -> TasksPublic:
    kinds = kinds_acted_on(user)
    if not kinds:
        raise WrongRole("The inbox is for reviewers and deciders")
    rows, total = queries.inbox(conn, user.unit_id, kinds, limit, offset)
    return TasksPublic(
        items=[_task_public(laurel.policy, r) for r in rows], total=total, limit=limit,
        offset=offset,
    )


@router.post("/bulk-review")
async def bulk_review(body: BulkReviewCreate, command: NewCommand) -> BulkReviewResult:
    """One council meeting's outcomes for a whole list, each nomination its own event.
    One refused item refuses the list: the problem names it and nothing is recorded."""
    user, laurel = command.user, command.laurel

    def review_all() -> BulkReviewResult:
        rows = []
        with laurel.engine.connect() as conn:
            for i, item in enumerate(body.items):
                try:
                    rows.append(_own_task(user, conn, item.task_id))
                except NotFound as error:
                    raise BulkItemRefused(i, error) from None
        laurel.nominations.review_many(user, [
            ReviewItem(UUID(row["nomination_id"]), item.task_id, item.outcome,
                       item.votes.model_dump(by_alias=True), item.note)
            for row, item in zip(rows, body.items, strict=True)
        ], at=command.clock(), request_key=command.key)
        return BulkReviewResult(recorded=len(rows), items=[
            _result(row, item.outcome) for row, item in zip(rows, body.items, strict=True)])

    return await command.run(review_all)


@router.get("/{task_id}")
async def get_task(task_id: str, user: CurrentUser, laurel: LaurelDep) -> TaskPublic:
    """A task of your unit, for the role that acts on it."""
    return await read_models(laurel, lambda conn: task_to_act_on(task_id, user, laurel, conn))


def task_to_act_on(task_id: str, user: Actor, laurel: Laurel, conn: Connection) -> TaskPublic:
    row = _own_task(user, conn, task_id)
    if row["kind"] not in kinds_acted_on(user):
        acting = "decider" if row["kind"] == "decision" else "reviewer"
        raise WrongRole(f"This task is for the {acting}")
    return _task_public(laurel.policy, row)


def _result(row: dict[str, Any], outcome: str) -> TaskActionResult:
    nomination = f"/nominations/{row['nomination_id']}"
    return TaskActionResult(
        task_id=row["id"], nomination_id=row["nomination_id"], outcome=outcome,
        links={"nomination": nomination, "history": f"{nomination}/history"},
    )


@router.post("/{task_id}/review")
async def review(task_id: str, body: ReviewCreate, command: CommandOnVersion) -> TaskActionResult:
    """Record the council's secret-ballot result for this review (*Hội đồng xét*)."""
    return await _act_on_task(command, task_id, body.outcome, lambda nomination_id: (
        command.laurel.nominations.review(
            nomination_id, task_id, command.user, outcome=body.outcome,
            votes=body.votes.model_dump(by_alias=True), note=body.note, at=command.clock(),
            expected_version=command.expected, request_key=command.key)))


@router.post("/{task_id}/decision")
async def decide(task_id: str, body: DecisionCreate, command: CommandOnVersion) -> TaskActionResult:
    """Record the authority's decision (*quyết định khen thưởng*): number, date, signer."""
    return await _act_on_task(command, task_id, body.outcome, lambda nomination_id: (
        command.laurel.nominations.decide(
            nomination_id, task_id, command.user, outcome=body.outcome,
            decision_number=body.decision_number,
            decision_date=body.decision_date.isoformat(), signer=body.signer,
            authority=body.authority, at=command.clock(), expected_version=command.expected,
            request_key=command.key)))


async def _act_on_task(command: Command, task_id: str, outcome: str,
                       act: Callable[[UUID], object]) -> TaskActionResult:
    """On the command thread: the task, if the caller's unit holds it; then ``act`` on its
    nomination."""

    def record() -> TaskActionResult:
        with command.laurel.engine.connect() as conn:
            row = _own_task(command.user, conn, task_id)
        act(UUID(row["nomination_id"]))
        return _result(row, outcome)

    return await command.run(record)
