"""The movement commands the routes and pages give (``domain.movements``), built from
their bodies."""

from __future__ import annotations

from uuid import UUID

from api.movement_schemas import MovementClose, MovementCreate
from domain.movements import CloseMovement, LaunchMovement


def launch(body: MovementCreate) -> LaunchMovement:
    return LaunchMovement(
        body.name, body.decision_number, body.decision_date.isoformat(), tuple(body.scope),
        body.period_from.isoformat(), body.period_to.isoformat(), tuple(body.award_codes),
        body.dossier_from.isoformat(), body.dossier_until.isoformat(), body.criteria)


def close(movement_id: str, body: MovementClose) -> CloseMovement:
    try:
        identity = UUID(movement_id)
    except ValueError:
        identity = UUID(int=0)  # no movement has it: refused as not found
    return CloseMovement(identity, body.result, body.document_id)
