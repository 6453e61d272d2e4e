"""What anyone may read without an account: tracking by code, the catalogue, problems."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api import labels
from api.deps import LaurelDep, ReadModels
from api.problems import PROBLEM_RESPONSES, catalogue
from api.routes.nominations import _award_name, _unit_name
from api.schemas import (
    AwardPublic,
    AwardsPublic,
    OrgUnitPublic,
    OrgUnitsPublic,
    TrackingPublic,
    TrackingStep,
)
from domain.errors import NotFound
from projections import queries

router = APIRouter(responses=PROBLEM_RESPONSES)


@router.get("/track/{tracking_code}", tags=["tracking"])
def track(tracking_code: str, laurel: LaurelDep, conn: ReadModels) -> TrackingPublic:
    """A nomination's progress by its tracking code, without an account.

    Shows the nominee's name and the steps taken; never actors, votes or notes."""
    row = queries.nomination_by_tracking_code(conn, tracking_code.strip().upper())
    if row is None:
        raise NotFound(f"No nomination with tracking code {tracking_code}")
    policy = laurel.policy
    timeline = [
        TrackingStep(
            type=h["type"], label=labels.label(labels.EVENT, h["type"]),
            occurred_at=h["occurred_at"], level=h["level"],
            unit_name=_unit_name(policy, h["unit_id"]),
        )
        for h in queries.history_of(conn, row["id"])
    ]
    return TrackingPublic.model_validate({
        **row,
        "status_label": labels.label(labels.STATUS, row["status"]),
        "award_name": _award_name(policy, row["award_code"]),
        "current_unit_name": _unit_name(policy, row["current_unit_id"]),
        "next_step": labels.label(labels.NEXT_STEP, row["status"]),
        "timeline": timeline,
    })


@router.get("/org-units", tags=["catalogue"])
def org_units(laurel: LaurelDep, level: str | None = None) -> OrgUnitsPublic:
    """The organisation tree of the active policy (units, districts, the province)."""
    units = [
        OrgUnitPublic(id=u.id, name=u.name, level=u.level, kind=u.kind, parent_id=u.parent_id)
        for u in laurel.policy.org.units.values()
        if level is None or u.level == level
    ]
    return OrgUnitsPublic(policy_version=laurel.policy.version, items=units)


@router.get("/awards", tags=["catalogue"])
def awards(laurel: LaurelDep) -> AwardsPublic:
    """The award catalogue of the active policy: who decides, through which levels."""
    items = [
        AwardPublic(
            code=a.code, name={"vi": a.name.vi, "en": a.name.en},
            nominee_kinds=sorted(a.nominee_kinds), chain=list(a.chain),
            deciding_level=a.deciding_level,
            authority={"vi": a.authority.vi, "en": a.authority.en},
            review_days=dict(a.review_days),
        )
        for a in laurel.policy.awards.values()
    ]
    return AwardsPublic(policy_version=laurel.policy.version, items=items)


@router.get("/problems/{code}", tags=["catalogue"])
def problem_description(code: str) -> dict[str, Any]:
    """What a problem ``type`` means."""
    entry = catalogue().get(code)
    if entry is None:
        raise NotFound(f"No problem type {code}")
    return {"type": f"/problems/{code}", **entry}
