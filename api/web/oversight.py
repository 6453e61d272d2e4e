"""The public's pages — tracking by code, the nominations on public notice, an objection
lodged with the tracking code — the auditors' timeline and chain check, the year's
dashboard."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api import commands
from api.deps import (
    CommandContext,
    EventNumber,
    PageNumber,
    Year,
    laurel_of,
    read_models,
)
from api.problems import Unauthenticated
from api.reads import audit as audit_reads
from api.reads import dashboard as dashboard_reads
from api.reads import nominations as nomination_reads
from api.reads import public_record
from api.reads import tracking as tracking_reads
from api.reads.access import require_auditor
from api.schemas import ObjectionCreate
from api.web import charts
from api.web.catalogue import message, pick
from api.web.session import (
    PageRefusal,
    flash,
    language,
    offset_of,
    page_number,
    pager,
    parse_moment,
    person_of,
    posted_form,
    refused,
    render,
    see,
    shown,
    signed_in,
)
from domain.actor import PUBLIC
from domain.commands import Changed
from domain.errors import DomainError, NotFound
from infrastructure.audit_chain import verify_chain

NOTICES_PAGE = 50
AUDIT_PAGE = 50

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/track", response_class=HTMLResponse)
async def track(request: Request, code: str = "") -> Response:
    """Where a nomination is, what happened, what comes next and by when: no account."""
    if not code.strip():
        return render(request, "track.html", record=None, code="", missing=False)
    laurel = laurel_of(request)
    try:
        record = await read_models(
            laurel, lambda conn: public_record.public_record(code, laurel, conn))
    except NotFound:
        return render(request, "track.html", status_code=404, record=None, code=code,
                      missing=True)
    return render(request, "track.html", record=record, tracking=record.tracking, code=code,
                  missing=False, key=str(uuid4()))


@router.post("/track/objection", response_class=HTMLResponse)
async def lodge_objection(request: Request) -> Response:
    """An objection during the public notice, from the tracking page: with the tracking
    code and no account (or as the person signed in). CSRF is checked all the same."""
    form = await posted_form(request)
    code = str(form.get("code", "")).strip()
    back = f"/ui/track?{urlencode({'code': code})}"
    laurel = laurel_of(request)
    user = person_of(request) or PUBLIC
    try:
        body = ObjectionCreate.model_validate({
            "text": form.get("text", ""), "contact": str(form.get("contact", "")),
            "tracking_code": code})
        nomination_id = await read_models(
            laurel, lambda conn: tracking_reads.nomination_id_by_code(code, conn))
        if nomination_id is None:
            raise NotFound(f"No nomination with tracking code {code}",
                           vi=f"Không có hồ sơ nào mang mã tra cứu {code}")
        changed = await CommandContext(user, laurel, str(form.get("key", ""))).give(
            commands.lodge_objection(user, nomination_id, body))
    except (DomainError, ValidationError, Unauthenticated) as error:
        return refused(request, error, back)
    assert isinstance(changed, Changed)
    caught_up = await shown(request, [changed])
    flash(request, "flash.objection_lodged", status=changed.status, lagging=not caught_up)
    return see(back)


@router.get("/notices", response_class=HTMLResponse)
async def notices(request: Request, page: PageNumber = 1) -> Response:
    """Nominations for state awards on public notice: anyone may object by the code."""
    laurel = laurel_of(request)
    listing = await read_models(laurel, lambda conn: tracking_reads.public_notices(
        laurel, conn, NOTICES_PAGE, offset_of(page, NOTICES_PAGE)))
    return render(request, "notices.html", listing=listing,
                  pages=pager(request, page_number(page), NOTICES_PAGE, listing.total))


@router.get("/audit", response_class=HTMLResponse)
async def audit_lookup(request: Request, code: str = "") -> Response:
    signed_in(request)
    if code.strip():
        found = await read_models(laurel_of(request), lambda conn: (
            tracking_reads.nomination_id_by_code(code, conn)))
        if found is not None:
            return see(f"/ui/audit/{found}")
    return render(request, "audit_lookup.html", code=code, missing=bool(code.strip()))


@router.get("/audit/chain", response_class=HTMLResponse)
async def audit_chain(request: Request) -> Response:
    """The hash chains' verification (htmx: loaded after the page, it walks every event)."""
    user = signed_in(request)
    try:
        require_auditor(user)
    except DomainError as error:
        return refused(request, error, "/ui")
    report = await asyncio.to_thread(verify_chain, laurel_of(request).nominations.recorder)
    return render(request, "chain.html", report=report)


@router.get("/audit/export")
async def audit_export(request: Request, from_: date, to: date, unit: str = "") -> Response:
    """The API's export (CSV), for the signed-in auditor."""
    user = signed_in(request)
    try:
        return audit_reads.export_download(require_auditor(user), laurel_of(request), from_,
                                           to, unit or None, "csv")
    except DomainError as error:
        return refused(request, error, "/ui/audit")


@router.get("/audit/{nomination_id}", response_class=HTMLResponse)
async def audit(request: Request, nomination_id: str, version: EventNumber = None,
                at: str = "", page: PageNumber = 1) -> Response:
    """A nomination's timeline with actor, tally and rule at each step (50 to a page),
    and its state after any step or as of any moment (typed in Vietnam time)."""
    user = signed_in(request)
    laurel = laurel_of(request)
    moment = None
    if at.strip():
        moment = parse_moment(at, laurel.policy.calendar.zone)
        if moment is None:
            return refused(request, PageRefusal("error.bad_date", value=at),
                           f"/ui/audit/{nomination_id}")

    def read(conn: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
        auditor = require_auditor(user)
        steps = audit_reads.decision_steps(nomination_id, auditor, laurel, conn)
        state = audit_reads.state_as_of(nomination_id, auditor, laurel, conn, moment,
                                        None if moment else version)
        return steps, state, nomination_reads.nomination(user, laurel, conn, nomination_id)

    try:
        steps, state, nomination = await read_models(laurel, read)
    except DomainError as error:
        return refused(request, error, "/ui/audit")
    items = steps["items"]
    pages = pager(request, page_number(page), AUDIT_PAGE, len(items))
    shown_steps = items[offset_of(page, AUDIT_PAGE):offset_of(page, AUDIT_PAGE) + AUDIT_PAGE]
    return render(request, "audit.html", steps=items, page_steps=shown_steps, state=state,
                  n=nomination, version=state["version"], at=at, pages=pages)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, year: Year = None) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    lang = language(request)
    chosen = year or dashboard_reads.this_year(laurel)
    figures = await read_models(laurel, lambda conn: dashboard_reads.year_figures(
        conn, laurel, user, chosen))
    return render(request, "dashboard.html", year=chosen,
                  charts=charts.render_all(figures, lambda k: message(k, lang),
                                           lambda v: pick(v, lang)))
