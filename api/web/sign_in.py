"""Signing in: local accounts in the embedded default, the OpenID Connect provider in
production; signing out."""

from __future__ import annotations

import asyncio
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.oidc import Provider
from api.problems import TooManyRequests, Unauthenticated
from api.throttle import client_of, throttles_of
from api.web.catalogue import DEFAULT_LANGUAGE
from api.web.session import (
    accounts_of,
    language,
    person_of,
    posted_form,
    render,
    see,
    signed_out,
)
from domain.vocabulary import Role

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    user = person_of(request)
    if user is None:
        return see("/ui/track")
    if user.roles & {Role.REVIEWER, Role.DECIDER}:
        return see("/ui/inbox")
    if Role.PROPOSER in user.roles:
        return see("/ui/nominations")
    return see("/ui/dashboard")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/ui") -> HTMLResponse:
    return render(request, "login.html", next=local_path(next), failed=False,
                  oidc=request.app.state.oidc is not None)


def _callback(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/login/oidc")
async def oidc_login(request: Request, next: str = "/ui") -> Response:
    """To the OpenID Connect provider's sign-in; it answers at the callback below."""
    provider: Provider | None = request.app.state.oidc
    if provider is None:
        return see("/ui/login")
    url, kept = await provider.sign_in_url(_callback(request))
    request.session["oidc"] = {**kept, "next": local_path(next)}
    return see(url)


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
    request.session.update({"lang": lang or DEFAULT_LANGUAGE, "sid": secrets.token_urlsafe(18),
                            "person": {"id": person.id, "roles": sorted(person.roles),
                                       "unit": person.unit_id}})
    return see(kept["next"])


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await posted_form(request)
    username = str(form.get("username", ""))
    next_path = local_path(str(form.get("next", "/ui")))
    try:  # guessing passwords is slowed per account and per address
        throttles_of(request).sign_in(client_of(request), username)
    except TooManyRequests as refused:
        page = render(request, "login.html", status_code=429, next=next_path, failed=False,
                      throttled=refused.in_language(language(request)),
                      oidc=request.app.state.oidc is not None)
        page.headers["Retry-After"] = str(refused.retry_after)
        return page
    account = await asyncio.to_thread(accounts_of(request).sign_in, username,
                                      str(form.get("password", "")))
    if account is None:
        throttles_of(request).sign_in(client_of(request), username, failed=True)
        return render(request, "login.html", status_code=401, next=next_path, failed=True,
                      oidc=request.app.state.oidc is not None)
    lang = request.session.get("lang")
    request.session.clear()  # a new session on sign-in: no fixation
    request.session.update({"user": account.username, "lang": lang or DEFAULT_LANGUAGE,
                            "sid": secrets.token_urlsafe(18)})
    return see(next_path)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await posted_form(request)
    lang = request.session.get("lang")
    if sid := request.session.get("sid"):  # a copy of this cookie stops working too
        await asyncio.to_thread(signed_out(request).end, str(sid))
    request.session.clear()
    request.session["lang"] = lang or DEFAULT_LANGUAGE
    return see("/ui/track")


def local_path(path: str) -> str:
    """Only a path of this site to go on to after sign-in (no open redirect)."""
    return path if path.startswith("/ui") and "//" not in path else "/ui"
