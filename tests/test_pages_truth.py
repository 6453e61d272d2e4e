"""The pages tell the truth: after a command the page shows what it did (post/redirect/get,
a message shown once naming the state the command answered) and the inbox no longer
lists the task; every list pages through its items with a total; the dossier shows what
a reviewer needs and the public tracking page what the public may know; dates in
Vietnam time, typed as dd/mm/yyyy; refusals in the page's language; objections from the
public notice to the board's verification. Against the real app on real stores."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
import pytest_asyncio

from api.web import oversight
from api.web.session import FRESHNESS_WAIT
from domain.commands import NomineeItem
from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support import commands
from tests.support.mail import code_in, outbox
from tests.support.nominations import at_council
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import actor

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
FOR = {"members": 7, "present": 7, "for": 6, "against": 1, "abstain": 0}
AGAINST = {"members": 7, "present": 7, "for": 1, "against": 6, "abstain": 0}
DOCUMENTS = [{"title": "Tờ trình số 12/TTr-UBND", "kind": "proposal"},
             {"title": "Báo cáo thành tích", "kind": "achievement_report"}]
PEOPLE = (("clerk", ("proposer",), UNIT), ("secretary", ("reviewer",), UNIT),
          ("district", ("reviewer",), DISTRICT), ("board", ("reviewer",), PROVINCE),
          ("chair", ("decider",), PROVINCE), ("inspector", ("auditor",), PROVINCE))


@pytest_asyncio.fixture
async def client(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    """A client keeping cookies, as a browser would, on the pages of the real app."""
    async with page_client(laurel, PEOPLE, freshness_wait=FRESHNESS_WAIT) as http:
        yield http  # the app's own wait: some tests run a projector beside it


@pytest_asyncio.fixture
async def projector(laurel: Laurel) -> AsyncIterator[None]:
    """The projector following the event log, as ``laurel up`` runs it."""
    stop = asyncio.Event()
    running = asyncio.create_task(Projector(laurel.engine, laurel.log).run(stop))
    yield
    stop.set()
    await running


def project(laurel: Laurel) -> None:
    Projector(laurel.engine, laurel.log).catch_up()


@contextmanager
def clock(laurel: Laurel, moment: datetime) -> Iterator[None]:
    before = laurel.clock
    laurel.clock = lambda: moment
    yield
    laurel.clock = before


def proposed(laurel: Laurel, name: str = "Nguyễn Thị Hoa", award: str = "bang-khen-tinh",
             at: datetime = START) -> UUID:
    return UUID(str(commands.propose(
        laurel.nominations, actor("proposer", UNIT), award_code=award,
        nominee={"name": name, "kind": "individual", "direct_worker": True,
                 "title": "Giáo viên Trường Tiểu học Phường 1"},
        achievements="Hoàn thành xuất sắc nhiệm vụ năm 2025",
        documents=DOCUMENTS, at=at).id))


def reviewed(laurel: Laurel, nomination_id: UUID, step: int, unit: str, at: datetime,
             outcome: str = "approve", note: str = "") -> None:
    task = laurel.nominations.open_review(nomination_id, step, at)
    assert task is not None
    commands.review(laurel.nominations, nomination_id, task.task_id, actor("reviewer", unit),
                    outcome=outcome, votes=at_council(
                        laurel, unit, FOR if outcome == "approve" else AGAINST, at),
                    note=note, at=at + timedelta(hours=3))


def through_the_councils(laurel: Laurel, nomination_id: UUID, at: datetime = START) -> None:
    for step, unit in enumerate((UNIT, DISTRICT, PROVINCE)):
        reviewed(laurel, nomination_id, step, unit, at + timedelta(days=step + 1))


# -- after a command: the new state, told once; the task leaves the inbox ----------------


async def test_a_vote_goes_back_to_the_inbox_saying_what_it_did_and_the_task_is_gone(
    client: httpx.AsyncClient, laurel: Laurel, projector: None,
) -> None:
    nomination_id = proposed(laurel)
    laurel.nominations.open_review(nomination_id, 0, START)
    project(laurel)
    await sign_in(client, "secretary")
    dossier = await client.get(f"/ui/nominations/{nomination_id}")

    # The vote form starts empty: no ballot is recorded that the council did not cast.
    for field in ("members", "present", "for", "against", "abstain"):
        assert re.search(rf'id="{field}" name="{field}"[^>]* value="" required', dossier.text)
    assert re.search(r'<select id="outcome" name="outcome" required>\s*<option value="">',
                     dossier.text)

    action = re.search(r'action="(/ui/tasks/[^"]+/review)"', dossier.text)
    assert action is not None
    voted = await client.post(action.group(1), data={
        "csrf": csrf_of(dossier), "nomination_id": str(nomination_id), "key": "vote-1",
        "outcome": "approve", "members": "7", "present": "7", "for": "6", "against": "1",
        "abstain": "0"})
    assert voted.status_code == 303 and voted.headers["location"] == "/ui/inbox"

    inbox = await client.get("/ui/inbox")
    said = text_of(inbox)
    assert ("Đã ghi kết quả xét của Hội đồng cho Nguyễn Thị Hoa. Trạng thái hiện nay: "
            "Đang xét duyệt.") in said
    assert "chậm vài giây" not in said  # the projector kept up: nothing to excuse
    assert "Không có việc nào đang chờ." in said
    assert "Đã ghi kết quả xét" not in text_of(await client.get("/ui/inbox"))  # once

    page = await client.get(f"/ui/nominations/{nomination_id}")
    assert "Thông qua, trình cấp trên" in text_of(page)
    assert f'action="{action.group(1)}"' not in page.text


async def test_while_the_read_models_lag_the_inbox_leaves_out_what_was_just_acted_on(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """No projector runs: the read models still show the task open. The flash names the
    status the command answered and says the lists may be late; the inbox does not
    offer the task again."""
    first, second = proposed(laurel, "Trần Văn Một"), proposed(laurel, "Trần Văn Hai")
    for nomination_id in (first, second):
        laurel.nominations.open_review(nomination_id, 0, START)
    project(laurel)
    await sign_in(client, "secretary")
    inbox = await client.get("/ui/inbox")
    boxes = re.findall(r'name="task_id" value="([^"]+)"', inbox.text)
    assert len(boxes) == 2
    summary = await client.post("/ui/meeting/summary", data={
        "csrf": csrf_of(inbox), "task_id": boxes[:1], "outcome": "return", "members": "7",
        "present": "7", "for": "1", "against": "6", "abstain": "0"})
    assert summary.status_code == 200
    done = await client.post("/ui/meeting", data={
        "csrf": csrf_of(summary), "key": re.findall(r'name="key" value="([^"]+)"',
                                                      summary.text)[0],
        "task_id": boxes[:1], "outcome": "return", "members": "7", "present": "7",
        "for": "1", "against": "6", "abstain": "0"})
    assert done.status_code == 303

    after = await client.get("/ui/inbox")
    said = text_of(after)
    assert "Đã ghi kết quả cho 1 hồ sơ của phiên họp." in said
    assert "chậm vài giây" in said
    assert re.findall(r'name="task_id" value="([^"]+)"', after.text) == boxes[1:]
    assert "(1)" in said  # the total counts what is left

    project(laurel)  # the read models catch up: the session need not hide it any more
    caught_up = await client.get("/ui/inbox")
    assert re.findall(r'name="task_id" value="([^"]+)"', caught_up.text) == boxes[1:]


async def test_a_supplement_and_a_withdrawal_show_the_dossier_as_they_left_it(
    client: httpx.AsyncClient, laurel: Laurel, projector: None,
) -> None:
    nomination_id = proposed(laurel)
    reviewed(laurel, nomination_id, 0, UNIT, START, outcome="return",
             note="Thiếu biên bản họp xét của đơn vị")
    project(laurel)
    await sign_in(client, "clerk")
    dossier = f"/ui/nominations/{nomination_id}"
    page = await client.get(dossier)
    assert "Thiếu biên bản họp xét của đơn vị" in text_of(page)  # why it came back
    sent = await client.post(f"{dossier}/supplement", data={
        "csrf": csrf_of(page), "key": "bs-1", "document": "Biên bản họp Hội đồng cơ sở",
        "document_kind": "meeting_minutes", "note": "Bổ sung biên bản"})
    assert sent.status_code == 303 and sent.headers["location"] == dossier
    page = await client.get(dossier)
    said = text_of(page)
    assert "Đã gửi hồ sơ bổ sung (phiên bản 2). Trạng thái hiện nay: Đang xét duyệt." in said
    assert re.search(r'id="status">Đang xét duyệt<', page.text)
    assert "Biên bản họp Hội đồng cơ sở Biên bản họp Hội đồng" in said  # added, by kind
    assert "Tờ trình số 12/TTr-UBND" in said  # the version before's documents are kept

    gone = await client.post(f"{dossier}/withdraw", data={
        "csrf": csrf_of(page), "key": "rut-1", "reason": "Đơn vị rút đề nghị"})
    assert gone.status_code == 303
    page = await client.get(f"{dossier}?lang=en")
    assert "The nomination is withdrawn. It is now: Withdrawn." in text_of(page)
    assert re.search(r'id="status">Withdrawn<', page.text)


# -- every list, a page at a time ------------------------------------------------------------


async def test_the_inbox_and_the_unit_s_nominations_page_through_every_item(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    items = [NomineeItem("giay-khen", {"name": f"Người thứ {i:03d}", "kind": "individual"})
             for i in range(230)]
    _, made = commands.propose_many(laurel.nominations, actor("proposer", UNIT), items, START)
    for n, p in enumerate(made):
        laurel.nominations.open_review(p.id, 0, START + timedelta(minutes=n))
    project(laurel)

    await sign_in(client, "secretary")
    first = await client.get("/ui/inbox")
    assert first.text.count('name="task_id"') == 50
    assert "1–50 trong tổng số 230" in text_of(first)
    assert 'rel="prev"' not in first.text
    seen = set(re.findall(r'name="task_id" value="([^"]+)"', first.text))
    page = first
    while (following := re.search(r'<a rel="next" href="([^"]+)"', page.text)) is not None:
        page = await client.get(following.group(1).replace("&amp;", "&"))
        seen |= set(re.findall(r'name="task_id" value="([^"]+)"', page.text))
    assert len(seen) == 230  # nothing stops at 200
    assert "201–230 trong tổng số 230" in text_of(page) and 'rel="prev"' in page.text

    # Filters are kept from page to page.
    filtered = await client.get("/ui/inbox?level=unit&award=giay-khen&page=2")
    assert "51–100 trong tổng số 230" in text_of(filtered)
    assert "level=unit&amp;award=giay-khen&amp;page=3" in filtered.text
    assert "Không có việc nào đang chờ." in text_of(
        await client.get("/ui/inbox?award=bang-khen-tinh"))
    found = await client.get("/ui/inbox?q=THU+007")  # accents and case aside
    assert re.findall(r'>(Người thứ \d+)</a>', found.text) == ["Người thứ 007"]
    assert 'name="q" type="search" value="THU 007"' in found.text

    await sign_in(client, "clerk")
    listing = await client.get("/ui/nominations?page=5")
    assert listing.text.count('href="/ui/nominations/') == 30
    assert "201–230 trong tổng số 230" in text_of(listing)
    assert 'rel="prev" href="/ui/nominations?page=4"' in listing.text
    found = await client.get("/ui/nominations?q=nguoi+thu+01")
    assert "1–10 trong tổng số 10" in text_of(found)


async def test_the_notices_and_an_audit_timeline_page_through_too(
    client: httpx.AsyncClient, laurel: Laurel, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(oversight, "NOTICES_PAGE", 2)
    monkeypatch.setattr(oversight, "AUDIT_PAGE", 3)
    ids = [proposed(laurel, f"Phạm Văn {n}", award="bang-khen-thu-tuong") for n in "ABC"]
    for nomination_id in ids:
        through_the_councils(laurel, nomination_id)
        laurel.nominations.open_public_notice(nomination_id, START + timedelta(days=5))
    project(laurel)

    notices = await client.get("/ui/notices")  # no account needed
    assert notices.status_code == 200 and notices.text.count("<tr>") == 3  # header + 2
    assert "1–2 trong tổng số 3" in text_of(notices)
    last = await client.get(re.findall(r'rel="next" href="([^"]+)"', notices.text)[0])
    assert "3–3 trong tổng số 3" in text_of(last) and 'rel="prev"' in last.text

    await sign_in(client, "inspector")
    timeline = await client.get(f"/ui/audit/{ids[0]}")
    assert "1–3 trong tổng số 10" in text_of(timeline)  # proposed, 3 reviews, 2 forwards…
    assert timeline.text.count('<option value=') == 10  # every step can be gone back to
    page_4 = await client.get(f"/ui/audit/{ids[0]}?page=4")
    assert "10–10 trong tổng số 10" in text_of(page_4) and 'rel="next"' not in page_4.text

    # The state as of a moment typed in Vietnam time: proposed at 09:00 on 05/01/2026.
    then = await client.get(f"/ui/audit/{ids[0]}", params={"at": "05/01/2026 09:30"})
    assert re.search(r'id="state">Đã đề nghị — v1<', then.text)
    before = await client.get(f"/ui/audit/{ids[0]}", params={"at": "05/01/2026 08:59"})
    assert before.status_code == 404 and "chưa có vào thời điểm" in text_of(before)
    nonsense = await client.get(f"/ui/audit/{ids[0]}", params={"at": "hôm qua"})
    assert nonsense.status_code == 422 and "không phải là một ngày hợp lệ" in text_of(nonsense)


# -- the dossier: what a reviewer needs; the tracking page: what the public may know ------


async def test_the_dossier_shows_tallies_rules_returns_and_the_decision_in_vietnam_time(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = proposed(laurel)
    late = datetime(2026, 1, 6, 14, 30, tzinfo=UTC)  # 21:30 in Vietnam: 3 hours later is
    reviewed(laurel, nomination_id, 0, UNIT, late, outcome="return",  # 00:30 on the 7th
             note="Thiếu biên bản họp xét của đơn vị")
    commands.supplement(laurel.nominations, nomination_id, actor("proposer", UNIT),
                        documents=[*DOCUMENTS, {"title": "Biên bản họp",
                                                "kind": "meeting_minutes"}],
                        achievements="Hoàn thành xuất sắc nhiệm vụ năm 2025", note="",
                        at=late + timedelta(days=1))
    for step, unit in enumerate((UNIT, DISTRICT, PROVINCE)):
        reviewed(laurel, nomination_id, step, unit, late + timedelta(days=step + 2))
    task = laurel.nominations.open_decision(nomination_id, late + timedelta(days=6))
    assert task is not None
    project(laurel)

    await sign_in(client, "chair")
    page = await client.get(f"/ui/nominations/{nomination_id}")
    said = text_of(page)
    for fact in ("Cá nhân", "Giáo viên Trường Tiểu học Phường 1",
                 "Người trực tiếp lao động, sản xuất Có", "Tờ trình số 12/TTr-UBND Tờ trình",
                 "Báo cáo thành tích Báo cáo thành tích", "Phường I",
                 "6 đồng ý, 1 không đồng ý, 0 không biểu quyết; có mặt 7/7", "Đạt: 6/7",
                 "Không đạt: 1/7",
                 "Phiên họp hợp lệ khi có mặt từ 2/3 tổng số thành viên; thông qua khi số "
                 "đồng ý trên 1/2 tổng số thành viên",
                 "Thiếu biên bản họp xét của đơn vị", "07/01/2026 00:30",
                 "Phiên bản 2, gửi ngày 07/01/2026 21:30",
                 "Những gì thay đổi từ phiên bản 1 đến phiên bản 2",
                 "Tài liệu bổ sung — Biên bản họp"):
        assert fact in said, fact
    assert "quorum" not in said  # the rule is said in Vietnamese

    # The decision date typed as people write it; a date that is none is refused.
    form = {"csrf": csrf_of(page), "nomination_id": str(nomination_id), "key": "qd-1",
            "outcome": "awarded", "decision_number": "1234/QĐ-UBND",
            "decision_date": "31/02/2026", "signer": "Trương Cảnh Tuyên"}
    wrong = await client.post(f"/ui/tasks/{task.task_id}/decision", data=form)
    assert wrong.status_code == 422
    assert "“31/02/2026” không phải là một ngày hợp lệ" in text_of(wrong)
    decided = await client.post(f"/ui/tasks/{task.task_id}/decision",
                                data={**form, "decision_date": "15/01/2026"})
    assert decided.status_code == 303
    project(laurel)
    said = text_of(await client.get(f"/ui/nominations/{nomination_id}"))
    for fact in ("Số quyết định 1234/QĐ-UBND", "Ngày quyết định 15/01/2026",
                 "Người ký Trương Cảnh Tuyên", "Chủ tịch UBND tỉnh", "Đã khen thưởng"):
        assert fact in said, fact

    # The public sees why it was returned and the decision, not the votes or the signer.
    code = re.search(r'class="code">([^<]+)<', page.text)
    assert code is not None
    client.cookies.clear()
    tracking = text_of(await client.get(f"/ui/track?code={code.group(1)}"))
    assert ("Hội đồng Phường I đã trả lại hồ sơ ngày 07/01/2026 00:30 để bổ sung. Lý do: "
            "Thiếu biên bản") in tracking
    assert "Quyết định số 1234/QĐ-UBND ngày 15/01/2026 của Chủ tịch UBND tỉnh" in tracking
    assert "Trương Cảnh Tuyên" not in tracking
    switch = re.search(r'<a href="([^"]+)" hreflang="en"',
                       (await client.get(f"/ui/track?code={code.group(1)}")).text)
    assert switch is not None  # the other language keeps the code looked up
    english = text_of(await client.get(switch.group(1).replace("&amp;", "&")))
    assert "Decision no. 1234/QĐ-UBND of 15/01/2026 by Provincial chair" in english
    assert "reviewer@" not in tracking and "6 đồng ý" not in tracking


async def test_refusals_are_said_in_the_page_s_language(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = proposed(laurel)
    laurel.nominations.open_review(nomination_id, 0, START)
    project(laurel)
    await sign_in(client, "secretary")
    page = await client.get(f"/ui/nominations/{nomination_id}")
    action = re.search(r'action="(/ui/tasks/[^"]+/review)"', page.text)
    assert action is not None
    ballot = {"csrf": csrf_of(page), "nomination_id": str(nomination_id), "outcome": "approve",
              "members": "9", "present": "3", "for": "3", "against": "0", "abstain": "0"}
    refused = await client.post(action.group(1), data=ballot)
    assert refused.status_code == 422
    said = text_of(refused)
    assert "Không đủ số thành viên Hội đồng có mặt để biểu quyết" in said
    assert "3/9 thành viên có mặt" in said and "quorum" not in said
    assert f'href="/ui/nominations/{nomination_id}"' in refused.text  # the way back
    english = await client.post(f"{action.group(1)}?lang=en", data=ballot)
    assert "Too few council members were present to vote" in text_of(english)
    assert "3 of 9 members present" in text_of(english)

    # A field left empty (the browser asks for it first; a form sent without it) is
    # named in the page's language too.
    empty = await client.post(action.group(1), data={**ballot, "members": ""}, params={
        "lang": "vi"})
    assert empty.status_code == 422 and "Kết quả kiểm phiếu thiếu members" in text_of(empty)
    assert "Input should be" not in text_of(empty)
    assert laurel.nominations.status(nomination_id) == "under_review"


async def test_a_broken_hash_chain_is_said_in_vietnamese_with_the_technical_detail_aside(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = proposed(laurel)
    through_the_councils(laurel, nomination_id)
    await sign_in(client, "inspector")
    assert "Nguyên vẹn: 9 sự kiện đã kiểm tra." in text_of(
        await client.get("/ui/audit/chain", headers={"HX-Request": "true"}))
    with sqlite3.connect(laurel.settings.data_dir / "events.db") as conn:
        [(state,)] = conn.execute("SELECT state FROM stored_events WHERE rowid = 5")
        tampered = bytearray(state)
        tampered[len(tampered) // 2] ^= 0x01
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 5", (bytes(tampered),))
    broken = await client.get("/ui/audit/chain", headers={"HX-Request": "true"})
    said = text_of(broken)
    assert "Bị sửa đổi tại vị trí 5." in said and "4 sự kiện trước đó nguyên vẹn" in said
    assert re.search(r'<details><summary>Chi tiết kỹ thuật \(tiếng Anh\)</summary><p lang="en"',
                     broken.text)


async def test_the_print_stylesheet_gives_an_a4_dossier_without_the_site_around_it(
    client: httpx.AsyncClient,
) -> None:
    css = (await client.get("/ui/static/laurel.css")).text
    printed = css[css.index("@media print"):]
    assert "size: A4" in printed
    assert re.search(r"header, nav[^{]*form[^{]*\{ display: none", printed)


# -- objections: the public notice, the tracking page, the board --------------------------


async def test_anyone_objects_with_the_tracking_code_and_the_board_resolves_it(
    client: httpx.AsyncClient, laurel: Laurel, projector: None,
) -> None:
    nomination_id = proposed(laurel, "Võ Văn Kiệt Xuất", award="bang-khen-thu-tuong")
    through_the_councils(laurel, nomination_id)
    laurel.nominations.open_public_notice(nomination_id, START + timedelta(days=5))
    project(laurel)

    notices = await client.get("/ui/notices")
    assert "Võ Văn Kiệt Xuất" in text_of(notices)
    link = re.search(r'href="(/ui/track\?code=[^"#]+)#objection"', notices.text)
    assert link is not None
    tracking = await client.get(link.group(1))
    assert 'action="/ui/track/objection"' in tracking.text
    code = re.search(r'name="code" value="([^"]+)"', tracking.text)
    key = re.search(r'name="key" value="([^"]+)"', tracking.text)
    assert code is not None and key is not None
    objection = {"code": code.group(1), "key": key.group(1), "contact": "dan.pho@example.vn",
                 "text": "Người được đề nghị đang bị xem xét kỷ luật."}
    forged = await client.post("/ui/track/objection", data={**objection, "csrf": "forged"})
    assert forged.status_code == 403
    lodged = await client.post("/ui/track/objection",
                               data={**objection, "csrf": csrf_of(tracking)})
    assert lodged.status_code == 303
    back = await client.get(lodged.headers["location"])
    assert ("Đã nhận ý kiến phản ánh của bạn và gửi mã xác nhận tới d•••@example.vn. Hồ sơ "
            "chỉ tạm dừng sau khi bạn nhập mã đó bên dưới.") in text_of(back)
    assert "kỷ luật" not in text_of(back)  # the public page does not repeat it
    # The code went to the address given (no SMTP host here: the data directory's outbox),
    # and is typed back on the tracking page.
    sent = outbox(laurel.settings.data_dir)
    assert [str(m["To"]) for m in sent] == ["dan.pho@example.vn"]
    assert 'action="/ui/track/confirmation"' in back.text
    confirmed = await client.post("/ui/track/confirmation", data={
        "csrf": csrf_of(back), "code": code_in(sent[0])})
    assert confirmed.status_code == 303
    back = await client.get(confirmed.headers["location"])
    assert ("Đã xác nhận ý kiến phản ánh. Hồ sơ tạm dừng để Ban Thi đua – Khen thưởng xác "
            "minh. Trạng thái hiện nay: Tạm dừng do có ý kiến phản ánh.") in text_of(back)
    assert 'action="/ui/track/confirmation"' not in back.text

    await sign_in(client, "clerk")  # the proposing unit: that there is one, not what or who
    said = text_of(await client.get(f"/ui/nominations/{nomination_id}"))
    # (the award's conditions name "kỷ luật" as a rule: the objection's words are sought)
    assert "Đang xác minh" in said and "đang bị xem xét kỷ luật" not in said
    assert "dan.pho" not in said

    await sign_in(client, "board")
    inbox = await client.get("/ui/inbox")
    assert "Xác minh phản ánh" in text_of(inbox) and "Võ Văn Kiệt Xuất" in text_of(inbox)
    opened = re.search(r'href="(/ui/nominations/[^"#]+)#objection-([^"]+)"', inbox.text)
    assert opened is not None
    dossier = await client.get(opened.group(1))
    said = text_of(dossier)
    assert "Người được đề nghị đang bị xem xét kỷ luật." in said and "dan.pho@example.vn" in said
    resolution = re.search(r'action="(/ui/nominations/[^"]+/resolution)"', dossier.text)
    assert resolution is not None
    resolved = await client.post(resolution.group(1), data={
        "csrf": csrf_of(dossier), "key": "xm-1", "outcome": "dismissed",
        "note": "Đã xác minh: không có quyết định kỷ luật."})
    assert resolved.status_code == 303 and resolved.headers["location"] == "/ui/inbox"
    inbox = await client.get("/ui/inbox")
    assert ("Đã ghi kết quả xác minh ý kiến phản ánh: Không có cơ sở, tiếp tục xét. Trạng "
            "thái hiện nay: Đang công khai, lấy ý kiến.") in text_of(inbox)
    assert "Xác minh phản ánh" not in text_of(inbox)

    await sign_in(client, "clerk")
    said = text_of(await client.get(f"/ui/nominations/{nomination_id}"))
    assert "Không có cơ sở, tiếp tục xét" in said
    assert "Đã xác minh: không có quyết định kỷ luật." in said

