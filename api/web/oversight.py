"""The public's tracking page, the auditors' timeline and chain check, the year's dashboard."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import laurel_of, read_models
from api.reads import audit as audit_reads
from api.reads import dashboard as dashboard_reads
from api.reads import nominations as nomination_reads
from api.reads import tracking as tracking_reads
from api.reads.access import require_auditor
from api.web import charts
from api.web.catalogue import message, pick
from api.web.session import language, refused, render, see, signed_in
from domain.errors import DomainError, NotFound
from infrastructure.audit_chain import verify_chain

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/track", response_class=HTMLResponse)
async def track(request: Request, code: str = "") -> Response:
    """Where a nomination is, what happened, what comes next and by when: no account."""
    if not code.strip():
        return render(request, "track.html", tracking=None, code="", missing=False)
    laurel = laurel_of(request)
    try:
        tracking = await read_models(
            laurel, lambda conn: tracking_reads.tracking(code, laurel, conn))
    except NotFound:
        return render(request, "track.html", status_code=404, tracking=None, code=code,
                      missing=True)
    return render(request, "track.html", tracking=tracking, code=code, missing=False)


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
async def audit(request: Request, nomination_id: str, version: int | None = None,
                at: str = "") -> Response:
    """A nomination's timeline with actor, tally and rule at each step, and its state
    after any step or as of any moment."""
    user = signed_in(request)
    laurel = laurel_of(request)
    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
        except ValueError:
            return render(request, "error.html", status_code=422, detail=at,
                          back=f"/ui/audit/{nomination_id}")

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
    return render(request, "audit.html", steps=steps["items"], state=state, n=nomination,
                  version=state["version"], at=at)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, year: int | None = None) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    lang = language(request)
    chosen = year or laurel.clock().year
    figures = await read_models(laurel, lambda conn: dashboard_reads.year_figures(
        conn, laurel, user, chosen))
    return render(request, "dashboard.html", year=chosen,
                  charts=charts.render_all(figures, lambda k: message(k, lang),
                                           lambda v: pick(v, lang)))
