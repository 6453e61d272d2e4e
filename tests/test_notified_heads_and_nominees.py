"""Whom the notifier tells besides a unit's reviewers, and what, through a real SMTP
server: an overdue review escalated to the head of the level the org data names, an
appraisal awaiting that head's sign-off, a nominee who opted in, with their own address,
of the decision on them — and no reader outside the proposing unit sees that address —,
the proposer of the lower form granted and of a return's reason, and both holders of a
task the head reassigned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.web.accounts import Accounts
from domain.actor import Actor
from domain.commands import AssignTask, Context, Decide, Review
from domain.inside_level import Appraise, LevelWork
from domain.vocabulary import AppraisalConclusion, Role
from laurel.system import Laurel
from tests.support import commands
from tests.support.mail import smtp_server
from tests.support.nominations import START, actor, day_in_vietnam, project, take_through
from tests.support.notifier import PASSWORD, add_people, notifier
from tests.support.people import token

pytestmark = pytest.mark.asyncio

HEAD_MAIL = "truongban@tinh.test"


def _to(inbox: Any, address: str) -> list[str]:
    """The subjects sent to ``address``, without spaces (a folded header may lose one
    between encoded words)."""
    return ["".join(str(m["Subject"]).split()) for m in inbox.messages
            if address in str(m["To"])]


def under_review(laurel: Laurel, award: str) -> tuple[UUID, Any]:
    """A nomination of Sở Y tế's clerk for ``award``, its first review open."""
    nomination_id = commands.propose(
        laurel.nominations, actor("proposer", "hg.so-yte"), award_code=award,
        nominee={"name": "Lê Văn Tám", "kind": "individual"}, achievements="…",
        documents=[], at=START).id
    task = laurel.nominations.open_review(nomination_id, 0, START)
    assert task is not None
    return nomination_id, task


def add_the_head(laurel: Laurel) -> None:
    Accounts(laurel.settings.data_dir / "accounts.json").add(
        "truongban.tinh", PASSWORD, "Trưởng ban Thi đua – Khen thưởng tỉnh", ("reviewer",),
        "hg", email=HEAD_MAIL)


async def test_an_overdue_review_is_escalated_to_the_head_the_org_data_names(
        laurel: Laurel) -> None:
    add_people(laurel)
    add_the_head(laurel)
    nomination_id = UUID(take_through(laurel, "hg.so-yte", ["approve"]))
    app = laurel.nominations
    task = app.open_review(nomination_id, 1, START + timedelta(days=2))
    assert task is not None
    assert app.escalate(nomination_id, task.task_id, task.due_at)
    escalated = [e for e in app.events.get(nomination_id)
                 if type(e).__name__ == "ReviewEscalated"][-1]
    assert escalated.escalated_to == "truongban.tinh"  # type: ignore[attr-defined]
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    assert any("Quáhạn" in s for s in _to(inbox, HEAD_MAIL))


async def test_an_appraisal_tells_the_head_it_awaits_their_sign_off(laurel: Laurel) -> None:
    add_people(laurel)
    add_the_head(laurel)
    app = laurel.nominations
    nomination_id, task = under_review(laurel, "huan-chuong-lao-dong-hang-ba")
    commands.review(app, nomination_id, task.task_id, actor("reviewer", "hg.so-yte"),
                    outcome="approve", votes={"members": 5, "present": 5, "for": 5,
                                              "against": 0, "abstain": 0},
                    note="", at=START + timedelta(days=1))
    appraisal = LevelWork(app).open_appraisal(nomination_id, 1, 0, START + timedelta(days=2))
    assert appraisal is not None
    app.handle(Appraise(nomination_id, appraisal.task_id, AppraisalConclusion.ELIGIBLE, True),
               Context(actor("reviewer", "hg"), START + timedelta(days=3)))
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    assert any("chờýkiến" in s for s in _to(inbox, HEAD_MAIL))
    assert any("thẩmđịnh" in s for s in _to(inbox, "hoidong@tinh.test"))


