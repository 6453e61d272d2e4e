"""An objection from someone without an account holds the nomination only once its author
confirms the e-mail address they gave, with the 6-digit code sent there: over HTTP, on
the real app and stores (SQLite and PostgreSQL), with a real SMTP server (aiosmtpd) whose
received message the code is read from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from domain.confirmation import CODE_ATTEMPTS
from infrastructure.container import Laurel
from infrastructure.settings import Settings
from projections.tables import tasks
from tests.support.mail import Inbox, smtp_server
from tests.support.nominations import in_public_notice, project
from tests.support.people import token
from tests.support.problems import assert_problem

VI = {"Accept-Language": "vi"}
BOARD = token("board", "reviewer", unit="hg")
AUDITOR = token("inspector", "auditor", unit="hg")


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as received:
        yield received


@pytest.fixture
def settings(settings: Settings, inbox: Inbox) -> Settings:
    """Mail through the test's SMTP server (no STARTTLS on localhost)."""
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": inbox.port,
                                       "smtp_starttls": False})


def _code(laurel: Laurel, nomination_id: UUID) -> str:
    proposed = next(iter(laurel.nominations.events.get(nomination_id)))
    return str(vars(proposed)["tracking_code"])


async def lodge(http: httpx.AsyncClient, laurel: Laurel, nomination_id: UUID,
                contact: str = "hoa.nguyen@example.vn", **headers: str) -> httpx.Response:
    return await http.post(f"/nominations/{nomination_id}/objections", headers=headers, json={
        "text": "Bà Hoa chưa có sáng kiến được công nhận", "contact": contact,
        "tracking_code": _code(laurel, nomination_id)})


async def confirm(http: httpx.AsyncClient, nomination_id: UUID, objection_id: str,
                  code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return await http.post(f"/nominations/{nomination_id}/objections/{objection_id}/confirmation",
                           json={"code": code}, headers=headers or {})


def board_tasks(laurel: Laurel, nomination_id: UUID) -> list[dict[str, Any]]:
    with laurel.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(tasks).where(
            tasks.c.nomination_id == str(nomination_id), tasks.c.kind == "objection"
        )).mappings()]


async def status_of(http: httpx.AsyncClient, nomination_id: UUID) -> str:
    return str((await http.get(f"/nominations/{nomination_id}", headers=AUDITOR)
                ).json()["status"])


async def test_an_unconfirmed_objection_holds_nothing_and_its_code_is_kept_sealed(
    http: httpx.AsyncClient, laurel: Laurel, inbox: Inbox,
) -> None:
    nomination_id = in_public_notice(laurel)
    lodged = await lodge(http, laurel, nomination_id)
    assert lodged.status_code == 201, lodged.text
    answer = lodged.json()
    assert (answer["status"], answer["holds"], answer["confirmation"]) == (
        "public_notice", False, "code_sent")
    assert answer["code_expires_at"]

    # The code went to the address given, in a real message.
    assert inbox.to() == "hoa.nguyen@example.vn"
    code = inbox.code()
    assert _code(laurel, nomination_id) in inbox.text()

    # It holds nothing: the nomination stays in its notice, the board has no task.
    project(laurel)
    assert laurel.nominations.status(nomination_id) == "public_notice"
    assert await status_of(http, nomination_id) == "public_notice"
    assert board_tasks(laurel, nomination_id) == []
    assert (await http.get("/tasks", headers=BOARD)).json()["items"] == []

    # The event store keeps a seal of the code, never the code; no read model keeps either.
    stored = [vars(e) for e in laurel.nominations.events.get(nomination_id)
              if type(e).__name__ == "ObjectionLodged"]
    assert len(stored) == 1 and stored[0]["confirmed"] is False
    assert stored[0]["code_digest"] and code not in json.dumps(stored, default=str)
    history = (await http.get(f"/nominations/{nomination_id}/history", headers=BOARD)).json()
    assert "code_digest" not in json.dumps(history) and code not in json.dumps(history)


async def test_confirmed_with_its_code_it_holds_the_nomination_and_opens_the_board_s_task(
    http: httpx.AsyncClient, laurel: Laurel, inbox: Inbox,
) -> None:
    nomination_id = in_public_notice(laurel)
    objection_id = (await lodge(http, laurel, nomination_id)).json()["objection_id"]
    code = inbox.code()

    confirmed = await confirm(http, nomination_id, objection_id, f" {code[:3]} {code[3:]} ")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() | {"links": None} == {
        "nomination_id": str(nomination_id), "status": "on_hold", "links": None,
        "objection_id": objection_id, "dossier_version": None, "holds": True,
        "confirmation": "confirmed", "code_expires_at": None}
    project(laurel)
    assert await status_of(http, nomination_id) == "on_hold"
    inbox_tasks = (await http.get("/tasks", headers=BOARD)).json()["items"]
    assert [(t["id"], t["kind"]) for t in inbox_tasks] == [(objection_id, "objection")]

    # Confirming again changes nothing; the board's dismissal lifts the hold.
    again = await confirm(http, nomination_id, objection_id, code)
    assert again.status_code == 200 and again.json()["status"] == "on_hold"
    resolved = await http.post(
        f"/nominations/{nomination_id}/objections/{objection_id}/resolution", headers=BOARD,
        json={"outcome": "dismissed", "note": "Đã xác minh"})
    assert resolved.json()["status"] == "public_notice"
    assert laurel.nominations.event_types(nomination_id)[-3:] == [
        "ObjectionLodged", "ObjectionConfirmed", "ObjectionResolved"]


