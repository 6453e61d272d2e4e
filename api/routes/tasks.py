"""Tasks: a unit's inbox of reviews and decisions, and acting on them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import commands, decision_commands
from api.deps import (
    CommandOnVersion,
    CurrentUser,
    LaurelDep,
    Limit,
    NewCommand,
    Offset,
    read_models,
)
from api.problems import PROBLEM_RESPONSES
from api.reads import tasks as reads
from api.schemas import (
    BulkReviewCreate,
    BulkReviewResult,
    DecisionCreate,
    ReviewCreate,
    TaskActionResult,
    TaskPublic,
    TasksPublic,
)
from domain.commands import Changed, Reviewed

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=PROBLEM_RESPONSES)

Search = Annotated[str | None, Query(
    max_length=reads.QUERY_MAX_LENGTH,
    description="Find by nominee name or tracking code, accents and case aside: "
                "`nguyen thi hoa` finds *Nguyễn Thị Hoa* (`đ` is `d`); the words in order, "
                "the last one or more may be cut short (`nguyen thi h`, `thi hoa`); a code "
                "with or without its dashes and spaces (`k7m2qx9p4r`). Among the tasks "
                "listed without it, in the same order; `total` counts those found.",
    examples=["nguyen thi hoa"])]


@router.get("")
async def inbox(
    user: CurrentUser, laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
    q: Search = None,
) -> TasksPublic:
    """Open tasks of your unit that your roles act on, the earliest due first. With `q`,
    those found by name or tracking code."""
    return await read_models(laurel, lambda conn: reads.inbox_page(user, laurel, conn, limit,
                                                                   offset, q=q))


@router.post("/bulk-review")
async def bulk_review(body: BulkReviewCreate, command: NewCommand) -> BulkReviewResult:
    """One council meeting's outcomes for a whole list, each nomination its own event.
    One refused item refuses the list: the problem names it and nothing is recorded."""
    reviewed = await command.give(commands.review_list(command.user, body))
    assert isinstance(reviewed, Reviewed)
    return BulkReviewResult(recorded=len(reviewed.nominations), items=[
        commands.task_action_result(item.task_id, changed.nomination_id, item.outcome)
        for item, changed in zip(body.items, reviewed.nominations, strict=True)])


@router.get("/{task_id}")
async def get_task(task_id: str, user: CurrentUser, laurel: LaurelDep) -> TaskPublic:
    """A task of your unit, for the role that acts on it."""
    return await read_models(laurel, lambda conn: reads.task_to_act_on(task_id, user, laurel,
                                                                       conn))


@router.post("/{task_id}/review")
async def review(task_id: str, body: ReviewCreate, command: CommandOnVersion) -> TaskActionResult:
    """Record the council's secret-ballot result for this review (*Hội đồng xét*)."""
    changed = await command.give(commands.review(command.user, task_id, body))
    assert isinstance(changed, Changed)
    return commands.task_action_result(task_id, changed.nomination_id, body.outcome)


@router.post("/{task_id}/decision")
async def decide(task_id: str, body: DecisionCreate, command: CommandOnVersion) -> TaskActionResult:
    """Record the authority's decision (*quyết định khen thưởng*): number, date, signer. It
    is a decision of one item (`links.decision`), its number used once in your unit's
    register (409 `/problems/decision-number-used`)."""
    recorded = await command.give(decision_commands.decide_one(command.user, task_id, body))
    return decision_commands.one_answer(task_id, body, recorded)
