"""Read model: one row per nomination with where it is now (tracking and status pages)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection

from domain import nomination as n
from domain.nomination import Nomination
from projections.eventlog import LoggedEvent
from projections.events import nomination_id, utc
from projections.tables import nominations

_NO_TASK = {"open_task_id": None, "due_at": None, "overdue": False}


def apply(conn: Connection, logged: LoggedEvent) -> None:
    e = logged.event
    changes: dict[str, Any]
    match e:
        case Nomination.Proposed():
            first = e.route["reviews"][0]
            conn.execute(
                insert(nominations).values(
                    id=nomination_id(e), tracking_code=e.tracking_code, unit_id=e.unit_id,
                    proposer=e.actor, award_code=e.award_code,
                    nominee_name=e.nominee["name"], nominee_kind=e.nominee["kind"],
                    nominee=e.nominee, achievements=e.achievements, documents=e.documents,
                    policy_version=e.policy_version, route=e.route, status=n.PROPOSED,
                    current_level=first["level"], current_unit_id=first["unit_id"],
                    overdue=False, proposed_at=utc(e.timestamp), updated_at=utc(e.timestamp),
                    version=e.originator_version,
                )
            )
            return
        case Nomination.ReviewOpened() | Nomination.DecisionOpened():
            status = n.UNDER_REVIEW if isinstance(e, Nomination.ReviewOpened) else (
                n.AWAITING_DECISION
            )
            changes = {"status": status, "current_level": e.level,
                       "current_unit_id": e.unit_id, "open_task_id": e.task_id,
                       "due_at": utc(e.due_at), "overdue": False}
        case Nomination.ReviewOverdue():
            changes = {"overdue": True}
        case Nomination.Forwarded():
            changes = {"current_level": e.to_level, "current_unit_id": e.to_unit_id or None}
        case Nomination.ReviewedByCouncil(outcome="approve"):
            changes = dict(_NO_TASK)
        case Nomination.ReviewedByCouncil():
            changes = {**_NO_TASK, "status": n.REJECTED if e.outcome == "reject" else n.RETURNED}
        case Nomination.Decided():
            changes = {
                **_NO_TASK,
                "status": n.AWARDED if e.outcome == "awarded" else n.NOT_AWARDED,
                "decision": {"outcome": e.outcome, "number": e.decision_number,
                             "date": e.decision_date, "signer": e.signer},
            }
        case _:
            changes = {}
    conn.execute(
        update(nominations)
        .where(nominations.c.id == nomination_id(e))
        .values(**changes, updated_at=utc(e.timestamp), version=e.originator_version)
    )
