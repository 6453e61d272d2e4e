"""On the running system (real Temporal, relay, projector, API): the notifier running
beside them tells the unit's reviewer of the task the workflow opened, and the proposer
of the return the council recorded, each once, by e-mail and in the pages."""

from __future__ import annotations

import asyncio
import contextlib
from email.message import EmailMessage

import pytest

from api.web.accounts import Accounts
from infrastructure.container import Laurel
from tests.support.journey import UNIT, propose, reviewer
from tests.support.mail import smtp_server
from tests.support.notifier import PASSWORD, in_app, notifier
from tests.support.running import RunningSystem, eventually

pytestmark = pytest.mark.asyncio


async def test_the_running_system_tells_the_reviewer_then_the_proposer(
        system: RunningSystem) -> None:
    laurel = system.laurel
    accounts = Accounts(laurel.settings.data_dir / "accounts.json")
    accounts.add(f"secretary-{UNIT}", PASSWORD, "Thư ký Hội đồng Phường 1", ("reviewer",),
                 UNIT, email="hoidong@phuong1.test")
    accounts.add("clerk-phuong-1", PASSWORD, "Văn thư Phường 1", ("proposer",), UNIT,
                 email="vanthu@phuong1.test")
    with smtp_server() as inbox:
        stop = asyncio.Event()
        running = asyncio.create_task(notifier(laurel, inbox.port).run(stop))
        try:
            nomination_id = await propose(system)

            async def told(address: str, words: str) -> list[EmailMessage]:
                return [m for m in inbox.messages
                        if address in str(m["To"]) and words in str(m["Subject"])]

            await eventually(lambda: told("hoidong@phuong1.test", "Nhiệm vụ mới"))
            task = await system.open_task(reviewer(UNIT))
            returned = await system.http.post(
                f"/tasks/{task['id']}/review", headers=reviewer(UNIT),
                json={"outcome": "return", "note": "Thiếu biên bản họp",
                      "votes": {"members": 5, "present": 5, "for": 1, "against": 4,
                                "abstain": 0}})
            assert returned.status_code == 200, returned.text
            (mail,) = await eventually(lambda: told("vanthu@phuong1.test", "trả lại"))
            body = mail.get_body(("plain",))
            assert body is not None and "Thiếu biên bản họp" in str(body.get_content())
            await asyncio.sleep(0.5)  # nothing more comes
            assert len(await told("vanthu@phuong1.test", "trả lại")) == 1
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(running, 10)
    rows = await eventually(lambda: _rows(laurel, "clerk-phuong-1"))
    assert [r["kind"] for r in rows] == ["returned"]
    assert str(rows[0]["nomination_id"]) == nomination_id


async def _rows(laurel: Laurel, who: str) -> list[dict[str, object]]:
    return in_app(laurel, who)
