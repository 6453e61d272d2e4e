"""An emulation block's year in a real browser, in Vietnamese (English for the printed
ranking): Playwright drives Debian's Chromium against the app served over HTTP with the
projector following the event log. The province's board (hoidong.tinh) defines the block
of the three departments led by Sở Y tế; its clerk records the signed pact's file and
publishes the criteria; each department's clerk assesses itself; the leader, then the
board, score; the board publishes the ranking; the leader's clerk proposes the flag for the
department ranked first. Every page passes the content policy and axe-core's serious
checks; screenshots go to test-artifacts/screenshots/vi/clusters-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support.browser import CHROMIUM_FLAGS, Visit, chromium, serving_alone
from tests.support.clusters import registered_for_the_flag

playwright_api = pytest.importorskip("playwright.async_api")

DEPARTMENTS = {"hg.so-yte": ("vanthu.soyte", [30, 20]),
               "hg.so-gddt": ("vanthu.sogddt", [35, 25]),
               "hg.so-nnptnt": ("vanthu.sonnptnt", [25, 25])}
PDF = b"%PDF-1.7\n" + "Giao ước thi đua khối các sở\n".encode() * 50 + b"%%EOF\n"


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


async def submitted(page: Any, form: str) -> str:
    """Submit ``form`` and return the flash the next page shows."""
    async with page.expect_navigation():
        await page.click(f"{form} button[type=submit]")
    shown = page.locator("main [role=status]")
    assert await shown.count(), await page.inner_text("main")
    return str(await shown.inner_text())


@pytest.mark.timeout(240)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_block_from_its_definition_to_the_flag_in_the_pages(
    served_alone: str, laurel: Laurel, tmp_path: Path,
) -> None:
    executable = chromium()
    base = served_alone
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    registered_for_the_flag(laurel, list(DEPARTMENTS))  # at the start of the year
    pact = tmp_path / "giao-uoc.pdf"
    pact.write_bytes(PDF)
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, base, "vi", passwords)
        board = await visit.person("hoidong.tinh")
        await board.goto(f"{base}/ui/clusters")
        await board.fill("#cluster-code", "KHOI-SO")
        await board.fill("#cluster-name", "Khối các sở, ngành tỉnh")
        await board.select_option("#cluster-kind", "block")
        await board.select_option("#cluster-members", list(DEPARTMENTS))
        await board.select_option("#cluster-leader", "hg.so-yte")
        await visit.check(board, "clusters-1-define")
        assert "Đã lập cụm, khối thi đua" in await submitted(board, "#define-cluster")
        cluster = board.url.split("?")[0]
        assert "Sở Y tế" in await board.inner_text("#cluster-leader")

        leader = await visit.person("vanthu.soyte")
        await leader.goto(cluster)
        await leader.set_input_files("#pact-file", str(pact))
        await leader.fill("#pact-day", "2026-01-15")
        await visit.check(leader, "clusters-2-pact")
        assert "Đã ghi nhận giao ước" in await submitted(leader, "form[action$='/pact']")
        await leader.fill("#criteria-lines", "TC1 | Hoàn thành nhiệm vụ chuyên môn | 40\n"
                                             "TC2 | Cải cách hành chính | 30")
        assert "Đã công bố tiêu chí" in await submitted(leader, "form[action$='/criteria']")

        for unit, (clerk, points) in DEPARTMENTS.items():
            page = leader if unit == "hg.so-yte" else await visit.person(clerk)
            await page.goto(cluster)
            if unit == "hg.so-gddt":
                await visit.check(page, "clusters-3-self-assessment")
            for code, value in zip(("TC1", "TC2"), points, strict=True):
                await page.fill(f"input[name='points.{code}']", str(value))
            assert "Đã ghi bản tự chấm điểm" in await submitted(
                page, "form[action$='/self-assessments']")

        await leader.goto(cluster)
        await visit.check(leader, "clusters-4-leader-scores")
        assert "Đã ghi điểm chấm" in await submitted(leader, "form[action$='/scores']")
        await board.goto(cluster)
        await board.fill("input[name='points.hg.so-nnptnt.TC1']", "20")
        assert "Đã ghi điểm chấm" in await submitted(board, "form[action$='/scores']")
        assert "Đã công bố xếp hạng" in await submitted(board, "form[action$='/ranking']")
        ranking = await board.inner_text("#cluster-ranking")
        assert ranking.index("Sở Giáo dục") < ranking.index("Sở Y tế") < ranking.index(
            "Sở Nông nghiệp")
        await visit.check(board, "clusters-5-ranked")
        await board.goto(f"{cluster}/ranking?lang=en")
        await board.emulate_media(media="print")
        assert "Emulation ranking" in await board.inner_text("main")
        english = Visit(browser, base, "en", passwords)
        await english.check(board, "clusters-6-printable-ranking")

        await leader.goto(cluster)
        said = await submitted(leader, "form[action$='/flag-proposal']")
        assert "Đã đề nghị Cờ thi đua" in said
        await leader.click("main [role=status] a")
        await leader.wait_for_load_state()
        assert "Sở Giáo dục và Đào tạo" in await leader.inner_text("main")
        await visit.check(leader, "clusters-7-flag-dossier")
        await browser.close()
