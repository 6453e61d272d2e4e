"""Unit clerks: the unit's nominations, a proposal with many nominees (typed in, or from a
spreadsheet checked row by row first), a supplement, a withdrawal."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.engine import Connection
from starlette.datastructures import FormData, UploadFile

from api import commands, labels, spreadsheet, uploads
from api.deps import CommandContext, PageNumber, laurel_of, read_models
from api.reads import initiatives as initiative_reads
from api.reads import movements as movement_reads
from api.reads import nominations as nomination_reads
from api.reads import people as people_reads
from api.schemas import ProposalCreate, SupplementCreate, WithdrawalCreate
from api.web.catalogue import message
from api.web.proposal_form import MAX_ROWS, Row, Terms, form_rows, row_errors, row_label
from api.web.proposal_sheet import sheet_rows
from api.web.session import (
    act_on_form,
    failed_checks,
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
from domain.actor import Actor
from domain.commands import Changed, DocumentStored, Proposed, UploadDocument
from domain.errors import (
    BulkItemRefused,
    DomainError,
    DuplicateNomination,
    InvalidDocument,
    NotEligible,
)
from domain.policy import NOMINEE_KINDS, Policy
from domain.vocabulary import COMMENDATION_TYPE_NAMES, Status

NOMINEE_ROWS = 3
PAGE_SIZE = 50
PEOPLE_FOUND = 20
"""People a row's search offers: a name typed more fully finds fewer."""
INITIATIVES_SHOWN = 200
MOVEMENTS_SHOWN = 200

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


def _awards_for(policy: Policy) -> list[tuple[str, dict[str, str]]]:
    return [(code, labels.award_name(policy, code)) for code in policy.awards]


def _this_year(request: Request) -> int:
    laurel = laurel_of(request)
    return laurel.clock().astimezone(laurel.policy.calendar.zone).year


def _person_label(name: str, unit_name: str, code: str) -> str:
    return " — ".join(part for part in (name, unit_name, code) if part)


def _offer_chosen(user: Actor, policy: Policy, conn: Connection, rows: list[Row]) -> None:
    """Each row's chosen person first in its list, named as the register names them (a
    person the clerk may not see is let go)."""
    for row in rows:
        if row.person_id and row.person_id not in dict(row.choices):
            try:
                found = people_reads.visible_person(user, policy, conn, row.person_id)
            except DomainError:
                row.person_id = ""
            else:
                row.choices.insert(0, (row.person_id, _person_label(
                    str(found["name"]), labels.unit_name(policy, found["unit_id"]) or "",
                    str(found["civil_servant_code"] or ""))))


def _name_of(row: Row) -> str:
    """The row's nominee as the register or the clerk names them."""
    return row.name if not row.person_id else \
        dict(row.choices).get(row.person_id, "").split(" — ")[0]


