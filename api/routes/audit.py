"""Auditors: the chain's verification, a nomination as of any moment, decision history
that explains itself, and exports. Read-only: every route here is a GET."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.deps import CurrentUser, EventNumber, LaurelDep, read_models
from api.problems import PROBLEM_RESPONSES
from api.reads import audit as reads
from api.reads import documents
from api.reads.access import require_auditor
from domain.actor import Actor
from infrastructure.audit_chain import verify_chain

router = APIRouter(prefix="/audit", tags=["audit"], responses=PROBLEM_RESPONSES)


def auditor(user: CurrentUser) -> Actor:
    return require_auditor(user)


Auditor = Annotated[Actor, Depends(auditor)]


@router.get("/verify")
async def verify(
    user: Auditor, laurel: LaurelDep,
    files: Annotated[bool, Query(description="also hash every stored document file again "
                                             "(reads all of them)")] = False,
) -> dict[str, Any]:
    """Walk every stored event and both hash chains (per nomination and over the whole
    log); report the first broken link — a changed, deleted, moved or inserted event.
    With `files=true`, also each document whose stored file changed or is missing, and
    the nominations that list it."""
    report = await asyncio.to_thread(verify_chain, laurel.nominations.recorder)
    answer = {**report.to_dict(), "summary": report.render()}
    if files:
        checked, cited = await asyncio.to_thread(documents.files_report, laurel)
        answer["files"] = documents.as_dict(checked, cited)
        answer["summary"] += "\n" + documents.render(checked, cited)
    return answer


@router.get("/nominations/{nomination_id}")
async def as_of(
    nomination_id: str, user: Auditor, laurel: LaurelDep,
    as_of: Annotated[datetime | None, Query(description="a moment (ISO 8601)")] = None,
    version: EventNumber = None,
) -> dict[str, Any]:
    """The nomination's state as it was at ``as_of`` (or after event ``version``), rebuilt
    from its events, with the policy version that applied. Without either: now."""
    return await read_models(laurel, lambda conn: reads.state_as_of(
        nomination_id, user, laurel, conn, as_of, version))


@router.get("/nominations/{nomination_id}/history")
async def decision_history(
    nomination_id: str, user: Auditor, laurel: LaurelDep
) -> dict[str, Any]:
    """Each step with actor, role, unit, time, vote tally, the rule applied and its
    policy version."""
    return await read_models(laurel, lambda conn: reads.decision_steps(
        nomination_id, user, laurel, conn))


@router.get("/export", responses={200: {"content": {"text/csv": {}}}})
def export(
    user: Auditor, laurel: LaurelDep,
    from_: Annotated[date, Query(alias="from", description="first day (inclusive)")],
    to: Annotated[date, Query(description="last day (inclusive)")],
    unit: Annotated[str | None, Query(description="a unit: it and the units below")] = None,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
) -> StreamingResponse:
    """Every event of the nominations of a unit in a date range, as CSV or JSON, streamed
    row by row from the read models (constant memory, however large the range)."""
    return reads.export_download(user, laurel, from_, to, unit, format)
