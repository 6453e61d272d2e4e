"""The public's pages — tracking by code, the nominations on public notice, an objection
lodged with the tracking code and confirmed with the code e-mailed to its author — the
auditors' timeline and chain check, the year's dashboard."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Literal
from urllib.parse import urlencode
from uuid import uuid4

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from api import commands, labels, report_files
from api.deps import (
    CommandContext,
    EventNumber,
    PageNumber,
    Year,
    laurel_of,
    read_models,
)
from api.problems import TooManyRequests, Unauthenticated
from api.reads import audit as audit_reads
from api.reads import dashboard as dashboard_reads
from api.reads import nominations as nomination_reads
from api.reads import public_record
from api.reads import reports as report_reads
from api.reads import tracking as tracking_reads
from api.reads.access import require_auditor, visible_units
from api.schemas import ObjectionConfirmationCreate, ObjectionCreate
from api.throttle import client_of, throttles_of
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
from domain.application import normalised_tracking_code
from domain.commands import Objected
from domain.confirmation import CODE_ATTEMPTS
from domain.errors import ConfirmationLocked, DomainError, NotFound
from infrastructure.audit_chain import verify_chain

NOTICES_PAGE = 50
AUDIT_PAGE = 50

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/track", response_class=HTMLResponse)
async def track(request: Request, code: str = "") -> Response:
    """Where a nomination is, what happened, what comes next and by when: no account.
    Lookups are throttled per client address and per code, as ``GET /track/{code}``."""
    if not code.strip():
        return render(request, "track.html", record=None, code="", missing=False)
    laurel = laurel_of(request)
    try:
        throttles_of(request).lookup(client_of(request), normalised_tracking_code(code))
        record = await read_models(
            laurel, lambda conn: public_record.public_record(code, laurel, conn))
    except TooManyRequests as error:
        return refused(request, error, "/ui/track")
    except NotFound:
        return render(request, "track.html", status_code=404, record=None, code=code,
                      missing=True)
    waiting = request.session.get(AWAITING_CODE)
    if not (isinstance(waiting, dict) and waiting.get("code") == record.tracking.tracking_code
            and record.takes_objections):
        waiting = None
    return render(request, "track.html", record=record, tracking=record.tracking, code=code,
                  missing=False, key=str(uuid4()), awaiting=waiting,
                  attempts=CODE_ATTEMPTS)


AWAITING_CODE = "objection_awaiting_code"
"""The session's objection whose author was sent a code: the tracking page asks for it."""


@router.post("/track/objection", response_class=HTMLResponse)
async def lodge_objection(request: Request) -> Response:
    """An objection during the public notice, from the tracking page: with the tracking
    code and no account (or as the person signed in). CSRF is checked all the same. Without
    an account, a code goes to the e-mail address given, and the tracking page then asks
    for it; without an e-mail address, the objection holds nothing (the page says so)."""
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
        throttles_of(request).objection(client_of(request), nomination_id)
        result = await CommandContext(user, laurel, str(form.get("key", ""))).give(
            commands.lodge_objection(user, laurel, nomination_id, body))
        answer = await commands.objection_answer(request.app.state.mailer, laurel, result,
                                                 normalised_tracking_code(code))
    except (DomainError, ValidationError, Unauthenticated, TooManyRequests) as error:
        return refused(request, error, back)
    assert isinstance(result, Objected)
    caught_up = await shown(request, [result])
    to = masked(result.send_to)
    if answer.confirmation == "code_sent":
        request.session[AWAITING_CODE] = {
            "code": normalised_tracking_code(code), "nomination_id": answer.nomination_id,
            "objection_id": answer.objection_id, "to": to,
            "until": result.code_expires_at.isoformat() if result.code_expires_at else ""}
    flash(request, LODGED_FLASH[answer.confirmation], {"to": to}, status=answer.status,
          lagging=not caught_up)
    return see(f"{back}#confirm" if answer.confirmation == "code_sent" else back)


LODGED_FLASH = {"not_needed": "flash.objection_lodged",
                "code_sent": "flash.objection_code_sent",
                "code_not_sent": "flash.objection_code_not_sent",
                "no_email_address": "flash.objection_no_email",
                "confirmed": "flash.objection_confirmed"}


def masked(address: str) -> str:
    """An e-mail address shown back to whoever typed it, half hidden: h•••@example.vn."""
    name, at, domain = address.partition("@")
    return f"{name[:1]}•••{at}{domain}" if at else ""


