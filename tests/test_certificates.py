"""Certificates anyone can verify, over HTTP on each backend: the PDF of an awarded
nomination holds its name, award, decision and register number, and its QR code decodes
to the public verification URL; the page says valid, then revoked after a revocation; a
reissue gives a new number and the old code verifies as replaced; numbers run in order
per unit and year, never twice, even when issued at once; the proof shows the events'
hashes and the auditor's checkpoint."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pypdf
import zxingcpp

from domain.certificate import CODE_BITS, CROCKFORD, new_code, normalised_code
from domain.certificates import Certificates
from domain.commands import Context, IssueCertificate
from infrastructure import checkpoints
from infrastructure.audit_chain import verify_chain
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support.commands import propose, review
from tests.support.nominations import FOR, day_in_vietnam
from tests.support.people import person, token
from tests.support.problems import assert_problem

PROPOSING = "hg.vi-thanh.phuong-1"
PROVINCE = "hg"
CLERK = token("van-thu", "proposer", unit=PROPOSING)
DECIDER = token("chu-tich", "decider", unit=PROVINCE)
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
"""What a phone's browser asks for when it opens the QR code's address."""
BASE = "http://127.0.0.1:8000"


def project(laurel: Laurel) -> None:
    Projector(laurel.engine, laurel.log).catch_up()


async def awarded(http: httpx.AsyncClient, laurel: Laurel, name: str,
                  number: str = "15/QĐ-UBND") -> str:
    """A nomination of ``PROPOSING`` for the provincial Bằng khen, approved by every
    council and awarded by the province's decider over HTTP; projected."""
    app, now = laurel.nominations, datetime.now(UTC)
    award = "bang-khen-tinh"
    nomination_id = propose(app, person("proposer", PROPOSING), award_code=award,
                            nominee={"name": name, "kind": "individual"},
                            achievements="Hoàn thành xuất sắc nhiệm vụ", documents=[],
                            at=now).id
    for step, level in enumerate(laurel.policy.plan_route(award, PROPOSING,
                                                          "individual").reviews):
        task = app.open_review(nomination_id, step, now)
        assert task is not None
        review(app, nomination_id, task.task_id, person("reviewer", level.unit_id),
               outcome="approve", votes=FOR, note="", at=now)
    decision = app.open_decision(nomination_id, now)
    assert decision is not None
    project(laurel)
    response = await http.post(f"/tasks/{decision.task_id}/decision", headers=DECIDER, json={
        "outcome": "awarded", "decision_number": number, "decision_date": day_in_vietnam(),
        "signer": "Trương Cảnh Tuyên"})
    assert response.status_code == 200, response.text
    project(laurel)
    return str(nomination_id)


def pdf_of(response: httpx.Response) -> pypdf.PdfReader:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def qr_texts(reader: pypdf.PdfReader) -> list[str]:
    return [barcode.text for page in reader.pages for image in page.images
            for barcode in zxingcpp.read_barcodes(image.image)]


def number_of(laurel: Laurel, nomination_id: str) -> tuple[str, str]:
    found = Certificates(laurel.nominations).of(UUID(nomination_id))
    assert found is not None
    return found.number, found.code


