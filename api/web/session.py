"""What every page shares: the session (who, which language, what just happened), the
CSRF token checked on every form, rendering with the catalogue in one language (dates in
Vietnam time), lists a page at a time, refusals in the page's language, and giving a
form's command."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api import labels
from api.deps import CommandContext, laurel_of, read_models
from api.problems import STATUS_OF, TooManyRequests, Unauthenticated, localized
from api.reads import freshness
from api.web.accounts import Accounts
from api.web.catalogue import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, message, pick
from api.web.signed_out import SignedOut
from domain.actor import Actor
from domain.ballot import Recusal
from domain.commands import Changed
from domain.errors import BulkItemRefused, DomainError, NotEligible
from domain.voting import VoteRule
from infrastructure.container import Laurel

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


class SignInFirst(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


# -- the session: who, which language, the CSRF token ------------------------------------


def accounts_of(request: Request) -> Accounts:
    return Accounts(laurel_of(request).settings.data_dir / "accounts.json")


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        request.session["lang"] = asked
    chosen = request.session.get("lang", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def person_of(request: Request) -> Actor | None:
    return _signed_in_as(request)[0]


def _signed_in_as(request: Request) -> tuple[Actor | None, str]:
    """Who the session names, and their display name: read once per request (the
    accounts file is not read again by each helper that asks)."""
    known: tuple[Actor | None, str] | None = getattr(request.state, "person", None)
    if known is None and signed_out(request).ended(str(request.session.get("sid", ""))):
        known = request.state.person = None, ""  # a copy of a cookie signed out
    if known is None:
        person = request.session.get("person")  # signed in with the OpenID Connect provider
        username = request.session.get("user")
        account = accounts_of(request).get(username) if username and not person else None
        if person is not None:
            known = Actor(person["id"], frozenset(person["roles"]), person["unit"]), person["id"]
        elif account is not None:
            known = account.actor(), account.name
        else:
            known = None, ""
        request.state.person = known
    return known


def signed_out(request: Request) -> SignedOut:
    found: SignedOut | None = getattr(request.app.state, "signed_out", None)
    if found is None:
        found = request.app.state.signed_out = SignedOut(
            laurel_of(request).settings.data_dir / "signed-out-sessions.json")
    return found


def signed_in(request: Request) -> Actor:
    user = person_of(request)
    if user is None:
        raise SignInFirst(request.url.path)
    return user


def csrf_token(request: Request) -> str:
    token: str | None = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


async def posted_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matched the session's."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, csrf_token(request)):
        raise CsrfRefused
    return form


class CsrfRefused(Exception):
    pass


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    lang = language(request)
    user, name = _signed_in_as(request)
    words = Words(laurel_of(request), lang)
    # A partial page (htmx) leaves the message for the whole page it is part of.
    shown_once = None if request.headers.get("HX-Request") else _take_flash(request, words)
    other = "en" if lang == "vi" else "vi"
    return templates.TemplateResponse(request, template, {
        "lang": lang, "other_lang": other, "switch_href": _switched(request, other, context),
        "t": words.t, "pick": words.pick, "w": words,
        "user": user, "name": name, "csrf": csrf_token(request), "flash": shown_once,
        "level_name": words.level, "outcome_name": words.outcome, "rule_text": words.rule,
        "day": words.day, "moment": words.moment, "unit_name": words.unit,
        "role_name": words.role, "status_name": words.status, **context,
    }, status_code=status_code)


def _switched(request: Request, other: str, context: dict[str, Any]) -> str:
    """This page in the other language: the same query (a tracking code, filters, a
    page) with ``lang`` changed; after a form, the page it came from."""
    if request.method == "GET":
        path, kept = request.url.path, [(k, v) for k, v in request.query_params.multi_items()
                                         if k != "lang"]
    else:
        path, kept = str(context.get("back") or "/ui"), []
        if "?" in path:
            path, query = path.split("?", 1)
            kept = [(k, v) for k, v in parse_qsl(query) if k != "lang"]
    return f"{path}?{urlencode([*kept, ('lang', other)])}"


class Words:
    """How the pages say things in one language: the catalogue's labels, the policy's
    names of levels and units, vote rules, tallies and results, dates and times in the
    policy calendar's time zone (Vietnam keeps UTC+7 all year)."""

    def __init__(self, laurel: Laurel, lang: str) -> None:
        self.laurel, self.lang = laurel, lang
        self.zone = laurel.policy.calendar.zone

    def t(self, key: str, **values: object) -> str:
        return message(key, self.lang, **values)

    def pick(self, value: object) -> str:
        return pick(value, self.lang)

    def known(self, key: str, fallback: str) -> str:
        return message(key, self.lang) if key in MESSAGES else fallback

    def level(self, level: str | None) -> str:
        if not level:
            return ""
        named = self.laurel.policy.level_names.get(level)
        return pick(named, self.lang) if named else self.known(f"level.{level}", level)

    def outcome(self, outcome: str | None) -> str:
        return self.known(f"outcome.{outcome}", outcome) if outcome else ""

    def role(self, roles: str | None) -> str:
        """A role, or the roles someone held, comma-separated as an event records them."""
        return ", ".join(self.known(f"role.{r}", r) for r in (roles or "").split(",") if r)

    def status(self, status: str) -> str:
        return pick(labels.label(labels.STATUS, status), self.lang)

    def nominee_kind(self, kind: str) -> str:
        return self.known(f"nominee.{kind}", kind)

    def unit(self, unit_id: str | None) -> str:
        """A unit's name in the newest policy version that knows it (a unit merged or
        renamed since keeps the name it had)."""
        if not unit_id:
            return ""
        for policy in reversed(self.laurel.policies.versions):
            unit = policy.org.units.get(unit_id)
            if unit is not None:
                return unit.name
        return unit_id

    def rule(self, rule: dict[str, Any] | None) -> str:
        if not rule:
            return ""
        vote = VoteRule.from_dict(rule)
        return self.t("rule.text", quorum=_share(vote.quorum),
                      share=_share(vote.approval_share),
                      comparison=self.known(f"rule.{vote.comparison}", vote.comparison))

    def tally(self, votes: dict[str, int] | None) -> str:
        if not votes:
            return ""
        return self.t("tally.text", for_=votes.get("for", 0), against=votes.get("against", 0),
                      abstain=votes.get("abstain", 0), present=votes.get("present", 0),
                      members=votes.get("members", 0))

    def result(self, result: dict[str, Any] | None, votes: dict[str, int] | None) -> str:
        if not result:
            return ""
        if not result.get("quorum_met", True):
            return self.t("result.no_quorum")
        counted = votes.get("written_for", 0) if votes and result.get(
            "written_opinions") == "counted" else 0
        share = (f"{votes.get('for', 0) + counted}/{votes.get('members', 0)}" if votes
                 else str(result.get("share_for", "")))
        return self.t("result.approved" if result.get("approved") else "result.not_approved",
                      share=share)

    def written(self, votes: dict[str, int] | None, result: dict[str, Any] | None) -> str:
        """Absent members' written opinions on a ballot, and whether they counted."""
        if not votes or not (votes.get("written_for") or votes.get("written_against")):
            return ""
        how = (result or {}).get("written_opinions") or "not_counted"
        return self.t("review.written", for_=votes.get("written_for", 0),
                      against=votes.get("written_against", 0),
                      how=self.t("review.written.counted" if how == "counted"
                                 else "review.written.not_counted"))

    def stepped_aside(self, council: dict[str, Any] | None) -> str:
        """The council members who stepped aside from a ballot, and why ("" if none)."""
        recused = (council or {}).get("recused") or []
        if not recused:
            return ""
        return self.t("review.recused", names="; ".join(
            Recusal(r["username"], r["name"], r["why"]).said(self.lang) for r in recused))

    def day(self, value: datetime | date | str | None) -> str:
        """dd/mm/yyyy; a moment falls on Vietnam's calendar (23:30 UTC is the next day)."""
        return day(value, self.zone)

    def moment(self, value: datetime | date | str | None) -> str:
        """dd/mm/yyyy HH:MM, Vietnam time."""
        moment = _as_moment(value)
        if not isinstance(moment, datetime):
            return day(moment, self.zone)
        return moment.astimezone(self.zone).strftime("%d/%m/%Y %H:%M")

    def field_day(self, value: datetime | date | str | None) -> str:
        """A date as a form shows it to be typed over: dd/mm/yyyy."""
        return self.day(value)


