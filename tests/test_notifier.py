"""The notifier tells people, by e-mail through a real SMTP server and in the pages: once,
in their language, and the auditors see it in the nomination's history."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from infrastructure.positions import NOTIFIER, positions
from laurel.system import Laurel
from tests.support.mail import outbox, smtp_server
from tests.support.nominations import project, take_through
from tests.support.notifier import add_people, in_app, notifier

pytestmark = pytest.mark.asyncio


def _to(inbox: Any, address: str) -> list[Any]:
    return [m for m in inbox.messages if address in str(m["To"])]


async def test_a_return_tells_the_proposer_once_by_mail_and_in_the_pages(laurel: Laurel) -> None:
    add_people(laurel)
    nomination_id = take_through(laurel, "hg.so-yte", ["return"])
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
        # Read again from the start (a crash before the position was stored): nothing more.
        with laurel.engine.begin() as conn:
            conn.execute(update(positions).where(positions.c.consumer == NOTIFIER)
                         .values(position=0))
        await notifier(laurel, inbox.port).catch_up()
    told = _to(inbox, "vanthu@soyte.test")
    assert len(told) == 1
    assert "trả lại để bổ sung" in str(told[0]["Subject"])
    text = str(told[0].get_body(preferencelist=("plain",)).get_content())
    assert "Bằng khen" in text and f"/ui/nominations/{nomination_id}" in text
    assert told[0]["Message-ID"].endswith("@notifications.laurel>")
    project(laurel)
    rows = in_app(laurel, "proposer@hg.so-yte")
    assert [r["kind"] for r in rows] == ["returned"]
    assert rows[0]["read_at"] is None and "trả lại" in str(rows[0]["text_vi"])


async def test_a_new_task_tells_the_units_reviewer(laurel: Laurel) -> None:
    add_people(laurel)
    take_through(laurel, "hg.so-yte", ["approve", "approve"])
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    subjects = [str(m["Subject"]) for m in _to(inbox, "hoidong@tinh.test")]
    assert any("Nhiệm vụ mới" in s for s in subjects), subjects
    # The unit's reviewer: its task, the 80 % reminder.
    kinds = [str(m["Subject"]) for m in _to(inbox, "hoidong@soyte.test")]
    assert any("Nhiệm vụ mới" in s for s in kinds) and any("Nhắc hạn" in s for s in kinds)
    assert len({m["Message-ID"] for m in inbox.messages}) == len(inbox.messages)


async def test_english_for_who_prefers_it_and_no_mail_for_who_turned_it_off(
        laurel: Laurel) -> None:
    from api.web.accounts import Accounts

    add_people(laurel)
    accounts = Accounts(laurel.settings.data_dir / "accounts.json")
    accounts.set_preferences("proposer@hg.so-yte", email="vanthu@soyte.test", language="en",
                             email_enabled=True)
    accounts.set_preferences("hoidong.soyte", email="hoidong@soyte.test", language="vi",
                             email_enabled=False)
    take_through(laurel, "hg.so-yte", ["return"])
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    assert "returned for supplement" in str(_to(inbox, "vanthu@soyte.test")[0]["Subject"])
    assert _to(inbox, "hoidong@soyte.test") == []
    project(laurel)
    assert in_app(laurel, "hoidong.soyte")  # in the pages all the same


async def test_without_smtp_the_messages_are_eml_files_in_the_outbox(laurel: Laurel) -> None:
    add_people(laurel)
    take_through(laurel, "hg.so-yte", ["return"])
    await notifier(laurel).catch_up()
    written = outbox(laurel.settings.data_dir)
    assert any("trả lại" in str(m["Subject"]) and "vanthu@soyte.test" in str(m["To"])
               for m in written)


async def test_a_refusing_server_is_retried_then_the_failure_is_recorded(laurel: Laurel) -> None:
    add_people(laurel)
    take_through(laurel, "hg.so-yte", ["return"])
    with smtp_server() as inbox:
        port = inbox.port
    await notifier(laurel, port, attempts=2).catch_up()  # nothing listens there now
    project(laurel)
    from projections.notifications import history_of

    with laurel.engine.connect() as conn:
        nomination_id = in_app(laurel, "proposer@hg.so-yte")[0]["nomination_id"]
        failed = [h for h in history_of(conn, str(nomination_id))
                  if h["type"] == "NotificationFailed"]
    assert [h["data"]["final"] for h in failed if h["data"]["address"] == "vanthu@soyte.test"] \
        == [False, True]


async def test_auditors_see_who_was_told_and_when_in_the_history(
        http: Any, laurel: Laurel) -> None:
    from tests.support.people import token

    add_people(laurel)
    nomination_id = take_through(laurel, "hg.so-yte", ["return"])
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    project(laurel)
    # The public timeline is the nomination's own: no addresses there.
    tracked = (await http.get(f"/nominations/{nomination_id}/history",
                              headers=token("inspector", "auditor", unit="hg"))).text
    assert "Notification" not in tracked and "soyte.test" not in tracked
    body = (await http.get(f"/audit/nominations/{nomination_id}/history",
                           headers=token("inspector", "auditor", unit="hg"))).json()
    types = [s["type"] for s in body["items"]]
    returned = types.index("ReviewedByCouncil")
    told = [s for s in body["items"][returned:] if s["type"] == "NotificationDelivered"]
    by_mail = [s for s in told if s.get("channel") == "email"
               or (s.get("data") or {}).get("channel") == "email"]
    assert by_mail and all(s["occurred_at"] and s["actor"] == "laurel:notifier" for s in told)
    assert any("vanthu@soyte.test" in str(s) for s in by_mail)


async def test_the_page_lists_unread_first_and_marks_one_read(laurel: Laurel) -> None:
    from tests.support.pages import csrf_of, page_client, sign_in, text_of

    take_through(laurel, "hg.so-yte", ["return"])
    async with page_client(laurel, [("proposer@hg.so-yte", ("proposer",), "hg.so-yte")]) \
            as client:
        await notifier(laurel).catch_up()
        project(laurel)
        await sign_in(client, "proposer@hg.so-yte")
        assert "(1 chưa đọc)" in (await client.get("/ui/notifications/count")).text
        page = await client.get("/ui/notifications")
        assert "trả lại để bổ sung" in text_of(page)
        (row,) = in_app(laurel, "proposer@hg.so-yte")
        refused = await client.post(f"/ui/notifications/{row['id']}/read",
                                    data={"csrf": "forged"})
        assert refused.status_code == 403
        await client.post(f"/ui/notifications/{row['id']}/read", data={"csrf": csrf_of(page)})
        project(laurel)
        assert in_app(laurel, "proposer@hg.so-yte")[0]["read_at"] is not None
        assert (await client.get("/ui/notifications/count")).text == ""
        saved = await client.post("/ui/notifications/preferences", data={
            "csrf": csrf_of(page), "email": "lan@example.vn", "language": "en"})
        assert saved.status_code == 303
        from infrastructure.directory import Directory

        person = Directory.of(laurel.settings.data_dir).get("proposer@hg.so-yte")
        assert person is not None and person.language == "en"
        assert person.email_address == ""  # e-mail turned off: in-app only


async def test_the_notifications_read_model_rebuilds_identically(laurel: Laurel) -> None:
    from projections.verify import scratch_url_for, verify_read_models

    add_people(laurel)
    take_through(laurel, "hg.so-yte", ["return", "approve"])
    await notifier(laurel).catch_up()
    project(laurel)
    (row, *_) = in_app(laurel, "hoidong.soyte")
    from uuid import UUID

    read = laurel.nominations.repository.get(UUID(str(row["id"])))
    assert read.mark_read("hoidong.soyte", "hg.so-yte", laurel.clock())
    laurel.nominations.save(read)
    project(laurel)
    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))
    assert report.identical, report.render()
    assert report.table("notifications").live_rows > 0
    from domain.notification import Notification

    told = [e for e in laurel.log.read(0, 9999) if isinstance(e.event, Notification.Event)]
    assert report.table("notification_events").live_rows == len(told)
