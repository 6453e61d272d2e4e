"""Tasks held by named people, over HTTP on both backends: a claim, a claim race with one
winner, the head's reassignment recorded from whom to whom, the inbox filtered by who
holds what (and shown on the page), a delegation while its delegator is on leave, and in
the pages the head's assignment and a delegation until a day, which ends with it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import httpx

from domain.nomination import DEFAULT_ZONE
from infrastructure.container import Laurel
from tests.support.nominations import UNIT, nomination_with_open_review, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

AN = token("an", "reviewer", unit=UNIT)
BINH = token("binh", "reviewer", unit=UNIT)
HEAD = token("chu-tich", "decider", unit=UNIT)
RETURN_TALLY = {"members": 5, "present": 5, "for": 1, "against": 4, "abstain": 0}


async def history_of(http: httpx.AsyncClient, laurel: Laurel,
                     nomination_id: str) -> list[dict]:
    project(laurel)
    found = await http.get(f"/nominations/{nomination_id}/history", headers=AN)
    assert found.status_code == 200, found.text
    return list(found.json()["items"])


async def test_a_claim_race_has_one_winner_and_one_409(http: httpx.AsyncClient,
                                                       laurel: Laurel) -> None:
    nomination = await nomination_with_open_review(http, laurel)
    task = nomination["task_id"]
    first, second = await asyncio.gather(
        http.post(f"/tasks/{task}/assign", json={}, headers=AN),
        http.post(f"/tasks/{task}/assign", json={"assignee": "binh"}, headers=BINH))
    assert sorted([first.status_code, second.status_code]) == [200, 409], (first.text,
                                                                           second.text)
    winner, loser = ("an", second) if first.status_code == 200 else ("binh", first)
    refused = assert_problem(loser, 409, "task-already-claimed")
    assert winner in refused["detail"] and "since" in refused["detail"]
    project(laurel)
    shown = (await http.get(f"/tasks/{task}", headers=AN)).json()
    assert shown["assignee"] == winner and shown["assigned_at"]
    claims = [h for h in await history_of(http, laurel, nomination["id"])
              if h["type"] == "TaskClaimed"]
    assert [(h["actor"], h["data"]["assignee"]) for h in claims] == [(winner, winner)]
    # the holder again: no change; a claim in Vietnamese names the holder too
    again = await http.post(f"/tasks/{task}/assign", json={"assignee": None},
                            headers=AN if winner == "an" else BINH)
    assert again.status_code == 200, again.text
    other = BINH if winner == "an" else AN
    vi = await http.post(f"/tasks/{task}/assign", json={}, headers={**other,
                                                                    "Accept-Language": "vi"})
    assert f"{winner} đang giữ việc này từ" in assert_problem(vi, 409, "task-already-claimed")[
        "detail"]


async def test_the_head_reassigns_and_the_history_says_from_whom(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await nomination_with_open_review(http, laurel)
    task = nomination["task_id"]
    assert (await http.post(f"/tasks/{task}/assign", json={}, headers=AN)).status_code == 200
    # a reviewer does not give a task to someone else
    assert_problem(await http.post(f"/tasks/{task}/assign", json={"assignee": "binh"},
                                   headers=BINH), 409, "task-already-claimed")
    assert_problem(await http.post(f"/tasks/{task}/assign", json={"assignee": "chi"},
                                   headers=AN), 403, "wrong-role")
    moved = await http.post(f"/tasks/{task}/assign", json={"assignee": "binh"}, headers=HEAD)
    assert moved.status_code == 200, moved.text
    assert moved.json()["assignee"] == "binh"
    assigned = [h for h in await history_of(http, laurel, nomination["id"])
                if h["type"] == "TaskAssigned"]
    assert [(h["actor"], h["actor_role"], h["data"]["previous"], h["data"]["assignee"])
            for h in assigned] == [("chu-tich", "decider", "an", "binh")]
    project(laurel)
    mine = (await http.get("/tasks", params={"assignee": "me"}, headers=BINH)).json()
    assert [t["id"] for t in mine["items"]] == [task] and mine["total"] == 1
    assert (await http.get("/tasks", params={"assignee": "me"}, headers=AN)).json()[
        "total"] == 0
    by_id = (await http.get("/tasks", params={"assignee": "binh"}, headers=AN)).json()
    assert [t["id"] for t in by_id["items"]] == [task]
    assert (await http.get("/tasks", params={"assignee": "none"}, headers=AN)).json()[
        "total"] == 0


async def test_the_inbox_filters_by_holder_and_the_page_shows_who_holds_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    held = await nomination_with_open_review(http, laurel)
    free = await nomination_with_open_review(http, laurel)
    assert (await http.post(f"/tasks/{held['task_id']}/assign", json={},
                            headers=AN)).status_code == 200
    project(laurel)
    mine = (await http.get("/tasks", params={"assignee": "me"}, headers=AN)).json()
    assert [t["id"] for t in mine["items"]] == [held["task_id"]]
    nobody = (await http.get("/tasks", params={"assignee": "none"}, headers=AN)).json()
    assert [t["id"] for t in nobody["items"]] == [free["task_id"]]
    everyone = (await http.get("/tasks", headers=AN)).json()
    assert {t["id"]: t["assignee"] for t in everyone["items"]} == {
        held["task_id"]: "an", free["task_id"]: None}
    async with page_client(laurel, [("an", ("reviewer",), UNIT)]) as pages:
        await sign_in(pages, "an")
        page = await pages.get("/ui/inbox")
        assert page.status_code == 200
        assert "Người an giữ từ hôm nay" in text_of(page)
        assert "Chưa ai nhận" in text_of(page)
        filtered = await pages.get("/ui/inbox", params={"assignee": "me"})
        assert "Người an giữ từ hôm nay" in text_of(filtered)
        assert "Chưa ai nhận Nhận việc" not in text_of(filtered)


async def test_a_delegate_sees_and_acts_for_the_delegator_on_leave(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await nomination_with_open_review(http, laurel)
    task = nomination["task_id"]
    assert (await http.post(f"/tasks/{task}/assign", json={}, headers=AN)).status_code == 200
    until = (datetime.now(UTC) + timedelta(days=14)).isoformat()
    assert_problem(await http.post("/delegations", json={"to": "an", "until": until},
                                   headers=AN), 422, "invalid-delegation")
    assert_problem(await http.post("/delegations", json={"to": "binh", "until": until},
                                   headers=token("clerk", "proposer", unit=UNIT)),
                   403, "wrong-role")
    delegated = await http.post("/delegations", json={"to": "binh", "until": until}, headers=AN)
    assert delegated.status_code == 200, delegated.text
    assert delegated.json()["delegator"] == "an" and delegated.json()["delegate"] == "binh"
    project(laurel)
    mine = (await http.get("/tasks", params={"assignee": "me"}, headers=BINH)).json()
    assert [(t["id"], t["assignee"]) for t in mine["items"]] == [(task, "an")]
    # someone else's claim is still refused: the delegate acts, the task stays An's
    reviewed = await http.post(f"/tasks/{task}/review", headers=BINH, json={
        "outcome": "return", "votes": RETURN_TALLY, "note": "Bổ sung bản sao quyết định",
        "return_reason": "missing-document"})
    assert reviewed.status_code == 200, reviewed.text
    review = next(h for h in await history_of(http, laurel, nomination["id"])
                  if h["type"] == "ReviewedByCouncil")
    assert review["actor"] == "binh" and review["data"]["on_behalf_of"] == "an"
    # the head gives An's tasks to Chi instead: the later delegation replaces the first
    other = await nomination_with_open_review(http, laurel)
    head_gives = await http.post("/delegations", headers=HEAD, json={
        "from": "an", "to": "chi", "until": (datetime.now(UTC) + timedelta(days=1)).isoformat()})
    assert head_gives.status_code == 200, head_gives.text
    assert (await http.post(f"/tasks/{other['task_id']}/assign", json={},
                            headers=AN)).status_code == 200
    project(laurel)
    chi = token("chi", "reviewer", unit=UNIT)
    assert [t["id"] for t in (await http.get("/tasks", params={"assignee": "me"},
                                             headers=chi)).json()["items"]] == [other["task_id"]]
    assert [t["id"] for t in (await http.get("/tasks", params={"assignee": "me"},
                                             headers=BINH)).json()["items"]] == []


async def test_in_the_pages_the_head_assigns_and_a_reviewer_delegates_until_a_day(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await nomination_with_open_review(http, laurel)
    task = nomination["task_id"]
    people = [("chu-tich", ("decider", "reviewer"), UNIT), ("an", ("reviewer",), UNIT),
              ("binh", ("reviewer",), UNIT)]
    async with page_client(laurel, people) as pages:
        await sign_in(pages, "chu-tich")
        inbox = await pages.get("/ui/inbox")
        assert "Giao cho" in text_of(inbox)
        given = await pages.post(f"/ui/tasks/{task}/assign", data={
            "csrf": csrf_of(inbox), f"assignee-{task}": "an"}, follow_redirects=True)
        assert "Đã giao việc cho Người an" in text_of(given)
        project(laurel)
        assert (await http.get("/tasks", params={"assignee": "me"}, headers=AN)).json()[
            "total"] == 1
    async with page_client(laurel, []) as pages:
        await sign_in(pages, "an")
        inbox = await pages.get("/ui/inbox")
        assert "Giao cho" not in text_of(inbox)  # a reviewer claims, never gives
        assert "Không có ủy quyền nào đang có hiệu lực" in text_of(inbox)
        last_day = (laurel.clock() + timedelta(days=3)).astimezone(DEFAULT_ZONE).date()
        recorded = await pages.post("/ui/delegations", data={
            "csrf": csrf_of(inbox), "delegate": "binh", "until": last_day.isoformat(),
            "key": "delegation-1"}, follow_redirects=True)
        assert (f"Đã ghi nhận: Người an ủy quyền cho Người binh đến hết ngày "
                f"{last_day:%d/%m/%Y}") in text_of(recorded)
        assert "Người an ủy quyền cho Người binh đến" in text_of(recorded)
    project(laurel)
    mine = (await http.get("/tasks", params={"assignee": "me"}, headers=BINH)).json()
    assert [(t["id"], t["assignee"]) for t in mine["items"]] == [(task, "an")]
    # The delegation ends with its last day, in Vietnam's time: Binh no longer sees it.
    ended = datetime.combine(last_day + timedelta(days=1), time(), DEFAULT_ZONE)
    laurel.clock = lambda: ended
    assert (await http.get("/tasks", params={"assignee": "me"}, headers=BINH)).json()[
        "total"] == 0
    laurel.clock = lambda: ended - timedelta(seconds=1)
    assert (await http.get("/tasks", params={"assignee": "me"}, headers=BINH)).json()[
        "total"] == 1
