"""The pages. Each reads through, and acts through, the JSON API's own handlers, so the
same roles, unit scoping, validation and idempotency apply; they add the session, the
CSRF check on every form, and the language."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api import labels
from api.deps import get_clock
from api.oidc import Provider
from api.problems import STATUS_OF, Unauthenticated
from api.routes import audit as audit_routes
from api.routes import nominations as nomination_routes
from api.routes import proposals as proposal_routes
from api.routes import public as public_routes
from api.routes import tasks as task_routes
from api.routes.actions import supplement as supplement_action
from api.routes.actions import withdraw as withdraw_action
from api.schemas import (
    BulkReviewCreate,
    DecisionCreate,
    ProposalCreate,
    ReviewCreate,
    SupplementCreate,
    WithdrawalCreate,
)
from api.web import charts
from api.web.accounts import Accounts
from api.web.catalogue import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, message, pick
from api.web.spreadsheet import MAX_BYTES, Unreadable, read_rows
from domain.errors import DomainError, NotFound
from domain.nomination import Actor
from domain.voting import VoteRule
from laurel.audit_chain import verify_chain
from laurel.bootstrap import Laurel
from projections import queries

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(prefix="/ui", include_in_schema=False)
DUE_SOON = timedelta(days=3)
NOMINEE_ROWS = 3


class SignInFirst(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


# -- the session: who, which language, the CSRF token ------------------------------------


def _laurel(request: Request) -> Laurel:
    laurel: Laurel = request.app.state.laurel
    return laurel


def _accounts(request: Request) -> Accounts:
    return Accounts(_laurel(request).settings.data_dir / "accounts.json")


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        request.session["lang"] = asked
    chosen = request.session.get("lang", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def _user(request: Request) -> Actor | None:
    person = request.session.get("person")  # signed in with the OpenID Connect provider
    if person is not None:
        return Actor(person["id"], frozenset(person["roles"]), person["unit"])
    username = request.session.get("user")
    account = _accounts(request).get(username) if username else None
    return account.actor() if account else None


def signed_in(request: Request) -> Actor:
    user = _user(request)
    if user is None:
        raise SignInFirst(request.url.path)
    return user


def _csrf(request: Request) -> str:
    token: str | None = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


async def _form(request: Request) -> FormData:
    """The posted form, once its CSRF token matched the session's."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, _csrf(request)):
        raise CsrfRefused
    return form


class CsrfRefused(Exception):
    pass


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    lang = language(request)
    user = _user(request)
    account = _accounts(request).get(user.id) if user else None
    return templates.TemplateResponse(request, template, {
        "lang": lang, "other_lang": "en" if lang == "vi" else "vi",
        "t": lambda key, **values: message(key, lang, **values),
        "pick": lambda value: pick(value, lang),
        "user": user, "account": account, "csrf": _csrf(request),
        "level_name": lambda level: message(f"level.{level}", lang) if level else "",
        "outcome_name": lambda o: message(f"outcome.{o}", lang) if f"outcome.{o}" in MESSAGES
        else (o or ""),
        "rule_text": lambda rule: VoteRule.from_dict(rule).describe() if rule else "",
        "day": _day, **context,
    }, status_code=status_code)


def _day(value: datetime | str | None) -> str:
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).strftime("%d/%m/%Y")


def _refused(request: Request, error: DomainError | ValidationError,
             back: str) -> HTMLResponse:
    if isinstance(error, ValidationError):
        detail, status = "; ".join(e["msg"] for e in error.errors()), 422
    else:
        detail, status = error.detail, STATUS_OF.get(type(error), 409)
    return render(request, "error.html", status_code=status, detail=detail, back=back)


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


async def _clock(request: Request) -> Callable[[], datetime]:
    return await get_clock(request)


async def _read(request: Request, read: Callable[[Any], Any]) -> Any:
    """Run a read on a read-model connection, off the event loop."""
    laurel = _laurel(request)

    def work() -> Any:
        with laurel.engine.connect() as conn:
            return read(conn)

    return await asyncio.to_thread(work)


