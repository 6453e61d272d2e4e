"""Decisions (*quyết định khen thưởng*) as records: one document over the decider's open
decision tasks, read back, and printed with its annex as PDF."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Response, status

from api import decision_commands, deps
from api.decision_schemas import DecisionPublic, DecisionRecordCreate, DecisionRecordResult
from api.deps import CurrentUser, LaurelDep, NewCommand
from api.paperwork import documents
from api.paperwork.render import MEDIA_TYPE, render
from api.problems import PROBLEM_RESPONSES
from api.reads import decisions as reads

router = APIRouter(prefix="/decisions", tags=["decisions"], responses=PROBLEM_RESPONSES)
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "The document, as PDF"}}


@router.post("", status_code=status.HTTP_201_CREATED)
async def record_decision(body: DecisionRecordCreate, command: NewCommand) -> DecisionRecordResult:
    """Record one decision over decision tasks of your unit: each nomination decided and
    the decision's record, all or none. Its number is used once in your unit's register
    (409 `/problems/decision-number-used`); an item not your unit's to decide refuses the
    list, naming it (`item`), and nothing is recorded."""
    recorded = await command.give(decision_commands.record_decision(command.user, body))
    return decision_commands.recorded_answer(body, recorded)


@router.get("/{decision_id}")
async def get_decision(decision_id: str, user: CurrentUser, laurel: LaurelDep) -> DecisionPublic:
    """A decision: number, date, signer, authority, issuing unit, and each nomination it
    decides with its nominee, unit and award. For the issuing unit and those overseeing
    it, and whoever may see one of its nominations."""
    return await deps.once_projected(
        laurel, lambda conn: reads.decision_to_read(user, laurel, conn, decision_id),
        lambda: reads.recorded_for(user, laurel, decision_id))


@router.get("/{decision_id}/pdf", response_class=Response, responses=PDF_RESPONSE)
async def decision_pdf(decision_id: str, user: CurrentUser, laurel: LaurelDep) -> Response:
    """The decision document in the official layout, with its annex list, ready for
    signature (Vietnamese fonts embedded)."""
    row, items = await deps.once_projected(
        laurel, lambda conn: reads.visible_decision(user, laurel, conn, decision_id),
        lambda: reads.recorded_for(user, laurel, decision_id))
    data = documents.decision(laurel.policy, row, items)
    pdf = await asyncio.to_thread(render, "decision", data, row["recorded_at"])
    return pdf_response(pdf, f"quyet-dinh-{decision_id}.pdf")


def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, media_type=MEDIA_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})
