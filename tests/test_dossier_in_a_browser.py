"""A dossier with files in a real browser, in Vietnamese: Playwright drives Debian's
Chromium against the app served over HTTP with the projector following the event log.

Phường I's clerk proposes with two uploaded files (over the JSON API); the council
returns it; the clerk answers with a corrected report and a new tờ trình. The council
secretary opens the dossier: the files are listed with their size and the start of
their hash, the table of what changed from version 1 to version 2 reads the replaced
report, the added and the removed document and the achievements before and after, and
the corrected report downloads byte for byte. The page passes the content policy and
axe-core's serious checks; screenshots go to test-artifacts/screenshots/vi/dossier-*.png."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import httpx
import pytest
import pytest_asyncio

from api.web.accounts import seed_demo_accounts
from infrastructure.container import Laurel
from tests.support.browser import CHROMIUM_FLAGS, Visit, chromium, serving_alone, until
from tests.support.nominations import AGAINST
from tests.support.people import token

playwright_api = pytest.importorskip("playwright.async_api")

UNIT = "hg.vi-thanh.phuong-1"
CLERK = token("clerk", "proposer", unit=UNIT)
COUNCIL = token("council", "reviewer", unit=UNIT)


@pytest_asyncio.fixture
async def served_alone(laurel: Laurel) -> AsyncIterator[str]:
    async with serving_alone(laurel) as base:
        yield base


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


async def upload(http: httpx.AsyncClient, name: str) -> dict[str, Any]:
    response = await http.post("/documents", headers=CLERK,
                               files={"file": (name, pdf(name), "application/pdf")})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def until_ok(call: Any, within: float = 20) -> httpx.Response:
    """The call again until it answers 200 (the read models follow at the projector's
    pace)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        response: httpx.Response = await call()
        if response.status_code == 200:
            return response
        assert asyncio.get_running_loop().time() < deadline, response.text
        await asyncio.sleep(0.2)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_dossier_shows_its_files_and_what_the_supplement_changed(
    served_alone: str, laurel: Laurel,
) -> None:
    executable = chromium()
    base = served_alone
    passwords = {u: p for u, p, _ in seed_demo_accounts(laurel.settings.data_dir)}
    async with httpx.AsyncClient(base_url=base) as http:
        report, minutes = await upload(http, "bao-cao.pdf"), await upload(http, "bien-ban.pdf")
        created = await http.post("/nominations", headers=CLERK, json={
            "award_code": "giay-khen", "achievements": "Dạy giỏi cấp phường",
            "nominee": {"name": "Phan Thị Thu", "kind": "individual"},
            "documents": [{"document_id": report["id"], "kind": "achievement_report",
                           "title": "Báo cáo thành tích"},
                          {"document_id": minutes["id"], "kind": "meeting_minutes"}]})
        assert created.status_code == 201, created.text
        nomination_id = created.json()["id"]
        task = laurel.nominations.open_review(UUID(nomination_id), 0, laurel.clock())
        assert task is not None
        await until_ok(lambda: http.get(f"/tasks/{task.task_id}", headers=COUNCIL))
        returned = await http.post(f"/tasks/{task.task_id}/review", headers=COUNCIL, json={
            "outcome": "return", "votes": AGAINST, "note": "Số liệu chưa khớp"})
        assert returned.status_code == 200, returned.text
        corrected, proposal = await upload(http, "bao-cao-sua.pdf"), await upload(
            http, "to-trinh.pdf")

        async def supplement() -> httpx.Response:
            return await http.post(f"/nominations/{nomination_id}/supplement", headers=CLERK,
                                   json={"achievements": "Dạy giỏi cấp thành phố",
                                         "documents": [
                                             {"document_id": corrected["id"],
                                              "kind": "achievement_report",
                                              "title": "Báo cáo thành tích"},
                                             {"document_id": proposal["id"],
                                              "kind": "proposal"}]})

        await until_ok(supplement)

    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True,
                                           args=CHROMIUM_FLAGS)
        visit = Visit(browser, base, "vi", passwords)
        council = await visit.person("hoidong.phuong1")
        changes = council.locator("table.changes")

        async def shown() -> bool:  # the projector's pace
            return bool(await changes.count())

        await until(council, f"{base}/ui/nominations/{nomination_id}", shown)
        seen = await changes.inner_text()
        for said in ("Những gì thay đổi từ phiên bản 1 đến phiên bản 2",
                     "Tài liệu thay thế (nội dung tệp khác)", "Tài liệu bổ sung",
                     "to-trinh.pdf", "Tài liệu bỏ ra", "bien-ban.pdf",
                     "Dạy giỏi cấp phường", "Dạy giỏi cấp thành phố",
                     f"SHA-256 {report['sha256'][:12]}", f"SHA-256 {corrected['sha256'][:12]}"):
            assert said in seen, (said, seen)
        await visit.check(council, "dossier-1-changes")
        async with council.expect_download() as downloading:
            await council.click(f"#documents-h ~ table a[href='/ui/documents/{corrected['id']}']")
        downloaded = await downloading.value
        path = await downloaded.path()
        assert path is not None and path.read_bytes() == pdf("bao-cao-sua.pdf")
        assert downloaded.suggested_filename == "bao-cao-sua.pdf"
        await browser.close()