async def test_five_wrong_codes_lock_the_objection_for_good(
    http: httpx.AsyncClient, laurel: Laurel, inbox: Inbox,
) -> None:
    nomination_id = in_public_notice(laurel)
    objection_id = (await lodge(http, laurel, nomination_id)).json()["objection_id"]
    right = inbox.code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for left in range(CODE_ATTEMPTS - 1, 0, -1):
        refused = assert_problem(await confirm(http, nomination_id, objection_id, wrong),
                                 422, "wrong-confirmation-code")
        assert f"{left} tries are left" in refused["detail"]
    vi = assert_problem(await confirm(http, nomination_id, objection_id, wrong, VI),
                        409, "confirmation-locked")
    assert vi["title"].startswith("Nhập sai mã quá số lần")
    # The right code no longer helps: it holds nothing, and each wrong code is on record.
    late = assert_problem(await confirm(http, nomination_id, objection_id, right),
                          409, "confirmation-locked")
    assert "5 wrong codes" in late["detail"]
    assert laurel.nominations.status(nomination_id) == "public_notice"
    rejected = [vars(e) for e in laurel.nominations.events.get(nomination_id)
                if type(e).__name__ == "ObjectionCodeRejected"]
    assert [(e["wrong_codes"], e["locked"]) for e in rejected] == [
        (1, False), (2, False), (3, False), (4, False), (5, True)]


async def test_an_expired_code_and_a_contact_that_is_no_e_mail_address_hold_nothing(
    http: httpx.AsyncClient, laurel: Laurel, inbox: Inbox,
) -> None:
    nomination_id = in_public_notice(laurel)
    by_phone = await lodge(http, laurel, nomination_id, contact="0909 123 456")
    assert (by_phone.json()["confirmation"], by_phone.json()["holds"]) == (
        "no_email_address", False)
    assert inbox.messages == []  # nothing to send it to
    assert_problem(await confirm(http, nomination_id, by_phone.json()["objection_id"],
                                 "123456"), 409, "confirmation-expired")

    objection_id = (await lodge(http, laurel, nomination_id)).json()["objection_id"]
    code = inbox.code()
    now = laurel.clock()
    laurel.clock = lambda: now + timedelta(minutes=31)
    expired = assert_problem(await confirm(http, nomination_id, objection_id, code),
                             409, "confirmation-expired")
    assert "expired" in expired["detail"]
    assert laurel.nominations.status(nomination_id) == "public_notice"


async def test_someone_signed_in_is_accountable_their_objection_holds_at_once(
    http: httpx.AsyncClient, laurel: Laurel, inbox: Inbox,
) -> None:
    nomination_id = in_public_notice(laurel)
    lodged = await http.post(f"/nominations/{nomination_id}/objections", headers=AUDITOR,
                             json={"text": "Hồ sơ thiếu minh chứng", "contact": "a@b.vn"})
    assert lodged.status_code == 201, lodged.text
    assert (lodged.json()["status"], lodged.json()["holds"], lodged.json()["confirmation"]) == (
        "on_hold", True, "not_needed")
    assert inbox.messages == []


async def test_objecting_to_a_nomination_you_may_not_see_is_not_found_not_a_conflict(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """The finding's existence oracle: a 409 told another unit's clerk that a nomination
    exists. One on public notice is published, so anyone signed in may object to it."""
    other_unit = token("clerk", "proposer", unit="hg.nga-bay.xa-dai-thanh")
    created = (await http.post("/nominations", headers=token(
        "c", "proposer", unit="hg.vi-thanh.phuong-1"), json={
        "award_code": "bang-khen-thu-tuong",
        "nominee": {"name": "Võ Thị Lan", "kind": "individual"}})).json()
    project(laurel)
    body = {"text": "Không đúng"}
    for nomination in (created["id"], "7d1f0c2e-0000-4000-8000-000000000000", "not-an-id"):
        assert_problem(await http.post(f"/nominations/{nomination}/objections",
                                       headers=other_unit, json=body), 404, "not-found")
    # Its own unit sees it, and is told it is not on notice.
    own = token("c2", "proposer", unit="hg.vi-thanh.phuong-1")
    assert_problem(await http.post(f"/nominations/{created['id']}/objections", headers=own,
                                   json=body), 409, "not-in-public-notice")

    on_notice = in_public_notice(laurel)
    objected = await http.post(f"/nominations/{on_notice}/objections", headers=other_unit,
                               json=body)
    assert objected.status_code == 201 and objected.json()["status"] == "on_hold"
