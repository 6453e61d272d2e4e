"""A provincial Bằng khen on its way through the running system, over HTTP: the ward's
clerk proposes it and each level's council approves it from its inbox."""

from __future__ import annotations

from typing import Any

from tests.support.people import token
from tests.support.running import RunningSystem

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
PROPOSER = token("clerk-phuong-1", "proposer", unit=UNIT)
DECIDER = token("chairman", "decider", unit=PROVINCE)
TALLY = {"members": 9, "present": 8, "for": 7, "against": 1, "abstain": 0}


def reviewer(unit: str) -> dict[str, str]:
    return token(f"secretary-{unit}", "reviewer", unit=unit)


async def propose(system: RunningSystem) -> str:
    response = await system.http.post("/nominations", headers=PROPOSER, json={
        "award_code": "bang-khen-tinh",
        "nominee": {"name": "Nguyễn Thị Hoa", "kind": "individual"},
        "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2025", "documents": []})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def approve(system: RunningSystem, unit: str) -> dict[str, Any]:
    """The council of ``unit`` approves the review waiting in its inbox."""
    task = await system.open_task(reviewer(unit))
    assert task["kind"] == "review" and task["unit_id"] == unit
    response = await system.http.post(f"/tasks/{task['id']}/review", headers=reviewer(unit),
                                      json={"outcome": "approve", "votes": TALLY})
    assert response.status_code == 200, response.text
    return task
