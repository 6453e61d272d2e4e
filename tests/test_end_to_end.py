"""A nomination travels unit → district → province → decided, through HTTP, on real
components: the event store, Temporal, the relay, the projector and the API."""

from __future__ import annotations

from typing import Any

from tests.support.nominations import day_in_vietnam
from tests.support.people import token
from tests.support.running import RunningSystem, eventually

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
PROPOSER = token("clerk-phuong-1", "proposer", unit=UNIT)
AUDITOR = token("inspector", "auditor", unit=PROVINCE)
TALLY = {"members": 9, "present": 8, "for": 7, "against": 1, "abstain": 0}
AGAINST = {"members": 9, "present": 8, "for": 2, "against": 6, "abstain": 0}


async def propose(system: RunningSystem, **overrides: Any) -> dict[str, Any]:
    body = {
        "award_code": "bang-khen-tinh",
        "nominee": {"name": "Nguyễn Thị Hoa", "kind": "individual", "direct_worker": True},
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
        "documents": [{"title": "Tờ trình số 12/TTr-UBND", "kind": "proposal"}],
        **overrides,
    }
    response = await system.http.post("/nominations", json=body, headers=PROPOSER)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/nominations/{response.json()['id']}"
    return dict(response.json())


async def review_at(system: RunningSystem, unit: str, outcome: str = "approve") -> dict[str, Any]:
    reviewer = token(f"secretary-{unit}", "reviewer", unit=unit)
    task = await system.open_task(reviewer)
    assert task["kind"] == "review" and task["unit_id"] == unit
    response = await system.http.post(
        f"/tasks/{task['id']}/review",
        json={"outcome": outcome, "votes": TALLY if outcome == "approve" else AGAINST,
              "note": "Biên bản họp Hội đồng"},
        headers=reviewer,
    )
    assert response.status_code == 200, response.text
    return task


async def test_a_nomination_is_reviewed_at_each_level_and_decided(system: RunningSystem) -> None:
    created = await propose(system)
    nomination = f"/nominations/{created['id']}"

    for unit in (UNIT, DISTRICT, PROVINCE):
        await review_at(system, unit)

    decider = token("chairman", "decider", unit=PROVINCE)
    decision_task = await system.open_task(decider)
    assert decision_task["kind"] == "decision"
    response = await system.http.post(
        f"/tasks/{decision_task['id']}/decision",
        json={"outcome": "awarded", "decision_number": "1234/QĐ-UBND",
              "decision_date": day_in_vietnam(system.laurel.clock()),
              "signer": "Chủ tịch UBND tỉnh Hậu Giang"},
        headers=decider,
    )
    assert response.status_code == 200, response.text

    async def decided() -> dict[str, Any] | None:
        body = (await system.http.get(nomination, headers=PROPOSER)).json()
        return body if body["status"] == "awarded" else None

    status = await eventually(decided)
    assert status["decision"]["number"] == "1234/QĐ-UBND"
    assert status["open_task_id"] is None
    assert status["status_label"] == {"vi": "Đã khen thưởng", "en": "Awarded"}

    history = (await system.http.get(f"{nomination}/history", headers=AUDITOR)).json()["items"]
    assert [h["type"] for h in history] == [
        "Proposed",
        "ReviewOpened", "ReviewedByCouncil", "Forwarded",
        "ReviewOpened", "ReviewedByCouncil", "Forwarded",
        "ReviewOpened", "ReviewedByCouncil",
        "DecisionOpened", "Decided",
    ]
    assert [h["version"] for h in history] == list(range(1, 12))
    assert [h["level"] for h in history if h["type"] == "ReviewedByCouncil"] == [
        "unit", "district", "province"]
    assert history[0]["actor"] == "clerk-phuong-1" and history[0]["actor_role"] == "proposer"
    assert history[-1]["actor"] == "chairman" and history[-1]["actor_role"] == "decider"
    assert history[2]["data"]["votes"] == TALLY

    for unit, role in ((UNIT, "reviewer"), (PROVINCE, "reviewer"), (PROVINCE, "decider")):
        inbox = (await system.http.get("/tasks", headers=token("x", role, unit=unit))).json()
        assert inbox["items"] == [] and inbox["total"] == 0

    tracking = (await system.http.get(f"/track/{created['tracking_code']}")).json()
    assert tracking["status"] == "awarded"
    assert tracking["nominee_name"] == "Nguyễn Thị Hoa"
    assert len(tracking["timeline"]) == 11
    assert "clerk-phuong-1" not in str(tracking) and "votes" not in str(tracking)
    assert "Biên bản họp Hội đồng" not in str(tracking)  # the council's notes stay inside


async def test_a_council_rejection_ends_the_journey_at_that_level(system: RunningSystem) -> None:
    created = await propose(system)
    await review_at(system, UNIT)
    await review_at(system, DISTRICT, outcome="reject")

    async def rejected() -> dict[str, Any] | None:
        body = (await system.http.get(f"/nominations/{created['id']}", headers=PROPOSER)).json()
        return body if body["status"] == "rejected" else None

    status = await eventually(rejected)
    assert status["current_level"] == "district"
    province_inbox = (await system.http.get(
        "/tasks", headers=token("s", "reviewer", unit=PROVINCE))).json()
    assert province_inbox["total"] == 0
