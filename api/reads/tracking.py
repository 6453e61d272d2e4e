"""What anyone may read without an account: a nomination by its tracking code, and the
nominations in their public comment period."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from api import labels
from api.schemas import Label, PublicNotice, PublicNoticesPublic, TrackingPublic, TrackingStep
from domain.application import normalised_tracking_code
from domain.errors import NotFound
from infrastructure.container import Laurel
from projections import queries


def tracking(tracking_code: str, laurel: Laurel, conn: Connection) -> TrackingPublic:
    """The nominee's name and the steps taken; never actors, votes or notes."""
    row = queries.nomination_by_tracking_code(conn, normalised_tracking_code(tracking_code))
    if row is None:
        raise NotFound(f"No nomination with tracking code {tracking_code}",
                       vi=f"Không có hồ sơ nào mang mã tra cứu {tracking_code}")
    policy = laurel.policies.version(row["policy_version"])
    timeline = [
        TrackingStep(
            type=h["type"], label=labels.label(labels.EVENT, h["type"]),
            occurred_at=h["occurred_at"], level=h["level"],
            unit_name=labels.unit_name(policy, h["unit_id"]),
        )
        for h in public_steps(conn, row["id"])
    ]
    return TrackingPublic.model_validate({
        **row,
        "status_label": labels.label(labels.STATUS, row["status"]),
        "award_name": labels.award_name(policy, row["award_code"]),
        "current_unit_name": labels.unit_name(policy, row["current_unit_id"]),
        "next_step": labels.label(labels.NEXT_STEP, row["status"]),
        "timeline": timeline,
    })


def public_steps(conn: Connection, nomination_id: str) -> list[dict[str, Any]]:
    """The steps the public timeline shows: every one but an objection's that held
    nothing (lodged without an account and never confirmed, a wrong code typed, its
    dismissal): a flood of them says nothing about where the nomination is."""
    held: set[str] = set()
    shown = []
    for h in queries.history_of(conn, nomination_id):
        data = h["data"]
        match h["type"]:
            case ("ObjectionCodeRejected" | "TaskClaimed" | "TaskAssigned" | "Appraised"
                  | "AppraisalSignedOff" | "ConsultationAnswered" | "ConsultationLapsed"):
                continue  # who holds a task, and what the board and agencies said inside
                # a level, are the level's own business
            case "ObjectionLodged" if not data.get("confirmed", True):
                continue
            case "ObjectionLodged" | "ObjectionConfirmed":
                held.add(data["objection_id"])
            case "ObjectionResolved" if data["objection_id"] not in held:
                continue
        shown.append(h)
    return shown


def nomination_id_by_code(tracking_code: str, conn: Connection) -> str | None:
    """The nomination a tracking code names, as typed (spaces, lower case, no dashes)."""
    row = queries.nomination_by_tracking_code(conn, normalised_tracking_code(tracking_code))
    return str(row["id"]) if row is not None else None


def public_notices(laurel: Laurel, conn: Connection, limit: int,
                   offset: int) -> PublicNoticesPublic:
    rows, total = queries.in_public_notice(conn, limit, offset)
    items = [
        PublicNotice(
            nomination_id=r["id"], tracking_code=r["tracking_code"], nominee_name=r["nominee_name"],
            award_name=Label.model_validate(labels.award_name(
                laurel.policies.version(r["policy_version"]), r["award_code"])),
            unit_name=labels.unit_name(laurel.policies.version(r["policy_version"]), r["unit_id"])
            or r["unit_id"],
            notice_until=r["notice_until"], status=r["status"],
        )
        for r in rows
    ]
    return PublicNoticesPublic(items=items, total=total, limit=limit, offset=offset)
