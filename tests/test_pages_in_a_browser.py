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

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.browser import (
    CHROMIUM_FLAGS,
    Visit,
    chromium,
    rows_are,
    serving,
    serving_alone,
    until,
    vote,
)
from tests.support.mail import code_in, outbox
from tests.support.people import actor
from tests.support.running import RunningSystem

playwright_api = pytest.importorskip("playwright.async_api")

TEXT = {  # what the pages say, in each language, where the test looks for it
    "vi": {"awarded": "Đã khen thưởng", "under_review": "Đang xét duyệt",
           "recorded": "Đã ghi kết quả cho 3 hồ sơ", "intact": "Nguyên vẹn"},
    "en": {"awarded": "Awarded", "under_review": "Under council review",
           "recorded": "Recorded the outcome of 3 nominations", "intact": "Intact"},
}


@pytest_asyncio.fixture
async def served(system: RunningSystem) -> AsyncIterator[str]:
    """The running system's app over HTTP on a free port."""
    async with serving(system.app) as base:
        yield base


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    """The app over HTTP with the projector, without Temporal: the test takes the
    workflow's steps itself."""
    async with serving_alone(laurel) as base:
        yield base


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
        rows = clerk.locator("tbody tr")

        async def listed() -> bool:  # the unit's list follows the projector
            return bool(await rows.count() == 3)

        await until(clerk, f"{served}/ui/nominations", listed)
        assert await rows.count() == 3
        await visit.check(clerk, "2-unit-nominations")

        # The commune's and the city's councils record one meeting for all three.
        for level, secretary in (("unit", "hoidong.phuong1"), ("district", "hoidong.vithanh")):
            council = await visit.person(secretary)

            async def three_waiting(page: Any = council) -> bool:
                return bool(await page.locator("input[name=task_id]").count() == 3)

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
    account objects from the tracking page and confirms it with the code e-mailed to them
    (here, the message the data directory's outbox holds); the province's board finds it
    in its inbox, reads it in the dossier and dismisses it; the notice goes on."""
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
        await citizen.fill("#objection-contact", "nguoi.dan@example.vn")
        await visit.check(citizen, "21-objection-form")
        await citizen.click("form#objection button[type=submit]")
        await citizen.wait_for_selector("#objection-code")
        await visit.check(citizen, "22-objection-lodged")
        sent = outbox(laurel.settings.data_dir)
        assert [str(m["To"]) for m in sent] == ["nguoi.dan@example.vn"]
        await citizen.fill("#objection-code", code_in(sent[0]))
        await citizen.click("form#confirm button[type=submit]")
        await citizen.wait_for_selector(".flash")
        assert await citizen.locator("#objection-code").count() == 0
        await visit.check(citizen, "22b-objection-confirmed")

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
