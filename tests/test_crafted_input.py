"""Input crafted to break a parser never answers 500: lone UTF-16 surrogates in JSON,
numbers out of any range in `version`, `as_of`, `year`, `page`, `limit` and `offset`,
an outcome no form offers. Each is a 4xx problem (or the page's own refusal), and
nothing is recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio

from infrastructure.container import Laurel
from projections.projector import Projector
from tests.support.commands import propose
from tests.support.pages import csrf_of, page_client, sign_in
from tests.support.people import person, token

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
HUGE = "9" * 30


@pytest_asyncio.fixture
async def client(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    async with page_client(laurel, [("inspector", ("auditor",), "hg"),
                                    ("secretary", ("reviewer",), UNIT)]) as http:
        yield http


async def test_crafted_input_is_refused_never_a_server_error(
    client: httpx.AsyncClient, laurel: Laurel,
) -> None:
    proposal = propose(laurel.nominations, person("proposer", UNIT), award_code="giay-khen",
                       nominee={"name": "Lê Thị Hồng", "kind": "individual"},
                       achievements="", documents=[], at=datetime(2026, 3, 2, tzinfo=UTC))
    nid, code = proposal.id, proposal.tracking_code
    task = laurel.nominations.open_review(nid, 0, datetime(2026, 3, 2, 1, tzinfo=UTC))
    assert task is not None
    Projector(laurel.engine, laurel.log).catch_up()
    before = laurel.log.last_position()
    auditor = token("a", "auditor", unit="hg")
    clerk = {**token("c", "proposer", unit=UNIT), "Content-Type": "application/json"}

    answers = [await client.post("/nominations", headers=clerk, content=body) for body in (
        b'{"award_code": "giay-khen", "nominee": {"name": "\\ud800", "kind": "individual"}}',
        b'{"award_code": "giay-khen\\udfff", "nominee": {"name": "A", "kind": "individual"}}',
        b'{"award_code": "giay-khen", "nominee": {"name": "A\\u0000", "kind": "individual"}}',
    )]
    for url in (f"/audit/nominations/{nid}?version={HUGE}", f"/audit/nominations/{nid}?version=-1",
                f"/audit/nominations/{nid}?as_of=0001-01-01T00:00:00",
                f"/audit/nominations/{nid}?as_of=9999-12-31T23:59:59%2B14:00",
                f"/audit/nominations/{nid}?as_of=99999-01-01",
                "/audit/export?from=0001-01-01&to=9999-12-31",
                f"/nominations?limit={HUGE}", f"/nominations?offset={HUGE}",
                "/nominations?offset=-1", f"/tasks?offset={HUGE}", f"/public-notices?limit={HUGE}",
                f"/nominations/{nid}%00", "/track/%F0%9F%92%A9"):
        answers.append(await client.get(url, headers=auditor))

    await sign_in(client, "inspector")
    for url in (f"/ui/dashboard?year={HUGE}", "/ui/dashboard?year=0", "/ui/dashboard?year=-3",
                f"/ui/nominations?page={HUGE}", "/ui/nominations?page=-5",
                f"/ui/audit?code={code}&version={HUGE}", f"/ui/audit?code={code}&version=-1",
                f"/ui/audit?code={code}&as_of=99999-01-01",
                f"/ui/audit?code={code}&as_of=0001-01-01T00:00",
                f"/ui/audit?code={code}&page={HUGE}", "/ui/track?code=%ED%A0%80",
                f"/ui/notices?page={HUGE}"):
        answers.append(await client.get(url))
    await sign_in(client, "secretary")
    inbox = await client.get("/ui/inbox")
    for outcome in ("award-everyone", "", "approve\u0000"):
        answers.append(await client.post("/ui/meeting/summary", data={
            "csrf": csrf_of(inbox), "task_id": task.task_id, "outcome": outcome,
            "members": "5", "present": "5", "for": "5", "against": "0", "abstain": "0"}))
    answers.append(await client.get(f"/ui/inbox?page={HUGE}"))

    errors = [(r.request.method, str(r.request.url), r.status_code) for r in answers
              if r.status_code >= 500]
    assert errors == []
    assert laurel.log.last_position() == before


async def test_a_sheet_with_a_lone_carriage_return_is_refused_not_a_server_error(
    http: httpx.AsyncClient,
) -> None:
    """Schemathesis found it: bytes whose carriage return sits alone inside a field made
    Python's CSV reader raise (a 500); the sheet is now read line end by line end, and
    one it cannot read is refused as no spreadsheet."""
    clerk = token("clerk", "proposer", unit="hg.vi-thanh.phuong-1")
    for content in (b"\xc2\x95\r,\xf0\xb8\xad\x84\x08", b'"a\rb",c\r\nx\ry'):
        response = await http.post("/people/awards/import", headers=clerk,
                                   files={"file": ("file", content)})
        assert response.status_code == 422, response.text
        assert response.json()["type"] == "/problems/unreadable-sheet"
