"""The work inside the province before its council on the running system — Temporal's
time-skipping test server, the worker, the relay, the API over HTTP and both stores —:
the agencies consulted (one lets its ten working days lapse), two specialists claiming the
file at once (one wins, the other 409), the appraisal proposing a lower form, sent back by
the head and signed off, then the council, the public notice and the decision granting
the lower form. Each step an event, each wait a timer; people act over HTTP only."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from api.app import create_app
from domain.actor import Actor
from domain.nomination import Nomination
from tests.support.commands import propose
from tests.support.nominations import day_in_vietnam, project
from tests.support.people import token
from tests.support.problems import assert_problem
from tests.test_workflow import DEPARTMENT, PROVINCE, Harness, harness, skipping  # noqa: F401

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def level(harness: Harness) -> Harness:  # noqa: F811 - test_workflow's, by another name
    return harness


@pytest_asyncio.fixture
async def api(level: Harness) -> AsyncIterator[httpx.AsyncClient]:
    """The API on the harness's stores: people act through it, as they do in production."""
    app = create_app(laurel=level.laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as client:
            yield client


AWARD = "huan-chuong-lao-dong-hang-ba"
AGENCIES = ["cuc-thue", "bhxh", "cong-an", "so-tnmt", "ban-to-chuc-tinh-uy"]
ROSTER_FOR = {"present": 9, "for": 9, "against": 0, "abstain": 0}
SPECIALIST = token("chuyenvien.tinh", "reviewer", unit=PROVINCE)
ANOTHER_SPECIALIST = token("chuyenvien2.tinh", "reviewer", unit=PROVINCE)
HEAD = token("truongban.tinh", "reviewer", unit=PROVINCE)
SECRETARY = token("hoidong.tinh", "reviewer", unit=PROVINCE)
CHAIR = token("chutich.tinh", "decider", unit=PROVINCE)
LOWER = {"conclusion": "lower_form", "lower_award": "bang-khen-thu-tuong",
         "documents_complete": True, "checks": [{"rule": "no_disqualifier", "confirmed": True}],
         "note": "Thành tích phù hợp Bằng khen của Thủ tướng"}


async def opened(level: Harness, nomination_id: uuid.UUID,
                 event: type[Nomination.Event]) -> Any:
    """Wait (in skipped time) until the workflow has recorded ``event``; the read models
    then show it to the people's inbox."""
    for _ in range(300):
        found = [e for e in level.app.events.get(nomination_id) if isinstance(e, event)]
        if found:
            project(level.laurel)
            return found[-1]
        await level.env.sleep(timedelta(milliseconds=20))
    raise AssertionError(f"the workflow recorded no {event.__name__}")


async def post(api: httpx.AsyncClient, level: Harness, path: str, who: dict[str, str],
               body: dict[str, Any], status: int = 200) -> httpx.Response:
    """A person's command; the relay passes what it recorded on to the workflow."""
    answer = await api.post(path, headers=who, json=body)
    assert answer.status_code == status, answer.text
    await level.relay_everything()
    return answer


async def at_the_province(level: Harness) -> uuid.UUID:
    nomination_id = propose(
        level.app, Actor("proposer@dept", frozenset({"proposer"}), DEPARTMENT),
        award_code=AWARD, nominee={"name": "Lê Văn Tám", "kind": "individual"},
        achievements="", documents=[], at=level.laurel.clock()).id
    await level.relay_everything()
    await level.review(nomination_id)  # the department's council
    return nomination_id


async def test_an_agency_that_does_not_answer_lapses_and_the_council_opens_after_the_appraisal(
    level: Harness, api: httpx.AsyncClient,
) -> None:
    nomination_id = await at_the_province(level)
    consultation = await opened(level, nomination_id, Nomination.ConsultationOpened)
    assert [a["code"] for a in consultation.agencies] == AGENCIES
    assert consultation.due_at - consultation.timestamp >= timedelta(days=14)  # 10 working
    inbox = (await api.get("/tasks", headers=SECRETARY)).json()["items"]
    assert [(t["kind"], t["id"]) for t in inbox] == [("consultation", consultation.task_id)]

    task = consultation.task_id
    for agency in AGENCIES:
        if agency != "cong-an":
            await post(api, level, f"/tasks/{task}/consultations/{agency}", SECRETARY,
                       {"answer": "agrees", "note": "Không có ý kiến khác"})
    again = await api.post(f"/tasks/{task}/consultations/bhxh", headers=SECRETARY,
                           json={"answer": "objects"})
    assert_problem(again, 422, "unknown-agency")  # answered already
    await level.env.sleep(timedelta(days=5))  # the police still have time
    assert "ConsultationLapsed" not in level.events(nomination_id)
    assert "AppraisalOpened" not in level.events(nomination_id)

    await level.until(consultation.due_at)
    lapsed = await opened(level, nomination_id, Nomination.ConsultationLapsed)
    assert lapsed.agencies == ["cong-an"] and lapsed.settled
    appraisal = await opened(level, nomination_id, Nomination.AppraisalOpened)
    assert level.events(nomination_id)[-2:] == ["ConsultationLapsed", "AppraisalOpened"]
    file = appraisal.task_id

    # Two specialists claim the file at once: one holds it, the other is told who does.
    claims = await asyncio.gather(*(api.post(f"/tasks/{file}/assign", headers=who, json={})
                                    for who in (SPECIALIST, ANOTHER_SPECIALIST)))
    assert sorted(c.status_code for c in claims) == [200, 409]
    winner = next(c for c in claims if c.status_code == 200).json()["assignee"]
    loser = ANOTHER_SPECIALIST if winner == "chuyenvien.tinh" else SPECIALIST
    holder = SPECIALIST if loser is ANOTHER_SPECIALIST else ANOTHER_SPECIALIST
    refused = await api.post(f"/tasks/{file}/appraisal", headers=loser, json=LOWER)
    assert winner in assert_problem(refused, 409, "task-already-claimed")["detail"]
    not_lower = await api.post(f"/tasks/{file}/appraisal", headers=holder,
                               json={**LOWER, "lower_award": "giay-khen"})
    assert_problem(not_lower, 422, "not-a-lower-form")
    await post(api, level, f"/tasks/{file}/appraisal", holder, LOWER)
    own = await api.post(f"/tasks/{file}/sign-off", headers=holder, json={"agreed": True})
    assert_problem(own, 403, "wrong-role")  # no one signs their own appraisal off
    await post(api, level, f"/tasks/{file}/sign-off", HEAD,
               {"agreed": False, "note": "Ghi rõ số liệu"})  # sent back
    await post(api, level, f"/tasks/{file}/appraisal", holder, LOWER)
    await post(api, level, f"/tasks/{file}/sign-off", HEAD, {"agreed": True, "note": "Đồng ý"})

    council = await level.open_task(nomination_id)
    assert council.unit_id == PROVINCE
    assert level.events(nomination_id)[-2:] == ["AppraisalSignedOff", "ReviewOpened"]
    assert level.events(nomination_id).count("Forwarded") == 1
    project(level.laurel)
    await post(api, level, f"/tasks/{council.task_id}/review", SECRETARY,
               {"outcome": "approve", "votes": ROSTER_FOR})  # the roster's nine members

    await level.env.sleep(timedelta(days=8))  # the public notice passes
    decision = await opened(level, nomination_id, Nomination.DecisionOpened)
    await post(api, level, f"/tasks/{decision.task_id}/decision", CHAIR, {
        "outcome": "awarded", "decision_number": "123/QĐ-CTN",
        "decision_date": day_in_vietnam(), "signer": "Chủ tịch nước",
        "granted_award": "bang-khen-thu-tuong"})
    project(level.laurel)
    shown = (await api.get(f"/nominations/{nomination_id}", headers=SECRETARY)).json()
    assert shown["status"] == "awarded" and shown["granted_award"] == "bang-khen-thu-tuong"
    assert shown["appraisal"]["conclusion"] == "lower_form"
    assert shown["appraisal"]["by"] == winner
    assert shown["appraisal"]["signed_off_by"] == "truongban.tinh"
    assert {a["code"]: a["answer"] for a in shown["consultation"]["agencies"]}[
        "cong-an"] == "lapsed"
