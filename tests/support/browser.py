"""The pages in a real browser: Playwright drives Debian's Chromium (headless; never a
downloaded browser) against the app served over HTTP on a free port.

Shared by the browser tests: finding Chromium, serving the app (with the whole running
system, or with the projector alone while the test takes the workflow's steps), one
person's browser session that signs in, screenshots a page and checks it with axe-core
(vendored), and small waits for the asynchronous parts to catch up."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from infrastructure.container import Laurel
from projections.projector import Projector

AXE = Path(__file__).parent.parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).parent.parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def chromium() -> str:
    """Debian's Chromium; installed here if missing and allowed (CI runs as root)."""
    found = shutil.which("chromium")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=False,
                       capture_output=True, timeout=600)
        found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serving(app: FastAPI, lifespan: Literal["on", "off"] = "off") -> AsyncIterator[str]:
    """``app`` over HTTP on a free port; its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           lifespan=lifespan, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def serving_alone(laurel: Laurel) -> AsyncIterator[str]:
    """The app over HTTP with the projector, without Temporal: the test takes the
    workflow's steps itself."""
    stop = asyncio.Event()
    projecting = asyncio.create_task(Projector(laurel.engine, laurel.log).run(stop))
    try:
        async with serving(create_app(laurel=laurel), lifespan="on") as base:
            yield base
    finally:
        stop.set()
        await projecting


class Visit:
    """One person's browser session: sign in, look, act, screenshot and check a page."""

    def __init__(self, browser: Any, base: str, lang: str, passwords: dict[str, str]) -> None:
        self.browser, self.base, self.lang, self.passwords = browser, base, lang, passwords
        self.shots = SHOTS / lang
        self.sign_in_checked = False
        self.shots.mkdir(parents=True, exist_ok=True)
        self.refused: list[str] = []
        """What the pages' Content-Security-Policy refused (an inline script or style)."""

    def note_refusal(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    async def person(self, username: str | None) -> Any:
        context = await self.browser.new_context(locale="vi-VN" if self.lang == "vi" else "en")
        page = await context.new_page()
        page.on("console", self.note_refusal)
        await page.goto(f"{self.base}/ui/login?lang={self.lang}")
        if not self.sign_in_checked:
            await self.check(page, "0-sign-in")
            self.sign_in_checked = True
        if username:
            await page.fill("#username", username)
            await page.fill("#password", self.passwords[username])
            await page.click("form.narrow button[type=submit]")
            await page.wait_for_load_state()
        return page

    async def check(self, page: Any, name: str) -> None:
        await page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)
        # Evaluated through the DevTools protocol: the pages' Content-Security-Policy
        # refuses a script tag added to them, as it should.
        await page.evaluate(AXE.read_text(encoding="utf-8"))
        assert self.refused == [], f"{name}: the content policy refused {self.refused}"
        violations = await page.evaluate(
            "async () => (await axe.run()).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{name}: {serious}"
        assert await page.get_attribute("html", "lang") == self.lang


async def until(page: Any, url: str, ready: Callable[[], Awaitable[bool]],
                within: float = 45) -> None:
    """Reload ``url`` until ``ready``: the workflow and projector work asynchronously."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        await page.goto(url)
        if await ready():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{url} never became ready")
        await asyncio.sleep(0.5)


async def rows_are(page: Any, count: int) -> bool:
    return bool(await page.locator("tbody tr").count() == count)


UNANIMOUS = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}


async def vote(page: Any, outcome: str, prefix: str = "",
               tally: dict[str, int] = UNANIMOUS) -> None:
    """The council's tally typed in (the form starts empty) and its outcome chosen; the
    members only where the form asks for them (a council with a roster takes them from
    it)."""
    for field, value in tally.items():
        if field == "members" and not await page.locator(f"#{prefix}members").count():
            continue
        await page.fill(f"#{prefix}{field}", str(value))
    await page.select_option(f"#{prefix}outcome", outcome)
