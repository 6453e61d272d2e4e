"""What a person's eligibility is decided on, over HTTP on SQLite and PostgreSQL: facts
(discipline, investigation…) recorded from their documents and ended, the start of
service, who sees the facts and who does not, the award history as eligibility reads it,
and the register's read models rebuilt identically."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select

from api.reads.people import sees_facts
from domain.actor import Actor
from domain.eligibility import Fact, HeldAward, Service
from domain.person import Person
from infrastructure.container import Laurel
from projections.people_tables import person_awards
from projections.projector import Projector
from projections.verify import scratch_url_for, verify_read_models
from tests.support import commands
from tests.support.nominations import START, project
from tests.support.people import actor, token
from tests.support.problems import assert_problem
from tests.test_people import (
    CITY_REVIEWER,
    CLERK,
    HOA,
    INSPECTOR,
    OTHER_CLERK,
    OTHER_UNIT,
    UNIT,
    VI,
    register,
)

DISCIPLINE = {"fact": "discipline", "start": "2025-03-01",
              "evidence": "Quyết định số 45/QĐ-UBND ngày 01/03/2025"}
CITY_DECIDER = token("chairman", "decider", unit="hg.vi-thanh")
FOREIGN_REVIEWER = token("secretary-x", "reviewer", unit="hg.nga-bay")


async def person(http: httpx.AsyncClient, person_id: str,
                 headers: dict[str, str] = CLERK) -> dict[str, Any]:
    response = await http.get(f"/people/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_fact_is_recorded_from_its_document_and_ended_later(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    keyed = {**CLERK, "Idempotency-Key": "ky-luat-45"}
    recorded = await http.post(f"/people/{hoa}/facts", json=DISCIPLINE, headers=keyed)
    assert recorded.status_code == 201, recorded.text
    fact_id = recorded.json()["fact_id"]
    before = laurel.log.last_position()
    again = await http.post(f"/people/{hoa}/facts", json=DISCIPLINE, headers=keyed)
    assert again.json()["fact_id"] == fact_id and laurel.log.last_position() == before
    twice = await http.post(f"/people/{hoa}/facts", json=DISCIPLINE, headers={**CLERK, **VI})
    assert "đã được ghi nhận" in assert_problem(twice, 422, "invalid-fact")["detail"]
    project(laurel)
    shown = await person(http, hoa)
    assert [(f["id"], f["fact"], f["fact_name"]["vi"], f["start"], f["end"], f["evidence"])
            for f in shown["facts"]] == [
        (fact_id, "discipline", "kỷ luật", "2025-03-01", None, DISCIPLINE["evidence"])]
    assert shown["facts_withheld"] is False

    ended = await http.post(f"/people/{hoa}/facts/{fact_id}/end", headers=CLERK, json={
        "end": "2025-09-01", "evidence": "Quyết định số 90/QĐ-UBND chấm dứt kỷ luật"})
    assert ended.status_code == 200, ended.text
    project(laurel)
    fact = (await person(http, hoa))["facts"][0]
    assert (fact["end"], fact["end_evidence"]) == (
        "2025-09-01", "Quyết định số 90/QĐ-UBND chấm dứt kỷ luật")
    over = await http.post(f"/people/{hoa}/facts/{fact_id}/end", headers={**CLERK, **VI},
                           json={"end": "2025-10-01", "evidence": "QĐ 91"})
    assert "đã kết thúc ngày 01/09/2025" in assert_problem(
        over, 409, "fact-already-ended")["detail"]
    unknown = await http.post(f"/people/{hoa}/facts/no-such-fact/end", headers=CLERK,
                              json={"end": "2025-10-01", "evidence": "QĐ 91"})
    assert_problem(unknown, 404, "not-found")

    # The aggregate gives eligibility what it needs.
    found = laurel.nominations.register._find(UUID(hoa))
    assert found is not None
    assert found.recorded_facts() == (
        Fact("discipline", date(2025, 3, 1), date(2025, 9, 1), DISCIPLINE["evidence"]),)


async def test_bad_facts_are_refused_saying_why_in_vietnamese(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**DISCIPLINE, "start": "2999-01-01"}, "invalid-fact", "tương lai"),
        ({**DISCIPLINE, "end": "2025-01-01"}, "invalid-fact", "không được trước ngày bắt đầu"),
        ({**DISCIPLINE, "fact": "gossip"}, "invalid-body", "phải là một trong"),
        ({**DISCIPLINE, "evidence": "  "}, "invalid-body", "không được để trống"),
        ({k: v for k, v in DISCIPLINE.items() if k != "evidence"}, "invalid-body",
         "bắt buộc phải có"),
    ]
    before = laurel.log.last_position()
    for body, code, said in cases:
        response = await http.post(f"/people/{hoa}/facts", json=body, headers={**CLERK, **VI})
        detail = assert_problem(response, 422, code)["detail"]
        assert said in detail, (body, detail)
    # Only the keepers of the person's unit record facts.
    council = await http.post(f"/people/{hoa}/facts", json=DISCIPLINE,
                              headers=token("secretary1", "reviewer", unit=UNIT))
    assert_problem(council, 403, "wrong-role")
    assert_problem(await http.post(f"/people/{hoa}/facts", json=DISCIPLINE,
                                   headers=OTHER_CLERK), 404, "not-found")
    assert laurel.log.last_position() == before


async def test_the_start_of_service_is_recorded_and_the_latest_holds(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    first = await http.post(f"/people/{hoa}/service", headers=CLERK, json={
        "start": "2010-09-01", "evidence": "Quyết định tuyển dụng số 7/QĐ-UBND"})
    assert first.status_code == 200, first.text
    second = await http.post(f"/people/{hoa}/service", headers=CLERK, json={
        "start": "2011-09-01", "evidence": "Quyết định tuyển dụng số 8/QĐ-UBND"})
    assert second.status_code == 200, second.text
    before_birth = await http.post(f"/people/{hoa}/service", headers={**CLERK, **VI}, json={
        "start": "1980-01-01", "evidence": "QĐ 1"})
    assert "sau ngày sinh" in assert_problem(before_birth, 422, "invalid-service")["detail"]
    project(laurel)
    assert (await person(http, hoa, CITY_REVIEWER))["service"] == {
        "start": "2011-09-01", "evidence": "Quyết định tuyển dụng số 8/QĐ-UBND"}
    found = laurel.nominations.register._find(UUID(hoa))
    assert found is not None and found.service_started() == Service(
        date(2011, 9, 1), "Quyết định tuyển dụng số 8/QĐ-UBND")


async def test_facts_are_shown_to_the_unit_its_councils_and_auditors_only(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    recorded = await http.post(f"/people/{hoa}/facts", json=DISCIPLINE, headers=CLERK)
    assert recorded.status_code == 201, recorded.text
    project(laurel)
    for who in (CLERK, INSPECTOR, CITY_REVIEWER, CITY_DECIDER):
        shown = await person(http, hoa, who)
        assert [f["fact"] for f in shown["facts"]] == ["discipline"]
    # Another unit, or a council of another district, does not learn the person exists.
    for who in (OTHER_CLERK, FOREIGN_REVIEWER):
        assert_problem(await http.get(f"/people/{hoa}", headers=who), 404, "not-found")
    # The listing never carries facts.
    listed = (await http.get("/people", headers=CITY_REVIEWER)).json()["items"]
    assert listed and all("facts" not in p for p in listed)
    # Moved to another unit, the unit left no longer sees them, facts and all.
    moved = await http.post(f"/people/{hoa}/transfers", headers=CLERK, json={
        "to_unit": OTHER_UNIT, "on": "2025-09-01"})
    assert moved.status_code == 200, moved.text
    project(laurel)
    assert_problem(await http.get(f"/people/{hoa}", headers=CLERK), 404, "not-found")
    assert [f["fact"] for f in (await person(http, hoa, OTHER_CLERK))["facts"]] == [
        "discipline"]


def test_who_sees_facts_is_said_by_role_and_reach(laurel: Laurel) -> None:
    """Of those who may see a person, only the keepers of their unit, the councils and
    deciders of the unit or above and auditors read their facts; anyone else is told
    they are withheld."""
    policy, row = laurel.policy, {"id": "x", "unit_id": UNIT}

    def of(*roles: str, unit: str = UNIT) -> Actor:
        return Actor("someone", frozenset(roles), unit)

    assert sees_facts(of("proposer"), policy, row)
    assert sees_facts(of("admin", unit="hg"), policy, row)
    assert sees_facts(of("reviewer", unit="hg.vi-thanh"), policy, row)
    assert sees_facts(of("decider", unit="hg"), policy, row)
    assert sees_facts(of("auditor", unit="hg"), policy, row)
    assert not sees_facts(of("proposer", unit=OTHER_UNIT), policy, row)
    assert not sees_facts(of("reviewer", unit="hg.nga-bay"), policy, row)
    assert not sees_facts(of("public"), policy, row)
    assert not sees_facts(of(), policy, row)


def test_the_award_history_is_the_persons_own_and_a_revocation_marks_it(
    laurel: Laurel,
) -> None:
    """Awards entered and decided in Laurel (recorded on the person with the decision)
    are what eligibility reads; a revocation carried over marks the award's row, with
    the person's unit at the time for quota counts."""
    app, clerk = laurel.nominations, actor("proposer", UNIT)
    hoa = commands.register_person(app, clerk, **HOA, at=START)
    commands.record_award(app, hoa, clerk, award_code="chien-si-thi-dua-co-so", year=2022,
                          decision_number="15/QĐ-UBND", decision_date="2023-01-10",
                          issuer="UBND thành phố Vị Thanh", at=START)
    nomination_id = "6a1d8f8e-1111-4a55-9d0c-6f3b6d1b2c11"
    person = app.register._find(hoa)
    assert isinstance(person, Person)
    person.record_award(actor("decider", UNIT), award_code="giay-khen", year=2025,
                        decision_number="21/QĐ-UBND", decision_date=date(2025, 12, 30),
                        issuer="Chủ tịch UBND phường", source="laurel", at=START,
                        nomination_id=nomination_id)
    app.register.save(person)
    person.revoke_award(nomination_id="no-such-nomination", on=date(2026, 1, 5),
                        decision_number="1/QĐ", at=START)  # nothing of that nomination
    assert not person.collect_events()
    person.revoke_award(nomination_id=nomination_id, on=date(2026, 1, 5),
                        decision_number="22/QĐ-UBND", at=START)
    app.register.save(person)
    again = app.register._find(hoa)
    assert again is not None
    assert again.held_awards() == (
        HeldAward("chien-si-thi-dua-co-so", 2022, "15/QĐ-UBND", date(2023, 1, 10),
                  "UBND thành phố Vị Thanh"),
        HeldAward("giay-khen", 2025, "21/QĐ-UBND", date(2025, 12, 30), "Chủ tịch UBND phường",
                  revoked_on=date(2026, 1, 5)))
    Projector(laurel.engine, laurel.log).catch_up()
    with laurel.engine.connect() as conn:
        rows = conn.execute(select(person_awards).order_by(person_awards.c.year)).mappings()
        assert [(r["id"], r["source"], r["unit_id"], r["revoked"], r["revoked_on"])
                for r in rows] == [
            (f"{hoa}/2", "manual", UNIT, False, None),
            (nomination_id, "laurel", UNIT, True, "2026-01-05")]


