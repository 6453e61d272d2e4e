"""Files in the dossier over HTTP, on SQLite and PostgreSQL: a proposal refers to files
uploaded by its unit, each recorded with its SHA-256 on the event (so the hash chain
covers them); an award's required documents must be there as files, the refusal naming
each one missing; a supplement is a new version of the dossier, checked the same way."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from infrastructure.container import Laurel
from tests.support.nominations import AGAINST, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

UNIT = "hg.vi-thanh.phuong-1"
CLERK = token("clerk", "proposer", unit=UNIT)
COUNCIL = token("council", "reviewer", unit=UNIT)
OTHER_CLERK = token("clerk3", "proposer", unit="hg.vi-thanh.phuong-3")
VI = {"Accept-Language": "vi"}
REQUIRED = ("proposal", "achievement_report", "meeting_minutes", "initiative_certification")


def pdf(text: str) -> bytes:
    """A small file that is a PDF by its content."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


async def upload(http: httpx.AsyncClient, name: str, headers: dict[str, str] = CLERK
                 ) -> dict[str, Any]:
    response = await http.post("/documents", headers=headers,
                               files={"file": (name, pdf(name), "application/pdf")})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def someone(http: httpx.AsyncClient, laurel: Laurel) -> str:
    created = await http.post("/people", headers=CLERK, json={
        "kind": "individual", "name": "Nguyễn Văn Toàn", "national_id": "093079001122",
        "birth_date": "1979-09-09", "gender": "male"})
    assert created.status_code == 201, created.text
    project(laurel)
    return str(created.json()["id"])


