"""Unit clerks: the unit's nominations, a proposal with many nominees (typed in, or from a
spreadsheet checked row by row first), a supplement, a withdrawal."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api import commands, labels, spreadsheet
from api.deps import CommandContext, PageNumber, laurel_of, read_models
from api.reads import nominations as nomination_reads
from api.schemas import ProposalCreate, SupplementCreate, WithdrawalCreate
from api.web.catalogue import message
from api.web.session import (
    act_on_form,
    flash,
    form_command,
    language,
    offset_of,
    page_number,
    pager,
    posted_form,
    refused,
    render,
    shown,
    signed_in,
)
from domain.commands import Changed, Proposed
from domain.errors import DomainError
from domain.policy import NOMINEE_KINDS, Policy
from domain.vocabulary import Status

NOMINEE_ROWS = 3
MAX_ROWS = 500
PAGE_SIZE = 50

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/nominations", response_class=HTMLResponse)
async def my_nominations(request: Request, page: PageNumber = 1, status: str = "",
                         q: str = "") -> Response:
    """The unit's nominations, newest first, 50 to a page; by status, and found by name,
    tracking code or decision number."""
    user = signed_in(request)
    laurel = laurel_of(request)
    chosen = status if status in tuple(Status) else ""
    asked = q.strip()[:nomination_reads.QUERY_MAX_LENGTH]
    listing = await read_models(laurel, lambda conn: nomination_reads.nominations_listing(
        user, laurel, conn, PAGE_SIZE, offset_of(page, PAGE_SIZE), chosen or None,
        q=asked or None))
    return render(request, "nominations.html", listing=listing, statuses=list(Status),
                  pages=pager(request, page_number(page), PAGE_SIZE, listing.total),
                  filters={"status": chosen, "q": q}, search=True)


# -- a proposal: typed in, or from a spreadsheet, checked row by row -------------------------


@dataclass
class Row:
    """One nominee's fields as the form holds them."""

    name: str = ""
    kind: str = "individual"
    """"" when a spreadsheet named a kind that is none: the clerk chooses."""
    achievements: str = ""
    position: str = ""
    direct_worker: bool = False
    sheet_row: int = 0
    """The spreadsheet's row it came from (0: typed in)."""

    @property
    def blank(self) -> bool:
        return not (self.name or self.achievements or self.position)


def _awards_for(policy: Policy) -> list[tuple[str, dict[str, str]]]:
    return [(code, labels.award_name(policy, code)) for code in policy.awards]


def _form_rows(form: FormData) -> list[Row]:
    rows = []
    for i in range(MAX_ROWS):
        if f"name_{i}" not in form:
            break
        sheet_row = str(form.get(f"row_{i}", ""))
        rows.append(Row(
            name=str(form.get(f"name_{i}", "")).strip(),
            kind=str(form.get(f"kind_{i}", "")),
            achievements=str(form.get(f"achievements_{i}", "")).strip(),
            position=str(form.get(f"position_{i}", "")).strip(),
            direct_worker=form.get(f"direct_{i}") == "on",
            sheet_row=int(sheet_row) if sheet_row.isdigit() else 0))
    return rows


def _row_errors(rows: list[Row], award_code: str, policy: Policy, lang: str,
                skip_blank: bool = True) -> list[str]:
    """What is wrong with each row, named by its spreadsheet row (or its place in the
    form), in ``lang``. A blank row (no name, achievements or position) is left out."""
    award = policy.awards.get(award_code)
    errors = []
    listed = 0
    for n, row in enumerate(rows, start=1):
        if skip_blank and row.blank:
            continue
        listed += 1
        wrong = []
        if not row.name:
            wrong.append(message("proposal.empty_name", lang))
        if not row.kind:
            wrong.append(message("proposal.kind_missing", lang))
        elif row.kind not in NOMINEE_KINDS:
            wrong.append(message("proposal.kind_unknown", lang, kind=row.kind))
        elif award is not None and row.kind not in award.nominee_kinds:
            wrong.append(message("proposal.kind_not_allowed", lang,
                                 award=getattr(award.name, lang),
                                 kind=message(f"nominee.{row.kind}", lang).lower()))
        for what in wrong:
            errors.append(message("proposal.row_error", lang, row=row.sheet_row, error=what)
                          if row.sheet_row else
                          f"{message('proposal.nominee', lang, n=n)}: {what}")
    if not listed and skip_blank:
        errors.append(message("proposal.no_rows", lang))
    return errors


