"""Read model: the review and decision tasks of each unit (a reviewer's inbox)."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from domain.nomination import Nomination
from projections.eventlog import LoggedEvent
from projections.events import nomination_id, utc
from projections.tables import nominations, tasks


def apply(conn: Connection, logged: LoggedEvent) -> None:
    e = logged.event
    match e:
        case Nomination.ReviewOpened() | Nomination.DecisionOpened():
            award_code, nominee_name = conn.execute(
                select(nominations.c.award_code, nominations.c.nominee_name).where(
                    nominations.c.id == nomination_id(e)
                )
            ).one()
            conn.execute(
                insert(tasks).values(
                    id=e.task_id, nomination_id=nomination_id(e),
                    kind="review" if isinstance(e, Nomination.ReviewOpened) else "decision",
                    level=e.level, unit_id=e.unit_id, award_code=award_code,
                    nominee_name=nominee_name, opened_at=utc(e.timestamp),
                    due_at=utc(e.due_at), overdue=False, status="open",
                )
            )
        case Nomination.ReviewOverdue():
            conn.execute(update(tasks).where(tasks.c.id == e.task_id).values(overdue=True))
        case Nomination.ReviewedByCouncil() | Nomination.Decided():
            conn.execute(
                update(tasks)
                .where(tasks.c.id == e.task_id)
                .values(status="closed", outcome=e.outcome, closed_at=utc(e.timestamp),
                        closed_by=e.actor)
            )
