"""The province's work before its council, over HTTP on both backends: the agencies'
answers recorded (one never comes and lapses), the specialist's appraisal proposing a
lower form (a claim race on the file: one wins, the other 409), the head's sign-off, and
the decider granting the lower form the appraisal proposed. The workflow's steps are
given as its activities give them (the time-skipping run is ``test_inside_a_level``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx

from domain.inside_level import LevelWork
from infrastructure.container import Laurel
from tests.support.nominations import day_in_vietnam, project
from tests.support.pages import page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

DEPARTMENT, PROVINCE = "hg.so-yte", "hg"
AWARD = "huan-chuong-lao-dong-hang-ba"
PROPOSER = token("vanthu.soyte", "proposer", unit=DEPARTMENT)
SECRETARY = token("hoidong.tinh", "reviewer", unit=PROVINCE)
SPECIALIST = token("chuyenvien.tinh", "reviewer", unit=PROVINCE)
OTHER_SPECIALIST = token("chuyenvien2.tinh", "reviewer", unit=PROVINCE)
HEAD = token("truongban.tinh", "reviewer", unit=PROVINCE)
DEPARTMENT_VOTE = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}
PROVINCE_VOTE = {"present": 9, "for": 9, "against": 0, "abstain": 0}
LOWER = {"conclusion": "lower_form", "lower_award": "bang-khen-thu-tuong",
         "documents_complete": True,
         "checks": [{"rule": "no_disqualifier", "confirmed": True}],
         "note": "Thành tích phù hợp Bằng khen của Thủ tướng Chính phủ"}


async def at_the_province(http: httpx.AsyncClient, laurel: Laurel) -> str:
    created = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": AWARD, "nominee": {"name": "Lê Văn Tám", "kind": "individual"}})
    assert created.status_code == 201, created.text
    nomination_id = str(created.json()["id"])
    task = laurel.nominations.open_review(UUID(nomination_id), 0, datetime.now(UTC))
    assert task is not None
    project(laurel)
    approved = await http.post(f"/tasks/{task.task_id}/review", json={
        "outcome": "approve", "votes": DEPARTMENT_VOTE},
        headers=token("hoidong.soyte", "reviewer", unit=DEPARTMENT))
    assert approved.status_code == 200, approved.text
    return nomination_id


async def shown(http: httpx.AsyncClient, laurel: Laurel, nomination_id: str) -> dict[str, Any]:
    project(laurel)
    answer = await http.get(f"/nominations/{nomination_id}", headers=SECRETARY)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_agencies_answer_one_lapses_the_appraisal_proposes_a_lower_form_granted(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = await at_the_province(http, laurel)
    work = LevelWork(laurel.nominations)
    opened_at = datetime.now(UTC)
    consultation = work.open_consultation(UUID(nomination_id), 1, opened_at)
    assert consultation is not None and not consultation.closed
    project(laurel)
    inbox = (await http.get("/tasks", headers=SECRETARY)).json()["items"]
    assert [(t["kind"], t["nomination_id"]) for t in inbox] == [
        ("consultation", nomination_id)]

    task = consultation.task_id
    for agency in ("cuc-thue", "bhxh", "so-tnmt", "ban-to-chuc-tinh-uy"):
        answered = await http.post(f"/tasks/{task}/consultations/{agency}", headers=SECRETARY,
                                   json={"answer": "agrees", "note": "Không có ý kiến khác"})
        assert answered.status_code == 200, answered.text
    unknown = await http.post(f"/tasks/{task}/consultations/so-y-te", headers=SECRETARY,
                              json={"answer": "agrees"})
    assert "cong-an" in assert_problem(unknown, 422, "unknown-agency")["detail"]
    again = await http.post(f"/tasks/{task}/consultations/bhxh", headers=SECRETARY,
                            json={"answer": "objects"})
    assert_problem(again, 422, "unknown-agency")
    waiting = await shown(http, laurel, nomination_id)
    assert waiting["open_task_id"] == task
    assert {a["code"]: a["answer"] for a in waiting["consultation"]["agencies"]}["cong-an"] == ""

    # The police never answer: their ten working days lapse.
    assert work.lapse_consultation(UUID(nomination_id), task,
                                   opened_at + timedelta(days=15)) is None
    appraisal = work.open_appraisal(UUID(nomination_id), 1, 0, opened_at + timedelta(days=15))
    assert appraisal is not None
    after = await shown(http, laurel, nomination_id)
    answers = {a["code"]: a["answer"] for a in after["consultation"]["agencies"]}
    assert answers == {"cuc-thue": "agrees", "bhxh": "agrees", "cong-an": "lapsed",
                       "so-tnmt": "agrees", "ban-to-chuc-tinh-uy": "agrees"}
    assert after["open_task_id"] == appraisal.task_id

    file = appraisal.task_id
    not_lower = await http.post(f"/tasks/{file}/appraisal", headers=SPECIALIST,
                                json={**LOWER, "lower_award": "chien-si-thi-dua-toan-quoc"})
    assert_problem(not_lower, 422, "not-a-lower-form")
    claimed = await http.post(f"/tasks/{file}/assign", headers=SPECIALIST, json={})
    assert claimed.status_code == 200, claimed.text
    taken = await http.post(f"/tasks/{file}/appraisal", headers=OTHER_SPECIALIST, json=LOWER)
    assert "chuyenvien.tinh" in assert_problem(taken, 409, "task-already-claimed")["detail"]
    recorded = await http.post(f"/tasks/{file}/appraisal", headers=SPECIALIST, json=LOWER)
    assert recorded.status_code == 200, recorded.text
    own = await http.post(f"/tasks/{file}/sign-off", headers=SPECIALIST, json={"agreed": True})
    assert_problem(own, 403, "wrong-role")
    not_head = await http.post(f"/tasks/{file}/sign-off", headers=SECRETARY,
                               json={"agreed": True})
    assert "truongban.tinh" in assert_problem(not_head, 403, "wrong-role")["detail"]
    signed = await http.post(f"/tasks/{file}/sign-off", headers=HEAD,
                             json={"agreed": True, "note": "Đồng ý trình Hội đồng"})
    assert signed.status_code == 200, signed.text
    appraised = (await shown(http, laurel, nomination_id))["appraisal"]
    assert appraised["conclusion"] == "lower_form" and appraised["by"] == "chuyenvien.tinh"
    assert appraised["signed_off_by"] == "truongban.tinh"
    assert appraised["lower_award_name"]["vi"] == "Bằng khen của Thủ tướng Chính phủ"

    # The council's task opens; the council approves; the central decision comes back
    # granting the lower form the board proposed.
    council = laurel.nominations.open_review(UUID(nomination_id), 1, datetime.now(UTC))
    assert council is not None
    project(laurel)
    approved = await http.post(f"/tasks/{council.task_id}/review", headers=SECRETARY,
                               json={"outcome": "approve", "votes": PROVINCE_VOTE})
    assert approved.status_code == 200, approved.text
    app = laurel.nominations
    app.open_public_notice(UUID(nomination_id), datetime.now(UTC) - timedelta(days=8))
    assert app.close_public_notice(UUID(nomination_id), datetime.now(UTC))
    decision = app.open_decision(UUID(nomination_id), datetime.now(UTC))
    assert decision is not None
    project(laurel)
    granted = await http.post(
        f"/tasks/{decision.task_id}/decision",
        headers=token("chutich.tinh", "decider", unit=PROVINCE),
        json={"outcome": "awarded", "decision_number": "2291/QĐ-TTg",
              "decision_date": day_in_vietnam(), "signer": "Thủ tướng Chính phủ",
              "authority": "Chủ tịch nước", "granted_award": appraised["lower_award"]})
    assert granted.status_code == 200, granted.text
    final = await shown(http, laurel, nomination_id)
    assert final["status"] == "awarded" and final["granted_award"] == "bang-khen-thu-tuong"
    history = (await http.get(f"/nominations/{nomination_id}/history",
                              headers=SECRETARY)).json()["items"]
    types = [h["type"] for h in history]
    assert types.index("ConsultationLapsed") < types.index("AppraisalOpened") < types.index(
        "Appraised") < types.index("AppraisalSignedOff") < types.index("ReviewOpened", 2)
    tracking = (await http.get(f"/track/{final['tracking_code']}")).json()
    assert "Appraised" not in [s["type"] for s in tracking["timeline"]]
    async with page_client(laurel, [("hoidong.tinh", ("reviewer",), PROVINCE)]) as pages:
        await sign_in(pages, "hoidong.tinh")
        dossier = text_of(await pages.get(f"/ui/nominations/{nomination_id}"))
        assert "Thẩm định" in dossier and "Bằng khen của Thủ tướng Chính phủ" in dossier
        assert "Công an tỉnh" in dossier and "Hết hạn" in dossier
