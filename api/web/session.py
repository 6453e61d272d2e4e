"""What every page shares: the session (who, which language), the CSRF token checked on
every form, rendering with the catalogue, and giving a form's command."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import CommandContext, laurel_of
from api.problems import STATUS_OF
from api.web.accounts import Accounts
from api.web.catalogue import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, message, pick
from domain.actor import Actor
from domain.errors import DomainError
from domain.voting import VoteRule

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
    return templates.TemplateResponse(request, template, {
        "lang": lang, "other_lang": "en" if lang == "vi" else "vi",
        "t": lambda key, **values: message(key, lang, **values),
        "pick": lambda value: pick(value, lang),
        "user": user, "name": name, "csrf": csrf_token(request),
        "level_name": lambda level: message(f"level.{level}", lang) if level else "",
        "outcome_name": lambda o: message(f"outcome.{o}", lang) if f"outcome.{o}" in MESSAGES
        else (o or ""),
        "rule_text": lambda rule: VoteRule.from_dict(rule).describe() if rule else "",
        "day": day, **context,
    }, status_code=status_code)


def day(value: datetime | str | None) -> str:
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).strftime("%d/%m/%Y")


def refused(request: Request, error: DomainError | ValidationError,
             back: str) -> HTMLResponse:
    if isinstance(error, ValidationError):
        detail, status = "; ".join(e["msg"] for e in error.errors()), 422
    else:
        detail, status = error.detail, STATUS_OF.get(type(error), 409)
    return render(request, "error.html", status_code=status, detail=detail, back=back)


def see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


FormAction = Callable[[CommandContext, FormData], Awaitable[object]]


def form_command(request: Request, user: Actor, form: FormData) -> CommandContext:
    """A form's command context, as the API's routes have it: with the form's idempotency
    key."""
    return CommandContext(user, laurel_of(request), str(form.get("key", "")))


async def act_on_form(request: Request, act: FormAction, back: Callable[[FormData], str],
                      done: Callable[[FormData], str]) -> Response:
    """A form's command: checked for CSRF, given with the form's idempotency key;
    refused with the problem's text on the page it came from."""
    user = signed_in(request)
    form = await posted_form(request)
    try:
        await act(form_command(request, user, form), form)
    except (DomainError, ValidationError) as error:
        return refused(request, error, back(form))
    return see(done(form))


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
