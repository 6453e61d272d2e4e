"""The pages in a real browser: Playwright driving Debian's Chromium (headless; never a
downloaded browser) against the app served over HTTP, with the worker, relay and
projector running on real stores and a real Temporal server.

A proposer submits a proposal with three nominees; the councils of the commune, the city
and the province act from their inboxes (a whole meeting at once, or one dossier at a
time); the chairman decides; the nominee follows it on the tracking page; an auditor
opens the timeline and moves it back in time; the clerk prints the dossier. Then a
state award on public notice (its workflow steps taken by the test, without Temporal):
someone without an account objects from the tracking page and the province's board
resolves it from its inbox. The same in English. Every page is
screenshotted into test-artifacts/screenshots/ and checked with axe-core (vendored): no
serious or critical violation.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import uvicorn

from api.app import create_app
from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support import commands
from tests.support.people import actor
from tests.support.running import RunningSystem

playwright_api = pytest.importorskip("playwright.async_api")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
TEXT = {  # what the pages say, in each language, where the test looks for it
    "vi": {"awarded": "Đã khen thưởng", "under_review": "Đang xét duyệt",
           "recorded": "Đã ghi kết quả cho 3 hồ sơ", "intact": "Nguyên vẹn"},
    "en": {"awarded": "Awarded", "under_review": "Under council review",
           "recorded": "Recorded the outcome of 3 nominations", "intact": "Intact"},
}


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


@pytest_asyncio.fixture
async def served(system: RunningSystem) -> AsyncIterator[str]:
    """The running system's app over HTTP on a free port."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(system.app, host="127.0.0.1", port=port,
                                           lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    """The app over HTTP with the projector, without Temporal: the test takes the
    workflow's steps itself."""
    stop = asyncio.Event()
    projecting = asyncio.create_task(Projector(laurel.engine, laurel.log).run(stop))
    app = create_app(laurel=laurel)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                                           log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for it
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
    stop.set()
    await projecting


class Visit:
    """One person's browser session: sign in, look, act, screenshot and check a page."""

    def __init__(self, browser: Any, base: str, lang: str, passwords: dict[str, str]) -> None:
        self.browser, self.base, self.lang, self.passwords = browser, base, lang, passwords
        self.shots = SHOTS / lang
        self.sign_in_checked = False
        self.shots.mkdir(parents=True, exist_ok=True)

    async def person(self, username: str | None) -> Any:
        context = await self.browser.new_context(locale="vi-VN" if self.lang == "vi" else "en")
        page = await context.new_page()
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
        await page.add_script_tag(path=str(AXE))
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