def _proposal_page(request: Request, rows: list[Row], errors: list[str], award_code: str,
                   key: str = "", status_code: int = 200) -> HTMLResponse:
    policy = laurel_of(request).policy
    return render(request, "proposal.html", status_code=status_code,
                  awards=_awards_for(policy), award_code=award_code or "bang-khen-tinh",
                  rows=rows or [Row()], errors=errors, key=key or str(uuid4()),
                  kinds=NOMINEE_KINDS, digest=checks_digest(errors))


@router.get("/proposals/new", response_class=HTMLResponse)
async def new_proposal(request: Request) -> Response:
    signed_in(request)
    return _proposal_page(request, [Row() for _ in range(NOMINEE_ROWS)], [], "")


@router.get("/proposals/row", response_class=HTMLResponse)
async def nominee_row(request: Request, n: int = 0) -> Response:
    """One more nominee's fields (htmx): the next after the rows the form has (their
    ``name_*`` fields come along; the policy allows no script evaluated in the page)."""
    signed_in(request)
    n = max(n, sum(1 for key in request.query_params if key.startswith("name_")))
    return render(request, "nominee_row.html", i=max(0, min(n, MAX_ROWS - 1)), row=Row(),
                  kinds=NOMINEE_KINDS)


@router.post("/proposals/check", response_class=HTMLResponse)
async def check_proposal(request: Request) -> Response:
    """The form's rows checked again as the clerk fixes them (htmx): the errors left, and
    the submit button back once there are none.

    Nothing comes back (204: htmx leaves the page as it is) while the errors are those
    the page shows already: the submit button is then never replaced under a clerk's
    click, only when it turns on or off."""
    signed_in(request)
    form = await posted_form(request)
    award = str(form.get("award_code", ""))
    errors = _row_errors(_form_rows(form), award, laurel_of(request).policy,
                         language(request))
    if form.get("checks_seen") == checks_digest(errors):
        return Response(status_code=204)
    return render(request, "proposal_checks.html", errors=errors, checked=True,
                  digest=checks_digest(errors))


def checks_digest(errors: list[str]) -> str:
    """Which errors a page shows, in short."""
    return hashlib.sha256("\n".join(errors).encode()).hexdigest()[:16]


@router.post("/proposals", response_class=HTMLResponse)
async def submit_proposal(request: Request) -> Response:
    user = signed_in(request)
    form = await posted_form(request)
    award = str(form.get("award_code", ""))
    rows = _form_rows(form)
    errors = _row_errors(rows, award, laurel_of(request).policy, language(request))
    if errors:
        return _proposal_page(request, rows, errors, award, str(form.get("key", "")), 422)
    listed = [r for r in rows if not r.blank]
    try:
        body = ProposalCreate.model_validate({"items": [
            {"award_code": award, "achievements": r.achievements,
             "nominee": {"name": r.name, "kind": r.kind, "direct_worker": r.direct_worker,
                         "title": r.position}} for r in listed]})
        proposed = await form_command(request, user, form).give(commands.propose_list(body))
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/proposals/new")
    assert isinstance(proposed, Proposed)
    created = [commands.created_public(p) for p in proposed.nominations]
    return render(request, "proposal_sent.html", created=created, rows=listed)


