"""A decision as a record, over HTTP on each backend: one document deciding the decider's
open decision tasks (all or none), its number used once in the unit's register, read back
with its nominees and printed with its annex; the single-task route makes a decision of
one item; the read models rebuilt from the events hold the same decisions."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pypdf
from sqlalchemy import select

from domain.decision import decision_id, normalised_number
from infrastructure.container import Laurel
from projections.decisions import decision_items, decisions
from projections.projector import Projector
from tests.support.commands import propose, review
from tests.support.nominations import FOR, day_in_vietnam
from tests.support.people import person, token
from tests.support.problems import assert_problem

PROPOSING = "hg.vi-thanh.phuong-1"
PROVINCE = "hg"
DECIDER = token("chu-tich", "decider", unit=PROVINCE)
NAMES = ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Thị Ánh Tuyết")


def awaiting_decision(laurel: Laurel, name: str, award: str = "bang-khen-tinh") -> dict[str, str]:
    """A nomination of ``PROPOSING`` approved by every council, its decision task open at
    the province, projected."""
    app, now = laurel.nominations, datetime.now(UTC)
    nomination_id = propose(app, person("proposer", PROPOSING), award_code=award,
                            nominee={"name": name, "kind": "individual"},
                            achievements="Hoàn thành xuất sắc nhiệm vụ", documents=[],
                            at=now).id
    route = laurel.policy.plan_route(award, PROPOSING, "individual")
    for step, level in enumerate(route.reviews):
        task = app.open_review(nomination_id, step, now)
        assert task is not None
        review(app, nomination_id, task.task_id, person("reviewer", level.unit_id),
               outcome="approve", votes=FOR, note="", at=now)
    decision = app.open_decision(nomination_id, now)
    assert decision is not None
    project(laurel)
    return {"nomination_id": str(nomination_id), "task_id": decision.task_id}


def project(laurel: Laurel) -> None:
    Projector(laurel.engine, laurel.log).catch_up()


def decision_body(number: str, *task_ids: str, outcome: str = "awarded") -> dict[str, Any]:
    return {"decision_number": number, "decision_date": day_in_vietnam(),
            "signer": "Trương Cảnh Tuyên",
            "items": [{"task_id": t, "outcome": outcome} for t in task_ids]}


def pdf_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_one_decision_decides_three_nominations_and_prints_them(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    tasks = [awaiting_decision(laurel, name) for name in NAMES]
    response = await http.post("/decisions", json=decision_body(
        "125/QĐ-UBND", *(t["task_id"] for t in tasks)), headers=DECIDER)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["recorded"] == 3
    assert answer["id"] == str(decision_id(PROVINCE, "125/QĐ-UBND"))
    assert [i["nomination_id"] for i in answer["items"]] == [t["nomination_id"] for t in tasks]
    project(laurel)

    read = (await http.get(answer["links"]["self"], headers=DECIDER)).json()
    assert read["number"] == "125/QĐ-UBND" and read["signer"] == "Trương Cảnh Tuyên"
    assert read["authority"] == "Chủ tịch UBND tỉnh" and read["unit_id"] == PROVINCE
    assert [i["nominee_name"] for i in read["items"]] == list(NAMES)
    assert {i["award_name"]["vi"] for i in read["items"]} == {"Bằng khen của Chủ tịch UBND tỉnh"}
    for task in tasks:  # each nomination decided, with the same fields as before
        nomination = (await http.get(f"/nominations/{task['nomination_id']}",
                                     headers=DECIDER)).json()
        assert nomination["status"] == "awarded"
        history = (await http.get(f"/nominations/{task['nomination_id']}/history",
                                  headers=DECIDER)).json()
        decided = next(e for e in history["items"] if e["type"] == "Decided")
        assert decided["data"]["decision_number"] == "125/QĐ-UBND"
        assert decided["data"]["decision_id"] == answer["id"]
        assert decided["data"]["signer"] == "Trương Cảnh Tuyên"
        assert decided["data"]["authority"] == "Chủ tịch UBND tỉnh"

    text = pdf_text(await http.get(answer["links"]["pdf"], headers=DECIDER))
    assert "125/QĐ-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "QUYẾT ĐỊNH" in text
    flat = " ".join(text.split())  # a name may wrap in the annex's narrow column
    for name in NAMES:
        assert name in flat

    # The proposing unit sees the decision of its nominations; another district does not.
    assert (await http.get(answer["links"]["self"], headers=token(
        "clerk", "proposer", unit=PROPOSING))).status_code == 200
    assert_problem(await http.get(answer["links"]["pdf"], headers=token(
        "x", "reviewer", unit="hg.nga-bay")), 404, "not-found")


async def test_a_decision_number_is_used_once_in_the_units_register(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    first, second = awaiting_decision(laurel, NAMES[0]), awaiting_decision(laurel, NAMES[1])
    assert (await http.post("/decisions", json=decision_body("7/QĐ-UBND", first["task_id"]),
                            headers=DECIDER)).status_code == 201
    before = laurel.log.last_position()
    for typed in ("7/QĐ-UBND", " 7 / qđ-ubnd "):  # the register's number, however typed
        assert normalised_number(typed) == normalised_number("7/QĐ-UBND")
        problem = assert_problem(await http.post(
            "/decisions", json=decision_body(typed, second["task_id"]), headers=DECIDER),
            409, "decision-number-used")
        assert "7/QĐ-UBND" in problem["detail"]
    assert_problem(await http.post(f"/tasks/{second['task_id']}/decision", json={
        "outcome": "awarded", "decision_number": "7/QĐ-UBND", "decision_date": day_in_vietnam(),
        "signer": "Chủ tịch"}, headers=DECIDER), 409, "decision-number-used")
    assert laurel.log.last_position() == before  # nothing recorded
    # In Vietnamese too, by its stable type.
    vi = (await http.post("/decisions", json=decision_body("7/QĐ-UBND", second["task_id"]),
                          headers={**DECIDER, "Accept-Language": "vi"})).json()
    assert vi["title"] == "Số quyết định này đã được sử dụng trong sổ của đơn vị"
    # The next number is free.
    assert (await http.post("/decisions", json=decision_body("8/QĐ-UBND", second["task_id"]),
                            headers=DECIDER)).status_code == 201


async def test_an_item_not_the_deciders_refuses_the_decision_naming_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    ours = [awaiting_decision(laurel, name) for name in NAMES[:2]]
    district = awaiting_decision(laurel, NAMES[2], award="lao-dong-tien-tien")  # a district's
    before = laurel.log.last_position()
    problem = assert_problem(await http.post("/decisions", json=decision_body(
        "9/QĐ-UBND", ours[0]["task_id"], ours[1]["task_id"], district["task_id"]),
        headers=DECIDER), 404, "not-found")
    assert problem["item"] == 2 and "items[2]" in problem["detail"]
    assert laurel.log.last_position() == before
    assert_problem(await http.get(f"/decisions/{decision_id(PROVINCE, '9/QĐ-UBND')}",
                                  headers=DECIDER), 404, "not-found")
    # Only a decider gives one (403 for the council's secretary of the same unit).
    assert_problem(await http.post("/decisions", json=decision_body(
        "9/QĐ-UBND", ours[0]["task_id"]), headers=token("tk", "reviewer", unit=PROVINCE)),
        403, "wrong-role")
    # A task listed twice is refused, naming the second.
    problem = assert_problem(await http.post("/decisions", json=decision_body(
        "9/QĐ-UBND", ours[0]["task_id"], ours[0]["task_id"]), headers=DECIDER),
        409, "task-closed")
    assert problem["item"] == 1
    assert laurel.log.last_position() == before


async def test_the_single_task_route_makes_a_decision_of_one_item(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    task = awaiting_decision(laurel, NAMES[0])
    response = await http.post(f"/tasks/{task['task_id']}/decision", json={
        "outcome": "not_awarded", "decision_number": "11/QĐ-UBND",
        "decision_date": day_in_vietnam(), "signer": "Chủ tịch"}, headers=DECIDER)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "not_awarded" and answer["nomination_id"] == task["nomination_id"]
    project(laurel)
    read = (await http.get(answer["links"]["decision"], headers=DECIDER)).json()
    assert read["number"] == "11/QĐ-UBND"
    assert [(i["nomination_id"], i["outcome"], i["nominee_name"]) for i in read["items"]] == [
        (task["nomination_id"], "not_awarded", NAMES[0])]
    text = pdf_text(await http.get(answer["links"]["decision_pdf"], headers=DECIDER))
    assert "11/QĐ-UBND" in text and "Không khen thưởng" in text


async def test_a_keyed_decision_sent_again_records_nothing_more(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    tasks = [awaiting_decision(laurel, name) for name in NAMES[:2]]
    body = decision_body("12/QĐ-UBND", *(t["task_id"] for t in tasks))
    headers = {**DECIDER, "Idempotency-Key": "qd-12"}
    first = await http.post("/decisions", json=body, headers=headers)
    assert first.status_code == 201, first.text
    before = laurel.log.last_position()
    again = await http.post("/decisions", json=body, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert laurel.log.last_position() == before


def test_the_decisions_read_models_are_rebuilt_identically(laurel: Laurel) -> None:
    from domain.commands import Context, DecisionItem, RecordDecision

    tasks = [awaiting_decision(laurel, name) for name in NAMES]
    laurel.nominations.handle(RecordDecision(
        tuple(DecisionItem(UUID(t["nomination_id"]), t["task_id"], "awarded") for t in tasks),
        "30/QĐ-UBND", day_in_vietnam(), "Chủ tịch"),
        Context(person("decider", PROVINCE), datetime.now(UTC)))
    project(laurel)

    def rows() -> list[list[dict[str, Any]]]:
        with laurel.engine.connect() as conn:
            return [[dict(r) for r in conn.execute(select(table).order_by(*table.primary_key))
                     .mappings()] for table in (decisions, decision_items)]

    before = rows()
    assert len(before[0]) == 1 and len(before[1]) == 3
    Projector(laurel.engine, laurel.log).rebuild()
    assert rows() == before