def test_facts_service_and_revocations_rebuild_identically(laurel: Laurel) -> None:
    app, clerk = laurel.nominations, actor("proposer", UNIT)
    hoa = commands.register_person(app, clerk, **HOA, at=START)
    person = app.register._find(hoa)
    assert person is not None
    fact_id = person.record_fact(clerk, fact="investigation", start=date(2025, 2, 1), end=None,
                                 evidence="Quyết định khởi tố số 3", at=START)
    person.record_fact(clerk, fact="complaint", start=date(2025, 4, 1), end=None,
                       evidence="Đơn khiếu nại ngày 01/04/2025", at=START)
    person.record_service(clerk, start=date(2012, 8, 15), evidence="QĐ tuyển dụng 12",
                          at=START)
    person.record_award(actor("decider", UNIT), award_code="giay-khen", year=2025,
                        decision_number="21/QĐ", decision_date=date(2025, 12, 30),
                        issuer="UBND phường", source="laurel", at=START,
                        nomination_id="7b2e9f9f-2222-4a55-9d0c-6f3b6d1b2c11")
    app.register.save(person)
    Projector(laurel.engine, laurel.log).catch_up()  # later events change stored rows
    person.end_fact(clerk, fact_id=fact_id, end=date(2025, 6, 1), evidence="Đình chỉ điều tra",
                    at=START)
    person.revoke_award(nomination_id="7b2e9f9f-2222-4a55-9d0c-6f3b6d1b2c11",
                        on=date(2026, 1, 5), decision_number="22/QĐ", at=START)
    app.register.save(person)
    commands.transfer_person(app, hoa, clerk, to_unit=OTHER_UNIT, on="2025-09-01", at=START)
    Projector(laurel.engine, laurel.log, batch_size=1).catch_up()

    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))

    assert report.identical, report.differences
    rows = {t.table: t.live_rows for t in report.tables}
    assert rows["person_facts"] == 2 and rows["person_service"] == 1
    assert rows["person_awards"] == 1