async def test_a_required_document_missing_is_refused_and_files_are_recorded_with_their_hash(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nominee = await someone(http, laurel)
    files = {kind: await upload(http, f"{kind}.pdf") for kind in REQUIRED}
    asked: dict[str, Any] = {"award_code": "chien-si-thi-dua-toan-quoc", "year": 2025,
                             "nominee": {"person_id": nominee}}

    missing = assert_problem(await http.post("/nominations", headers={**CLERK, **VI}, json={
        **asked, "documents": [
            {"document_id": files["proposal"]["id"], "kind": "proposal"},
            {"title": "Báo cáo thành tích (bản giấy)", "kind": "achievement_report"}]}),
        422, "missing-documents")
    assert missing["missing"] == list(REQUIRED[1:])
    assert "Báo cáo thành tích" in missing["detail"] and "Giấy chứng nhận sáng kiến" in (
        missing["detail"])

    documents = [{"document_id": files[kind]["id"], "kind": kind} for kind in REQUIRED]
    created = await http.post("/nominations", headers=CLERK,
                              json={**asked, "documents": documents})
    assert created.status_code == 201, created.text
    project(laurel)
    read = (await http.get(f"/nominations/{created.json()['id']}", headers=CLERK)).json()
    assert [(d["kind"], d["sha256"], d["title"]) for d in read["documents"]] == [
        (kind, files[kind]["sha256"], f"{kind}.pdf") for kind in REQUIRED]
    proposed = laurel.nominations.events.get(UUID(created.json()["id"]))
    recorded = next(iter(proposed)).documents  # type: ignore[attr-defined]
    assert {d["sha256"] for d in recorded} == {f["sha256"] for f in files.values()}


async def test_another_unit_s_file_is_not_found_for_a_dossier(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    theirs = await upload(http, "cua-phuong-3.pdf", OTHER_CLERK)
    response = await http.post("/nominations", headers=CLERK, json={
        "award_code": "giay-khen", "nominee": {"name": "Lê Văn Một", "kind": "individual"},
        "documents": [{"document_id": theirs["id"], "kind": "proposal"}]})
    assert_problem(response, 404, "not-found")


async def test_a_supplement_is_a_new_version_of_the_dossier_with_its_files(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    first = await upload(http, "bao-cao-v1.pdf")
    created = await http.post("/nominations", headers=CLERK, json={
        "award_code": "giay-khen", "nominee": {"name": "Lê Văn Hai", "kind": "individual"},
        "documents": [{"document_id": first["id"], "kind": "achievement_report"}]})
    assert created.status_code == 201, created.text
    nomination_id = created.json()["id"]
    task = laurel.nominations.open_review(UUID(nomination_id), 0, laurel.clock())
    assert task is not None
    project(laurel)
    returned = await http.post(f"/tasks/{task.task_id}/review", headers=COUNCIL, json={
        "outcome": "return", "votes": AGAINST, "note": "Bổ sung số liệu"})
    assert returned.status_code == 200, returned.text
    second = await upload(http, "bao-cao-v2.pdf")
    project(laurel)
    supplemented = await http.post(f"/nominations/{nomination_id}/supplement", headers=CLERK,
                                   json={"documents": [{"document_id": second["id"],
                                                        "kind": "achievement_report"}]})
    assert supplemented.status_code == 200, supplemented.text
    project(laurel)
    read = (await http.get(f"/nominations/{nomination_id}", headers=CLERK)).json()
    assert [d["sha256"] for d in read["documents"]] == [second["sha256"]]
    assert read["dossier_version"] == 2


async def test_the_dossier_page_shows_what_a_supplement_changed(laurel: Laurel) -> None:
    async with page_client(laurel, [("council", ("reviewer",), UNIT),
                                    ("stranger", ("reviewer",), "hg.nga-bay")]) as pages:
        report = await upload(pages, "bao-cao.pdf")
        minutes = await upload(pages, "bien-ban.pdf")
        created = await pages.post("/nominations", headers=CLERK, json={
            "award_code": "giay-khen", "achievements": "Dạy giỏi cấp phường",
            "nominee": {"name": "Lê Văn Ba", "kind": "individual"},
            "documents": [{"document_id": report["id"], "kind": "achievement_report",
                           "title": "Báo cáo thành tích"},
                          {"document_id": minutes["id"], "kind": "meeting_minutes"}]})
        assert created.status_code == 201, created.text
        nomination_id = created.json()["id"]
        task = laurel.nominations.open_review(UUID(nomination_id), 0, laurel.clock())
        assert task is not None
        project(laurel)
        returned = await pages.post(f"/tasks/{task.task_id}/review", headers=COUNCIL, json={
            "outcome": "return", "votes": AGAINST, "note": "Số liệu chưa khớp"})
        assert returned.status_code == 200, returned.text
        corrected = await upload(pages, "bao-cao-sua.pdf")
        proposal = await upload(pages, "to-trinh.pdf")
        project(laurel)
        supplemented = await pages.post(f"/nominations/{nomination_id}/supplement",
                                        headers=CLERK, json={
            "achievements": "Dạy giỏi cấp thành phố", "note": "Đã sửa số liệu",
            "documents": [{"document_id": corrected["id"], "kind": "achievement_report",
                           "title": "Báo cáo thành tích"},
                          {"document_id": proposal["id"], "kind": "proposal"}]})
        assert supplemented.status_code == 200, supplemented.text
        project(laurel)

        await sign_in(pages, "council")
        shown = await pages.get(f"/ui/nominations/{nomination_id}")
        page = text_of(shown)
        assert f'href="/ui/documents/{corrected["id"]}"' in shown.text
        file = await pages.get(f"/ui/documents/{corrected['id']}")
        assert file.status_code == 200 and file.content == pdf("bao-cao-sua.pdf")
        assert file.headers["etag"] == f'"{corrected["sha256"]}"'
        await sign_in(pages, "stranger")
        hidden = await pages.get(f"/ui/documents/{corrected['id']}")
        assert hidden.status_code == 404 and file.content not in hidden.content
    assert "Những gì thay đổi từ phiên bản 1 đến phiên bản 2" in page
    assert "Tài liệu thay thế (nội dung tệp khác) Báo cáo thành tích" in page
    assert f"SHA-256 {report['sha256'][:12]}" in page and (
        f"SHA-256 {corrected['sha256'][:12]}" in page)
    assert "Tài liệu bổ sung — to-trinh.pdf" in page
    assert "Tài liệu bỏ ra bien-ban.pdf" in page
    assert "Thành tích Dạy giỏi cấp phường Dạy giỏi cấp thành phố" in page


async def test_a_clerk_answers_a_return_with_a_file_from_the_dossier_page(
    laurel: Laurel,
) -> None:
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as pages:
        created = await pages.post("/nominations", headers=CLERK, json={
            "award_code": "giay-khen",
            "nominee": {"name": "Lê Văn Bốn", "kind": "individual"}})
        assert created.status_code == 201, created.text
        nomination_id = created.json()["id"]
        task = laurel.nominations.open_review(UUID(nomination_id), 0, laurel.clock())
        assert task is not None
        project(laurel)
        returned = await pages.post(f"/tasks/{task.task_id}/review", headers=COUNCIL, json={
            "outcome": "return", "votes": AGAINST, "note": "Thiếu báo cáo"})
        assert returned.status_code == 200, returned.text
        project(laurel)

        await sign_in(pages, "clerk")
        dossier = await pages.get(f"/ui/nominations/{nomination_id}")
        form = dossier.text.split('id="supplement"', 1)[1]
        key = form.split('name="key" value="', 1)[1].split('"', 1)[0]
        fields = {"csrf": csrf_of(dossier), "key": key, "document": "",
                  "document_kind": "achievement_report", "note": "Gửi báo cáo"}
        refused = await pages.post(f"/ui/nominations/{nomination_id}/supplement", data=fields,
                                   files={"file": ("ghi-chu.txt", b"not a document")})
        assert refused.status_code == 422 and "PDF, PNG, JPEG" in text_of(refused)
        sent = await pages.post(f"/ui/nominations/{nomination_id}/supplement", data=fields,
                                files={"file": ("Báo cáo thành tích.pdf", pdf("báo cáo"))})
        assert sent.status_code == 303, sent.text
        project(laurel)
    read = laurel.nominations.state_as_of(UUID(nomination_id))
    assert read["dossier_version"] == 2 and read["status"] == "under_review"
    documents = laurel.nominations.events.get(UUID(nomination_id))
    supplemented = next(e for e in documents if type(e).__name__ == "Supplemented")
    added = supplemented.documents[-1]  # type: ignore[attr-defined]
    assert added["title"] == "Báo cáo thành tích.pdf" and added["kind"] == "achievement_report"
    assert len(added["sha256"]) == 64 and added["media_type"] == "application/pdf"
