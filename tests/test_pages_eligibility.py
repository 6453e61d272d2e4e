"""The award's conditions on the pages: a nominee chosen from the register (found by the
row's search, or by the CCCD of a spreadsheet), the checklist on the dossier in
Vietnamese and English, a proposal the rules refuse explained on its row and sent with a
reason that every later reader sees flagged, a duplicate named, and a council meeting
whose approvals would exceed the unit's quota shown with its meter and refused with the
count. People, awards and initiatives are registered over the JSON API; the pages are
used as a browser without a screen uses them."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest
import pytest_asyncio

from infrastructure.container import Laurel
from tests.support.nominations import project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
CLERK_API = token("clerk", "proposer", unit=UNIT)
YEAR = 2025
REASON = "Thành tích đặc biệt xuất sắc trong phòng chống thiên tai năm 2025"
_numbers = itertools.count(1)


async def register_person(http: httpx.AsyncClient, name: str,
                          titles: list[tuple[str, int]] = ()) -> tuple[str, str]:  # type: ignore[assignment]
    """Someone of the clerk's unit holding ``titles`` (award code, year), over the JSON
    API: their id and national ID."""
    n = next(_numbers)
    national_id = f"093085{n:06d}"
    created = await http.post("/people", headers=CLERK_API, json={
        "kind": "individual", "name": name, "national_id": national_id,
        "birth_date": "1985-03-01", "gender": "male"})
    assert created.status_code == 201, created.text
    person_id = str(created.json()["id"])
    for code, year in titles:
        recorded = await http.post(f"/people/{person_id}/awards", headers=CLERK_API, json={
            "award_code": code, "year": year, "decision_number": f"{n}-{year}/QĐ-UBND",
            "decision_date": f"{year}-12-20", "issuer": "UBND thành phố Vị Thanh"})
        assert recorded.status_code == 201, recorded.text
    return person_id, national_id


async def register_initiative(http: httpx.AsyncClient, author: str, title: str) -> str:
    created = await http.post("/initiatives", headers=CLERK_API, json={
        "title": title, "authors": [author], "unit_id": UNIT,
        "recognised_on": f"{YEAR}-06-15", "recognition": "Quyết định số 12/QĐ-HĐSK",
        "scope": "Giáo dục"})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def a_row(person_id: str, **more: str) -> dict[str, str]:
    """The proposal form with one nominee chosen from the register."""
    return {"name_0": "", "kind_0": "individual", "person_0": person_id,
            "year_0": str(YEAR), "achievements_0": "Hoàn thành xuất sắc nhiệm vụ", **more}


async def propose_on_the_page(client: httpx.AsyncClient, award: str,
                              row: dict[str, str]) -> httpx.Response:
    form = await client.get("/ui/proposals/new")
    return await client.post("/ui/proposals", data={
        "csrf": csrf_of(form), "award_code": award, **row})


def dossier_link(page: httpx.Response) -> str:
    found = re.search(r'href="(/ui/nominations/[0-9a-f-]{36})"', page.text)
    assert found is not None, page.text[:2000]
    return found.group(1)


@pytest_asyncio.fixture
async def client(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    async with page_client(laurel, [("clerk", ("proposer",), UNIT),
                                    ("council", ("reviewer",), UNIT),
                                    ("inspector", ("auditor",), "hg")]) as pages:
        yield pages


async def test_a_nominee_found_in_the_register_and_the_checklist_in_both_languages(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    lan, _ = await register_person(client, "Võ Thị Lan", [
        ("chien-si-thi-dua-co-so", y) for y in (2023, 2024, 2025)])
    basis = await register_initiative(client, lan, "Sổ tay điện tử cho giáo viên chủ nhiệm")
    project(laurel)
    await sign_in(client, "clerk")

    # The row's search finds her in the register: the form comes back offering her.
    form = await client.get("/ui/proposals/new")
    assert "Sổ tay điện tử cho giáo viên chủ nhiệm" in form.text  # the unit's initiatives
    found = await client.post("/ui/proposals/find", data={
        "csrf": csrf_of(form), "award_code": "chien-si-thi-dua-tinh", "find_0": "Tìm",
        "name_0": "", "kind_0": "individual", "q_0": "vo thi lan"})
    assert found.status_code == 200
    assert re.search(rf'<option value="{lan}"\s*>Võ Thị Lan — Phường I', found.text)
    assert "Tìm thấy 1 người" in text_of(found)

    sent = await propose_on_the_page(client, "chien-si-thi-dua-tinh",
                                     a_row(lan, initiative_0=basis))
    assert sent.status_code == 200 and "Đã gửi đề nghị" in sent.text, text_of(sent)[:1500]
    assert "Võ Thị Lan" in text_of(sent)  # named as the register names her
    project(laurel)

    dossier = text_of(await client.get(dossier_link(sent)))
    assert "Điều kiện, tiêu chuẩn khen thưởng" in dossier and "Đủ điều kiện" in dossier
    assert "Năm thành tích 2025" in dossier
    assert ("✓ Đạt Đạt danh hiệu Chiến sĩ thi đua cơ sở đủ 3 năm liên tục 2023–2025"
            in dossier), dossier
    assert "Chiến sĩ thi đua cơ sở năm 2023, Quyết định số" in dossier
    assert "Sáng kiến “Sổ tay điện tử cho giáo viên chủ nhiệm”, công nhận ngày 15/06/2025" \
        in dossier
    assert "Không bị kỷ luật" in dossier and "Luật Thi đua, khen thưởng 2022" in dossier
    assert "Đề nghị dù chưa đủ điều kiện" not in dossier

    english = text_of(await client.get(f"{dossier_link(sent)}?lang=en"))
    assert "Meets the conditions" in english and "Legal basis" in english
    assert "consecutive years 2023–2025" in english and "✓ Met" in english
    assert "Grassroots emulation fighter for 2023, decision" in english
    assert "đủ 3 năm liên tục" not in english


async def test_a_refused_proposal_is_explained_on_its_row_then_sent_with_a_reason_flagged(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa, _ = await register_person(client, "Nguyễn Thị Hoa", [
        ("chien-si-thi-dua-co-so", 2023), ("chien-si-thi-dua-co-so", 2024)])
    basis = await register_initiative(client, hoa, "Dạy học theo dự án ở lớp 5")
    project(laurel)
    await sign_in(client, "clerk")
    asked = a_row(hoa, initiative_0=basis)

    refused = await propose_on_the_page(client, "chien-si-thi-dua-tinh", asked)
    assert refused.status_code == 422
    said = text_of(refused)
    assert "Người được đề nghị 1 (Nguyễn Thị Hoa) chưa đủ điều kiện:" in said, said[:3000]
    assert "Thiếu danh hiệu Chiến sĩ thi đua cơ sở năm 2025" in said
    assert "Luật Thi đua, khen thưởng 2022, Điều 22 khoản 1" in said
    assert 'name="override_0"' in refused.text  # the reason's field, now shown
    assert re.search(rf'<option value="{hoa}"\s*selected>', refused.text)  # kept chosen
    project(laurel)  # nothing was recorded
    assert (await client.get("/ui/nominations")).text.count("/ui/nominations/") == 0

    sent = await client.post("/ui/proposals", data={
        "csrf": csrf_of(refused), "award_code": "chien-si-thi-dua-tinh",
        "key": "with-reason", **asked, "override_0": REASON})
    assert sent.status_code == 200 and "Đã gửi đề nghị" in sent.text, text_of(sent)[:2000]
    project(laurel)
    dossier = dossier_link(sent)

    for reader in ("clerk", "council", "inspector"):
        await sign_in(client, reader)
        page = await client.get(dossier)
        assert page.status_code == 200, reader
        shown = text_of(page)
        assert f"Đề nghị dù chưa đủ điều kiện: {REASON}" in shown, reader
        assert 'class="override"' in page.text
        assert "✗ Không đạt Thiếu danh hiệu Chiến sĩ thi đua cơ sở năm 2025" in shown, shown
        assert "Chưa đủ điều kiện" in shown
    english = text_of(await client.get(f"{dossier}?lang=en"))
    assert f"Proposed although the conditions are not met: {REASON}" in english
    assert "Did not hold the title" in english

    # The same person for the same award and year: the row names the nomination.
    await sign_in(client, "clerk")
    twice = await propose_on_the_page(client, "chien-si-thi-dua-tinh",
                                      {**asked, "override_0": REASON})
    assert twice.status_code == 422
    code = re.search(r'class="code">([^<]+)<', sent.text)
    assert code is not None
    assert (f"Người được đề nghị 1 (Nguyễn Thị Hoa): đã có hồ sơ {code.group(1)}"
            in text_of(twice))


async def test_a_sheet_s_cccd_chooses_the_person_and_an_unknown_one_is_named(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    tam, national_id = await register_person(client, "Cao Văn Tâm")
    project(laurel)
    await sign_in(client, "clerk")
    page = await client.get("/ui/proposals/new")
    sheet = ("Họ và tên;Số CCCD;Năm;Thành tích\n"
             f"Cao Văn Tâm;{national_id};2024;Hoàn thành tốt nhiệm vụ\n"
             "Người Lạ;001099000001;2025;Hoàn thành tốt\n"
             "Hộ bà Tư;;2025;Hiến đất làm đường\n").encode()
    checked = await client.post("/ui/proposals/import", data={
        "csrf": csrf_of(page), "award_code": "giay-khen"},
        files={"file": ("danh-sach.csv", sheet, "text/csv")})
    assert checked.status_code == 200
    assert re.search(rf'<option value="{tam}"\s*selected>Cao Văn Tâm', checked.text)
    assert 'name="year_0" inputmode="numeric" maxlength="4" value="2024"' in checked.text
    said = text_of(checked)
    assert ("Dòng 3: không có người nào của đơn vị có số CCCD 001099000001; dòng này được "
            "ghi theo họ tên") in said
    assert 'value="Người Lạ"' in checked.text  # kept by its name
    assert "Dòng 2" not in said


async def test_a_meeting_shows_the_quota_meter_and_is_refused_with_the_count(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    # Seven advanced workers in 2025: 15 % of them is 1.05, so one grassroots fighter.
    workers = [await register_person(client, f"Người Lao Động {i}",
                                     [("lao-dong-tien-tien", YEAR)]) for i in range(7)]
    project(laurel)
    await sign_in(client, "clerk")
    nominations = []
    for i, (who, _) in enumerate(workers[:2]):
        basis = await register_initiative(client, who, f"Sáng kiến số {i}")
        project(laurel)
        sent = await propose_on_the_page(client, "chien-si-thi-dua-co-so",
                                         a_row(who, initiative_0=basis))
        assert sent.status_code == 200, text_of(sent)[:2000]
        nominations.append(dossier_link(sent))
    tasks = []
    for link in nominations:
        opened = laurel.nominations.open_review(UUID(link.rsplit("/", 1)[1]), 0,
                                                datetime.now(UTC))
        assert opened is not None
        tasks.append(opened.task_id)
    project(laurel)

    first = text_of(await client.get(nominations[0]))
    assert "Định mức: 1/1 (15 % của 7 Lao động tiên tiến)" in first, first

    await sign_in(client, "council")
    inbox = await client.get("/ui/inbox")
    tally = {"members": "7", "present": "7", "for": "6", "against": "1",
                             "abstain": "0"}
    summary = await client.post("/ui/meeting/summary", data={
        "csrf": csrf_of(inbox), "outcome": "approve", **tally, "task_id": tasks})
    assert summary.status_code == 200
    said = text_of(summary)
    assert "Định mức: 1/1 (15 % của 7 Lao động tiên tiến)" in said, said
    assert "Định mức: 2/1 (15 % của 7 Lao động tiên tiến) — vượt định mức" in said
    assert said.count("✓ Đủ điều kiện") == 1 and said.count("✗ Chưa đủ điều kiện") == 1
    assert all(f'name="override_{t}"' in summary.text for t in tasks)

    # The first rejected at this meeting: it counts towards no one after it.
    one_rejected = text_of(await client.post("/ui/meeting/summary", data={
        "csrf": csrf_of(summary), "outcome": "approve", **tally, "task_id": tasks,
        f"outcome_{tasks[0]}": "reject"}))
    assert one_rejected.count("Định mức: 1/1 (15 % của 7 Lao động tiên tiến)") == 2, \
        one_rejected
    assert "Định mức: 2/1" not in one_rejected

    refused = await client.post("/ui/meeting", data={
        "csrf": csrf_of(summary), "key": "meeting-1", "outcome": "approve", **tally,
        "task_id": tasks})
    assert refused.status_code == 422
    said = text_of(refused)
    assert "hồ sơ thứ 2 (Người Lao Động 1) chưa đủ điều kiện" in said, said
    assert "thêm người này là 2, vượt định mức" in said
    assert laurel.nominations.status(UUID(nominations[0].rsplit("/", 1)[1])) == "under_review"

    recorded = await client.post("/ui/meeting", data={
        "csrf": csrf_of(refused), "key": "meeting-2", "outcome": "approve", **tally,
        "task_id": tasks,
        f"override_{tasks[1]}": "Hội đồng thống nhất đề nghị vượt định mức"})
    assert recorded.status_code == 303, text_of(recorded)[:2000]
    project(laurel)
    second = text_of(await client.get(nominations[1]))
    assert ("duyệt dù chưa đủ điều kiện: Hội đồng thống nhất đề nghị vượt định mức"
            in second), second