def _share(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)


def _as_moment(value: datetime | date | str | None) -> datetime | date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        if len(value.strip()) == 10:
            return parsed.date()  # a date as recorded ("2026-01-15"): no time of day
        value = parsed
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def day(value: datetime | date | str | None, zone: tzinfo = UTC) -> str:
    moment = _as_moment(value)
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone(zone)
    return moment.strftime("%d/%m/%Y")


# -- dates typed in a form: dd/mm/yyyy as people write them, or ISO ---------------------

_DAY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_MOMENT = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})[ ,T]+(\d{1,2})[:hH](\d{2})"
                     r"(?::(\d{2}))?\s*$")


def parse_day(text: str) -> date | None:
    """A date typed as dd/mm/yyyy (or with - or .), or as yyyy-mm-dd; None if it is none."""
    found = _DAY.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_moment(text: str, zone: tzinfo) -> datetime | None:
    """A moment typed in local time — dd/mm/yyyy HH:MM[:SS], or ISO without a zone — in
    UTC; a date alone means the end of that day. None if it is none."""
    found = _MOMENT.match(text)
    try:
        if found:
            local = datetime(int(found[3]), int(found[2]), int(found[1]), int(found[4]),
                             int(found[5]), int(found[6] or 0), tzinfo=zone)
            return local.astimezone(UTC)
        only_day = parse_day(text)
        if only_day is not None:
            return datetime(only_day.year, only_day.month, only_day.day, 23, 59, 59,
                            tzinfo=zone).astimezone(UTC)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


