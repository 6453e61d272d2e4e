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
from api.level_schemas import AppraisalCreate, ConsultationAnswerCreate, SignOffCreate
from api.problems import PROBLEM_RESPONSES
from api.reads import tasks as reads
from api.schemas import (
    BulkReviewCreate,
    BulkReviewResult,
    DecisionCreate,
    ReviewCreate,
    TaskActionResult,
    TaskAssignmentCreate,
    TaskAssignmentResult,
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


Assignee = Annotated[str | None, Query(
    max_length=120,
    description="Only the tasks held by `me` (yours, and those of whoever delegated their "
                "tasks to you while the delegation is in force), by someone's id, or by "
                "`none` (no one)",
    examples=["me"])]


@router.get("")
async def inbox(
    user: CurrentUser, laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
    q: Search = None, assignee: Assignee = None,
) -> TasksPublic:
    """Open tasks of your unit that your roles act on, the earliest due first. With `q`,
    those found by name or tracking code; with `assignee`, those held by them."""
    now = laurel.clock()
    held_by = (None if assignee is None else
               reads.holders(assignee, user, laurel.nominations.delegators_of(user, now)))
    return await read_models(laurel, lambda conn: reads.inbox_page(user, laurel, conn, limit,
                                                                   offset, q=q,
                                                                   held_by=held_by))


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


@router.post("/{task_id}/assign")
async def assign(task_id: str, body: TaskAssignmentCreate,
                 command: NewCommand) -> TaskAssignmentResult:
    """Claim the task (`assignee` omitted, null or your own id), or, as the unit's head
    (decider or administrator), assign or reassign it to someone of the unit: the
    reassignment is recorded with whom it was taken from. A task someone else holds is
    not taken by a claim: 409 `/problems/task-already-claimed`, naming them and since
    when."""
    changed = await command.give(commands.assign(command.user, task_id, body))
    assert isinstance(changed, Changed)
    return TaskAssignmentResult(task_id=task_id, nomination_id=str(changed.nomination_id),
                                assignee=(body.assignee or "").strip() or command.user.id,
                                version=changed.version)



@router.post("/{task_id}/appraisal")
async def appraise(task_id: str, body: AppraisalCreate,
                   command: CommandOnVersion) -> TaskActionResult:
    """The board's specialist records the appraisal of the dossier (*thẩm định*): the
    documents complete or not, each check of the award confirmed or disputed, and the
    conclusion, eligible, not eligible or a lower form (`lower_award`). It claims the file
    when no one holds it; a file someone else holds is theirs (409
    `/problems/task-already-claimed`). The board's head then signs it off."""
    changed = await command.give(commands.appraise(command.user, task_id, body))
    assert isinstance(changed, Changed)
    return commands.task_action_result(task_id, changed.nomination_id, body.conclusion)


@router.post("/{task_id}/sign-off")
async def sign_off(task_id: str, body: SignOffCreate,
                   command: CommandOnVersion) -> TaskActionResult:
    """The head of the board (the policy's `head` of the unit; where it names none, a
    decider of the unit), not the specialist, agrees with the appraisal — the council's
    task opens — or sends it back to the specialist with a note."""
    changed = await command.give(commands.sign_off(command.user, task_id, body))
    assert isinstance(changed, Changed)
    return commands.task_action_result(task_id, changed.nomination_id,
                                       "signed_off" if body.agreed else "sent_back")


@router.post("/{task_id}/consultations/{agency}")
async def answer_consultation(task_id: str, agency: str, body: ConsultationAnswerCreate,
                              command: CommandOnVersion) -> TaskActionResult:
    """Record an agency's written answer to the consultation (*hiệp y*), once per agency;
    the council's task opens when every agency has answered or let its time lapse (an
    agency not awaited here: 422 `/problems/unknown-agency`)."""
    changed = await command.give(commands.answer_consultation(command.user, task_id, agency,
                                                              body))
    assert isinstance(changed, Changed)
    return commands.task_action_result(task_id, changed.nomination_id, body.answer)
