"""Nominations of people of the register, checked against their award's rules over HTTP
on SQLite and PostgreSQL: each kind of rule passing, failing (422, every failed check
named and explained) and overridden (recorded, shown to every later reader); an
initiative used twice; a quota exceeded at a council meeting; a duplicate; a decision
joining the nominee's history; verdicts recorded, not recomputed."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx

from infrastructure.container import Laurel
from tests.support.nominations import AGAINST, FOR, day_in_vietnam, project
from tests.support.people import token
from tests.support.problems import assert_problem

UNIT, DISTRICT = "hg.vi-thanh.phuong-1", "hg.vi-thanh"
CLERK = token("clerk", "proposer", unit=UNIT)
COUNCIL = token("council", "reviewer", unit=UNIT)
DISTRICT_COUNCIL = token("district-council", "reviewer", unit=DISTRICT)
DECIDER = token("chair", "decider", unit=DISTRICT)
INSPECTOR = token("inspector", "auditor", unit="hg")
VI = {"Accept-Language": "vi"}
EN = {"Accept-Language": "en"}
YEAR = 2025
_numbers = itertools.count(1)


async def person(http: httpx.AsyncClient, name: str,
                 titles: list[tuple[str, int]] = ()) -> str:  # type: ignore[assignment]
    """Someone of the clerk's unit holding ``titles`` (award code, year)."""
    n = next(_numbers)
    body = {"kind": "individual", "name": name, "national_id": f"093085{n:06d}",
            "birth_date": "1985-03-01", "gender": "male"}
    created = await http.post("/people", json=body, headers=CLERK)
    assert created.status_code == 201, created.text
    person_id = str(created.json()["id"])
    for code, year in titles:
        recorded = await http.post(f"/people/{person_id}/awards", headers=CLERK, json={
            "award_code": code, "year": year, "decision_number": f"{n}-{year}/QĐ-UBND",
            "decision_date": f"{year}-12-20", "issuer": "UBND thành phố Vị Thanh"})
        assert recorded.status_code == 201, recorded.text
    return person_id


async def initiative(http: httpx.AsyncClient, author: str, title: str) -> str:
    created = await http.post("/initiatives", headers=CLERK, json={
        "title": title, "authors": [author], "unit_id": UNIT,
        "recognised_on": f"{YEAR}-06-15", "recognition": "Quyết định số 12/QĐ-HĐSK",
        "scope": "Giáo dục"})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def nominate(person_id: str, award: str, **more: Any) -> dict[str, Any]:
    return {"award_code": award, "nominee": {"person_id": person_id}, "year": YEAR,
            "achievements": "Hoàn thành xuất sắc nhiệm vụ", **more}


def failed_rules(problem: dict[str, Any]) -> list[str]:
    return [check["rule"] for check in problem["checks"]]


