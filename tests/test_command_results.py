"""A command answers with the state it left, read from the nomination, not guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx

from infrastructure.container import Laurel
from tests.support.commands import propose, review
from tests.support.nominations import at_council, project
from tests.support.people import person, token

UNIT = "hg.vi-thanh.phuong-1"
ALL_FOR = {"members": 10, "present": 10, "for": 10, "against": 0, "abstain": 0}


def in_public_notice(laurel: Laurel) -> UUID:
    """A Prime Minister's Bằng khen through every review, now in its comment period."""
    app, at = laurel.nominations, datetime.now(UTC) - timedelta(days=1)
    nomination_id = propose(app, person("proposer", UNIT), award_code="bang-khen-thu-tuong",
                            nominee={"name": "Trần Văn Nam", "kind": "individual"},
                            achievements="…", documents=[], at=at).id
    route = laurel.policy.plan_route("bang-khen-thu-tuong", UNIT, "individual")
    for step, level in enumerate(route.reviews):
        task = app.open_review(nomination_id, step, at)
        assert task is not None
        review(app, nomination_id, task.task_id, person("reviewer", level.unit_id),
               outcome="approve", votes=at_council(laurel, level.unit_id, ALL_FOR, at),
               note="", at=at)
    app.open_public_notice(nomination_id, at)
    project(laurel)
    return nomination_id


async def test_dismissing_one_of_two_objections_answers_that_the_nomination_is_still_held(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = in_public_notice(laurel)
    citizen = token("citizen", "proposer", unit=UNIT)
    lodged = [(await http.post(f"/nominations/{nomination_id}/objections", headers=citizen,
                               json={"text": text})).json()
              for text in ("Thành tích chưa đúng", "Đã bị kỷ luật năm 2024")]
    assert [o["status"] for o in lodged] == ["on_hold", "on_hold"]

    board = token("board", "reviewer", unit="hg")
    first = await http.post(
        f"/nominations/{nomination_id}/objections/{lodged[0]['objection_id']}/resolution",
        headers=board, json={"outcome": "dismissed", "note": "Không có cơ sở"})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "on_hold"
    assert laurel.nominations.status(nomination_id) == "on_hold"

    second = await http.post(
        f"/nominations/{nomination_id}/objections/{lodged[1]['objection_id']}/resolution",
        headers=board, json={"outcome": "dismissed", "note": "Đã xác minh"})
    assert second.json()["status"] == laurel.nominations.status(nomination_id)
    assert second.json()["status"] == "public_notice"


async def test_a_supplement_answers_the_dossier_version_it_made_and_the_status_it_left(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    app, at = laurel.nominations, datetime.now(UTC) - timedelta(hours=1)
    nomination_id = propose(app, person("proposer", UNIT), award_code="giay-khen",
                            nominee={"name": "Lê Thị Mai", "kind": "individual"},
                            achievements="…", documents=[], at=at).id
    task = app.open_review(nomination_id, 0, at)
    assert task is not None
    review(app, nomination_id, task.task_id, person("reviewer", UNIT), outcome="return",
           votes={**ALL_FOR, "for": 0, "against": 10}, note="Thiếu minh chứng", at=at)
    project(laurel)
    answer = await http.post(f"/nominations/{nomination_id}/supplement",
                             headers=token("clerk", "proposer", unit=UNIT),
                             json={"documents": [{"title": "Minh chứng", "kind": "other"}]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["dossier_version"] == 2
    assert answer.json()["status"] == app.status(nomination_id)