async def test_a_nominee_who_opted_in_hears_of_the_decision_and_only_their_unit_sees_how(
        http: httpx.AsyncClient, laurel: Laurel) -> None:
    clerk = token("vanthu.phuong1", "proposer", unit="hg.vi-thanh.phuong-1")
    refused = await http.post("/nominations", headers=clerk, json={
        "award_code": "giay-khen", "nominee": {"name": "Lê Thị Hồng", "kind": "individual",
                                               "notify_email": "not an address"}})
    assert refused.status_code == 422
    created = await http.post("/nominations", headers=clerk, json={
        "award_code": "giay-khen", "nominee": {"name": "Lê Thị Hồng", "kind": "individual",
                                               "notify_email": "hong@nhan.test"}})
    assert created.status_code == 201, created.text
    nomination_id = UUID(created.json()["id"])
    now = datetime.now(UTC)
    app = laurel.nominations
    task = app.open_review(nomination_id, 0, now)
    assert task is not None
    unit = "hg.vi-thanh.phuong-1"
    commands.review(app, nomination_id, task.task_id, actor("reviewer", unit),
                    outcome="approve", votes={"members": 5, "present": 5, "for": 5,
                                              "against": 0, "abstain": 0},
                    note="", at=now + timedelta(days=1))
    decision = app.open_decision(nomination_id, now + timedelta(days=2))
    assert decision is not None
    commands.decide(app, nomination_id, decision.task_id, actor("decider", unit),
                    outcome="awarded", decision_number="12/QĐ-UBND",
                    decision_date=day_in_vietnam(now + timedelta(days=3)),
                    signer="Chủ tịch UBND phường",
                    at=now + timedelta(days=3))
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    told = _to(inbox, "hong@nhan.test")
    assert len(told) == 1 and "quyếtđịnh" in told[0]
    project(laurel)
    path = f"/nominations/{nomination_id}"
    assert "hong@nhan.test" not in (await http.get(path, headers=clerk)).text
    own = (await http.get(f"{path}/history", headers=clerk)).text
    above = (await http.get(f"{path}/history",
                            headers=token("hoidong.vithanh", "reviewer", unit="hg.vi-thanh")))
    assert "hong@nhan.test" in own
    assert above.status_code == 200 and "hong@nhan.test" not in above.text
    assert "nominee.notify_email" in above.text


def _text(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


async def test_the_proposer_is_told_the_lower_form_granted_not_the_one_proposed(
        laurel: Laurel) -> None:
    add_people(laurel)
    nomination_id = UUID(take_through(laurel, "hg.so-yte", ["approve", "approve"]))
    app = laurel.nominations
    task = app.open_decision(nomination_id, START + timedelta(days=40))
    assert task is not None
    app.handle(Decide(nomination_id, task.task_id, "awarded", "41/QĐ-UBND",
                      day_in_vietnam(START + timedelta(days=41)), "Chủ tịch UBND tỉnh",
                      granted_award="giay-khen"),
               Context(actor("decider", "hg"), START + timedelta(days=41)))
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    told = [m for m in inbox.messages if "vanthu@soyte.test" in str(m["To"])]
    assert len(told) == 1  # the decision, to the proposer
    assert "thấphơn" in "".join(str(told[0]["Subject"]).split())
    text = _text(told[0])
    assert "hình thức thấp hơn đề nghị: “Giấy khen”" in text and "41/QĐ-UBND" in text
    assert "đã được khen thưởng theo quyết định" not in text  # not "awarded as proposed"


async def test_a_return_tells_the_proposer_its_reason_from_the_catalogue(
        laurel: Laurel) -> None:
    add_people(laurel)
    app = laurel.nominations
    nomination_id, task = under_review(laurel, "giay-khen")
    app.handle(Review(nomination_id, task.task_id, "return", {
        "members": 5, "present": 5, "for": 0, "against": 5, "abstain": 0},
        note="Thiếu biên bản họp xét", return_reason="missing-document"),
        Context(actor("reviewer", "hg.so-yte"), START + timedelta(days=1)))
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()
    told = [m for m in inbox.messages if "vanthu@soyte.test" in str(m["To"])]
    assert len(told) == 1
    assert "Lý do: Thiếu tài liệu trong hồ sơ. Ghi chú: Thiếu biên bản họp xét" in _text(
        told[0])


async def test_a_reassignment_tells_the_new_holder_and_the_one_it_was_taken_from(
        laurel: Laurel) -> None:
    add_people(laurel)
    accounts = Accounts(laurel.settings.data_dir / "accounts.json")
    accounts.add("an", PASSWORD, "Nguyễn Văn An", ("reviewer",), "hg.so-yte",
                 email="an@soyte.test")
    accounts.add("binh", PASSWORD, "Trần Thị Bình", ("reviewer",), "hg.so-yte",
                 email="binh@soyte.test")
    app = laurel.nominations
    nomination_id, task = under_review(laurel, "giay-khen")
    an = Actor("an", frozenset({Role.REVIEWER}), "hg.so-yte")
    head = Actor("giam-doc", frozenset({Role.DECIDER}), "hg.so-yte")
    app.handle(AssignTask(nomination_id, task.task_id), Context(an, START))
    with smtp_server() as inbox:
        await notifier(laurel, inbox.port).catch_up()  # the new task, to the reviewers
        before = len(inbox.messages)
        app.handle(AssignTask(nomination_id, task.task_id, "binh"),
                   Context(head, START + timedelta(hours=2)))
        await notifier(laurel, inbox.port).catch_up()
    told = inbox.messages[before:]
    assert sorted(str(m["To"]) for m in told) == ["an@soyte.test", "binh@soyte.test"]
    assert all("từ an cho binh" in _text(m) for m in told)
