"""Paperwork generated from the record, over HTTP on each backend: the proposal (tờ trình)
lists its nominees, the council's minutes hold the meeting's tally and rule, Vietnamese
intact in the PDF's text; each only for those who may see the nominations."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pypdf

from api.paperwork import documents
from api.paperwork.render import render
from infrastructure.container import Laurel
from tests.support.nominations import PROPOSER, UNIT, project
from tests.support.pdf import pdf_text
from tests.support.people import token
from tests.support.problems import assert_problem

NOMINEES = ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Hộ ông Lý Văn Hưởng")


async def test_the_proposal_lists_its_nominees_with_their_diacritics(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    items = [{"award_code": "bang-khen-tinh", "achievements": "Hoàn thành xuất sắc nhiệm vụ",
              "nominee": {"name": name, "kind": "individual"}} for name in NOMINEES[:2]]
    created = await http.post("/proposals", json={"items": items}, headers=PROPOSER)
    assert created.status_code == 201, created.text
    proposal_id = created.json()["proposal_id"]
    project(laurel)

    text = pdf_text(await http.get(f"/proposals/{proposal_id}/pdf", headers=PROPOSER))
    assert "TỜ TRÌNH" in text and "Về việc đề nghị khen thưởng" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    for name in NOMINEES[:2]:
        assert name in text
    assert "Bằng khen của Chủ tịch UBND tỉnh" in text
    # A nomination proposed alone is a proposal of one, by its own id.
    alone = (await http.post("/nominations", json=items[0] | {"nominee": {
        "name": NOMINEES[2], "kind": "individual"}}, headers=PROPOSER)).json()
    project(laurel)
    assert NOMINEES[2] in pdf_text(await http.get(f"/proposals/{alone['id']}/pdf",
                                                  headers=PROPOSER))
    # Another district's people do not find it.
    assert_problem(await http.get(f"/proposals/{proposal_id}/pdf", headers=token(
        "x", "proposer", unit="hg.nga-bay.xa-dai-thanh")), 404, "not-found")
    assert_problem(await http.get("/proposals/no-such/pdf", headers=PROPOSER), 404, "not-found")


async def test_the_councils_minutes_hold_the_tally_and_the_rule(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = (await http.post("/nominations", json={
        "award_code": "bang-khen-tinh", "nominee": {"name": NOMINEES[0], "kind": "individual"}},
        headers=PROPOSER)).json()
    task = laurel.nominations.open_review(UUID(created["id"]), 0, datetime.now(UTC))
    assert task is not None
    project(laurel)
    minutes = f"/nominations/{created['id']}/minutes/{task.task_id}"
    assert_problem(await http.get(minutes, headers=PROPOSER), 404, "not-found")  # not yet held
    reviewer = token("thu-ky", "reviewer", unit=UNIT)
    votes = {"members": 9, "present": 8, "for": 7, "against": 1, "abstain": 0}
    reviewed = await http.post(f"/tasks/{task.task_id}/review", json={
        "outcome": "approve", "votes": votes, "note": "Đề nghị cấp trên xem xét"},
        headers=reviewer)
    assert reviewed.status_code == 200, reviewed.text
    project(laurel)

    text = pdf_text(await http.get(minutes, headers=reviewer))
    assert "BIÊN BẢN" in text and "Họp Hội đồng Thi đua – Khen thưởng" in text
    assert NOMINEES[0] in text
    assert "Thành viên Hội đồng: 9; có mặt: 8 (vắng mặt: 1)" in text
    assert "Đồng ý 7" in text and "Không đồng ý 1" in text
    assert "Quy tắc biểu quyết" in text and "Thông qua" in text
    assert "Đề nghị cấp trên xem xét" in text
    assert_problem(await http.get(minutes, headers=token(
        "x", "reviewer", unit="hg.nga-bay")), 404, "not-found")


def test_a_decision_with_a_long_annex_breaks_across_pages(policy: object) -> None:
    """The annex's table runs on over pages, each name whole in the text."""
    row = {"unit_id": "hg", "number": "200/QĐ-UBND", "decision_date": "2026-01-15",
           "authority": "Chủ tịch UBND tỉnh", "signer": "Trương Cảnh Tuyên"}
    items = [{"outcome": "awarded", "nominee_name": f"Phạm Thị Ngọc Bích {n}",
              "unit_id": UNIT, "award_code": "bang-khen-tinh"} for n in range(200)]
    pdf = render("decision", documents.decision(policy, row, items))  # type: ignore[arg-type]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 3
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Phạm Thị Ngọc Bích 199" in text and "Khen thưởng 200 cá nhân" in text
