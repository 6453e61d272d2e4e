"""A movement's page in a real browser, in Vietnamese: Playwright drives Debian's Chromium
against the app served over HTTP with the projector following the event log.

The province's board launches a movement over the JSON API and Phường I's clerk proposes
two nominees in it; the clerk finds it in the pages' list of movements and reads its
page: the decision, the dossier window, the forms it offers and its nominations counted
by state. The pages pass the content policy and axe-core's serious checks; screenshots go
to test-artifacts/screenshots/vi/movement-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support.browser import CHROMIUM_FLAGS, Visit, chromium, serving_alone, until
from tests.support.people import token
from tests.test_movements_and_intake import BOARD, movement

playwright_api = pytest.importorskip("playwright.async_api")

CLERK = token("vanthu.phuong1", "proposer", unit="hg.vi-thanh.phuong-1")


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


@pytest.mark.timeout(180)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_movements_page_shows_its_nominations_by_state_in_vietnamese(
    served_alone: str, laurel: Laurel,
) -> None:
    executable = chromium()
    base = served_alone
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    async with httpx.AsyncClient(base_url=base) as http:
        launched = await http.post("/movements", headers=BOARD, json=movement())
        assert launched.status_code == 201, launched.text
        movement_id = launched.json()["id"]
        for name in ("Lê Thị Hạnh", "Phan Văn Đức"):
            proposed = await http.post("/nominations", headers=CLERK, json={
                "award_code": "giay-khen", "nominee": {"name": name, "kind": "individual"},
                "movement_id": movement_id, "commendation_type": "topical"})
            assert proposed.status_code == 201, proposed.text

    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, base, "vi", passwords)
        clerk = await visit.person("vanthu.phuong1")
        await clerk.goto(f"{base}/ui/movements")
        assert "Phong trào thi đua" in await clerk.inner_text("h1")
        await visit.check(clerk, "movement-1-list")
        async with clerk.expect_navigation():
            await clerk.click("text=Dân vận khéo")
        counted = clerk.locator("ul.by-state")

        async def both_shown() -> bool:  # the projector's pace
            return bool(await counted.count()) and "2" in await counted.inner_text()

        await until(clerk, f"{base}/ui/movements/{movement_id}", both_shown)
        page = await clerk.inner_text("main")
        for said in ("Thi đua “Dân vận khéo” năm 2026", "15/QĐ-UBND", "Thời hạn nhận hồ sơ",
                     "Giấy khen", "Đang triển khai", "Hồ sơ đề nghị theo trạng thái",
                     "Lê Thị Hạnh", "Phan Văn Đức"):
            assert said in page, (said, page)
        assert await clerk.locator("main table tbody tr").count() == 2
        await visit.check(clerk, "movement-2-page")
        await browser.close()
