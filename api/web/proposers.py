"""Unit clerks: the unit's nominations, a proposal with many nominees (typed in, or from a
spreadsheet checked row by row first), a supplement, a withdrawal."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api import commands, labels
from api.deps import CommandContext, laurel_of, read_models
from api.reads import nominations as nomination_reads
from api.schemas import ProposalCreate, SupplementCreate, WithdrawalCreate
from api.web.catalogue import message
from api.web.session import (
    act_on_form,
    form_command,
    language,
    posted_form,
    refused,
    render,
    signed_in,
)
from api.web.spreadsheet import MAX_BYTES, Unreadable, read_rows
from domain.commands import Proposed
from domain.errors import DomainError

NOMINEE_ROWS = 3

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/nominations", response_class=HTMLResponse)
async def my_nominations(request: Request, page: int = 1) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    size = 50
    listing = await read_models(laurel, lambda conn: nomination_reads.nominations_listing(
        user, laurel, conn, size, (max(page, 1) - 1) * size))
    return render(request, "nominations.html", listing=listing, page=max(page, 1), size=size)


@router.get("/proposals/new", response_class=HTMLResponse)
async def new_proposal(request: Request) -> Response:
    signed_in(request)
    return render(request, "proposal.html", awards=_awards_for(request),
                  rows=[{} for _ in range(NOMINEE_ROWS)], errors=[], key=str(uuid4()))


@router.get("/proposals/row", response_class=HTMLResponse)
async def nominee_row(request: Request, n: int = 0) -> Response:
    """One more nominee's fields (htmx)."""
    signed_in(request)
    return render(request, "nominee_row.html", i=max(0, min(n, 499)), row={})


def _awards_for(request: Request) -> list[tuple[str, dict[str, str]]]:
    policy = laurel_of(request).policy
    return [(code, labels.award_name(policy, code)) for code in policy.awards]


def _nominee_rows(form: FormData) -> list[dict[str, Any]]:
    rows = []
    for i in range(500):
        name = str(form.get(f"name_{i}", "")).strip()
        if f"name_{i}" not in form:
            break
        if name:
            rows.append({"name": name, "kind": str(form.get(f"kind_{i}", "individual")),
                         "direct_worker": form.get(f"direct_{i}") == "on",
                         "achievements": str(form.get(f"achievements_{i}", ""))})
    return rows


@router.post("/proposals", response_class=HTMLResponse)
async def submit_proposal(request: Request) -> Response:
    user = signed_in(request)
    form = await posted_form(request)
    award = str(form.get("award_code", ""))
    rows = _nominee_rows(form)
    try:
        body = ProposalCreate.model_validate({"items": [
            {"award_code": award, "achievements": r["achievements"],
             "nominee": {"name": r["name"], "kind": r["kind"],
                         "direct_worker": r["direct_worker"]}} for r in rows]})
        proposed = await form_command(request, user, form).give(commands.propose_list(body))
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/proposals/new")
    assert isinstance(proposed, Proposed)
    created = [commands.created_public(p) for p in proposed.nominations]
    return render(request, "proposal_sent.html", created=created, rows=rows)


@router.post("/proposals/import", response_class=HTMLResponse)
async def import_proposal(request: Request) -> Response:
    """A spreadsheet of nominees (CSV or XLSX): every row checked and shown, with its
    errors, before anything is submitted; the rows fill the proposal form."""
    signed_in(request)
    form = await posted_form(request)
    upload = form.get("file")
    lang = language(request)
    records: list[dict[str, str]] = []
    errors = []
    if isinstance(upload, UploadFile):
        try:
            records = read_rows(upload.filename or "", await upload.read(MAX_BYTES))
        except Unreadable:
            errors.append(message("proposal.unreadable", lang))
    rows = []
    for number, record in enumerate(records, start=2):
        name = record.get("name", "")
        kind = record.get("kind") or "individual"
        if not name:
            errors.append(message("proposal.row_error", lang, row=number,
                                  error=message("proposal.empty_name", lang)))
        if kind not in ("individual", "collective"):
            errors.append(message("proposal.row_error", lang, row=number,
                                  error=message("proposal.bad_kind", lang)))
        rows.append({"name": name, "kind": kind, "achievements": record.get("achievements", "")})
    return render(request, "proposal.html", awards=_awards_for(request),
                  rows=rows or [{}], errors=errors, key=str(uuid4()))


@router.post("/nominations/{nomination_id}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, nomination_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> object:
        body = WithdrawalCreate.model_validate({"reason": form.get("reason", "")})
        return await context.give(commands.withdraw(context.user, context.laurel,
                                                    nomination_id, body))

    here = f"/ui/nominations/{nomination_id}"
    return await act_on_form(request, act, lambda _: here, lambda _: here)


@router.post("/nominations/{nomination_id}/supplement", response_class=HTMLResponse)
async def supplement(request: Request, nomination_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> object:
        body = SupplementCreate.model_validate({
            "documents": [{"title": form.get("document", ""), "kind": "other"}],
            "note": str(form.get("note", ""))})
        return await context.give(commands.supplement(context.user, context.laurel,
                                                      nomination_id, body))

    here = f"/ui/nominations/{nomination_id}"
    return await act_on_form(request, act, lambda _: here, lambda _: here)
