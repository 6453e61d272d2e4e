"""A decision as its readers see it, and the paperwork's data read from the record: the
decision with its annex, a proposal (tờ trình) with its nominees, a council's minutes.

Who finds a decision: the people of the issuing unit and those above it who oversee it,
and whoever may see one of the nominations it decides (``visible_units``, as for the
nominations). A decision is a published act, so its reader sees the whole list it
decides; to anyone else it does not exist.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import Connection

from api import labels
from api.decision_schemas import DecisionItemPublic, DecisionPublic
from api.reads.access import is_uuid, require_visible, visible_units
from domain.actor import Actor
from domain.decisions import Decisions
from domain.errors import NotFound
from domain.policy import Policy
from infrastructure.container import Laurel
from projections import queries
from projections.decisions import decision_row, decision_rows
from projections.tables import nominations

OUTCOMES = {"awarded": ("Khen thưởng", "Awarded"),
            "not_awarded": ("Không khen thưởng", "Not awarded")}


def _no_decision(decision_id: str) -> NotFound:
    return NotFound(f"No decision {decision_id}", vi=f"Không có quyết định {decision_id}")


def visible_decision(user: Actor, laurel: Laurel, conn: Connection,
                     decision_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The decision's row and its items, if ``user`` may see it (else ``NotFound``)."""
    try:
        UUID(decision_id)
    except ValueError:
        raise _no_decision(decision_id) from None
    row = decision_row(conn, decision_id)
    if row is None:
        raise _no_decision(decision_id)
    items = decision_rows(conn, decision_id)
    units = set(visible_units(user, laurel.policy.org))
    if row["unit_id"] not in units and not any(i["unit_id"] in units for i in items):
        raise _no_decision(decision_id)
    return row, items


def decision_public(policy: Policy, row: dict[str, Any],
                    items: list[dict[str, Any]]) -> DecisionPublic:
    path = f"/decisions/{row['id']}"
    return DecisionPublic(
        id=row["id"], number=row["number"], decision_date=row["decision_date"],
        signer=row["signer"], authority=row["authority"], unit_id=row["unit_id"],
        unit_name=labels.unit_name(policy, row["unit_id"]) or row["unit_id"],
        recorded_at=row["recorded_at"], recorded_by=row["actor"],
        items=[DecisionItemPublic(
            nomination_id=i["nomination_id"], task_id=i["task_id"], outcome=i["outcome"],
            outcome_label=labels.label(OUTCOMES, i["outcome"]),
            nominee_name=i["nominee_name"], nominee_kind=i["nominee_kind"],
            unit_id=i["unit_id"], unit_name=labels.unit_name(policy, i["unit_id"]) or "",
            award_code=i["award_code"], award_name=labels.award_name(policy, i["award_code"]),
        ) for i in items],
        links={"self": path, "pdf": f"{path}/pdf"})


def decision_to_read(user: Actor, laurel: Laurel, conn: Connection,
                     decision_id: str) -> DecisionPublic:
    return decision_public(laurel.policy, *visible_decision(user, laurel, conn, decision_id))


# -- what the paperwork is made of ---------------------------------------------------


def proposal_rows(user: Actor, laurel: Laurel, conn: Connection,
                  proposal_id: str) -> list[dict[str, Any]]:
    """The nominations of a proposal (tờ trình) in the order they were proposed, if the
    user may see its unit's nominations; a nomination proposed alone is a proposal of
    one, by its own id."""
    query = (select(nominations).where(nominations.c.proposal_id == proposal_id)
             .order_by(nominations.c.proposed_at, nominations.c.id))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    if not rows:
        alone = queries.nomination(conn, proposal_id) if is_uuid(proposal_id) else None
        rows = [alone] if alone is not None and not alone["proposal_id"] else []
    if not rows:
        raise NotFound(f"No proposal {proposal_id}", vi=f"Không có tờ trình {proposal_id}")
    require_visible(user, laurel.policy.org, rows[0], f"proposal {proposal_id}",
                    f"tờ trình {proposal_id}")
    return rows


def minutes_of(user: Actor, laurel: Laurel, conn: Connection, nomination_id: str,
               task_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A nomination the user may see, and its council's review of ``task_id`` as its
    history records it (``ReviewedByCouncil``): the minutes' substance."""
    row = queries.nomination(conn, nomination_id) if is_uuid(nomination_id) else None
    require_visible(user, laurel.policy.org, row, f"nomination {nomination_id}",
                    f"hồ sơ {nomination_id}")
    assert row is not None
    for entry in queries.history_of(conn, nomination_id):
        if entry["type"] == "ReviewedByCouncil" and entry["data"].get("task_id") == task_id:
            return row, entry
    raise NotFound(f"No council review {task_id} recorded on nomination {nomination_id}",
                   vi=f"Hồ sơ {nomination_id} chưa có kết quả xét của Hội đồng cho việc "
                      f"{task_id}")


def recorded_for(user: Actor, laurel: Laurel, decision_id: str) -> bool:
    """Whether the event store holds this decision for ``user`` to see: one the read
    models do not show yet (recorded a moment ago) is worth waiting for."""
    if not is_uuid(decision_id):
        return False
    decision = Decisions(laurel.nominations).find(UUID(decision_id))
    if decision is None:
        return False
    units = set(visible_units(user, laurel.policy.org))
    if decision.unit_id in units:
        return True
    for item in decision.items:
        try:
            if laurel.nominations.state_as_of(UUID(item.nomination_id))["unit_id"] in units:
                return True
        except NotFound:
            continue
    return False