# -- sign-in ---------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return _see("/ui/track")
    if user.roles & {"reviewer", "decider"}:
        return _see("/ui/inbox")
    if "proposer" in user.roles:
        return _see("/ui/nominations")
    return _see("/ui/dashboard")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/ui") -> HTMLResponse:
    return render(request, "login.html", next=_local(next), failed=False,
                  oidc=request.app.state.oidc is not None)


def _callback(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/login/oidc")
async def oidc_login(request: Request, next: str = "/ui") -> Response:
    """To the OpenID Connect provider's sign-in; it answers at the callback below."""
    provider: Provider | None = request.app.state.oidc
    if provider is None:
        return _see("/ui/login")
    url, kept = await provider.sign_in_url(_callback(request))
    request.session["oidc"] = {**kept, "next": _local(next)}
    return _see(url)


@router.get("/login/oidc/callback", name="oidc_callback")
async def oidc_callback(request: Request, code: str = "", state: str = "") -> Response:
    provider: Provider | None = request.app.state.oidc
    kept = request.session.pop("oidc", None)
    if provider is None or kept is None or not secrets.compare_digest(state, kept["state"]):
        return render(request, "login.html", status_code=401, next="/ui", failed=True,
                      oidc=provider is not None)
    try:
        person = await provider.signed_in(code, _callback(request), kept)
    except Unauthenticated:
        return render(request, "login.html", status_code=401, next="/ui", failed=True,
                      oidc=True)
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({"lang": lang or DEFAULT_LANGUAGE, "person": {
        "id": person.id, "roles": sorted(person.roles), "unit": person.unit_id}})
    return _see(kept["next"])


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await _form(request)
    account = await asyncio.to_thread(_accounts(request).sign_in,
                                      str(form.get("username", "")),
                                      str(form.get("password", "")))
    next_path = _local(str(form.get("next", "/ui")))
    if account is None:
        return render(request, "login.html", status_code=401, next=next_path, failed=True,
                      oidc=request.app.state.oidc is not None)
    lang = request.session.get("lang")
    request.session.clear()  # a new session on sign-in: no fixation
    request.session.update({"user": account.username, "lang": lang or DEFAULT_LANGUAGE})
    return _see(next_path)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _form(request)
    lang = request.session.get("lang")
    request.session.clear()
    request.session["lang"] = lang or DEFAULT_LANGUAGE
    return _see("/ui/track")


def _local(path: str) -> str:
    """Only a path of this site to go on to after sign-in (no open redirect)."""
    return path if path.startswith("/ui") and "//" not in path else "/ui"


# -- reviewers and deciders --------------------------------------------------------------


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(request: Request, level: str = "", award: str = "", due: str = "") -> Response:
    user = signed_in(request)
    laurel = _laurel(request)
    try:
        page = await _read(request, lambda conn: task_routes.inbox(user, laurel, conn, 200, 0))
    except DomainError as error:
        return _refused(request, error, "/ui")
    now = datetime.now(UTC)
    rows = []
    for task in page.items:
        due_at = task.due_at.astimezone(UTC)
        state = "overdue" if task.overdue or due_at < now else (
            "soon" if due_at - now < DUE_SOON else "")
        if (level and task.level != level) or (award and task.award_code != award) or (
                due and state != due):
            continue
        rows.append({"task": task, "due_state": state})
    rows.sort(key=lambda r: (r["due_state"] != "overdue", r["due_state"] != "soon",
                             r["task"].due_at))
    awards = sorted({t.award_code: t.award_name for t in page.items}.items())
    return render(request, "inbox.html", rows=rows, total=page.total, awards=awards,
                  filters={"level": level, "award": award, "due": due})


@router.get("/nominations/{nomination_id}", response_class=HTMLResponse)
async def dossier(request: Request, nomination_id: str) -> Response:
    user = signed_in(request)
    laurel = _laurel(request)

    def read(conn: Any) -> tuple[Any, Any, dict[str, Any] | None]:
        row = nomination_routes.visible_row(user, laurel, conn, nomination_id)
        history = nomination_routes.get_history(nomination_id, user, laurel, conn)
        task = queries.task(conn, row["open_task_id"]) if row["open_task_id"] else None
        return nomination_routes.nomination_public(laurel, row), history, task

    try:
        nomination, history, task = await _read(request, read)
    except DomainError as error:
        return _refused(request, error, "/ui")
    ours = task is not None and task["unit_id"] == user.unit_id
    acting = task if ours and task["kind"] in task_routes.kinds_acted_on(user) else None
    own = "proposer" in user.roles and nomination.unit_id == user.unit_id
    return render(request, "dossier.html", n=nomination, history=history.items, task=acting,
                  own=own, today=date.today().isoformat(), key=str(uuid4()))


def _tally(form: FormData) -> dict[str, int | str]:
    return {k: str(form.get(k, "0")) for k in ("members", "present", "for", "against",
                                                "abstain")}


def _dossier_of(form: FormData) -> str:
    return f"/ui/nominations/{form.get('nomination_id', '')}"


async def _act(request: Request, act: Callable[[Actor, FormData, Any, str], Awaitable[object]],
               back: Callable[[FormData], str], done: Callable[[FormData], str]) -> Response:
    """A form's command: checked for CSRF, given to an API handler with the form's
    idempotency key; refused with the problem's text on the page it came from."""
    user = signed_in(request)
    form = await _form(request)
    try:
        await act(user, form, await _clock(request), str(form.get("key", "")))
    except (DomainError, ValidationError) as error:
        return _refused(request, error, back(form))
    return _see(done(form))


@router.post("/tasks/{task_id}/review", response_class=HTMLResponse)
async def review(request: Request, task_id: str) -> Response:
    async def act(user: Actor, form: FormData, clock: Any, key: str) -> object:
        body = ReviewCreate.model_validate({"outcome": form.get("outcome"),
                                            "votes": _tally(form),
                                            "note": str(form.get("note", ""))})
        return await task_routes.review(task_id, body, user, _laurel(request), clock, None,
                                        key)

    return await _act(request, act, _dossier_of, lambda _: "/ui/inbox")


@router.post("/tasks/{task_id}/decision", response_class=HTMLResponse)
async def decide(request: Request, task_id: str) -> Response:
    async def act(user: Actor, form: FormData, clock: Any, key: str) -> object:
        body = DecisionCreate.model_validate({
            "outcome": form.get("outcome"), "decision_number": form.get("decision_number"),
            "decision_date": form.get("decision_date"), "signer": form.get("signer")})
        return await task_routes.decide(task_id, body, user, _laurel(request), clock, None,
                                        key)

    return await _act(request, act, _dossier_of, lambda _: "/ui/inbox")


@router.post("/meeting/summary", response_class=HTMLResponse)
async def meeting_summary(request: Request) -> Response:
    """A meeting's outcome for the selected tasks: shown in full before it is recorded."""
    user = signed_in(request)
    form = await _form(request)
    selected = [str(v) for v in form.getlist("task_id")]
    if not selected:
        return render(request, "error.html", status_code=422,
                      detail=message("meeting.none", language(request)), back="/ui/inbox")
    laurel = _laurel(request)
    try:
        tasks = await _read(request, lambda conn: [
            task_routes.get_task(t, user, laurel, conn) for t in selected])
    except DomainError as error:
        return _refused(request, error, "/ui/inbox")
    return render(request, "meeting.html", tasks=tasks, outcome=form.get("outcome", "approve"),
                  votes=_tally(form), key=str(uuid4()))


@router.post("/meeting", response_class=HTMLResponse)
async def meeting(request: Request) -> Response:
    user = signed_in(request)
    form = await _form(request)
    votes, outcome = _tally(form), form.get("outcome")
    try:
        body = BulkReviewCreate.model_validate({"items": [
            {"task_id": str(t), "outcome": outcome, "votes": votes}
            for t in form.getlist("task_id")]})
        result = await task_routes.bulk_review(body, user, _laurel(request),
                                               await _clock(request), str(form.get("key", "")))
    except (DomainError, ValidationError) as error:
        return _refused(request, error, "/ui/inbox")
    return render(request, "done.html",
                  text=message("meeting.recorded", language(request), count=result.recorded),
                  back="/ui/inbox")


# -- proposers ---------------------------------------------------------------------------


@router.get("/nominations", response_class=HTMLResponse)
async def my_nominations(request: Request, page: int = 1) -> Response:
    user = signed_in(request)
    laurel = _laurel(request)
    size = 50
    listing = await _read(request, lambda conn: nomination_routes.list_nominations(
        user, laurel, conn, size, (max(page, 1) - 1) * size))
    return render(request, "nominations.html", listing=listing, page=max(page, 1), size=size)


@router.get("/proposals/new", response_class=HTMLResponse)
async def new_proposal(request: Request) -> Response:
    user = signed_in(request)
    return render(request, "proposal.html", awards=_awards_for(request, user),
                  rows=[{} for _ in range(NOMINEE_ROWS)], errors=[], key=str(uuid4()))


@router.get("/proposals/row", response_class=HTMLResponse)
async def nominee_row(request: Request, n: int = 0) -> Response:
    """One more nominee's fields (htmx)."""
    signed_in(request)
    return render(request, "nominee_row.html", i=max(0, min(n, 499)), row={})


def _awards_for(request: Request, user: Actor) -> list[tuple[str, dict[str, str]]]:
    policy = _laurel(request).policy
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
    form = await _form(request)
    award = str(form.get("award_code", ""))
    rows = _nominee_rows(form)
    try:
        body = ProposalCreate.model_validate({"items": [
            {"award_code": award, "achievements": r["achievements"],
             "nominee": {"name": r["name"], "kind": r["kind"],
                         "direct_worker": r["direct_worker"]}} for r in rows]})
        created = await proposal_routes.propose_list(body, user, _laurel(request),
                                                     await _clock(request),
                                                     str(form.get("key", "")))
    except (DomainError, ValidationError) as error:
        return _refused(request, error, "/ui/proposals/new")
    return render(request, "proposal_sent.html", created=created.nominations, rows=rows)


@router.post("/proposals/import", response_class=HTMLResponse)
async def import_proposal(request: Request) -> Response:
    """A spreadsheet of nominees (CSV or XLSX): every row checked and shown, with its
    errors, before anything is submitted; the rows fill the proposal form."""
    user = signed_in(request)
    form = await _form(request)
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
    return render(request, "proposal.html", awards=_awards_for(request, user),
                  rows=rows or [{}], errors=errors, key=str(uuid4()))


@router.post("/nominations/{nomination_id}/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, nomination_id: str) -> Response:
    async def act(user: Actor, form: FormData, clock: Any, key: str) -> object:
        body = WithdrawalCreate.model_validate({"reason": form.get("reason", "")})
        return await withdraw_action(nomination_id, body, user, _laurel(request), clock,
                                     None, key)

    here = f"/ui/nominations/{nomination_id}"
    return await _act(request, act, lambda _: here, lambda _: here)


@router.post("/nominations/{nomination_id}/supplement", response_class=HTMLResponse)
async def supplement(request: Request, nomination_id: str) -> Response:
    async def act(user: Actor, form: FormData, clock: Any, key: str) -> object:
        body = SupplementCreate.model_validate({
            "documents": [{"title": form.get("document", ""), "kind": "other"}],
            "note": str(form.get("note", ""))})
        return await supplement_action(nomination_id, body, user, _laurel(request), clock,
                                       None, key)

    here = f"/ui/nominations/{nomination_id}"
    return await _act(request, act, lambda _: here, lambda _: here)


# -- the public and auditors -------------------------------------------------------------


@router.get("/track", response_class=HTMLResponse)
async def track(request: Request, code: str = "") -> Response:
    """Where a nomination is, what happened, what comes next and by when: no account."""
    if not code.strip():
        return render(request, "track.html", tracking=None, code="", missing=False)
    laurel = _laurel(request)
    try:
        tracking = await _read(request, lambda conn: public_routes.track(code, laurel, conn))
    except NotFound:
        return render(request, "track.html", status_code=404, tracking=None, code=code,
                      missing=True)
    return render(request, "track.html", tracking=tracking, code=code, missing=False)


@router.get("/audit", response_class=HTMLResponse)
async def audit_lookup(request: Request, code: str = "") -> Response:
    signed_in(request)
    if code.strip():
        row = await _read(request, lambda conn: queries.nomination_by_tracking_code(
            conn, code.strip().upper()))
        if row is not None:
            return _see(f"/ui/audit/{row['id']}")
    return render(request, "audit_lookup.html", code=code, missing=bool(code.strip()))


@router.get("/audit/chain", response_class=HTMLResponse)
async def audit_chain(request: Request) -> Response:
    """The hash chains' verification (htmx: loaded after the page, it walks every event)."""
    user = signed_in(request)
    try:
        audit_routes.auditor(user)
    except DomainError as error:
        return _refused(request, error, "/ui")
    report = await asyncio.to_thread(verify_chain, _laurel(request).nominations.recorder)
    return render(request, "chain.html", report=report)


@router.get("/audit/export")
async def audit_export(request: Request, from_: date, to: date, unit: str = "") -> Response:
    """The API's export (CSV), for the signed-in auditor."""
    user = signed_in(request)
    try:
        return audit_routes.export(audit_routes.auditor(user), _laurel(request), from_, to,
                                   unit or None, "csv")
    except DomainError as error:
        return _refused(request, error, "/ui/audit")


@router.get("/audit/{nomination_id}", response_class=HTMLResponse)
async def audit(request: Request, nomination_id: str, version: int | None = None,
                at: str = "") -> Response:
    """A nomination's timeline with actor, tally and rule at each step, and its state
    after any step or as of any moment."""
    user = signed_in(request)
    laurel = _laurel(request)
    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
        except ValueError:
            return render(request, "error.html", status_code=422, detail=at,
                          back=f"/ui/audit/{nomination_id}")

    def read(conn: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
        auditor = audit_routes.auditor(user)
        steps = audit_routes.decision_history(nomination_id, auditor, laurel, conn)
        state = audit_routes.as_of(nomination_id, auditor, laurel, conn, moment,
                                   None if moment else version)
        row = nomination_routes.visible_row(user, laurel, conn, nomination_id)
        return steps, state, nomination_routes.nomination_public(laurel, row)

    try:
        steps, state, nomination = await _read(request, read)
    except DomainError as error:
        return _refused(request, error, "/ui/audit")
    return render(request, "audit.html", steps=steps["items"], state=state, n=nomination,
                  version=state["version"], at=at)


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(request: Request, year: int | None = None) -> Response:
    user = signed_in(request)
    laurel = _laurel(request)
    lang = language(request)
    chosen = year or datetime.now(UTC).year
    figures = await _read(request, lambda conn: charts.year_figures(
        conn, laurel, user, chosen))
    return render(request, "dashboard.html", year=chosen,
                  charts=charts.render_all(figures, lambda k: message(k, lang),
                                           lambda v: pick(v, lang)))


def install(app: FastAPI, secret: str, secure_cookies: bool) -> None:
    """The pages, their static files, the session cookie and their error pages."""
    from fastapi.staticfiles import StaticFiles

    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.add_middleware(PagesSession, secret=secret, secure_cookies=secure_cookies)

    @app.exception_handler(SignInFirst)
    async def _sign_in(request: Request, exc: SignInFirst) -> Response:
        return _see(f"/ui/login?next={exc.next_path}")

    @app.exception_handler(CsrfRefused)
    async def _csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return render(request, "error.html", status_code=403,
                      detail=message("error.csrf", language(request)), back="/ui")



class PagesSession:
    """The signed session cookie, for the pages only: the JSON API's requests (bearer
    tokens, no cookies) skip it and its cost."""

    def __init__(self, app: ASGIApp, secret: str, secure_cookies: bool) -> None:
        self.app = app
        self.with_session = SessionMiddleware(
            app, secret_key=secret, session_cookie="laurel_session", max_age=8 * 3600,
            same_site="lax", https_only=secure_cookies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/ui"):
            await self.with_session(scope, receive, send)
        else:
            await self.app(scope, receive, send)