@router.post("/proposals/import", response_class=HTMLResponse)
async def import_proposal(request: Request) -> Response:
    """A spreadsheet of nominees (CSV or XLSX): every row checked and shown, with its
    errors, before anything is submitted; the rows fill the proposal form."""
    signed_in(request)
    form = await posted_form(request)
    upload = form.get("file")
    award = str(form.get("award_code", ""))
    lang = language(request)
    records: list[tuple[int, dict[str, str]]] = []
    errors = []
    if isinstance(upload, UploadFile):
        content = await upload.read(spreadsheet.MAX_BYTES + 1)  # one past: a larger file
        try:  # is refused, not cut short; read off the event loop, where others wait
            records = await asyncio.to_thread(spreadsheet.read_rows, upload.filename or "",
                                              content)
        except spreadsheet.TooLarge as too_large:
            errors.append(message(f"proposal.too_large.{too_large.limit}", lang,
                                  rows=spreadsheet.MAX_ROWS,
                                  megabytes=spreadsheet.MAX_BYTES // 1_000_000,
                                  unpacked=spreadsheet.MAX_UNPACKED // 1_000_000))
        except spreadsheet.NoNameColumn:
            errors.append(message("proposal.missing_columns", lang))
        except spreadsheet.Unreadable:
            errors.append(message("proposal.unreadable", lang))
    rows = []
    for number, record in records:
        kind = spreadsheet.kind_of(record.get("kind", ""))
        rows.append(Row(name=record.get("name", ""),
                        kind="individual" if kind == "" else (kind or ""),
                        achievements=record.get("achievements", ""),
                        position=record.get("position", ""),
                        direct_worker=spreadsheet.yes(record.get("direct_worker", "")),
                        sheet_row=number))
        if kind is None:  # said so with what the sheet said, before the form shows a choice
            rows[-1].kind = record.get("kind", "")
    policy = laurel_of(request).policy
    errors += _row_errors(rows, award or "bang-khen-tinh", policy, lang, skip_blank=False)
    for row in rows:
        if row.kind not in NOMINEE_KINDS:
            row.kind = ""
    return _proposal_page(request, rows, errors, award)


# -- the proposing unit answers a return, or withdraws -----------------------------------


async def _back_to_dossier(request: Request, changed: Changed, key: str,
                           values: dict[str, str | int] | None = None) -> str:
    caught_up = await shown(request, [changed])
    flash(request, key, values, status=changed.status, lagging=not caught_up)
    return f"/ui/nominations/{changed.nomination_id}"


@router.post("/nominations/{nomination_id}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, nomination_id: str) -> Response:
    async def act(context: CommandContext, form: FormData) -> str:
        body = WithdrawalCreate.model_validate({"reason": form.get("reason", "")})
        changed = await context.give(commands.withdraw(context.user, context.laurel,
                                                       nomination_id, body))
        assert isinstance(changed, Changed)
        return await _back_to_dossier(request, changed, "flash.withdrawn")

    return await act_on_form(request, act, lambda _: f"/ui/nominations/{nomination_id}")


@router.post("/nominations/{nomination_id}/supplement", response_class=HTMLResponse)
async def supplement(request: Request, nomination_id: str) -> Response:
    """A new version of the dossier: the documents it had, and the one added."""

    async def act(context: CommandContext, form: FormData) -> str:
        user, laurel = context.user, context.laurel
        row = await read_models(laurel, lambda conn: nomination_reads.visible_row(
            user, laurel, conn, nomination_id))
        added = {"title": form.get("document", ""),
                 "kind": str(form.get("document_kind", "other"))}
        body = SupplementCreate.model_validate({
            "documents": [*row["documents"], added], "note": str(form.get("note", ""))})
        changed = await context.give(commands.supplement(user, laurel, nomination_id, body))
        assert isinstance(changed, Changed)
        return await _back_to_dossier(request, changed, "flash.supplemented",
                                      {"version": changed.dossier_version})

    return await act_on_form(request, act, lambda _: f"/ui/nominations/{nomination_id}")
