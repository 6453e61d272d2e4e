"""The decision commands the routes and pages give (``RecordDecision``), built once the
read models said which tasks are the caller's unit's, and what they answer.

A list naming a task that is not the unit's is refused naming its item, before anything
is recorded (as a council's list, ``api.commands.review_list``). The single-task route
gives a decision of one item: a record of its own, under the same number rule.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.engine import Connection

from api import commands
from api.decision_schemas import DecisionRecordCreate, DecisionRecordResult
from api.reads.tasks import own_task
from api.schemas import DecisionCreate, TaskActionResult
from domain.actor import Actor
from domain.commands import DecisionItem, DecisionRecorded, RecordDecision, Result


def record_decision(user: Actor, body: DecisionRecordCreate) -> commands.Build:
    def build(conn: Connection) -> RecordDecision:
        nominations = commands.own_tasks(user, conn, [item.task_id for item in body.items])
        items = [DecisionItem(nomination_id, item.task_id, item.outcome)
                 for nomination_id, item in zip(nominations, body.items, strict=True)]
        return RecordDecision(tuple(items), body.decision_number,
                              body.decision_date.isoformat(), body.signer, body.authority)

    return build


def decide_one(user: Actor, task_id: str, body: DecisionCreate) -> commands.Build:
    """The single-task route's decision: a decision record of one item."""
    def build(conn: Connection) -> RecordDecision:
        task = own_task(user, conn, task_id)
        return RecordDecision(
            (DecisionItem(UUID(task["nomination_id"]), task_id, body.outcome,
                          granted_award=body.granted_award),),
            body.decision_number, body.decision_date.isoformat(), body.signer,
            body.authority)

    return build


def decision_link(decision_id: object) -> dict[str, str]:
    path = f"/decisions/{decision_id}"
    return {"decision": path, "decision_pdf": f"{path}/pdf"}


def recorded_answer(body: DecisionRecordCreate, result: Result) -> DecisionRecordResult:
    assert isinstance(result, DecisionRecorded)
    path = f"/decisions/{result.decision_id}"
    return DecisionRecordResult(
        id=str(result.decision_id), recorded=len(result.nominations),
        items=[commands.task_action_result(item.task_id, changed.nomination_id, item.outcome)
               for item, changed in zip(body.items, result.nominations, strict=True)],
        links={"self": path, "pdf": f"{path}/pdf"})


def one_answer(task_id: str, body: DecisionCreate, result: Result) -> TaskActionResult:
    """The single-task route's answer, as before, its links naming the decision too."""
    assert isinstance(result, DecisionRecorded)
    answer = commands.task_action_result(task_id, result.nominations[0].nomination_id,
                                         body.outcome)
    answer.links.update(decision_link(result.decision_id))
    return answer