async def _proposal_page(request: Request, rows: list[Row], errors: list[str],
                         award_code: str, key: str = "", status_code: int = 200,
                         notes: list[str] | None = None,
                         refusals: list[str] | None = None,
                         terms: Terms | None = None) -> HTMLResponse:
    """The form with its rows; each row's list of people of the register offers the one
    chosen and those its search found; the unit's initiatives to choose from; the
    movements open to the unit."""
    user = signed_in(request)
    laurel = laurel_of(request)
    policy = laurel.policy
    rows = rows or [Row()]

    def read(conn: Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        _offer_chosen(user, policy, conn, rows)
        listed = initiative_reads.listing(user, policy, conn, None, INITIATIVES_SHOWN, 0)
        found = movement_reads.listing(user, laurel, conn, MOVEMENTS_SHOWN, 0)
        return ([(i.id, f"{i.title} — {i.unit_name}") for i in listed.items],
                [(m.id, f"{m.name} ({m.decision_number})") for m in found.items
                 if m.status == "open"])

    initiatives, movements = await read_models(laurel, read)
    return render(request, "proposal.html", status_code=status_code,
                  terms=terms or Terms(), movements=movements,
                  commendation_types=list(COMMENDATION_TYPE_NAMES.items()),
                  awards=_awards_for(policy), award_code=award_code or "bang-khen-tinh",
                  rows=rows, errors=errors, key=key or str(uuid4()), kinds=NOMINEE_KINDS,
                  digest=checks_digest(errors), initiatives=initiatives,
                  this_year=_this_year(request), notes=notes or [], refusals=refusals or [])


@router.get("/proposals/new", response_class=HTMLResponse)
async def new_proposal(request: Request) -> Response:
    signed_in(request)
    return await _proposal_page(request, [Row() for _ in range(NOMINEE_ROWS)], [], "")


@router.get("/proposals/row", response_class=HTMLResponse)
async def nominee_row(request: Request, n: int = 0) -> Response:
    """One more nominee's fields (htmx): the next after the rows the form has (their
    ``name_*`` fields come along; the policy allows no script evaluated in the page)."""
    user = signed_in(request)
    laurel = laurel_of(request)
    n = max(n, sum(1 for key in request.query_params if key.startswith("name_")))
    listed = await read_models(laurel, lambda conn: initiative_reads.listing(
        user, laurel.policy, conn, None, INITIATIVES_SHOWN, 0))
    return render(request, "nominee_row.html", i=max(0, min(n, MAX_ROWS - 1)), row=Row(),
                  kinds=NOMINEE_KINDS, this_year=_this_year(request),
                  initiatives=[(i.id, f"{i.title} — {i.unit_name}") for i in listed.items])


@router.post("/proposals/find", response_class=HTMLResponse)
async def find_person(request: Request) -> Response:
    """A row's search of the register (the button beside its search field, named
    ``find_<row>``): the form comes back as it was, the row's list offering the people
    found. A plain form post, so it works without any script; an input, not a button, so
    that the form's own submit button stays its only button of that kind."""
    user = signed_in(request)
    form = await posted_form(request)
    rows = form_rows(form)
    asked = next((key.removeprefix("find_") for key in form if key.startswith("find_")), "")
    laurel = laurel_of(request)
    if asked.isdigit() and int(asked) < len(rows):
        row = rows[int(asked)]
        found = await read_models(laurel, lambda conn: people_reads.people_listing(
            user, laurel.policy, conn, row.query or None, PEOPLE_FOUND, 0))
        row.choices = [(p.id, _person_label(p.name, p.unit_name, p.civil_servant_code))
                       for p in found.items]
        row.searched = True
    return await _proposal_page(request, rows, [], str(form.get("award_code", "")),
                                str(form.get("key", "")), terms=Terms.of(form))


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
    errors = row_errors(form_rows(form), award, laurel_of(request).policy,
                        language(request), _this_year(request))
    if form.get("checks_seen") == checks_digest(errors):
        return Response(status_code=204)
    return render(request, "proposal_checks.html", errors=errors, checked=True,
                  digest=checks_digest(errors))


def checks_digest(errors: list[str]) -> str:
    """Which errors a page shows, in short."""
    return hashlib.sha256("\n".join(errors).encode()).hexdigest()[:16]


@router.post("/proposals", response_class=HTMLResponse)
async def submit_proposal(request: Request) -> Response:
    """The proposal, all or none. A nominee the award's rules refuse, or one proposed
    already, comes back on the form, the row named and each failed rule explained, with
    the field for a reason to go on all the same."""
    user = signed_in(request)
    form = await posted_form(request)
    award = str(form.get("award_code", ""))
    rows = form_rows(form)
    lang = language(request)
    errors = row_errors(rows, award, laurel_of(request).policy, lang, _this_year(request))
    terms = Terms.of(form)
    if errors:
        return await _proposal_page(request, rows, errors, award, str(form.get("key", "")), 422,
                                    terms=terms)
    listed = [r for r in rows if not r.blank]
    try:
        body = ProposalCreate.model_validate({"items": [{**r.item(award), **terms.item()}
                                                        for r in listed]})
        proposed = await form_command(request, user, form).give(commands.propose_list(body))
    except BulkItemRefused as error:
        return await _refused_row(request, rows, listed, error, award, terms)
    except (DomainError, ValidationError) as error:
        return refused(request, error, "/ui/proposals/new")
    assert isinstance(proposed, Proposed)
    created = [commands.created_public(p) for p in proposed.nominations]
    laurel = laurel_of(request)
    await read_models(laurel, lambda conn: _offer_chosen(user, laurel.policy, conn, listed))
    return render(request, "proposal_sent.html", created=created,
                  names=[_name_of(r) for r in listed])


async def _refused_row(request: Request, rows: list[Row], listed: list[Row],
                       error: BulkItemRefused, award: str,
                       terms: Terms | None = None) -> HTMLResponse:
    """The form again, nothing recorded, saying which row was refused and why."""
    lang = language(request)
    row = listed[error.index] if 0 <= error.index < len(listed) else None
    if row is None:
        return refused(request, error, "/ui/proposals/new")
    laurel = laurel_of(request)
    user = signed_in(request)
    await read_models(laurel, lambda conn: _offer_chosen(user, laurel.policy, conn, [row]))
    who = row_label(row, rows.index(row) + 1, lang)
    inner = error.error
    if isinstance(inner, NotEligible):
        row.refusal = failed_checks(inner, lang)
        row.ask_override = True
        said = [message("refusal.not_eligible", lang, who=who), *row.refusal,
                message("refusal.override_hint", lang)]
    elif isinstance(inner, DuplicateNomination):
        said = [message("refusal.duplicate", lang, who=who, code=inner.tracking_code)]
        row.refusal = said
    else:
        said = [f"{who}: {inner.in_language(lang)[1]}"]
        row.refusal = said[-1:]
    return await _proposal_page(request, rows, [], award, status_code=422, refusals=said,
                                terms=terms)


@router.post("/proposals/import", response_class=HTMLResponse)
async def import_proposal(request: Request) -> Response:
    """A spreadsheet of nominees (CSV or XLSX): every row checked and shown, with its
    errors, before anything is submitted; the rows fill the proposal form. A row naming
    a national ID or civil-servant code is matched to that person of the unit's
    register; one that matches no one is said so."""
    user = signed_in(request)
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
    laurel = laurel_of(request)
    units = laurel.policy.org.subtree(user.unit_id)
    matches = await read_models(laurel, lambda conn: spreadsheet.match_people(
        conn, units, records)) if records else {}
    rows, notes = sheet_rows(records, matches, lang)
    policy = laurel.policy
    errors += row_errors(rows, award or "bang-khen-tinh", policy, lang, _this_year(request),
                         skip_blank=False)
    for row in rows:
        if row.kind not in NOMINEE_KINDS:
            row.kind = ""
    return await _proposal_page(request, rows, errors, award, notes=notes)


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




async def _added_document(context: CommandContext, form: FormData) -> dict[str, Any]:
    """The document a supplement adds: a file chosen (stored and recorded as a document
    of the unit first; its name, or the title typed, shown), or a title alone."""
    title = str(form.get("document", "")).strip()
    kind = str(form.get("document_kind", "other"))
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return {"title": title, "kind": kind}
    laurel = context.laurel
    try:
        received = await uploads.keep_form_file(file, laurel.files,
                                                laurel.settings.max_upload_bytes)
    except uploads.UploadRefused as refusal:
        raise InvalidDocument(refusal.detail, vi=refusal.detail_vi) from None
    stored = await context.give(UploadDocument(
        received.stored.sha256, received.stored.size, received.media_type, received.filename))
    assert isinstance(stored, DocumentStored)
    return {"document_id": str(stored.document_id), "kind": kind,
            **({"title": title} if title else {})}


@router.post("/nominations/{nomination_id}/supplement", response_class=HTMLResponse)
async def supplement(request: Request, nomination_id: str) -> Response:
    """A new version of the dossier: the documents it had, and the one added."""

    async def act(context: CommandContext, form: FormData) -> str:
        user, laurel = context.user, context.laurel
        row = await read_models(laurel, lambda conn: nomination_reads.visible_row(
            user, laurel, conn, nomination_id))
        added = await _added_document(context, form)
        body = SupplementCreate.model_validate({
            "documents": [*row["documents"], added], "note": str(form.get("note", ""))})
        changed = await context.give(commands.supplement(user, laurel, nomination_id, body))
        assert isinstance(changed, Changed)
        return await _back_to_dossier(request, changed, "flash.supplemented",
                                      {"version": changed.dossier_version})

    return await act_on_form(request, act, lambda _: f"/ui/nominations/{nomination_id}")
