"""The award's conditions in a real browser, in Vietnamese: Playwright drives Debian's
Chromium against the app served over HTTP with the projector following the event log.

A person with three years of Chiến sĩ thi đua cơ sở and an initiative is registered over
the JSON API; the clerk of Phường I finds her with the proposal row's search (a plain form
post: no script of the page's own is needed), chooses her and the initiative, proposes
her for Chiến sĩ thi đua cấp tỉnh, and opens the dossier: the checklist reads, in
Vietnamese, each condition met with its explanation and evidence. The pages pass the
content policy and axe-core's serious checks; screenshots go to
test-artifacts/screenshots/vi/eligibility-*.png."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support.browser import CHROMIUM_FLAGS, Visit, chromium, serving_alone, until
from tests.support.people import token
from tests.test_pages_eligibility import register_initiative, register_person

playwright_api = pytest.importorskip("playwright.async_api")

UNIT = "hg.vi-thanh.phuong-1"
NAME = "Trịnh Thị Xuân"
INITIATIVE = "Ứng dụng bản đồ số trong quản lý hộ tịch"


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


async def registered(http: httpx.AsyncClient, query: str, within: float = 20) -> None:
    """Until the register's read models show the person (the projector's pace)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found = await http.get("/people", params={"q": query},
                               headers=token("clerk", "proposer", unit=UNIT))
        if found.status_code == 200 and found.json()["total"] == 1:
            return
        assert asyncio.get_running_loop().time() < deadline, found.text
        await asyncio.sleep(0.2)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_checklist_in_vietnamese_on_the_dossier(served_alone: str,
                                                          laurel: Laurel) -> None:
    executable = chromium()
    base = served_alone
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    async with httpx.AsyncClient(base_url=base) as http:
        xuan, _ = await register_person(http, NAME, [
            ("chien-si-thi-dua-co-so", y) for y in (2023, 2024, 2025)])
        await register_initiative(http, xuan, INITIATIVE)
        await registered(http, "trinh thi xuan")

    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, base, "vi", passwords)
        clerk = await visit.person("vanthu.phuong1")
        await clerk.goto(f"{base}/ui/proposals/new")
        await clerk.select_option("#award_code", "chien-si-thi-dua-tinh")
        await clerk.fill("#q_0", "trinh thi xuan")
        async with clerk.expect_navigation():
            await clerk.click("input[name=find_0]")
        assert "Tìm thấy 1 người" in await clerk.inner_text("#nominee-0")
        await clerk.select_option("#person_0", xuan)
        await clerk.fill("#year_0", "2025")
        await clerk.select_option("#initiative_0", label=f"{INITIATIVE} — Phường I")
        await clerk.fill("#achievements_0", "Hoàn thành xuất sắc nhiệm vụ ba năm liền")
        await visit.check(clerk, "eligibility-1-proposal")
        async with clerk.expect_navigation():
            await clerk.click("#checks button[type=submit]")
        assert "Đã gửi đề nghị" in await clerk.inner_text("main [role=status]")
        assert (await clerk.inner_text("tbody tr td a")).strip() == NAME

        dossier = f"{base}{await clerk.get_attribute('tbody tr td a', 'href')}"
        checklist = clerk.locator("#checklist")

        async def shown() -> bool:  # the projector's pace
            return bool(await checklist.count())

        await until(clerk, dossier, shown)
        seen = await checklist.inner_text()
        for said in ("Điều kiện, tiêu chuẩn khen thưởng", "Đủ điều kiện",
                     "đủ 3 năm liên tục 2023–2025", f"Sáng kiến “{INITIATIVE}”",
                     "Không bị kỷ luật", "Chiến sĩ thi đua cơ sở năm 2024",
                     "Luật Thi đua, khen thưởng 2022"):
            assert said in seen, (said, seen)
        assert await clerk.locator("#checklist tr.passed").count() == 3
        assert await clerk.locator("#checklist tr.failed").count() == 0
        await visit.check(clerk, "eligibility-2-dossier")
        await clerk.emulate_media(media="print")
        assert await checklist.is_visible()  # printed with the dossier
        await browser.close()