def form_day(form: FormData, field: str) -> str:
    """A date field of a form, as the API takes it (ISO); ``PageRefusal`` if it is none."""
    typed = str(form.get(field, "")).strip()
    found = parse_day(typed)
    if found is None:
        raise PageRefusal("error.bad_date", value=typed)
    return found.isoformat()


# -- lists a page at a time -----------------------------------------------------------------


@dataclass(frozen=True)
class Pager:
    """Where a page of a list is, and links to its neighbours that keep the page's other
    query parameters (filters, search)."""

    page: int
    size: int
    total: int
    prev_href: str | None
    next_href: str | None

    @property
    def first(self) -> int:
        return min((self.page - 1) * self.size + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.page * self.size, self.total)


def offset_of(page: int, size: int) -> int:
    return (page_number(page) - 1) * size


def page_number(page: int) -> int:
    return max(1, min(page, 100_000))


def pager(request: Request, page: int, size: int, total: int) -> Pager:
    page = page_number(page)

    def href(number: int) -> str:
        kept = [(k, v) for k, v in request.query_params.multi_items()
                if k not in ("page", "lang")]
        return f"{request.url.path}?{urlencode([*kept, ('page', str(number))])}"

    return Pager(page, size, total, href(page - 1) if page > 1 else None,
                 href(page + 1) if page * size < total else None)


# -- what just happened: a message shown once, on the page a command led to -------------


def flash(request: Request, key: str, values: dict[str, str | int] | None = None, *,
          status: str = "", outcome: str = "", href: str = "", lagging: bool = False) -> None:
    """Kept in the signed session until the next whole page shows it. A status (what a
    command answered) and an outcome are kept as codes, and named in the language of the
    page that shows them."""
    request.session["flash"] = {"key": key, "values": values or {}, "status": status,
                                "outcome": outcome, "href": href, "lagging": lagging}


def _take_flash(request: Request, words: Words) -> dict[str, Any] | None:
    kept = request.session.pop("flash", None)
    if not isinstance(kept, dict) or kept.get("key") not in MESSAGES:
        return None
    values = dict(kept.get("values") or {})
    if kept.get("status"):
        values["status"] = words.status(kept["status"])
    if kept.get("outcome"):
        values["outcome"] = words.outcome(kept["outcome"])
    try:
        text = words.t(kept["key"], **values)
    except (KeyError, IndexError):
        return None
    return {"text": text, "href": kept.get("href") or "", "lagging": bool(kept.get("lagging"))}


ACTED_KEPT = 40
"""How many tasks acted on a session remembers: the session is a cookie, and a browser
keeps no cookie over 4 KB (a task's id takes 36 characters, a third more once signed)."""


def remember_acted(request: Request, task_ids: Iterable[str]) -> None:
    """Tasks this person just closed by a command the system accepted, while the read
    models have not caught up: the inbox leaves them out until they do."""
    request.session["acted"] = [*acted(request), *task_ids][-ACTED_KEPT:]


