"""The board's side of objections: many dismissed in one act (as abuse), all or none; and
who objected known to the board alone — not to the nominee's own unit, not to a council
below, not to an inspector — in the history, the audit trail and its export, and the
dossier. Over HTTP on the real app and stores (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest_asyncio

from domain.actor import PUBLIC
from domain.commands import ConfirmObjection, Context, LodgeObjection, Objected
from infrastructure.container import Laurel
from tests.support.nominations import in_public_notice, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
BOARD = token("board", "reviewer", unit=PROVINCE)
CONTACT = "nguoi.to.giac@example.vn"
SAID = "Ông Nam đang bị xem xét kỷ luật"


def lodged_by_the_public(laurel: Laurel, nomination_id: UUID, *, confirm: bool = True,
                         text: str = SAID) -> str:
    """An objection lodged without an account, confirmed with its code if ``confirm``."""
    app, now = laurel.nominations, datetime.now(UTC)
    lodged = app.handle(LodgeObjection(nomination_id, text, CONTACT), Context(PUBLIC, now))
    assert isinstance(lodged, Objected) and lodged.code
    if confirm:
        app.handle(ConfirmObjection(nomination_id, lodged.objection_id, lodged.code),
                   Context(PUBLIC, now))
    return lodged.objection_id


def events_of(laurel: Laurel, *nominations: UUID) -> list[str]:
    return [t for n in nominations for t in laurel.nominations.event_types(n)]


async def test_the_board_dismisses_a_flood_across_nominations_as_abuse_in_one_act(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    first, second = in_public_notice(laurel), in_public_notice(laurel, name="Lê Thị Bảy")
    flood = [(first, lodged_by_the_public(laurel, first)) for _ in range(3)]
    flood += [(first, lodged_by_the_public(laurel, first, confirm=False)),
              (second, lodged_by_the_public(laurel, second))]
    project(laurel)
    assert {laurel.nominations.status(n) for n in (first, second)} == {"on_hold"}
    items = [{"nomination_id": str(n), "objection_id": o} for n, o in flood]

    # One item the board cannot dismiss (already resolved) refuses the whole list.
    done = flood[0][1]
    assert (await http.post(f"/nominations/{first}/objections/{done}/resolution",
                            headers=BOARD, json={"outcome": "dismissed"})).status_code == 200
    before = events_of(laurel, first, second)
    refused = assert_problem(await http.post("/objections/dismissal", headers=BOARD, json={
        "items": items, "note": "Gửi hàng loạt", "abuse": True}), 409, "task-closed")
    assert refused["item"] == 0
    assert events_of(laurel, first, second) == before  # nothing of the list was recorded

    # Nor may a council below the notice's level, nor the nominee's own unit.
    for who, code in ((token("d", "reviewer", unit=DISTRICT), "not-found"),
                      (token("c", "proposer", unit=UNIT), "not-found"),
                      (token("h", "decider", unit=PROVINCE), "wrong-role")):
        answer = await http.post("/objections/dismissal", headers=who,
                                 json={"items": items[1:], "abuse": True})
        assert_problem(answer, 404 if code == "not-found" else 403, code)
    assert events_of(laurel, first, second) == before

    keyed = {**BOARD, "Idempotency-Key": "lam-dung-1"}
    body = {"items": items[1:], "note": "Gửi hàng loạt từ một địa chỉ", "abuse": True}
    dismissed = await http.post("/objections/dismissal", headers=keyed, json=body)
    assert dismissed.status_code == 200, dismissed.text
    assert [(n["nomination_id"], n["status"]) for n in dismissed.json()["nominations"]] == [
        (str(first), "public_notice"), (str(second), "public_notice")]
    again = await http.post("/objections/dismissal", headers=keyed, json=body)
    assert again.json() == dismissed.json()  # a retry records nothing
    resolved = [vars(e) for n in (first, second) for e in laurel.nominations.events.get(n)
                if type(e).__name__ == "ObjectionResolved"]
    assert [(r["abuse"], r["held"]) for r in resolved] == [
        (False, True), (True, True), (True, True), (True, False), (True, True)]
    project(laurel)
    assert (await http.get("/tasks", headers=BOARD)).json()["items"] == []


def objection_entries(history: dict[str, Any]) -> list[dict[str, Any]]:
    return [h for h in history["items"] if h["type"].startswith("Objection")]


async def test_who_objected_is_known_to_the_board_alone(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = in_public_notice(laurel)
    lodged_by_the_public(laurel, nomination_id)
    # Someone signed in objects too: their account is theirs to keep from the unit.
    signed = await http.post(f"/nominations/{nomination_id}/objections",
                             headers=token("hieu.truong", "decider", unit="hg.nga-bay"),
                             json={"text": "Thiếu minh chứng", "contact": "0909 111 222"})
    assert signed.status_code == 201, signed.text
    project(laurel)

    readers = {"proposer": token("clerk", "proposer", unit=UNIT),
               "unit council": token("s", "reviewer", unit=UNIT),
               "district council": token("d", "reviewer", unit=DISTRICT),
               "inspector": token("i", "auditor", unit=PROVINCE), "board": BOARD}
    for reader, headers in readers.items():
        history = (await http.get(f"/nominations/{nomination_id}/history",
                                  headers=headers)).json()
        said = json.dumps(history, ensure_ascii=False)
        entries = objection_entries(history)
        assert [e["type"] for e in entries] == [
            "ObjectionLodged", "ObjectionConfirmed", "ObjectionLodged"], reader
        if reader == "board":
            assert CONTACT in said and "0909 111 222" in said and "hieu.truong" in said
            assert entries[0]["actor_role"] == "public"
            continue
        assert CONTACT not in said and "0909" not in said and "hieu.truong" not in said, reader
        assert all(e["actor"] == "" and "contact" in e["data"].get("withheld", [e["data"]])
                   for e in entries if e["type"] == "ObjectionLodged"), reader
        assert (SAID in said) == (reader == "inspector"), reader  # what it says

    auditor = readers["inspector"]
    steps = (await http.get(f"/audit/nominations/{nomination_id}/history",
                            headers=auditor)).text
    assert SAID in steps and CONTACT not in steps and "hieu.truong" not in steps
    today = datetime.now(UTC).date()
    for format_ in ("csv", "json"):
        export = await http.get("/audit/export", headers=auditor, params={
            "from": (today - timedelta(days=3)).isoformat(),
            "to": (today + timedelta(days=1)).isoformat(), "format": format_})
        assert export.status_code == 200
        assert "ObjectionLodged" in export.text and CONTACT not in export.text
        assert "hieu.truong" not in export.text and "0909 111 222" not in export.text
    # The board of another province's level — an auditor role does not make one.
    admin = (await http.get(f"/nominations/{nomination_id}/history",
                            headers=token("root", "admin", unit=PROVINCE))).text
    assert CONTACT not in admin


PEOPLE = (("clerk", ("proposer",), UNIT), ("district", ("reviewer",), DISTRICT),
          ("board", ("reviewer",), PROVINCE), ("inspector", ("auditor",), PROVINCE))


@pytest_asyncio.fixture
async def client(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    async with page_client(laurel, PEOPLE) as http:
        yield http


async def test_the_dossier_shows_the_objector_to_the_board_and_the_board_dismisses_a_batch(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = in_public_notice(laurel)
    flood = [lodged_by_the_public(laurel, nomination_id, text=f"Spam {i}") for i in range(3)]
    unconfirmed = lodged_by_the_public(laurel, nomination_id, confirm=False, text="Spam 4")
    project(laurel)
    dossier = f"/ui/nominations/{nomination_id}"

    for reader in ("clerk", "district", "inspector"):
        await sign_in(client, reader)
        said = text_of(await client.get(dossier))
        assert "Đang xác minh" in said and CONTACT not in said, reader
        assert ("Spam 1" in said) == (reader == "inspector"), reader
        assert "Chưa xác nhận: không làm tạm dừng hồ sơ" in said
        assert 'action="/ui/objections/dismissal"' not in said

    await sign_in(client, "board")
    page = await client.get(dossier)
    said = text_of(page)
    assert CONTACT in said and "Spam 4" in said
    assert "Đang chờ người gửi nhập mã xác nhận đã gửi qua e-mail." in said
    ticks = re.findall(r'name="objection" value="([^"]+)"', page.text)
    assert sorted(ticks) == sorted(f"{nomination_id}/{o}" for o in [*flood, unconfirmed])
    form = re.search(r'<form method="post" action="/ui/objections/dismissal".*?</form>',
                     page.text, re.S)
    assert form is not None
    key = re.search(r'name="key" value="([^"]+)"', form.group(0))
    assert key is not None
    nothing = await client.post("/ui/objections/dismissal", data={
        "csrf": csrf_of(page), "key": key.group(1), "back": dossier})
    assert nothing.status_code == 422 and "Chưa chọn ý kiến phản ánh nào." in text_of(nothing)
    dismissed = await client.post("/ui/objections/dismissal", data={
        "csrf": csrf_of(page), "key": key.group(1), "back": dossier, "abuse": "on",
        "note": "Gửi hàng loạt", "objection": ticks})
    assert dismissed.status_code == 303 and dismissed.headers["location"] == dossier
    project(laurel)  # no projector runs here: the page said the lists may lag
    after = text_of(await client.get(dossier))
    assert "Đã bác bỏ 4 ý kiến phản ánh, ghi là lạm dụng." in after
    assert after.count("Bác bỏ do lạm dụng") == 4
    assert "Trạng thái Đang công khai, lấy ý kiến" in after
    assert laurel.nominations.status(nomination_id) == "public_notice"


async def test_the_board_ticks_objections_of_several_nominations_in_its_inbox(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    first, second = in_public_notice(laurel), in_public_notice(laurel, name="Lê Thị Bảy")
    ids = [lodged_by_the_public(laurel, n) for n in (first, second)]
    project(laurel)
    await sign_in(client, "board")
    inbox = await client.get("/ui/inbox")
    ticks = re.findall(r'name="objection" value="([^"]+)"', inbox.text)
    assert sorted(ticks) == sorted(f"{n}/{o}" for n, o in zip((first, second), ids,
                                                                strict=True))
    assert 'formaction="/ui/objections/dismissal" formnovalidate' in inbox.text
    key = re.search(r'id="dismiss-objections">.*?name="key" value="([^"]+)"', inbox.text, re.S)
    assert key is not None
    dismissed = await client.post("/ui/objections/dismissal", data={
        "csrf": csrf_of(inbox), "key": key.group(1), "back": "/ui/inbox", "objection": ticks,
        "note": "Không có cơ sở"})
    assert dismissed.status_code == 303 and dismissed.headers["location"] == "/ui/inbox"
    project(laurel)
    after = await client.get("/ui/inbox")
    assert "Đã bác bỏ 2 ý kiến phản ánh." in text_of(after)
    assert "Xác minh phản ánh" not in text_of(after)
    assert {laurel.nominations.status(n) for n in (first, second)} == {"public_notice"}
