"""Read model: the tasks of each unit (a reviewer's or decider's inbox).

Kinds: ``review`` and ``decision`` tasks of the workflow, and ``objection`` tasks for
the board of the level that gave public notice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from domain.nomination import Nomination
from projections.eventlog import LoggedEvent
from projections.events import nomination_id, utc
from projections.tables import nominations, tasks


def _nomination(conn: Connection, event: Nomination.Event) -> Any:
    return conn.execute(
        select(nominations.c.award_code, nominations.c.nominee_name, nominations.c.route,
               nominations.c.notice_until)
        .where(nominations.c.id == nomination_id(event))
    ).one()


def _open(conn: Connection, e: Nomination.Event, **task: Any) -> None:
    row = _nomination(conn, e)
    conn.execute(insert(tasks).values(
        nomination_id=nomination_id(e), award_code=row.award_code,
        nominee_name=row.nominee_name, opened_at=utc(e.timestamp), reminded=False,
        overdue=False, escalated=False, status="open", **task,
    ))


def _close(conn: Connection, task_ids: list[str], e: Nomination.Event, outcome: str) -> None:
    conn.execute(update(tasks).where(tasks.c.id.in_(task_ids), tasks.c.status == "open").values(
        status="closed", outcome=outcome, closed_at=utc(e.timestamp), closed_by=e.actor))


def _close_all(conn: Connection, e: Nomination.Event, outcome: str) -> None:
    open_ones = select(tasks.c.id).where(tasks.c.nomination_id == nomination_id(e),
                                         tasks.c.status == "open")
    _close(conn, list(conn.scalars(open_ones)), e, outcome)


def apply(conn: Connection, logged: LoggedEvent) -> None:
    e = logged.event
    match e:
        case Nomination.ReviewOpened():
            _open(conn, e, id=e.task_id, kind="review", level=e.level, unit_id=e.unit_id,
                  due_at=utc(e.due_at))
        case Nomination.DecisionOpened():
            _open(conn, e, id=e.task_id, kind="decision", level=e.level, unit_id=e.unit_id,
                  due_at=utc(e.due_at))
        case Nomination.ObjectionLodged():
            row = _nomination(conn, e)
            notice = row.route["reviews"][-1]  # the level that gave public notice
            _open(conn, e, id=e.objection_id, kind="objection", level=notice["level"],
                  unit_id=notice["unit_id"], due_at=utc(row.notice_until or e.timestamp))
        case Nomination.ReviewReminderSent():
            conn.execute(update(tasks).where(tasks.c.id == e.task_id).values(reminded=True))
        case Nomination.ReviewOverdue():
            conn.execute(update(tasks).where(tasks.c.id == e.task_id).values(overdue=True))
        case Nomination.ReviewEscalated():
            conn.execute(update(tasks).where(tasks.c.id == e.task_id).values(escalated=True))
        case Nomination.ReviewedByCouncil() | Nomination.Decided():
            _close(conn, [e.task_id], e, e.outcome)
        case Nomination.ObjectionResolved():
            _close(conn, [e.objection_id], e, e.outcome)
            if e.outcome == "upheld":  # the nomination is rejected: nothing else is pending
                _close_all(conn, e, "moot")
        case Nomination.Withdrawn():
            _close_all(conn, e, "withdrawn")
