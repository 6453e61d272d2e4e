"""The pages as a browser without a screen uses them: a client keeping cookies on the
real app, signed in through the sign-in form with its CSRF token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import httpx

from api.app import create_app
from api.web.accounts import Accounts
from infrastructure.container import Laurel

PASSWORD = "mật-khẩu-đủ-dài-2026"


NO_PROJECTOR_WAIT = 0.05
"""What a page waits for the read models after a command where no projector runs (the
tests project by hand, between requests, so the read models never catch up within a
request): the page takes the same path as after two seconds, at once."""


@asynccontextmanager
async def page_client(laurel: Laurel, people: Iterable[tuple[str, tuple[str, ...], str]],
                      freshness_wait: float = NO_PROJECTOR_WAIT,
                      ) -> AsyncIterator[httpx.AsyncClient]:
    """A client keeping cookies, as a browser would, on the pages of the real app; each
    of ``people`` (username, roles, unit) has an account with ``PASSWORD``.
    ``freshness_wait``: how long a page waits for the read models after a command
    (``api.web.session.shown``); a test running a projector beside the app gives the
    app's own."""
    accounts = Accounts(laurel.settings.data_dir / "accounts.json")
    for username, roles, unit in people:
        accounts.add(username, PASSWORD, f"Người {username}", roles, unit)
    app = create_app(laurel=laurel)
    app.state.freshness_wait = freshness_wait
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as client:
            yield client


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD,
                  next_path: str = "/ui") -> httpx.Response:
    client.cookies.clear()
    form = await client.get("/ui/login")
    return await client.post("/ui/login", data={
        "csrf": csrf_of(form), "username": username, "password": password, "next": next_path})


def text_of(page: httpx.Response) -> str:
    """What a person reads: the page without its tags, spaces collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page.text, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split()).replace("&#34;", '"')
