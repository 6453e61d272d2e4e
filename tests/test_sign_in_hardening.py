"""Signing in is slowed for whoever guesses passwords, signing out ends the session on the
server (a copy of the cookie taken before stops working), and a tracking code turns into
a nomination's internal id only for an auditor who may see it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support.commands import propose
from tests.support.pages import PASSWORD, page_client, sign_in
from tests.support.people import person

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"


async def test_guessing_a_password_is_slowed_and_said(laurel: Laurel) -> None:
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as client:
        tries = [await sign_in(client, "clerk", "not-the-password") for _ in range(6)]
        assert [t.status_code for t in tries] == [401] * 5 + [429]
        assert int(tries[-1].headers["retry-after"]) > 0
        assert "Có quá nhiều lần đăng nhập sai vào tài khoản này" in tries[-1].text
        # the right password waits its turn too: no guess gets through meanwhile
        assert (await sign_in(client, "clerk", PASSWORD)).status_code == 429


async def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(
    laurel: Laurel,
) -> None:
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as client:
        assert (await sign_in(client, "clerk")).status_code == 303
        copied = dict(client.cookies)
        assert (await client.get("/ui/nominations")).status_code == 200
        page = await client.get("/ui/nominations")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        assert (await client.post("/ui/logout", data={"csrf": csrf})).status_code == 303

        client.cookies.clear()
        client.cookies.update(copied)  # the cookie as it was before signing out
        replayed = await client.get("/ui/nominations")
        assert replayed.status_code == 303 and "/ui/login" in replayed.headers["location"]


async def test_only_an_auditor_within_reach_turns_a_tracking_code_into_its_timeline(
    laurel: Laurel,
) -> None:
    proposal = propose(laurel.nominations, person("proposer", UNIT), award_code="giay-khen",
                       nominee={"name": "Lê Thị Hồng", "kind": "individual"},
                       achievements="", documents=[], at=datetime.now(UTC))
    Projector(laurel.engine, laurel.log).catch_up()
    people = [("clerk", ("proposer",), UNIT), ("inspector", ("auditor",), "hg"),
              ("far-inspector", ("auditor",), "hg.nga-bay")]
    async with page_client(laurel, people) as client:
        lookup = f"/ui/audit?code={proposal.tracking_code}"
        await sign_in(client, "inspector")
        found = await client.get(lookup)
        assert found.status_code == 303 and found.headers["location"].endswith(
            str(proposal.id))
        await sign_in(client, "far-inspector")
        assert str(proposal.id) not in (await client.get(lookup)).text
        await sign_in(client, "clerk")
        refused = await client.get(lookup)
        assert refused.status_code == 403 and str(proposal.id) not in refused.text