def forget_acted(request: Request, still_lagging: list[str]) -> None:
    """Keep only the tasks the read models still show open."""
    request.session["acted"] = still_lagging


def acted(request: Request) -> list[str]:
    kept = request.session.get("acted", [])
    return [t for t in kept if isinstance(t, str)] if isinstance(kept, list) else []


FRESHNESS_WAIT = 2.0
"""At most this long after a command for the read models to show it, in seconds (the
app's ``state.freshness_wait``, set by ``create_app``)."""


async def shown(request: Request, changed: Iterable[Changed]) -> bool:
    """Wait, briefly, until the read models show what the commands answered; False if
    they are still behind.

    A command is recorded in the event store; the projector writes the read models from
    it moments later, on its own. The page after a command reads the read models, so
    without this it could show the nomination as it was before the command. Waiting up
    to two seconds covers the projector's ordinary delay (a tenth of a second or so). If
    it is slower than that, the page does not pretend: the flash names the state the
    command itself answered (the truth, from the event store) and says the lists may be
    a few seconds late, and the inbox leaves out the tasks just acted on
    (``remember_acted``) — the command that closed them was accepted, so they are not
    waiting for anyone."""
    laurel = laurel_of(request)
    versions: dict[str, int] = {}
    for c in changed:
        key = str(c.nomination_id)
        versions[key] = max(versions.get(key, 0), c.version)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + request.app.state.freshness_wait
    while True:
        if await read_models(laurel, lambda conn: freshness.caught_up(conn, versions)):
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.05)


# -- refusals, in the page's language ------------------------------------------------------


class PageRefusal(Exception):
    """What a page's form asks that the page itself refuses (a date that is none), said
    by a catalogue key."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        return message(self.key, lang, **self.values)


Refusal = DomainError | ValidationError | Unauthenticated | PageRefusal | TooManyRequests


def refused(request: Request, error: Refusal, back: str) -> HTMLResponse:
    """The refusal on a page of its own, in the page's language (``api.problems.localized``,
    as the JSON API says it), with a way back to where it came from."""
    lang = language(request)
    if isinstance(error, PageRefusal):
        title, detail, status = message("error.title", lang), error.text(lang), 422
    else:
        title, detail = localized(error, lang)
        if isinstance(error, ValidationError):
            status = 422
        elif isinstance(error, Unauthenticated):
            status = 401
        elif isinstance(error, TooManyRequests):
            status = 429
        else:
            status = STATUS_OF.get(
                type(error.error if isinstance(error, BulkItemRefused) else error), 409)
    page = render(request, "error.html", status_code=status, title=title, detail=detail,
                  back=back, failed=failed_checks(error, lang))
    if isinstance(error, TooManyRequests):
        page.headers.update(error.headers)
    return page


def failed_checks(error: Refusal, lang: str) -> list[str]:
    """A refusal for eligibility (``NotEligible``, or a list's item refused so): each
    failed rule's explanation in ``lang``, with its legal basis."""
    inner = error.error if isinstance(error, BulkItemRefused) else error
    if not isinstance(inner, NotEligible):
        return []
    lines = []
    for check in inner.failed:
        text = pick(check.get("explanation"), lang)
        lines.append(f"{text} ({check['legal_basis']})" if check.get("legal_basis") else text)
    return lines


# -- giving a form's command ---------------------------------------------------------------


def see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


FormAction = Callable[[CommandContext, FormData], Awaitable[str]]
"""Gives a form's command and says where to go next (having left a flash)."""


def form_command(request: Request, user: Actor, form: FormData) -> CommandContext:
    """A form's command context, as the API's routes have it: with the form's idempotency
    key."""
    return CommandContext(user, laurel_of(request), str(form.get("key", "")))


async def act_on_form(request: Request, act: FormAction,
                      back: Callable[[FormData], str]) -> Response:
    """A form's command: checked for CSRF, given with the form's idempotency key, then
    on to the page ``act`` names (post/redirect/get); refused in the page's language with
    a way back to the page it came from."""
    user = signed_in(request)
    form = await posted_form(request)
    try:
        then = await act(form_command(request, user, form), form)
    except (DomainError, ValidationError, PageRefusal) as error:
        return refused(request, error, back(form))
    return see(then)


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
