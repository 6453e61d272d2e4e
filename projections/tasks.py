"""Read model ``tasks``: the tasks of each unit (a reviewer's or decider's inbox).

Kinds: ``review`` and ``decision`` tasks of the workflow, and ``objection`` tasks for
the board of the level that gave public notice (once the objection holds the nomination:
lodged by someone signed in, or confirmed by its author). Each carries its nomination's name and
tracking code, folded, to be searched by (``projections.search``).
"""

from __future__ import annotations

from typing import Any

from domain.nomination import Nomination
from domain.vocabulary import CONSULTED, ObjectionOutcome, TaskClosure, TaskKind, TaskStatus
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections.pending import PendingRows, Row
from projections.search import task_search_text


def _open(rows: PendingRows, e: Nomination.Event, nomination: Row, **task: Any) -> None:
    rows.add_task(
        nomination_id=nomination["id"], award_code=nomination["award_code"],
        nominee_name=nomination["nominee_name"], opened_at=utc(e.timestamp), reminded=False,
        overdue=False, escalated=False, status=TaskStatus.OPEN,
        search=task_search_text(nomination["nominee_name"], nomination["tracking_code"]),
        assignee=None, assigned_at=None, **task,
    )


def _close(rows: PendingRows, task_id: str, e: Nomination.Event, outcome: str) -> None:
    task = rows.tasks.get(task_id)
    if task is not None and task["status"] == TaskStatus.OPEN:
        rows.tasks.change(task, status=TaskStatus.CLOSED, outcome=outcome,
                          closed_at=utc(e.timestamp), closed_by=e.actor)


def _close_all(rows: PendingRows, nomination: Row, e: Nomination.Event, outcome: str) -> None:
    for task in rows.tasks_of(nomination["id"]):
        _close(rows, task["id"], e, outcome)


def _flag(rows: PendingRows, task_id: str, flag: str) -> None:
    task = rows.tasks.get(task_id)
    if task is not None:
        rows.tasks.change(task, **{flag: True})


def apply(rows: PendingRows, logged: LoggedEvent) -> None:
    e = logged.event
    nomination = rows.nominations.get(logged.nomination_id)
    if nomination is None:  # an event of a nomination this read model never saw proposed
        return
    match e:
        case Nomination.ReviewOpened():
            _open(rows, e, nomination, id=e.task_id, kind=TaskKind.REVIEW, level=e.level,
                  unit_id=e.unit_id, due_at=utc(e.due_at))
        case Nomination.AppraisalOpened():
            _open(rows, e, nomination, id=e.task_id, kind=TaskKind.APPRAISAL, level=e.level,
                  unit_id=e.unit_id, due_at=utc(e.due_at))
        case Nomination.ConsultationOpened():
            _open(rows, e, nomination, id=e.task_id, kind=TaskKind.CONSULTATION,
                  level=e.level, unit_id=e.unit_id, due_at=utc(e.due_at))
        case Nomination.ConsultationAnswered(settled=True) | Nomination.ConsultationLapsed(
                settled=True):
            _close(rows, e.task_id, e, CONSULTED)
        case Nomination.AppraisalSignedOff(agreed=True):
            _close(rows, e.task_id, e, e.conclusion)
        case Nomination.DecisionOpened():
            _open(rows, e, nomination, id=e.task_id, kind=TaskKind.DECISION, level=e.level,
                  unit_id=e.unit_id, due_at=utc(e.due_at))
        case Nomination.ObjectionLodged(confirmed=True) | Nomination.ObjectionConfirmed():
            # The board's task opens once the objection holds the nomination.
            notice = nomination["route"]["reviews"][-1]  # the level that gave public notice
            _open(rows, e, nomination, id=e.objection_id, kind=TaskKind.OBJECTION,
                  level=notice["level"], unit_id=notice["unit_id"],
                  due_at=utc(nomination["notice_until"] or e.timestamp))
        case Nomination.ReviewReminderSent():
            _flag(rows, e.task_id, "reminded")
        case Nomination.ReviewOverdue():
            _flag(rows, e.task_id, "overdue")
        case Nomination.ReviewEscalated():
            _flag(rows, e.task_id, "escalated")
        case Nomination.TaskClaimed() | Nomination.TaskAssigned():
            task = rows.tasks.get(e.task_id)
            if task is not None:
                rows.tasks.change(task, assignee=e.assignee or None,
                                  assigned_at=utc(e.timestamp))
        case Nomination.ReviewedByCouncil() | Nomination.Decided():
            _close(rows, e.task_id, e, e.outcome)
        case Nomination.ObjectionResolved():
            _close(rows, e.objection_id, e, e.outcome)
            if e.outcome == ObjectionOutcome.UPHELD:  # rejected: nothing else is pending
                _close_all(rows, nomination, e, TaskClosure.MOOT)
        case Nomination.Withdrawn():
            _close_all(rows, nomination, e, TaskClosure.WITHDRAWN)
