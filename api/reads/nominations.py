"""A nomination as its readers see it: the list they may see, the dossier, the history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from api import labels
from api.reads.access import as_seen_by, require_visible, visible_units
from api.schemas import (
    HistoryEntry,
    HistoryPublic,
    NominationPublic,
    NominationsPublic,
    NominationSummary,
)
from domain.actor import Actor
from domain.errors import NotFound
from domain.policy import Policy
from domain.vocabulary import TaskKind
from infrastructure.container import Laurel
from projections import queries
from projections.search import MAX_QUERY

QUERY_MAX_LENGTH = MAX_QUERY
"""The longest search query (``q``) a listing takes."""


def visible_row(
    user: Actor, laurel: Laurel, conn: Connection, nomination_id: str
) -> dict[str, Any]:
    """The nomination's read-model row, if ``user`` may see it (else ``NotFound``)."""
    try:
        UUID(nomination_id)
    except ValueError:
        raise NotFound(f"No nomination {nomination_id}",
                       vi=f"Không có hồ sơ {nomination_id}") from None
    row = queries.nomination(conn, nomination_id)
    require_visible(user, laurel.policy.org, row, f"nomination {nomination_id}",
                    f"hồ sơ {nomination_id}")
    assert row is not None
    return row


def recorded_for(user: Actor, laurel: Laurel, nomination_id: str) -> bool:
    """Whether the event store holds this nomination and ``user`` may see it: one the read
    models do not show yet (a proposal answered a moment ago) is worth waiting for."""
    try:
        unit_id = laurel.nominations.state_as_of(UUID(nomination_id))["unit_id"]
    except (ValueError, NotFound):
        return False
    return unit_id in visible_units(user, laurel.policy.org)


def nomination_public(laurel: Laurel, row: dict[str, Any],
                      language: str = "en") -> NominationPublic:
    """The read-model row for its readers, with names from the nomination's own policy
    and the eligibility verdict's explanations in ``language``."""
    policy = laurel.policies.version(row["policy_version"])
    route = [
        {"kind": TaskKind.REVIEW, "level": r["level"], "unit_id": r["unit_id"],
         "unit_name": labels.unit_name(policy, r["unit_id"])}
        for r in row["route"]["reviews"]
    ]
    decision = row["route"]["decision"]
    route.append({"kind": TaskKind.DECISION, "level": decision["level"],
                  "unit_id": decision["unit_id"],
                  "unit_name": labels.unit_name(policy, decision["unit_id"])})
    return NominationPublic.model_validate({
        **row,
        "status_label": labels.label(labels.STATUS, row["status"]),
        "award_name": labels.award_name(policy, row["award_code"]),
        "unit_name": labels.unit_name(policy, row["unit_id"]),
        "current_unit_name": labels.unit_name(policy, row["current_unit_id"]),
        "route": route,
        "eligibility": in_language(row["eligibility"], language) if row.get("eligibility")
        else None,
        "override_reason": row.get("override_reason") or "",
        "return_reason_label": _return_reason(policy, row.get("return_reason")),
        "granted_award_name": labels.award_name(policy, row["granted_award"])
        if row.get("granted_award") else None,
        **_inside(policy, row.get("inside_level") or {}),
    })


def _inside(policy: Policy, inside: dict[str, Any]) -> dict[str, Any]:
    """The consultation and appraisal, the lower form proposed named in both languages."""
    appraisal = inside.get("appraisal")
    if appraisal and appraisal.get("lower_award"):
        appraisal = {**appraisal, "lower_award_name": labels.award_name(
            policy, appraisal["lower_award"])}
    return {"consultation": inside.get("consultation"), "appraisal": appraisal}


def _return_reason(policy: Policy, code: str | None) -> dict[str, str] | None:
    label = policy.return_reasons.get(code) if code else None
    return {"vi": label.vi, "en": label.en} if label else None


def in_language(recorded: dict[str, Any], language: str) -> dict[str, Any]:
    """A recorded verdict (both languages) with each explanation in ``language``."""
    chosen = "en" if language == "en" else "vi"
    return {**recorded, "checks": [{**check, "explanation": check["explanation"][chosen]}
                                   for check in recorded["checks"]]}


def nomination(user: Actor, laurel: Laurel, conn: Connection, nomination_id: str,
               language: str = "en") -> NominationPublic:
    return nomination_public(laurel, visible_row(user, laurel, conn, nomination_id), language)


def nominations_listing(
    user: Actor, laurel: Laurel, conn: Connection, limit: int, offset: int,
    status: str | None = None, q: str | None = None,
) -> NominationsPublic:
    """Nominations the user may see, newest first; with ``q``, those of them it finds by
    nominee name, tracking code or decision number, accents and case aside
    (``projections.search``)."""
    rows, total = queries.nominations_of_units(
        conn, visible_units(user, laurel.policy.org), status, limit, offset, q=q
    )
    items = [
        NominationSummary.model_validate(
            {**r, "status_label": labels.label(labels.STATUS, r["status"])}
        )
        for r in rows
    ]
    return NominationsPublic(items=items, total=total, limit=limit, offset=offset)


def nomination_history(
    nomination_id: str, user: Actor, laurel: Laurel, conn: Connection
) -> HistoryPublic:
    row = visible_row(user, laurel, conn, nomination_id)
    items = [
        HistoryEntry.model_validate({**as_seen_by(user, row["route"], h),
                                     "label": labels.label(labels.EVENT, h["type"])})
        for h in queries.history_of(conn, nomination_id)
    ]
    return HistoryPublic(nomination_id=nomination_id, items=items)