@router.post("/track/confirmation", response_class=HTMLResponse)
async def confirm_objection(request: Request) -> Response:
    """The code e-mailed to the objector, typed back on the tracking page: the objection
    the session lodged then holds the nomination."""
    form = await posted_form(request)
    waiting = request.session.get(AWAITING_CODE)
    tracking_code = waiting.get("code", "") if isinstance(waiting, dict) else ""
    back = f"/ui/track?{urlencode({'code': tracking_code})}#confirm"
    laurel = laurel_of(request)
    user = person_of(request) or PUBLIC
    try:
        if not isinstance(waiting, dict):
            raise PageRefusal("objection.nothing_to_confirm")
        body = ObjectionConfirmationCreate.model_validate({"code": form.get("code", "")})
        throttles_of(request).confirmation(client_of(request))
        result = await CommandContext(user, laurel).give(commands.confirm_objection(
            str(waiting["nomination_id"]), str(waiting["objection_id"]), body))
        answer = commands.confirmed_answer(result)
    except ConfirmationLocked as error:
        request.session.pop(AWAITING_CODE, None)
        return refused(request, error, back)
    except (DomainError, ValidationError, TooManyRequests, PageRefusal) as error:
        return refused(request, error, back)
    assert isinstance(result, Objected)
    request.session.pop(AWAITING_CODE, None)
    caught_up = await shown(request, [result])
    flash(request, "flash.objection_confirmed", status=answer.status, lagging=not caught_up)
    return see(back.removesuffix("#confirm"))


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
    """An auditor's look-up by tracking code: of a nomination within their reach only
    (for anyone else, a code names no internal id)."""
    user = signed_in(request)
    try:
        require_auditor(user)
    except DomainError as error:
        return refused(request, error, "/ui")
    laurel = laurel_of(request)

    def reachable(conn: Connection) -> str | None:
        found = tracking_reads.nomination_id_by_code(code, conn)
        if found is None:
            return None
        try:
            nomination_reads.visible_row(user, laurel, conn, found)
        except NotFound:
            return None
        return found

    if code.strip():
        found = await read_models(laurel, reachable)
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


def report_scope(request: Request, year: int | None, from_: str, to: str,
                 unit: str) -> report_reads.Scope:
    """The unit and period a dashboard or a download asks for (``PageRefusal`` for a
    period that is none, ``NotFound`` for a unit the user may not see)."""
    laurel = laurel_of(request)
    try:
        first, last = (date.fromisoformat(d) if d else None for d in (from_, to))
    except ValueError:
        raise PageRefusal("dashboard.bad_date") from None
    try:
        period = report_reads.period_of(dashboard_reads.this_year(laurel), year, first, last)
    except report_reads.InvalidPeriod as bad:
        if bad.parameter == "year":
            raise PageRefusal("dashboard.both_periods") from None
        raise PageRefusal("dashboard.end_before_start", start=from_, end=to) from None
    return report_reads.scope_of(laurel, signed_in(request), unit or None, period)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, year: Year = None, from_: str = Query("", alias="from"),
                    to: str = "", unit: str = "") -> Response:
    """The figures of a unit subtree and period (the user's unit and the calendar year by
    default), with charts, the statistical form and the downloads."""
    user = signed_in(request)
    laurel = laurel_of(request)
    lang = language(request)
    try:
        scope = report_scope(request, year, from_, to, unit)
    except (DomainError, PageRefusal) as error:
        return refused(request, error, "/ui/dashboard")
    figures = await read_models(laurel, lambda conn: dashboard_reads.figures(
        conn, laurel, scope))
    units = [(u, labels.unit_name(laurel.policy, u) or u)
             for u in visible_units(user, laurel.policy.org)]
    return render(request, "dashboard.html", scope=scope, year=scope.period.whole_year,
                  period=scope.period.label(lang), units=units,
                  query=urlencode(scope.query()), stats=figures.statistics,
                  times=figures.times,
                  charts=charts.render_all(figures, lambda k: message(k, lang),
                                           lambda v: pick(v, lang)))


REPORTS = ("statistics", "awarded-list", "processing-times")


@router.get("/reports/{report}")
async def report_download(request: Request, report: str, year: Year = None,
                          from_: str = Query("", alias="from"), to: str = "", unit: str = "",
                          format: str = "xlsx") -> Response:
    """A report of the dashboard as a file (XLSX or CSV), as ``GET /reports/…`` gives it,
    for the signed-in user."""
    signed_in(request)
    laurel = laurel_of(request)
    if report not in REPORTS or format not in ("xlsx", "csv"):
        return refused(request, NotFound(f"No report {report}.{format}",
                                         vi="Không có báo cáo này"), "/ui/dashboard")
    try:
        scope = report_scope(request, year, from_, to, unit)
    except (DomainError, PageRefusal) as error:
        return refused(request, error, "/ui/dashboard")
    chosen: Literal["xlsx", "csv"] = "csv" if format == "csv" else "xlsx"

    def sheets(conn: Connection) -> list[report_files.Sheet]:
        if report == "statistics":
            return report_files.statistics_sheets(report_reads.statistics(conn, laurel, scope))
        if report == "awarded-list":
            return [report_files.awarded_sheet(report_reads.awarded(conn, laurel, scope))]
        return [report_files.times_sheet(report_reads.processing_times(conn, laurel, scope))]

    names = {"statistics": "thong-ke-khen-thuong", "awarded-list": "danh-sach-khen-thuong",
             "processing-times": "thoi-gian-xu-ly"}
    return report_files.download(scope, await read_models(laurel, sheets), chosen,
                                 names[report])