async def test_a_certificate_prints_the_award_and_its_qr_leads_to_the_verify_page(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = await awarded(http, laurel, "Nguyễn Thị Hồng Nhung")
    first = await http.get(f"/nominations/{nomination_id}/certificate", headers=CLERK)
    reader = pdf_of(first)
    text = "\n".join(page.extract_text() for page in reader.pages)
    number, code = number_of(laurel, nomination_id)
    year = datetime.now(UTC).astimezone(laurel.policy.calendar.zone).year
    assert number == f"1/{year}/GCN-UBND"
    for said in ("Nguyễn Thị Hồng Nhung", "Bằng khen của Chủ tịch UBND tỉnh", "15/QĐ-UBND",
                 number, "GIẤY CHỨNG NHẬN", f"{BASE}/verify/{code}"):
        assert said in text, said
    assert qr_texts(reader) == [f"{BASE}/verify/{code}"]
    # Asked again: the same certificate, the same bytes; nothing new recorded.
    again = await http.get(f"/nominations/{nomination_id}/certificate", headers=CLERK)
    assert again.content == first.content
    assert number_of(laurel, nomination_id) == (number, code)

    # The public page: no account, a page in Vietnamese (English on the switch), or JSON.
    verified = (await http.get(f"/verify/{code}", headers=JSON)).json()
    assert verified["state"] == "valid" and verified["valid"] is True
    assert verified["nominee_name"] == "Nguyễn Thị Hồng Nhung"
    assert verified["number"] == number
    assert verified["decision"]["number"] == "15/QĐ-UBND"
    assert verified["award"]["name"]["vi"] == "Bằng khen của Chủ tịch UBND tỉnh"
    assert [e["event"] for e in verified["proof"]["events"]] == ["decided", "issued"]
    assert all(e["intact"] and len(e["event_hash"]) == 64 for e in verified["proof"]["events"])
    assert verified["proof"]["checkpoint"] is None and verified["proof"]["head"]
    page = await http.get(f"/verify/{code.lower().replace('-', ' ')}", headers=BROWSER,
                          follow_redirects=True)
    assert page.status_code == 200 and "Giấy chứng nhận hợp lệ" in page.text
    assert "Nguyễn Thị Hồng Nhung" in page.text and number in page.text
    english = await http.get(f"/verify/{code}?lang=en", headers=BROWSER, follow_redirects=True)
    assert "This certificate is valid" in english.text

    # Revoked: the page says so at once, above everything else, and prints no more.
    revoked = await http.post(f"/nominations/{nomination_id}/revoke", headers=DECIDER, json={
        "reason": "Khai man thành tích", "decision_number": "20/QĐ-UBND",
        "decision_date": day_in_vietnam()})
    assert revoked.status_code == 200, revoked.text
    verified = (await http.get(f"/verify/{code}", headers=JSON)).json()
    assert verified["state"] == "revoked" and verified["valid"] is False
    assert verified["revocation"] == {"number": "20/QĐ-UBND", "date": day_in_vietnam()}
    page = await http.get(f"/verify/{code}?lang=vi", headers=BROWSER, follow_redirects=True)
    assert page.text.index("KHEN THƯỞNG ĐÃ BỊ THU HỒI") < page.text.index(
        "Nguyễn Thị Hồng Nhung</dd>")
    assert_problem(await http.get(f"/nominations/{nomination_id}/certificate",
                                  headers=CLERK), 409, "not-awarded")


async def test_a_reissue_takes_a_new_number_and_the_old_code_says_replaced(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = await awarded(http, laurel, "Trần Văn Đức")
    path = f"/nominations/{nomination_id}/certificate"
    assert_problem(await http.post(f"{path}/reissue", headers=DECIDER,
                                   json={"reason": "Bị mất"}), 409, "no-certificate-yet")
    pdf_of(await http.get(path, headers=CLERK))
    old_number, old_code = number_of(laurel, nomination_id)
    # Only the deciding unit's decider (or an administrator above it) reissues.
    assert_problem(await http.post(f"{path}/reissue", headers=CLERK,
                                   json={"reason": "Bị mất"}), 404, "not-found")
    assert_problem(await http.post(f"{path}/reissue", json={"reason": "Bị mất"},
                                   headers=token("tk", "reviewer", unit=PROVINCE)),
                   403, "wrong-role")
    keyed = {**DECIDER, "Idempotency-Key": "reissue-1"}
    response = await http.post(f"{path}/reissue", headers=keyed,
                               json={"reason": "Bị mất do thiên tai"})
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["issued"] is True and new["number"] != old_number and new["code"] != old_code
    assert new["verify_url"] == f"{BASE}/verify/{new['code']}"
    same = (await http.post(f"{path}/reissue", headers=keyed,
                            json={"reason": "Bị mất do thiên tai"})).json()
    assert (same["number"], same["issued"]) == (new["number"], False)

    old = (await http.get(f"/verify/{old_code}", headers=JSON)).json()
    assert old["state"] == "replaced" and old["replaced_by"] == new["number"]
    assert "Đã cấp lại giấy chứng nhận số " + new["number"] in (
        await http.get(f"/verify/{old_code}", headers=BROWSER, follow_redirects=True)).text
    current = (await http.get(f"/verify/{new['code']}", headers=JSON)).json()
    assert current["state"] == "valid" and current["replaces"] == old_number
    text = "\n".join(p.extract_text() for p in pdf_of(await http.get(path, headers=CLERK)).pages)
    assert new["number"] in text and old_number in text  # "Cấp lại, thay … số <old>"


async def test_numbers_run_in_order_never_twice_even_issued_at_once(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    ids = [await awarded(http, laurel, f"Lê Thị {i}", number=f"{30 + i}/QĐ-UBND")
           for i in range(6)]
    first = await http.get(f"/nominations/{ids[0]}/certificate", headers=CLERK)
    pdf_of(first)
    app, clerk = laurel.nominations, person("proposer", PROPOSING)

    def issue(nomination_id: str) -> str:
        result = app.handle(IssueCertificate(UUID(nomination_id)),
                            Context(clerk, datetime.now(UTC)))
        return str(getattr(result, "number", ""))

    with ThreadPoolExecutor(5) as pool:  # concurrent issues race for the register
        numbers = list(pool.map(issue, ids[1:] + ids[1:]))
    assert numbers[:5] == numbers[5:]  # a nomination's second request: the same one
    serials = sorted(int(n.split("/")[0]) for n in [number_of(laurel, ids[0])[0],
                                                    *numbers[:5]])
    assert serials == [1, 2, 3, 4, 5, 6]
    assert verify_chain(app.recorder).intact


async def test_the_proof_names_the_auditors_signed_checkpoint(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = await awarded(http, laurel, "Phạm Thị Thu")
    pdf_of(await http.get(f"/nominations/{nomination_id}/certificate", headers=CLERK))
    _, code = number_of(laurel, nomination_id)
    data = laurel.settings.data_dir
    key, _ = checkpoints.new_key_pair(data)
    report = verify_chain(laurel.nominations.recorder)
    signed = checkpoints.sign(key, report.head_position, report.head_hash)
    checkpoints.append(data / "checkpoints.jsonl", signed)
    proof = (await http.get(f"/verify/{code}", headers=JSON)).json()["proof"]
    assert proof["checkpoint"] == {"position": signed.position,
                                   "chain_hash": signed.chain_hash,
                                   "signed_at": signed.signed_at,
                                   "signature": signed.signature, "matches": True}
    assert max(e["position"] for e in proof["events"]) <= signed.position
    page = await http.get(f"/verify/{code}", headers=BROWSER, follow_redirects=True)
    assert "Chuỗi hiện lưu vẫn đi qua điểm này" in page.text


async def test_an_unknown_code_is_not_found(http: httpx.AsyncClient) -> None:
    code = new_code()
    assert len(code.replace("-", "")) * 5 == CODE_BITS >= 80
    assert set(code.replace("-", "")) <= set(CROCKFORD)
    assert normalised_code(code.lower().replace("-", " ")) == code
    assert_problem(await http.get(f"/verify/{code}", headers=JSON), 404, "not-found")
    page = await http.get(f"/verify/{code}", headers=BROWSER, follow_redirects=True)
    assert page.status_code == 404 and "Không có giấy chứng nhận nào" in page.text
    assert (await http.get("/verify/x", headers=JSON)).status_code == 404


async def test_the_public_register_lists_awards_and_nothing_personal(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    kept = await awarded(http, laurel, "Võ Thị Lan", number="41/QĐ-UBND")
    taken_back = await awarded(http, laurel, "Đặng Văn Bình", number="42/QĐ-UBND")
    revoked = await http.post(f"/nominations/{taken_back}/revoke", headers=DECIDER, json={
        "reason": "Sai sót", "decision_number": "43/QĐ-UBND",
        "decision_date": day_in_vietnam()})
    assert revoked.status_code == 200, revoked.text
    project(laurel)
    year = laurel.nominations._get(UUID(kept)).year
    listing = (await http.get("/public/awards", params={
        "year": year, "unit": "hg.vi-thanh", "award": "bang-khen-tinh"})).json()
    assert listing["total"] == 2
    by_name = {item["nominee_name"]: item for item in listing["items"]}
    assert by_name["Võ Thị Lan"]["revoked"] is False
    assert by_name["Võ Thị Lan"]["decision"]["number"] == "41/QĐ-UBND"
    assert by_name["Võ Thị Lan"]["unit"]["id"] == PROPOSING
    assert by_name["Đặng Văn Bình"]["revoked"] is True
    assert by_name["Đặng Văn Bình"]["revocation"]["number"] == "43/QĐ-UBND"
    assert set(by_name["Võ Thị Lan"]) == {"nominee_name", "unit", "award", "year",
                                           "decision", "revoked", "revocation"}
    for personal in ("national_id", "cccd", "birth", "person_id", "achievements"):
        assert personal not in str(listing).lower()
    assert (await http.get("/public/awards", params={"year": year + 1})).json()["total"] == 0
    page = await http.get("/ui/register", params={"year": str(year)})
    assert page.status_code == 200
    assert "Võ Thị Lan" in page.text and "Đã thu hồi (43/QĐ-UBND" in page.text