async def vote(page: Any, outcome: str, prefix: str = "") -> None:
    """The council's tally typed in (the form starts empty) and its outcome chosen."""
    for field, value in (("members", 9), ("present", 9), ("for", 9), ("against", 0),
                         ("abstain", 0)):
        await page.fill(f"#{prefix}{field}", str(value))
    await page.select_option(f"#{prefix}outcome", outcome)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_a_proposal_of_three_travels_to_the_decision_and_is_followed_and_audited(
    served: str, laurel: Laurel, lang: str,
) -> None:
    executable = chromium()
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    text = TEXT[lang]
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, served, lang, passwords)

        # The unit's clerk proposes three colleagues (a fourth row added and left empty).
        clerk = await visit.person("vanthu.phuong1")
        await clerk.goto(f"{served}/ui/proposals/new")
        for i, name in enumerate(("Lê Thị Hồng", "Trần Văn Nam", "Tổ Dân phố số 3")):
            await clerk.fill(f"#name_{i}", name)
        await clerk.select_option("#kind_2", "collective")
        await clerk.click("button[hx-get]")
        await clerk.wait_for_selector("#name_3")
        await visit.check(clerk, "1-proposal-form")
        await clerk.click("#proposal button[type=submit]")
        codes = [c.strip() for c in await clerk.locator("td.code").all_inner_texts()]
        assert len(codes) == 3
        await visit.check(clerk, "2-proposal-sent")
        await clerk.goto(f"{served}/ui/nominations")
        assert await clerk.locator("tbody tr").count() == 3
        await visit.check(clerk, "2-unit-nominations")

        # The commune's and the city's councils record one meeting for all three.
        for level, secretary in (("unit", "hoidong.phuong1"), ("district", "hoidong.vithanh")):
            council = await visit.person(secretary)

            async def three_waiting(page: Any = council) -> bool:
                return await page.locator("input[name=task_id]").count() == 3

            await until(council, f"{served}/ui/inbox", three_waiting)
            await visit.check(council, f"3-inbox-{level}")
            for box in await council.locator("input[name=task_id]").all():
                await box.check()
            await vote(council, "approve", prefix="m-")
            await council.click("fieldset button[type=submit]")
            await visit.check(council, f"4-meeting-summary-{level}")
            await council.click("main form button[type=submit]")
            assert text["recorded"] in await council.inner_text("main")

        # The province's council reviews dossier by dossier.
        province = await visit.person("hoidong.tinh")
        for n in range(3):
            await until(province, f"{served}/ui/inbox", partial(rows_are, province, 3 - n))
            await province.click("tbody tr a")
            if n == 0:
                await visit.check(province, "5-dossier-review")
            await vote(province, "approve")
            await province.click("form#vote button[type=submit]")

        # The chairman decides each.
        chair = await visit.person("chutich.tinh")
        for n in range(3):
            await until(chair, f"{served}/ui/inbox", partial(rows_are, chair, 3 - n))
            await chair.click("tbody tr a")
            await chair.fill("#decision_number", f"{100 + n}/QĐ-UBND")
            await chair.fill("#signer", "Chủ tịch UBND tỉnh Hậu Giang")
            if n == 0:
                await visit.check(chair, "6-dossier-decision")
            await chair.click("form#decide button[type=submit]")
            await chair.wait_for_selector(".flash")  # back in the inbox, told what it did
            assert text["awarded"] in await chair.inner_text(".flash")
            if n == 0:
                await visit.check(chair, "6-decided")

        # The nominee follows it, without an account.
        nominee = await visit.person(None)

        async def awarded(page: Any = nominee) -> bool:
            return text["awarded"] in await page.inner_text("#status")

        await until(nominee, f"{served}/ui/track?code={codes[0].lower()}", awarded)
        assert await nominee.locator(".timeline li").count() >= 8
        await visit.check(nominee, "7-tracking")

        # The auditor opens the timeline, sees the chain verified, moves back in time.
        auditor = await visit.person("thanhtra.tinh")
        await auditor.goto(f"{served}/ui/audit")
        await auditor.wait_for_selector("#chain")
        await visit.check(auditor, "8-audit-lookup")
        await auditor.goto(f"{served}/ui/audit?code={codes[0]}")
        await auditor.wait_for_selector("#chain")
        assert text["intact"] in await auditor.inner_text("#chain")
        assert text["awarded"] in await auditor.inner_text("#state")
        await visit.check(auditor, "8-audit-now")
        await auditor.select_option("#version", "3")
        await auditor.click("form.filters button[type=submit]")
        assert text["under_review"] in await auditor.inner_text("#state")
        await auditor.wait_for_selector("#chain")
        await visit.check(auditor, "9-audit-back-in-time")
        await auditor.goto(f"{served}/ui/dashboard")
        assert await auditor.locator("svg").count() >= 3
        await visit.check(auditor, "10-dashboard")

        # The unit's clerk prints the awarded dossier: A4, without the site around it.
        await clerk.goto(f"{served}/ui/nominations")
        await clerk.click("tbody tr a")
        await clerk.wait_for_selector("#decision-number")
        await clerk.emulate_media(media="print")
        await visit.check(clerk, "11-dossier-print")
        await clerk.pdf(path=str(visit.shots / "11-dossier-print.pdf"), format="A4")
        await browser.close()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_an_objection_from_the_public_notice_to_the_board_s_finding(
    served_alone: str, laurel: Laurel, lang: str,
) -> None:
    """A Prime Minister's certificate of merit on public notice: someone without an
    account objects from the tracking page; the province's board finds it in its inbox,
    reads it in the dossier and dismisses it; the notice goes on."""
    executable = chromium()
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    app, at = laurel.nominations, datetime.now(UTC) - timedelta(days=3)
    proposal = commands.propose(
        app, actor("proposer", "hg.vi-thanh.phuong-1"), award_code="bang-khen-thu-tuong",
        nominee={"name": "Huỳnh Thị Mai", "kind": "individual", "direct_worker": True,
                 "title": "Công nhân Nhà máy đường Vị Thanh"},
        achievements="Ba năm liền Chiến sĩ thi đua cơ sở; sáng kiến cải tiến dây chuyền",
        documents=[{"title": "Tờ trình số 45/TTr-UBND", "kind": "proposal"}], at=at)
    for step, unit in enumerate(("hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg")):
        task = app.open_review(proposal.id, step, at + timedelta(hours=step))
        assert task is not None
        commands.review(app, proposal.id, task.task_id, actor("reviewer", unit),
                        outcome="approve",
                        votes={"members": 9, "present": 8, "for": 8, "against": 0,
                               "abstain": 0},
                        note="", at=at + timedelta(hours=step, minutes=30))
    app.open_public_notice(proposal.id, at + timedelta(days=1))
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, served_alone, lang, passwords)
        citizen = await visit.person(None)
        await until(citizen, f"{served_alone}/ui/notices",
                    partial(rows_are, citizen, 1))
        await visit.check(citizen, "20-notices")
        await citizen.click("tbody tr a")
        await citizen.wait_for_selector("#objection-text")
        await citizen.fill("#objection-text", "Bà Mai chưa có sáng kiến được công nhận.")
        await citizen.fill("#objection-contact", "0909 000 111")
        await visit.check(citizen, "21-objection-form")
        await citizen.click("form#objection button[type=submit]")
        await citizen.wait_for_selector(".flash")
        await visit.check(citizen, "22-objection-lodged")

        board = await visit.person("hoidong.tinh")
        await until(board, f"{served_alone}/ui/inbox", partial(rows_are, board, 1))
        await visit.check(board, "23-inbox-objection")
        await board.click("tbody tr a")
        await board.wait_for_selector("form[action$=resolution]")
        await visit.check(board, "24-dossier-objection")
        await board.select_option("form[action$=resolution] select", "dismissed")
        await board.fill("form[action$=resolution] textarea",
                         "Đã xác minh: sáng kiến được công nhận năm 2024.")
        await board.click("form[action$=resolution] button[type=submit]")
        await board.wait_for_selector(".flash")
        await visit.check(board, "25-objection-resolved")
        assert await board.locator("tbody tr").count() == 0
        await browser.close()
