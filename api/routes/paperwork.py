"""Paperwork printed from the record: a proposal (tờ trình) with its nominee list, and a
council's minutes of its review of a nomination, as PDF ready for signature."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response

from api.deps import CurrentUser, LaurelDep, read_models
from api.paperwork import documents
from api.paperwork.render import render
from api.problems import PROBLEM_RESPONSES
from api.reads import decisions as reads
from api.routes.decisions import PDF_RESPONSE, pdf_response

router = APIRouter(tags=["paperwork"], responses=PROBLEM_RESPONSES)


@router.get("/proposals/{proposal_id}/pdf", response_class=Response, responses=PDF_RESPONSE)
async def proposal_pdf(proposal_id: str, user: CurrentUser, laurel: LaurelDep) -> Response:
    """The proposal (*tờ trình*) of a list of nominees, with its nominee list; a
    nomination proposed alone by its own id. For whoever may see the unit's nominations."""
    rows = await read_models(laurel, lambda conn: reads.proposal_rows(user, laurel, conn,
                                                                      proposal_id))
    data = documents.proposal(laurel.policy, rows)
    pdf = await asyncio.to_thread(render, "proposal", data, rows[0]["proposed_at"])
    return pdf_response(pdf, f"to-trinh-{proposal_id}.pdf")


@router.get("/nominations/{nomination_id}/minutes/{task_id}", response_class=Response,
            responses=PDF_RESPONSE)
async def minutes_pdf(nomination_id: str, task_id: str, user: CurrentUser,
                      laurel: LaurelDep) -> Response:
    """The minutes (*biên bản*) of a council's review of the nomination (its review task):
    members and those present, the secret ballot's tally, the vote rule, the outcome."""
    row, entry = await read_models(laurel, lambda conn: reads.minutes_of(
        user, laurel, conn, nomination_id, task_id))
    data = documents.minutes(laurel.policy, row, entry)
    pdf = await asyncio.to_thread(render, "minutes", data, entry["occurred_at"])
    return pdf_response(pdf, f"bien-ban-{task_id}.pdf")