async def test_consecutive_titles_failing_refused_then_overridden_and_flagged(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await person(http, "Nguyễn Thị Hoa", [("chien-si-thi-dua-co-so", 2023),
                                               ("chien-si-thi-dua-co-so", 2024)])
    basis = await initiative(http, hoa, "Dạy học theo dự án ở lớp 5")
    project(laurel)
    asked = nominate(hoa, "chien-si-thi-dua-tinh", initiative_id=basis)

    refused = assert_problem(await http.post("/nominations", json=asked, headers={**CLERK, **VI}),
                             422, "not-eligible")
    assert failed_rules(refused) == ["consecutive_titles"]
    assert "Thiếu danh hiệu Chiến sĩ thi đua cơ sở năm 2025" in refused["checks"][0]["explanation"]
    assert "2025" in refused["detail"] and "override_reason" in refused["detail"]
    assert [e["year"] for e in refused["checks"][0]["evidence"]] == [2023, 2024]
    project(laurel)
    listed = (await http.get("/nominations", headers=CLERK)).json()
    assert listed["total"] == 0  # nothing recorded

    reason = "Thành tích đặc biệt xuất sắc năm 2025, đề nghị Hội đồng xem xét"
    created = await http.post("/nominations", json={**asked, "override_reason": reason},
                              headers=CLERK)
    assert created.status_code == 201, created.text
    project(laurel)
    read = (await http.get(f"/nominations/{created.json()['id']}", headers={**COUNCIL, **EN})
            ).json()
    assert read["override_reason"] == reason and read["year"] == YEAR
    assert read["nominee"]["name"] == "Nguyễn Thị Hoa"
    assert read["nominee"]["person_id"] == hoa
    verdict = read["eligibility"]
    assert verdict["eligible"] is False and verdict["override_reason"] == reason
    failed = [c for c in verdict["checks"] if c["passed"] is False]
    assert [c["rule"] for c in failed] == ["consecutive_titles"]
    assert failed[0]["explanation"].startswith("Did not hold the title")


async def test_consecutive_titles_and_an_unused_initiative_pass_with_their_evidence(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    lan = await person(http, "Võ Thị Lan", [("chien-si-thi-dua-co-so", y) for y in (2023, 2024,
                                                                                   2025)])
    basis = await initiative(http, lan, "Sổ tay điện tử cho giáo viên chủ nhiệm")
    project(laurel)
    created = await http.post("/nominations", json=nominate(
        lan, "chien-si-thi-dua-tinh", initiative_id=basis), headers=CLERK)
    assert created.status_code == 201, created.text
    nomination_id = created.json()["id"]
    project(laurel)

    checklist = (await http.get(f"/nominations/{nomination_id}/eligibility",
                                headers={**COUNCIL, **VI})).json()
    assert checklist["eligible"] is True
    by_rule = {c["rule"]: c for c in checklist["checks"]}
    assert set(by_rule) == {"consecutive_titles", "unused_initiative", "no_disqualifier"}
    assert "3 năm liên tục 2023–2025" in by_rule["consecutive_titles"]["explanation"]
    assert [e["year"] for e in by_rule["consecutive_titles"]["evidence"]] == [2023, 2024, 2025]
    assert by_rule["unused_initiative"]["evidence"][0]["title"] == (
        "Sổ tay điện tử cho giáo viên chủ nhiệm")
    assert by_rule["consecutive_titles"]["legal_basis"].startswith("Luật Thi đua")
    assert checklist["policy_version"] and checklist["recorded"][0]["step"] == "proposal"


async def test_an_initiative_used_once_cannot_be_the_basis_of_a_second_nomination(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    titles = [("chien-si-thi-dua-co-so", y) for y in (2023, 2024, 2025)]
    an, binh = await person(http, "Phạm Văn An", titles), await person(http, "Lý Văn Bình", titles)
    shared = await initiative(http, an, "Phần mềm quản lý thư viện trường")
    project(laurel)
    first = await http.post("/nominations", json=nominate(
        an, "chien-si-thi-dua-tinh", initiative_id=shared), headers=CLERK)
    assert first.status_code == 201, first.text

    second = assert_problem(await http.post("/nominations", json=nominate(
        binh, "chien-si-thi-dua-tinh", initiative_id=shared), headers={**CLERK, **VI}),
        422, "not-eligible")
    assert failed_rules(second) == ["unused_initiative"]
    assert "đã được dùng làm căn cứ khen thưởng" in second["checks"][0]["explanation"]
    uses = [e for e in second["checks"][0]["evidence"] if e["kind"] == "initiative_use"]
    assert [u["nomination_id"] for u in uses] == [first.json()["id"]]

    # Once the first nomination is withdrawn, the initiative is free again.
    project(laurel)
    withdrawn = await http.post(f"/nominations/{first.json()['id']}/withdraw",
                                json={"reason": "Đổi người đề nghị"}, headers=CLERK)
    assert withdrawn.status_code == 200, withdrawn.text
    again = await http.post("/nominations", json=nominate(
        binh, "chien-si-thi-dua-tinh", initiative_id=shared), headers=CLERK)
    assert again.status_code == 201, again.text


async def test_an_earlier_award_within_the_years_passes_and_its_absence_fails(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    holder = await person(http, "Đặng Thị Mai", [("bang-khen-tinh", 2022)])
    stale = await person(http, "Huỳnh Văn Tư", [("bang-khen-tinh", 2018)])
    project(laurel)
    passed = await http.post("/nominations", json=nominate(holder, "bang-khen-thu-tuong"),
                             headers=CLERK)
    assert passed.status_code == 201, passed.text
    refused = assert_problem(await http.post(
        "/nominations", json=nominate(stale, "bang-khen-thu-tuong"), headers={**CLERK, **EN}),
        422, "not-eligible")
    assert failed_rules(refused) == ["earlier_award"]
    assert "2020–2024" in refused["checks"][0]["explanation"]
    assert "2018" in refused["checks"][0]["explanation"]


async def test_minimum_service_and_a_disqualifier_recorded_on_the_register(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    newcomer = await person(http, "Trương Văn Mới")
    veteran = await person(http, "Lâm Thị Cũ")
    punished = await person(http, "Tô Văn Phạt")
    for who, start in ((newcomer, f"{YEAR}-06-01"), (veteran, "2015-09-01"),
                       (punished, "2010-09-01")):
        recorded = await http.post(f"/people/{who}/service", headers=CLERK, json={
            "start": start, "evidence": "Quyết định tuyển dụng"})
        assert recorded.status_code in (200, 201), recorded.text
    fact = await http.post(f"/people/{punished}/facts", headers=CLERK, json={
        "fact": "discipline", "start": f"{YEAR}-03-01", "end": f"{YEAR}-08-31",
        "evidence": "Quyết định kỷ luật số 45/QĐ-UBND"})
    assert fact.status_code == 201, fact.text
    project(laurel)

    too_new = assert_problem(await http.post(
        "/nominations", json=nominate(newcomer, "lao-dong-tien-tien"), headers={**CLERK, **VI}),
        422, "not-eligible")
    assert failed_rules(too_new) == ["minimum_service"]
    assert "Mới công tác 7 tháng" in too_new["checks"][0]["explanation"]
    served = await http.post("/nominations", json=nominate(veteran, "lao-dong-tien-tien"),
                             headers=CLERK)
    assert served.status_code == 201, served.text
    barred = assert_problem(await http.post(
        "/nominations", json=nominate(punished, "lao-dong-tien-tien"), headers={**CLERK, **VI}),
        422, "not-eligible")
    assert failed_rules(barred) == ["no_disqualifier"]
    assert "45/QĐ-UBND" in barred["checks"][0]["explanation"]
    assert barred["checks"][0]["evidence"][0]["fact"] == "discipline"


async def test_the_same_person_for_the_same_award_and_year_is_a_duplicate(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    tam = await person(http, "Cao Văn Tâm")
    project(laurel)
    first = await http.post("/nominations", json=nominate(tam, "giay-khen"), headers=CLERK)
    assert first.status_code == 201, first.text
    twice = assert_problem(await http.post(
        "/nominations", json=nominate(tam, "giay-khen"), headers={**CLERK, **VI}),
        409, "duplicate-nomination")
    assert twice["nomination_id"] == first.json()["id"]
    assert first.json()["tracking_code"] in twice["detail"]
    listed = assert_problem(await http.post("/proposals", headers=CLERK, json={"items": [
        nominate(tam, "giay-khen", year=2024), nominate(tam, "giay-khen", year=2024)]}),
        409, "duplicate-nomination")
    assert listed["item"] == 1
    another_year = await http.post("/nominations", json=nominate(tam, "giay-khen", year=2024),
                                   headers=CLERK)
    assert another_year.status_code == 201, another_year.text


async def test_a_quota_exceeded_at_a_meeting_is_refused_with_the_count(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    # Seven advanced workers in 2025: 15 % of them is 1.05, so one grassroots fighter.
    workers = [await person(http, f"Người Lao Động {i}", [("lao-dong-tien-tien", YEAR)])
               for i in range(7)]
    project(laurel)
    tasks = []
    for i, who in enumerate(workers[:2]):
        basis = await initiative(http, who, f"Sáng kiến số {i}")
        created = await http.post("/nominations", headers=CLERK, json=nominate(
            who, "chien-si-thi-dua-co-so", initiative_id=basis))
        assert created.status_code == 201, created.text
        opened = laurel.nominations.open_review(UUID(created.json()["id"]), 0,
                                                datetime.now(UTC))
        assert opened is not None
        tasks.append(opened.task_id)
    project(laurel)

    meeting = {"items": [{"task_id": t, "outcome": "approve", "votes": FOR} for t in tasks]}
    refused = assert_problem(await http.post("/tasks/bulk-review", json=meeting,
                                             headers={**COUNCIL, **VI}), 422, "not-eligible")
    assert refused["item"] == 1 and failed_rules(refused) == ["quota"]
    assert "thêm người này là 2, vượt định mức" in refused["checks"][0]["explanation"]
    count = refused["checks"][0]["evidence"][0]
    assert (count["holders"], count["base_holders"]) == (1, 7)
    project(laurel)
    assert (await http.get(f"/tasks/{tasks[0]}", headers=COUNCIL)).json()["status"] == "open"

    one = await http.post(f"/tasks/{tasks[0]}/review", headers=COUNCIL,
                          json={"outcome": "approve", "votes": FOR})
    assert one.status_code == 200, one.text
    project(laurel)
    second = assert_problem(await http.post(f"/tasks/{tasks[1]}/review", headers=COUNCIL,
                                            json={"outcome": "approve", "votes": FOR}),
                            422, "not-eligible")
    assert second["checks"][0]["evidence"][0]["holders"] == 1
    returned = await http.post(f"/tasks/{tasks[1]}/review", headers=COUNCIL, json={
        "outcome": "return", "votes": AGAINST, "note": "Vượt định mức 15 %"})
    assert returned.status_code == 200, returned.text


async def test_a_decision_joins_the_history_and_the_verdicts_stay_as_recorded(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nga = await person(http, "Bùi Thị Nga")
    project(laurel)
    created = await http.post("/nominations", json=nominate(nga, "giay-khen"), headers=CLERK)
    assert created.status_code == 201, created.text
    nomination_id = UUID(created.json()["id"])
    proposed_at = datetime.now(UTC)
    app = laurel.nominations
    task = app.open_review(nomination_id, 0, datetime.now(UTC))
    assert task is not None
    project(laurel)
    reviewed = await http.post(f"/tasks/{task.task_id}/review", headers=COUNCIL,
                               json={"outcome": "approve", "votes": FOR})
    assert reviewed.status_code == 200, reviewed.text
    decision = app.open_decision(nomination_id, datetime.now(UTC))
    assert decision is not None
    project(laurel)
    decided = await http.post(f"/tasks/{decision.task_id}/decision", headers=token(
        "head", "decider", unit=UNIT), json={
        "outcome": "awarded", "decision_number": "88/QĐ-UBND", "decision_date": day_in_vietnam(),
        "signer": "Chủ tịch UBND phường"})
    assert decided.status_code == 200, decided.text
    project(laurel)

    history = (await http.get(f"/people/{nga}/awards", headers=CLERK)).json()["items"]
    assert [(a["award_code"], a["year"], a["decision_number"], a["source"]) for a in history] == [
        ("giay-khen", YEAR, "88/QĐ-UBND", "laurel")]
    again = assert_problem(await http.post("/nominations", json=nominate(nga, "giay-khen"),
                                           headers=CLERK), 409, "duplicate-nomination")
    assert again["nomination_id"] == str(nomination_id)

    recorded = (await http.get(f"/nominations/{nomination_id}/eligibility",
                               headers=INSPECTOR)).json()["recorded"]
    assert [r["step"] for r in recorded] == ["proposal", "review"]
    assert all(r["policy_version"] == recorded[0]["policy_version"] for r in recorded)
    then = (await http.get(f"/nominations/{nomination_id}/eligibility", headers=INSPECTOR,
                           params={"at": proposed_at.isoformat()})).json()
    assert [r["step"] for r in then["recorded"]] == ["proposal"]
    assert then["eligible"] is True


async def test_a_household_named_only_is_stated_not_checked(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    created = await http.post("/nominations", headers=CLERK, json={
        "award_code": "bang-khen-tinh", "year": YEAR,
        "nominee": {"name": "Hộ ông Nguyễn Văn Ba", "kind": "household"}})
    assert created.status_code == 201, created.text
    project(laurel)
    read = (await http.get(f"/nominations/{created.json()['id']}", headers={**CLERK, **VI})
            ).json()
    assert read["eligibility"]["eligible"] is None
    assert [c["passed"] for c in read["eligibility"]["checks"]] == [None]
    assert "chưa kiểm tra được" in read["eligibility"]["checks"][0]["explanation"]
    unnamed = await http.post("/nominations", headers=CLERK, json={
        "award_code": "giay-khen", "nominee": {"kind": "individual"}})
    assert_problem(unnamed, 422, "invalid-body")


async def test_a_collective_is_matched_by_its_name_in_a_history_sheet(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    ward = await http.post("/people", headers=CLERK, json={"kind": "collective",
                                                           "name": "UBND Phường I"})
    assert ward.status_code == 201, ward.text
    project(laurel)
    sheet = "\n".join([
        "Họ và tên;Danh hiệu/Hình thức;Năm;Số quyết định;Ngày quyết định;Cơ quan ban hành",
        "ubnd phuong i;Bằng khen của Chủ tịch UBND tỉnh;2022;88/QĐ-UBND;28/12/2022;UBND tỉnh",
        "Tổ dân phố 9;Bằng khen của Chủ tịch UBND tỉnh;2022;89/QĐ-UBND;28/12/2022;UBND tỉnh",
    ]).encode()
    refused = assert_problem(await http.post(
        "/people/awards/import", headers={**CLERK, **VI},
        files={"file": ("tap-the.csv", sheet)}), 422, "import-refused")
    assert [r["row"] for r in refused["rows"]] == [3]
    assert "Tổ dân phố 9" in refused["rows"][0]["detail"]
    imported = await http.post("/people/awards/import", headers=CLERK, files={
        "file": ("tap-the.csv", b"\n".join(sheet.split(b"\n")[:2]))})
    assert imported.status_code == 200, imported.text
    project(laurel)
    held = (await http.get(f"/people/{ward.json()['id']}/awards", headers=CLERK)).json()
    assert [(a["award_code"], a["year"]) for a in held["items"]] == [("bang-khen-tinh", 2022)]


async def test_a_misspelt_name_is_corrected_with_its_reason_and_found_by_the_new_one(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    someone = await person(http, "Nguyen Thi Hao")
    corrected = await http.post(f"/people/{someone}/corrections", headers=CLERK, json={
        "changes": {"name": "Nguyễn Thị Hảo", "position": "Hiệu phó"},
        "reason": "Sai chính tả khi nhập"})
    assert corrected.status_code == 200, corrected.text
    unchanged = await http.post(f"/people/{someone}/corrections", headers={**CLERK, **VI},
                                json={"changes": {"name": "Nguyễn Thị Hảo"}, "reason": "…"})
    assert "không thay đổi" in assert_problem(unchanged, 422, "invalid-person")["detail"]
    wrong_gender = await http.post(f"/people/{someone}/corrections", headers=CLERK, json={
        "changes": {"gender": "female"}, "reason": "…"})
    assert_problem(wrong_gender, 422, "invalid-national-id")  # the CCCD says a man
    project(laurel)
    read = (await http.get(f"/people/{someone}", headers=CLERK)).json()
    assert (read["name"], read["position"]) == ("Nguyễn Thị Hảo", "Hiệu phó")
    found = (await http.get("/people", params={"q": "nguyen thi hao"}, headers=CLERK)).json()
    assert [p["id"] for p in found["items"]] == [someone]


async def test_every_kind_of_failed_rule_is_overridden_with_a_reason_and_recorded(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    stale = await person(http, "Âu Văn Cũ", [("bang-khen-tinh", 2018)])
    newcomer = await person(http, "Tạ Văn Mới")
    barred = await person(http, "Hà Văn Phạt")
    without = await person(http, "Kha Văn Thiếu", [("chien-si-thi-dua-co-so", y)
                                                   for y in (2023, 2024, 2025)])
    for who, start in ((newcomer, f"{YEAR}-06-01"), (barred, "2010-01-01")):
        served = await http.post(f"/people/{who}/service", headers=CLERK,
                                 json={"start": start, "evidence": "QĐ tuyển dụng"})
        assert served.status_code in (200, 201), served.text
    fact = await http.post(f"/people/{barred}/facts", headers=CLERK, json={
        "fact": "investigation", "start": f"{YEAR}-02-01", "evidence": "Công văn số 7/CAT"})
    assert fact.status_code == 201, fact.text
    project(laurel)
    cases = [(stale, "bang-khen-thu-tuong", "earlier_award"),
             (newcomer, "lao-dong-tien-tien", "minimum_service"),
             (barred, "lao-dong-tien-tien", "no_disqualifier"),
             (without, "chien-si-thi-dua-tinh", "unused_initiative")]
    for who, award, rule in cases:
        reason = f"Hội đồng đã xem xét riêng: {rule}"
        created = await http.post("/nominations", headers=CLERK, json=nominate(
            who, award, override_reason=reason))
        assert created.status_code == 201, (rule, created.text)
        project(laurel)
        read = (await http.get(f"/nominations/{created.json()['id']}", headers=INSPECTOR)
                ).json()
        assert read["override_reason"] == reason
        assert [c["rule"] for c in read["eligibility"]["checks"] if c["passed"] is False] == [
            rule]
        history = (await http.get(f"/audit/nominations/{created.json()['id']}/history",
                                  headers=INSPECTOR)).json()
        assert reason in str(history)  # the auditor reads the reason on the event


async def test_a_council_overrides_the_quota_and_the_reason_is_recorded_with_its_ballot(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    workers = [await person(http, f"Công Nhân {i}", [("lao-dong-tien-tien", YEAR)])
               for i in range(7)]
    project(laurel)  # the quota counts the read models' holders
    tasks = []
    for i, who in enumerate(workers[:2]):
        basis = await initiative(http, who, f"Cải tiến số {i}")
        created = await http.post("/nominations", headers=CLERK, json=nominate(
            who, "chien-si-thi-dua-co-so", initiative_id=basis))
        assert created.status_code == 201, created.text
        opened = laurel.nominations.open_review(UUID(created.json()["id"]), 0,
                                                datetime.now(UTC))
        assert opened is not None
        tasks.append((created.json()["id"], opened.task_id))
    project(laurel)
    reason = "Đơn vị có thành tích đột xuất, đề nghị vượt định mức"
    meeting = {"items": [{"task_id": t, "outcome": "approve", "votes": FOR,
                          "override_reason": reason if i else ""}
                         for i, (_, t) in enumerate(tasks)]}
    recorded = await http.post("/tasks/bulk-review", json=meeting, headers=COUNCIL)
    assert recorded.status_code == 200, recorded.text
    project(laurel)
    verdicts = (await http.get(f"/nominations/{tasks[1][0]}/eligibility",
                               headers=INSPECTOR)).json()["recorded"]
    review = verdicts[-1]
    assert review["step"] == "review" and review["override_reason"] == reason
    assert review["outcome"] == "approve" and review["actor_unit"] == UNIT
    quota = next(c for c in review["checks"] if c["rule"] == "quota")
    assert quota["passed"] is False and quota["evidence"][0]["holders"] == 1


async def test_two_proposals_of_one_nominee_racing_in_make_one_nomination_and_a_409(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    """The candidacy is opened as new without looking first: the event store refuses the
    second, which is then given again, looking, and named a duplicate."""
    racer = await person(http, "Mạc Văn Đua")
    project(laurel)
    answers = await asyncio.gather(*(
        http.post("/nominations", json=nominate(racer, "giay-khen"), headers=CLERK)
        for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    won = next(a for a in answers if a.status_code == 201).json()
    lost = assert_problem(next(a for a in answers if a.status_code == 409), 409,
                          "duplicate-nomination")
    assert lost["nomination_id"] == won["id"]
