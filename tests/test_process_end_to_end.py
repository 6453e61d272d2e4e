"""The whole commendation process through HTTP on real components: a return and a
resubmission, a withdrawal, a council meeting deciding a list of 50, a state-level award
through public notice to central, and the district level removed while one is in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import BUNDLED_POLICY, Settings
from laurel.supervisor import find_executable
from projections.schema import prepare_read_models
from tests.support.mail import code_in, outbox
from tests.support.nominations import day_in_vietnam
from tests.support.people import token
from tests.support.running import RunningSystem, eventually, running_system

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
PROPOSER = token("clerk", "proposer", unit=UNIT)
FOR = {"members": 9, "present": 8, "for": 7, "against": 1, "abstain": 0}
AGAINST = {"members": 9, "present": 8, "for": 3, "against": 5, "abstain": 0}
REFORM_POLICY = BUNDLED_POLICY.with_name("reform-2025.yaml")


def nominee(name: str = "Huỳnh Thị Mai") -> dict[str, Any]:
    return {"name": name, "kind": "individual", "direct_worker": True}


async def propose(system: RunningSystem, award: str = "bang-khen-tinh",
                  headers: dict[str, str] = PROPOSER) -> dict[str, Any]:
    response = await system.http.post("/nominations", headers=headers, json={
        "award_code": award, "nominee": nominee(),
        "documents": [{"title": "Báo cáo thành tích", "kind": "achievement_report"}]})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def review(system: RunningSystem, unit: str, outcome: str = "approve",
                 note: str = "") -> dict[str, Any]:
    reviewer = token(f"secretary@{unit}", "reviewer", unit=unit)
    task = await system.open_task(reviewer)
    response = await system.http.post(f"/tasks/{task['id']}/review", headers=reviewer, json={
        "outcome": outcome, "votes": FOR if outcome == "approve" else AGAINST, "note": note})
    assert response.status_code == 200, response.text

    async def gone() -> bool:  # the inbox has caught up with the review
        inbox = (await system.http.get("/tasks?limit=200", headers=reviewer)).json()
        return task["id"] not in [t["id"] for t in inbox["items"]]

    await eventually(gone)
    return task


async def status_becomes(system: RunningSystem, nomination_id: str, status: str,
                         headers: dict[str, str] = PROPOSER) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body = (await system.http.get(f"/nominations/{nomination_id}", headers=headers)).json()
        return body if body.get("status") == status else None

    return await eventually(probe)


async def history(system: RunningSystem, nomination_id: str) -> list[str]:
    auditor = token("inspector", "auditor", unit=PROVINCE)
    items = (await system.http.get(f"/nominations/{nomination_id}/history",
                                   headers=auditor)).json()["items"]
    return [h["type"] for h in items]


async def test_a_returned_nomination_is_supplemented_and_resubmitted(
    system: RunningSystem,
) -> None:
    created = await propose(system)
    await review(system, UNIT)
    returned = await review(system, DISTRICT, "return", note="Thiếu biên bản họp")
    status = await status_becomes(system, created["id"], "returned")
    assert status["current_level"] == "district" and status["dossier_version"] == 1

    supplement = {"documents": [{"title": "Biên bản họp bổ sung", "kind": "meeting_minutes"}],
                  "note": "Đã bổ sung"}
    keyed = {**PROPOSER, "Idempotency-Key": "bo-sung-1"}
    response = await system.http.post(f"/nominations/{created['id']}/supplement",
                                      headers=keyed, json=supplement)
    assert response.status_code == 200 and response.json()["dossier_version"] == 2
    # Sent again with its key: the first answer, not a third dossier version.
    resent = await system.http.post(f"/nominations/{created['id']}/supplement",
                                    headers=keyed, json=supplement)
    assert resent.status_code == 200 and resent.json() == response.json()

    again = await review(system, DISTRICT)  # the district reviews the new version
    assert again["id"] != returned["id"]
    await review(system, PROVINCE)
    status = await status_becomes(system, created["id"], "awaiting_decision")
    assert status["documents"][0]["title"] == "Biên bản họp bổ sung"
    events = await history(system, created["id"])
    assert events.count("ReviewOpened") == 4 and events.count("Supplemented") == 1


async def test_a_proposer_withdraws_and_every_open_task_closes(system: RunningSystem) -> None:
    created = await propose(system)
    await review(system, UNIT)
    district = token("s", "reviewer", unit=DISTRICT)
    await system.open_task(district)

    response = await system.http.post(f"/nominations/{created['id']}/withdraw",
                                      headers=PROPOSER, json={"reason": "Đơn vị rút đề nghị"})
    assert response.status_code == 200
    status = await status_becomes(system, created["id"], "withdrawn")
    assert status["open_task_id"] is None
    assert status["withdrawal"]["reason"] == "Đơn vị rút đề nghị"
    inbox = await eventually(lambda: _empty_inbox(system, district))
    assert inbox["total"] == 0
    again = await system.http.post(f"/nominations/{created['id']}/withdraw", headers=PROPOSER,
                                   json={"reason": "again"})
    assert again.status_code == 409


async def _empty_inbox(system: RunningSystem, headers: dict[str, str]) -> dict[str, Any] | None:
    inbox = (await system.http.get("/tasks", headers=headers)).json()
    return inbox if inbox["total"] == 0 else None


async def test_a_council_meeting_decides_a_list_of_fifty_at_once(system: RunningSystem) -> None:
    response = await system.http.post("/proposals", headers=PROPOSER, json={"items": [
        {"award_code": "bang-khen-tinh", "nominee": nominee(f"Nguyễn Văn {i:02d}")}
        for i in range(50)]})
    assert response.status_code == 201, response.text
    created = response.json()["nominations"]
    assert len(created) == 50 and len({n["tracking_code"] for n in created}) == 50

    reviewer = token("secretary", "reviewer", unit=UNIT)

    async def all_fifty() -> list[dict[str, Any]] | None:
        page = (await system.http.get("/tasks?limit=200", headers=reviewer)).json()
        return page["items"] if page["total"] == 50 else None

    tasks = await eventually(all_fifty, within=60)
    items = [{"task_id": t["id"], "outcome": "approve", "votes": FOR} for t in tasks]

    # One bad item refuses the whole list, names the item and records nothing.
    bad = [*items[:10], {**items[10], "votes": {**FOR, "present": 3}}, *items[11:]]
    refused = await system.http.post("/tasks/bulk-review", headers=reviewer, json={"items": bad})
    assert refused.status_code == 422
    assert refused.json()["item"] == 10 and "items[10]" in refused.json()["detail"]
    assert len(await all_fifty() or []) == 50

    keyed = {**reviewer, "Idempotency-Key": "hop-hoi-dong-2026-05"}
    recorded = await system.http.post("/tasks/bulk-review", headers=keyed,
                                      json={"items": items})
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["recorded"] == 50
    # The meeting's list sent again with its key: the same answer, no second review.
    resent = await system.http.post("/tasks/bulk-review", headers=keyed, json={"items": items})
    assert resent.status_code == 200 and resent.json() == recorded.json()

    district = token("s", "reviewer", unit=DISTRICT)

    async def forwarded() -> int | None:
        total = (await system.http.get("/tasks", headers=district)).json()["total"]
        return total if total == 50 else None

    assert await eventually(forwarded, within=60) == 50
    for nomination in (created[0], created[-1]):
        assert (await history(system, nomination["id"])).count("ReviewedByCouncil") == 1


@pytest.mark.parametrize("policy_file", [REFORM_POLICY])
async def test_a_nomination_in_flight_keeps_the_district_level_a_new_one_skips_it(
    system: RunningSystem,
) -> None:
    system.set_clock(datetime(2025, 6, 30, 9, 0, tzinfo=UTC))  # policy 2024.1
    old = await propose(system, headers=token("c", "proposer", unit="hg.nga-bay.xa-dai-thanh"))
    await review(system, "hg.nga-bay.xa-dai-thanh")
    await status_becomes(system, old["id"], "under_review", headers=token(
        "a", "auditor", unit=PROVINCE))

    system.set_clock(datetime(2025, 7, 2, 9, 0, tzinfo=UTC))  # 2025.7: no district level
    versions = (await system.http.get("/policy/versions")).json()["items"]
    assert [v["version"] for v in versions] == ["2024.1", "2025.7"]
    new = await propose(system, headers=token("c2", "proposer", unit="hg.nga-bay.xa-dai-thanh"))

    auditor = token("a", "auditor", unit=PROVINCE)
    old_status = (await system.http.get(f"/nominations/{old['id']}", headers=auditor)).json()
    new_status = await status_becomes(system, new["id"], "under_review", headers=auditor)
    assert [s["level"] for s in old_status["route"]] == ["unit", "district", "province",
                                                          "province"]
    assert [s["level"] for s in new_status["route"]] == ["unit", "province", "province"]
    assert (old_status["policy_version"], new_status["policy_version"]) == ("2024.1", "2025.7")

    await review(system, "hg.nga-bay")  # the old district council still acts on its task
    await review(system, "hg.nga-bay.xa-dai-thanh")  # the new one's unit review
    await review(system, PROVINCE)
    await review(system, PROVINCE)
    for created in (old, new):
        await status_becomes(system, created["id"], "awaiting_decision", headers=auditor)
    old_events = await history(system, old["id"])
    new_events = await history(system, new["id"])
    assert old_events.count("Forwarded") == 2 and new_events.count("Forwarded") == 1


@pytest_asyncio.fixture
async def skipping_system(laurel: Laurel) -> AsyncIterator[tuple[RunningSystem,
                                                                 WorkflowEnvironment]]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=find_executable("temporal-test-server"))
    async with running_system(laurel, env.client) as running:
        yield running, env
    await env.shutdown()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_state_level_award_goes_through_public_notice_to_central(
    skipping_system: tuple[RunningSystem, WorkflowEnvironment],
) -> None:
    system, env = skipping_system
    created = await propose(system, award="bang-khen-thu-tuong")
    for unit in (UNIT, DISTRICT, PROVINCE):
        await review(system, unit)
    auditor = token("a", "auditor", unit=PROVINCE)
    await status_becomes(system, created["id"], "public_notice", headers=auditor)
    notices = (await system.http.get("/public-notices")).json()
    assert [n["tracking_code"] for n in notices["items"]] == [created["tracking_code"]]

    # A citizen objects with the published tracking code, without an account: it holds
    # nothing until they confirm their e-mail address with the code sent there (no SMTP
    # host here: written to the data directory's outbox).
    objection_body = {"text": "Thành tích chưa đúng", "contact": "cong.dan@example.vn",
                      "tracking_code": created["tracking_code"].lower()}
    keyed = {"Idempotency-Key": "gop-y-7f3a"}
    objected = await system.http.post(f"/nominations/{created['id']}/objections",
                                      json=objection_body, headers=keyed)
    assert objected.status_code == 201, objected.text
    assert objected.json()["confirmation"] == "code_sent"
    resent = await system.http.post(f"/nominations/{created['id']}/objections",
                                    json=objection_body, headers=keyed)
    assert resent.status_code == 201 and resent.json() == objected.json()
    without_code = await system.http.post(f"/nominations/{created['id']}/objections",
                                          json={"text": "…"})
    assert without_code.status_code == 401
    sent = outbox(system.laurel.settings.data_dir)
    assert len(sent) == 1  # the retry sent no second code
    await asyncio.sleep(0.5)
    assert (await system.http.get(f"/nominations/{created['id']}", headers=auditor)
            ).json()["status"] == "public_notice"
    objection_id = objected.json()["objection_id"]
    confirmed = await system.http.post(
        f"/nominations/{created['id']}/objections/{objection_id}/confirmation",
        json={"code": code_in(sent[0])})
    assert confirmed.status_code == 200, confirmed.text
    await status_becomes(system, created["id"], "on_hold", headers=auditor)

    await env.sleep(timedelta(days=8))  # the comment period ends; the objection still holds
    board = token("board", "reviewer", unit=PROVINCE)
    objection = await system.open_task(board)
    assert objection["kind"] == "objection"
    assert (await system.http.get(f"/nominations/{created['id']}", headers=auditor)
            ).json()["status"] == "on_hold"

    assert objection["id"] == objected.json()["objection_id"]
    resolution = {"outcome": "dismissed", "note": "Đã xác minh"}
    path = f"/nominations/{created['id']}/objections/{objection['id']}/resolution"
    board_keyed = {**board, "Idempotency-Key": "xac-minh-1"}
    resolved = await system.http.post(path, headers=board_keyed, json=resolution)
    assert resolved.status_code == 200, resolved.text
    resent = await system.http.post(path, headers=board_keyed, json=resolution)
    assert resent.status_code == 200 and resent.json() == resolved.json()
    status = await status_becomes(system, created["id"], "awaiting_central", headers=auditor)
    assert status["current_level"] == "central"

    decider = token("chair", "decider", unit=PROVINCE)
    task = await system.open_task(decider)
    recorded = await system.http.post(f"/tasks/{task['id']}/decision", headers=decider, json={
        "outcome": "awarded", "decision_number": "2345/QĐ-TTg",
        "decision_date": day_in_vietnam(system.laurel.clock()),
        "signer": "Thủ tướng Chính phủ", "authority": "Thủ tướng Chính phủ"})
    assert recorded.status_code == 200, recorded.text
    status = await status_becomes(system, created["id"], "awarded", headers=auditor)
    assert status["decision"]["authority"] == "Thủ tướng Chính phủ"
    assert (await history(system, created["id"]))[-7:] == [
        "ObjectionLodged", "ObjectionConfirmed", "ObjectionResolved", "PublicNoticeClosed",
        "Forwarded", "DecisionOpened", "Decided"]


@pytest_asyncio.fixture
async def rehearsal(settings: Settings, temporal: WorkflowEnvironment,
                    ) -> AsyncIterator[RunningSystem]:
    """The system as `laurel up --notice-minutes 0.1` runs it: the real dev server, whose
    clock no one moves, and public notices of six seconds."""
    laurel = bootstrap(settings.model_copy(update={"notice_minutes": 0.1}))
    prepare_read_models(laurel.engine)
    async with running_system(laurel, temporal.client) as running:
        yield running
    laurel.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_rehearsal_takes_a_central_award_to_its_outcome_in_real_time(
    rehearsal: RunningSystem,
) -> None:
    system = rehearsal
    created = await propose(system, award="bang-khen-thu-tuong")
    for unit in (UNIT, DISTRICT, PROVINCE):
        await review(system, unit)
    auditor = token("a", "auditor", unit=PROVINCE)
    await status_becomes(system, created["id"], "public_notice", headers=auditor)
    notice = (await system.http.get("/public-notices")).json()["items"]
    assert [n["tracking_code"] for n in notice] == [created["tracking_code"]]
    until = datetime.fromisoformat(notice[0]["notice_until"])
    assert until - datetime.now(UTC) <= timedelta(seconds=6)

    status = await status_becomes(system, created["id"], "awaiting_central", headers=auditor)
    assert status["current_level"] == "central"
    decider = token("chair", "decider", unit=PROVINCE)
    task = await system.open_task(decider)
    recorded = await system.http.post(f"/tasks/{task['id']}/decision", headers=decider, json={
        "outcome": "awarded", "decision_number": "77/QĐ-TTg",
        "decision_date": day_in_vietnam(system.laurel.clock()),
        "signer": "Thủ tướng Chính phủ", "authority": "Thủ tướng Chính phủ"})
    assert recorded.status_code == 200, recorded.text
    await status_becomes(system, created["id"], "awarded", headers=auditor)
