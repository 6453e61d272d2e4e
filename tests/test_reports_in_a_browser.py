"""The dashboard in a real browser, in Vietnamese: Playwright drives Debian's Chromium
against the app served over HTTP with the projector following the event log.

This year, Phường I's council approved three nominees that its chairman awarded the
Giấy khen, and Phường III's one (a collective); one more of Phường I was refused. The
province's inspector opens the dashboard: the year's form counts four awards by form,
level and kind, the processing times per level, the charts; chosen to Phường I, the form
counts its three; the statistical form downloads as XLSX and its figures are the page's;
a period that ends before it starts is refused in Vietnamese. The pages pass the content
policy and axe-core's serious checks; screenshots go to
test-artifacts/screenshots/vi/reports-*.png."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.browser import CHROMIUM_FLAGS, Visit, chromium, serving_alone, until
from tests.support.nominations import FOR, at_council, day_in_vietnam, project
from tests.support.people import actor

playwright_api = pytest.importorskip("playwright.async_api")

WARD, OTHER_WARD = "hg.vi-thanh.phuong-1", "hg.vi-thanh.phuong-3"


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


def decided(laurel: Laurel, unit: str, name: str, kind: str, number: str,
            outcome: str = "awarded", direct_worker: bool = False) -> None:
    """A Giấy khen of ``unit`` proposed two days ago, approved by its council a day
    later and decided today."""
    app, now = laurel.nominations, datetime.now(UTC)
    proposed = now - timedelta(days=2)
    nomination = commands.propose(app, actor("proposer", unit), award_code="giay-khen",
                                  nominee={"name": name, "kind": kind,
                                           "direct_worker": direct_worker},
                                  achievements="Hoàn thành xuất sắc nhiệm vụ", documents=[],
                                  at=proposed)
    task = app.open_review(nomination.id, 0, proposed)
    assert task is not None
    commands.review(app, nomination.id, task.task_id, actor("reviewer", unit),
                    outcome="approve", votes=at_council(laurel, unit, FOR, now), note="",
                    at=now - timedelta(days=1))
    decision = app.open_decision(nomination.id, now - timedelta(days=1))
    assert decision is not None
    commands.decide(app, nomination.id, decision.task_id, actor("decider", unit),
                    outcome=outcome, decision_number=number, decision_date=day_in_vietnam(now),
                    signer="Chủ tịch UBND phường", at=now)


async def cells(page: Any, selector: str) -> list[str]:
    return [str(t).strip() for t in await page.locator(selector).all_inner_texts()]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_dashboard_shows_the_year_s_figures_and_downloads_them(
    served_alone: str, laurel: Laurel,
) -> None:
    executable = chromium()
    base = served_alone
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    decided(laurel, WARD, "Nguyễn Thị Hoa", "individual", "11/QĐ-UBND", direct_worker=True)
    decided(laurel, WARD, "Trần Văn Nam", "individual", "12/QĐ-UBND")
    decided(laurel, WARD, "Tổ dân phố 1", "collective", "13/QĐ-UBND")
    decided(laurel, WARD, "Lê Văn Tám", "individual", "14/QĐ-UBND", outcome="not_awarded")
    decided(laurel, OTHER_WARD, "Tổ dân phố 5", "collective", "3/QĐ-UBND")
    project(laurel)
    year = day_in_vietnam()[:4]

    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, base, "vi", passwords)
        inspector = await visit.person("thanhtra.tinh")
        form_total = inspector.locator("#statistics tfoot td")

        async def counted(total: str) -> Any:
            async def ready() -> bool:
                return bool(await form_total.count()) and (
                    await form_total.nth(1).inner_text()).strip() == total
            return ready

        await until(inspector, f"{base}/ui/dashboard", await counted("4"))
        assert (await inspector.inner_text("h1")).strip() == (
            f"Thống kê thi đua, khen thưởng năm {year}")
        assert "Tỉnh Hậu Giang" in await inspector.inner_text("main")
        # Total, collectives, individuals, households, women, men, unknown, direct workers.
        assert (await cells(inspector, "#statistics tfoot td"))[1:] == [
            "4", "2", "2", "0", "0", "0", "2", "1"]
        assert await cells(inspector, "#statistics tbody th") == ["Giấy khen"]
        assert (await cells(inspector, "#processing-times tbody th")) == ["Cơ sở"]
        assert (await cells(inspector, "#processing-times tbody td"))[0] == "5"
        assert await inspector.locator("section.chart svg").count() >= 5
        for link in ("Biểu thống kê kết quả khen thưởng", "Danh sách tập thể, cá nhân được "
                     "khen thưởng (kèm tờ trình)", "Thời gian xét hồ sơ theo cấp"):
            assert link in await inspector.inner_text("section.downloads")
        await visit.check(inspector, "reports-1-province")

        await inspector.select_option("#unit", WARD)
        await inspector.click("form.filters button[type=submit]")
        await inspector.wait_for_load_state()
        assert (await cells(inspector, "#statistics tfoot td"))[1:4] == ["3", "1", "2"]
        assert "Phường I" in await inspector.inner_text("main > p")
        await visit.check(inspector, "reports-2-ward")

        async with inspector.expect_download() as downloading:
            await inspector.click("section.downloads li:first-child a:text-is('XLSX')")
        downloaded = await downloading.value
        assert downloaded.suggested_filename.endswith(".xlsx")
        path = await downloaded.path()
        assert path is not None
        form = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["Biểu thống kê"]
        assert form["A1"].value == "BIỂU THỐNG KÊ KẾT QUẢ THI ĐUA, KHEN THƯỞNG"
        assert "Phường I" in form["A2"].value and f"năm {year}" in form["A2"].value
        rows = list(form.iter_rows(min_row=5, values_only=True))
        assert rows[-1][1] == "Tổng cộng" and list(rows[-1][3:6]) == [3, 1, 2]

        await inspector.goto(f"{base}/ui/dashboard?from={year}-03-01&to={year}-02-01")
        assert "Ngày kết thúc" in await inspector.inner_text("main")
        await inspector.goto(f"{base}/ui/dashboard?lang=en")
        assert (await inspector.inner_text("h1")).startswith("Emulation and commendation")
        await browser.close()
