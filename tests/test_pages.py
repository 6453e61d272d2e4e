"""The pages' promises that a browser test does not show by itself: sign-in with hashed
passwords, the session cookie's flags, CSRF refusals that record nothing, unit scoping,
a spreadsheet checked row by row before anything is submitted, the language switch."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest
import pytest_asyncio
from openpyxl import Workbook

from api.app import create_app
from api.web.accounts import Accounts
from domain.actor import Actor
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support.commands import propose
from tests.support.pages import PASSWORD, csrf_of, page_client, sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT, OTHER_UNIT = "hg.vi-thanh.phuong-1", "hg.nga-bay.xa-dai-thanh"


@pytest_asyncio.fixture
async def browser(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    """A client keeping cookies, as a browser would, on the pages of the real app."""
    async with page_client(laurel, [("clerk", ("proposer",), UNIT),
                                    ("other-clerk", ("proposer",), OTHER_UNIT),
                                    ("secretary", ("reviewer",), UNIT)]) as client:
        yield client


async def test_sign_in_checks_the_hashed_password_and_goes_only_to_this_site(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    stored = (laurel.settings.data_dir / "accounts.json").read_text(encoding="utf-8")
    assert PASSWORD not in stored and "$argon2id$" in stored

    wrong = await sign_in(browser, "clerk", "not-the-password")
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    assert (await browser.get("/ui/nominations")).status_code == 303  # still signed out

    signed = await sign_in(browser, "clerk", next_path="https://elsewhere.example/steal")
    assert signed.status_code == 303 and signed.headers["location"] == "/ui"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert (await browser.get("/ui/nominations")).status_code == 200


async def test_behind_tls_the_session_cookie_is_secure_only(laurel: Laurel) -> None:
    settings = laurel.settings.model_copy(update={"web_secure_cookies": True})
    Accounts(settings.data_dir / "accounts.json").add("clerk", PASSWORD, "x", ("proposer",),
                                                       UNIT)
    app = create_app(settings=settings, laurel=laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://laurel") as client:
            signed = await sign_in(client, "clerk")
            assert "; secure" in signed.headers["set-cookie"].lower()


async def test_a_form_without_the_session_csrf_token_is_refused_and_records_nothing(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    await sign_in(browser, "clerk")
    form = {"award_code": "bang-khen-tinh", "name_0": "Nguyễn Văn A", "kind_0": "individual"}
    for token in (None, "forged-token"):
        sent = await browser.post("/ui/proposals",
                                  data={**form, **({"csrf": token} if token else {})})
        assert sent.status_code == 403
    assert laurel.log.last_position() == 0

    page = await browser.get("/ui/proposals/new")
    sent = await browser.post("/ui/proposals", data={**form, "csrf": csrf_of(page),
                                                     "key": "form-1"})
    assert sent.status_code == 200 and laurel.log.last_position() == 1
    again = await browser.post("/ui/proposals", data={**form, "csrf": csrf_of(page),
                                                      "key": "form-1"})  # a double click
    assert again.status_code == 200 and laurel.log.last_position() == 1


async def test_a_dossier_of_another_unit_is_not_found_and_pages_need_a_sign_in(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    await sign_in(browser, "clerk")
    page = await browser.get("/ui/proposals/new")
    await browser.post("/ui/proposals", data={
        "csrf": csrf_of(page), "award_code": "bang-khen-tinh", "name_0": "Phạm Thị B",
        "kind_0": "individual"})
    Projector(laurel.engine, laurel.log).catch_up()
    listing = await browser.get("/ui/nominations")
    nomination_id = re.search(r'href="/ui/nominations/([0-9a-f-]{36})"', listing.text)
    assert nomination_id is not None
    path = f"/ui/nominations/{nomination_id.group(1)}"
    assert (await browser.get(path)).status_code == 200

    browser.cookies.clear()
    assert (await browser.get(path)).headers["location"] == f"/ui/login?next={path}"
    await sign_in(browser, "other-clerk")
    assert (await browser.get(path)).status_code == 404


async def test_a_spreadsheet_is_checked_row_by_row_before_anything_is_submitted(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """A clerk's own sheet: a title line above the header, Vietnamese headers in their
    own order, semicolons (Excel's CSV in a Vietnamese locale), Vietnamese kinds. The
    errors hold the submit button back until the rows are fixed."""
    await sign_in(browser, "clerk")
    page = await browser.get("/ui/proposals/new")
    sheet = ("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025;;;;\n"
             "STT;Thành tích;HỌ VÀ TÊN;Loai;Người trực tiếp lao động\n"
             "1;Chiến sĩ thi đua cơ sở;Đặng Thị Thu;Cá nhân;x\n"
             "2;Hoàn thành tốt;;Cá nhân;\n"
             "3;;Tổ Dân phố 5;Đoàn thể;\n"
             "4;;Hộ ông Trần Văn Út;hộ gia đình;\n").encode()
    checked = await browser.post("/ui/proposals/import", data={"csrf": csrf_of(page)},
                                 files={"file": ("danh-sach.csv", sheet, "text/csv")})
    assert checked.status_code == 200
    assert "Dòng 4: thiếu họ tên" in checked.text
    assert "Dòng 5: không hiểu loại “Đoàn thể”" in checked.text
    assert 'value="Đặng Thị Thu"' in checked.text  # the good rows fill the form
    assert re.search(r'name="direct_0" checked', checked.text)
    assert re.search(r'<option value="household" selected>Hộ gia đình', checked.text)
    assert re.search(r'<button type="submit" disabled>', checked.text)
    assert laurel.log.last_position() == 0

    # The clerk names the nominee of row 4 and chooses the kind of row 5: the check the
    # form asks as they type (htmx) brings the submit button back.
    fixed = {"csrf": csrf_of(page), "award_code": "bang-khen-tinh",
             "name_0": "Đặng Thị Thu", "kind_0": "individual", "direct_0": "on",
             "row_0": "3", "name_1": "Lê Văn Hai", "kind_1": "individual", "row_1": "4",
             "achievements_1": "Hoàn thành tốt", "name_2": "Tổ Dân phố 5",
             "kind_2": "", "row_2": "5", "name_3": "Hộ ông Trần Văn Út",
             "kind_3": "household", "row_3": "6"}
    still = await browser.post("/ui/proposals/check", data=fixed,
                               headers={"HX-Request": "true"})
    assert "Dòng 5: chưa chọn đối tượng" in still.text and "disabled" in still.text
    fixed["kind_2"] = "collective"
    again = await browser.post("/ui/proposals/check", data=fixed,
                               headers={"HX-Request": "true"})
    assert "Các dòng đều hợp lệ" in again.text
    assert re.search(r'<button type="submit">', again.text)
    seen = re.search(r'name="checks_seen" value="([^"]+)"', again.text)
    assert seen is not None
    unchanged = await browser.post("/ui/proposals/check", headers={"HX-Request": "true"},
                                   data={**fixed, "checks_seen": seen.group(1)})
    assert unchanged.status_code == 204  # the button is left alone under the clerk's click

    sent = await browser.post("/ui/proposals", data={**fixed, "key": "sheet-1"})
    assert sent.status_code == 200 and sent.text.count('class="code"') == 4
    assert laurel.log.last_position() == 4


async def test_an_xlsx_sheet_fills_the_form_and_a_file_that_is_none_is_refused(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Achievements", "Name", "Kind"])  # columns in any order, any case
    sheet.append(["Lao động tiên tiến", "Võ Minh Tuấn", "individual"])
    sheet.append([None, None, None])  # blank lines are skipped
    sheet.append(["", "Phòng Nội vụ", "collective"])
    content = io.BytesIO()
    book.save(content)
    await sign_in(browser, "clerk")
    page = await browser.get("/ui/proposals/new")
    checked = await browser.post("/ui/proposals/import", data={"csrf": csrf_of(page)}, files={
        "file": ("danh-sach.xlsx", content.getvalue(),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert checked.status_code == 200 and 'role="alert"' not in checked.text
    assert 'value="Võ Minh Tuấn"' in checked.text and 'value="Phòng Nội vụ"' in checked.text
    assert checked.text.count('class="nominee"') == 2

    broken = await browser.post("/ui/proposals/import", data={"csrf": csrf_of(page)}, files={
        "file": ("danh-sach.xlsx", b"PK not really a workbook", "application/octet-stream")})
    assert "Không đọc được tệp này" in broken.text
    assert laurel.log.last_position() == 0


async def test_the_language_switch_changes_every_label(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    await sign_in(browser, "secretary")
    proposal = propose(
        laurel.nominations, Actor("clerk", frozenset({"proposer"}), UNIT),
        award_code="bang-khen-tinh", nominee={"name": "Lý Văn C", "kind": "individual"},
        achievements="", documents=[], procedure="standard", at=datetime.now(UTC))
    laurel.nominations.open_review(UUID(str(proposal.id)), 0, datetime.now(UTC))
    Projector(laurel.engine, laurel.log).catch_up()
    vietnamese = await browser.get("/ui/inbox")
    assert '<html lang="vi">' in vietnamese.text and "Việc cần xử lý" in vietnamese.text
    english = await browser.get("/ui/inbox?lang=en")
    assert '<html lang="en">' in english.text and ">Inbox</a>" in english.text
    assert "Lý Văn C" in english.text and "Council review" in english.text
    assert "Việc cần xử lý của đơn vị" not in english.text
    assert '<html lang="en">' in (await browser.get("/ui/inbox")).text  # remembered


async def test_a_council_returns_a_dossier_the_clerk_supplements_then_withdraws_it(
    browser: httpx.AsyncClient, laurel: Laurel,
) -> None:
    proposal = propose(
        laurel.nominations, Actor("clerk", frozenset({"proposer"}), UNIT),
        award_code="bang-khen-tinh", nominee={"name": "Hà Thị D", "kind": "individual"},
        achievements="", documents=[], procedure="standard", at=datetime.now(UTC))
    nomination_id = UUID(str(proposal.id))
    laurel.nominations.open_review(nomination_id, 0, datetime.now(UTC))
    Projector(laurel.engine, laurel.log).catch_up()
    dossier = f"/ui/nominations/{nomination_id}"

    await sign_in(browser, "secretary")
    page = await browser.get(dossier)
    action = re.search(r'action="(/ui/tasks/[^"]+/review)"', page.text)
    assert action is not None
    returned = await browser.post(action.group(1), data={
        "csrf": csrf_of(page), "nomination_id": str(nomination_id), "outcome": "return",
        "members": "9", "present": "9", "for": "2", "against": "7", "abstain": "0",
        "note": "Thiếu báo cáo thành tích"})
    assert returned.status_code == 303, returned.text
    assert laurel.nominations.status(nomination_id) == "returned"

    browser.cookies.clear()
    await sign_in(browser, "clerk")
    Projector(laurel.engine, laurel.log).catch_up()
    page = await browser.get(dossier)
    assert "/supplement" in page.text
    sent = await browser.post(f"{dossier}/supplement", data={
        "csrf": csrf_of(page), "document": "Báo cáo thành tích bổ sung", "key": "bs-1"})
    assert sent.status_code == 303 and laurel.nominations.status(nomination_id) == "under_review"
    withdrawn = await browser.post(f"{dossier}/withdraw", data={
        "csrf": csrf_of(page), "reason": "", "key": "rut-1"})
    assert withdrawn.status_code == 422 and 'role="alert"' in withdrawn.text  # a reason, please
    withdrawn = await browser.post(f"{dossier}/withdraw", data={
        "csrf": csrf_of(page), "reason": "Đơn vị rút đề nghị", "key": "rut-1"})
    assert withdrawn.status_code == 303 and laurel.nominations.status(nomination_id) == "withdrawn"
