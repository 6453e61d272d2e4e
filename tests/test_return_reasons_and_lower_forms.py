"""A council's return names a reason from the policy's catalogue, shown to the proposer
(JSON, dossier page, tracking page) in Vietnamese; a decider grants a lower form than the
one proposed, and the nomination, the person's history and the year's figures count the
form granted. Over HTTP, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx

from api.reads import dashboard
from domain.actor import Actor
from infrastructure.container import Laurel
from tests.support.nominations import (
    PROPOSER,
    TALLY,
    UNIT,
    at_council,
    day_in_vietnam,
    project,
)
from tests.support.pages import page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

RETURN_TALLY = {"members": 5, "present": 5, "for": 1, "against": 4, "abstain": 0}
VI = {"Accept-Language": "vi"}
HOA = {"name": "Nguyễn Thị Hoa", "national_id": "093185001234", "birth_date": "1985-04-12",
       "gender": "female", "position": "Giáo viên"}


async def proposed(http: httpx.AsyncClient, laurel: Laurel) -> dict[str, Any]:
    person = await http.post("/people", json=HOA, headers=PROPOSER)
    assert person.status_code == 201, person.text
    created = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "bang-khen-tinh", "nominee": {"person_id": person.json()["id"]}})
    assert created.status_code in (200, 201), created.text
    return {**created.json(), "person_id": person.json()["id"]}


def open_review(laurel: Laurel, nomination_id: str, step: int) -> str:
    task = laurel.nominations.open_review(UUID(nomination_id), step, datetime.now(UTC))
    assert task is not None
    project(laurel)
    return task.task_id


async def test_a_return_names_its_reason_to_the_proposer_in_vietnamese(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await proposed(http, laurel)
    task = open_review(laurel, nomination["id"], 0)
    council = token("thu-ky", "reviewer", unit=UNIT)
    unknown = await http.post(f"/tasks/{task}/review", headers={**council, **VI}, json={
        "outcome": "return", "votes": RETURN_TALLY, "note": "", "return_reason": "no-such"})
    assert "no-such" in assert_problem(unknown, 422, "unknown-return-reason")["detail"]
    with_approval = await http.post(f"/tasks/{task}/review", headers=council, json={
        "outcome": "approve", "votes": TALLY, "return_reason": "missing-document"})
    assert_problem(with_approval, 422, "unknown-return-reason")
    returned = await http.post(f"/tasks/{task}/review", headers=council, json={
        "outcome": "return", "votes": RETURN_TALLY, "note": "Thiếu biên bản họp xét",
        "return_reason": "missing-document"})
    assert returned.status_code == 200, returned.text
    project(laurel)

    shown = (await http.get(f"/nominations/{nomination['id']}", headers=PROPOSER)).json()
    assert shown["status"] == "returned" and shown["return_reason"] == "missing-document"
    assert shown["return_reason_label"] == {"vi": "Thiếu tài liệu trong hồ sơ",
                                            "en": "A document is missing"}
    history = (await http.get(f"/nominations/{nomination['id']}/history",
                              headers=PROPOSER)).json()["items"]
    review = next(h for h in history if h["type"] == "ReviewedByCouncil")
    assert review["data"]["return_reason"] == "missing-document"
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as pages:
        await sign_in(pages, "clerk")
        dossier = text_of(await pages.get(f"/ui/nominations/{nomination['id']}"))
        assert "Lý do trả lại" in dossier
        assert "Thiếu tài liệu trong hồ sơ. Thiếu biên bản họp xét" in dossier
        tracking = text_of(await pages.get("/ui/track", params={
            "code": nomination["tracking_code"]}))
        assert "Thiếu tài liệu trong hồ sơ. Thiếu biên bản họp xét" in tracking


async def test_a_decider_grants_a_lower_form_counted_as_granted(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await proposed(http, laurel)
    route = laurel.policy.plan_route("bang-khen-tinh", UNIT, "individual")
    for step, level in enumerate(route.reviews):
        task = open_review(laurel, nomination["id"], step)
        approved = await http.post(f"/tasks/{task}/review", json={
            "outcome": "approve", "votes": at_council(laurel, level.unit_id, TALLY)},
            headers=token("thu-ky", "reviewer", unit=level.unit_id))
        assert approved.status_code == 200, approved.text
    opened = laurel.nominations.open_decision(UUID(nomination["id"]), datetime.now(UTC))
    assert opened is not None
    project(laurel)
    decider = token("chu-tich", "decider", unit=route.decision.unit_id)
    decision = {"outcome": "awarded", "decision_number": "41/QĐ-UBND",
                "decision_date": day_in_vietnam(), "signer": "Chủ tịch UBND tỉnh"}
    higher = await http.post(f"/tasks/{opened.task_id}/decision", headers=decider,
                             json={**decision, "granted_award": "co-thi-dua-tinh"})
    assert_problem(higher, 422, "not-a-lower-form")
    refused = await http.post(f"/tasks/{opened.task_id}/decision", headers=decider, json={
        **decision, "outcome": "not_awarded", "granted_award": "giay-khen"})
    assert_problem(refused, 422, "not-a-lower-form")
    granted = await http.post(f"/tasks/{opened.task_id}/decision", headers=decider,
                              json={**decision, "granted_award": "giay-khen"})
    assert granted.status_code == 200, granted.text
    project(laurel)

    shown = (await http.get(f"/nominations/{nomination['id']}", headers=PROPOSER)).json()
    assert shown["status"] == "awarded" and shown["award_code"] == "bang-khen-tinh"
    assert shown["granted_award"] == "giay-khen"
    assert shown["granted_award_name"]["vi"] == "Giấy khen"
    history = (await http.get(f"/nominations/{nomination['id']}/history",
                              headers=PROPOSER)).json()["items"]
    assert next(h for h in history if h["type"] == "Decided")["data"][
        "granted_award"] == "giay-khen"
    awards = (await http.get(f"/people/{nomination['person_id']}/awards",
                             headers=PROPOSER)).json()["items"]
    assert [(a["award_code"], a["decision_number"]) for a in awards] == [
        ("giay-khen", "41/QĐ-UBND")]
    province = Actor("thong-ke", frozenset({"auditor"}), "hg")
    with laurel.engine.connect() as conn:
        figures = dashboard.year_figures(conn, laurel, province, int(day_in_vietnam()[:4]))
    assert figures.by_award["giay-khen"] == 1 and figures.by_award["bang-khen-tinh"] == 0
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as pages:
        await sign_in(pages, "clerk")
        dossier = text_of(await pages.get(f"/ui/nominations/{nomination['id']}"))
        assert "Hình thức được khen thưởng (thấp hơn đề nghị) Giấy khen" in dossier


async def test_a_meeting_returns_a_list_with_reasons(http: httpx.AsyncClient,
                                                     laurel: Laurel) -> None:
    first = await proposed(http, laurel)
    second_person = await http.post("/people", headers=PROPOSER, json={
        **HOA, "name": "Trần Văn Nam", "national_id": "093090004567", "gender": "male",
        "birth_date": "1990-01-20"})
    assert second_person.status_code == 201, second_person.text
    second = (await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "bang-khen-tinh",
        "nominee": {"person_id": second_person.json()["id"]}})).json()
    tasks = [open_review(laurel, n["id"], 0) for n in (first, second)]
    council = token("thu-ky", "reviewer", unit=UNIT)
    items = [{"task_id": tasks[0], "outcome": "return", "votes": RETURN_TALLY,
              "return_reason": "criteria-not-met"},
             {"task_id": tasks[1], "outcome": "return", "votes": RETURN_TALLY,
              "return_reason": "wrong-form", "note": "Đề nghị Giấy khen"}]
    unknown = await http.post("/tasks/bulk-review", headers=council, json={"items": [
        items[0], {**items[1], "return_reason": "late"}]})
    assert_problem(unknown, 422, "unknown-return-reason")
    recorded = await http.post("/tasks/bulk-review", headers=council, json={"items": items})
    assert recorded.status_code == 200, recorded.text
    project(laurel)
    reasons = [(await http.get(f"/nominations/{n['id']}", headers={**PROPOSER, **VI})).json()[
        "return_reason_label"]["vi"] for n in (first, second)]
    assert reasons == ["Chưa đủ tiêu chuẩn khen thưởng", "Đề nghị sai hình thức khen thưởng"]
