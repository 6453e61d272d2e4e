"""The register of initiatives over HTTP, on SQLite and PostgreSQL: registered by a
unit's clerk with authors of the register, found by title accents aside, seen by the
units that see its unit only, shown with every use of it as a nomination's basis, and
rebuilt identically."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx

from domain.eligibility import Initiative as InitiativeEvidence
from domain.initiative import Initiative
from infrastructure.container import Laurel
from projections.projector import Projector
from projections.verify import scratch_url_for, verify_read_models
from tests.support import commands
from tests.support.nominations import START, project
from tests.support.people import actor, token
from tests.support.problems import assert_problem
from tests.test_people import CITY_REVIEWER, CLERK, HOA, NAM, OTHER_CLERK, UNIT, VI, register

SOFTWARE = {"title": "Phần mềm quản lý hồ sơ thi đua", "recognised_on": "2025-06-10",
            "recognition": "Quyết định số 12/QĐ-HĐSK", "scope": "Cải cách hành chính"}
NOMINATION = "3c9d7e7e-3333-4a55-9d0c-6f3b6d1b2c11"
OTHER_NOMINATION = "4d0e8f8f-4444-4a55-9d0c-6f3b6d1b2c11"


async def registered(http: httpx.AsyncClient, body: dict[str, Any],
                     headers: dict[str, str] = CLERK) -> str:
    response = await http.post("/initiatives", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/initiatives/{response.json()['id']}"
    return str(response.json()["id"])


async def titles(http: httpx.AsyncClient, q: str, headers: dict[str, str] = CLERK) -> list[str]:
    response = await http.get("/initiatives", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return [i["title"] for i in response.json()["items"]]


async def test_an_initiative_is_registered_and_found_accents_aside(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa, nam = await register(http, HOA), await register(http, NAM)
    keyed = {**CLERK, "Idempotency-Key": "sk-12"}
    software = await registered(http, {**SOFTWARE, "authors": [hoa, nam]}, keyed)
    before = laurel.log.last_position()
    assert await registered(http, {**SOFTWARE, "authors": [hoa, nam]}, keyed) == software
    assert laurel.log.last_position() == before  # a retry records nothing
    await registered(http, {**SOFTWARE, "title": "Đổi mới dạy học Toán", "authors": [hoa]})
    project(laurel)

    assert await titles(http, "phan mem") == ["Phần mềm quản lý hồ sơ thi đua"]
    assert await titles(http, "QUAN LY HO SO") == ["Phần mềm quản lý hồ sơ thi đua"]
    assert await titles(http, "doi moi") == ["Đổi mới dạy học Toán"]
    assert await titles(http, "") == ["Đổi mới dạy học Toán", "Phần mềm quản lý hồ sơ thi đua"]
    assert await titles(http, "phan mem", CITY_REVIEWER) == ["Phần mềm quản lý hồ sơ thi đua"]
    paged = (await http.get("/initiatives", params={"limit": 1, "offset": 1},
                            headers=CLERK)).json()
    assert (paged["total"], [i["title"] for i in paged["items"]]) == (
        2, ["Phần mềm quản lý hồ sơ thi đua"])
    shown = (await http.get(f"/initiatives/{software}", headers=CLERK)).json()
    assert (shown["title"], shown["unit_id"], shown["recognised_on"], shown["recognition"],
            shown["scope"]) == (SOFTWARE["title"], UNIT, "2025-06-10",
                                "Quyết định số 12/QĐ-HĐSK", "Cải cách hành chính")
    assert [(a["id"], a["name"]) for a in shown["authors"]] == [
        (hoa, "Nguyễn Thị Hoa"), (nam, "Trần Văn Nam")]
    assert shown["uses"] == []
    # Another unit does not learn it exists.
    assert await titles(http, "phan mem", OTHER_CLERK) == []
    assert_problem(await http.get(f"/initiatives/{software}", headers=OTHER_CLERK), 404,
                   "not-found")
    assert_problem(await http.get("/initiatives/not-an-id", headers=CLERK), 404, "not-found")


async def test_its_uses_are_shown_with_nomination_award_year_and_unit(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    software = UUID(await registered(http, {**SOFTWARE, "authors": [hoa]}))
    the_register = laurel.nominations.register
    initiative = the_register.initiative(software)
    assert isinstance(initiative, Initiative)
    assert initiative.as_evidence() == InitiativeEvidence(
        str(software), SOFTWARE["title"], date(2025, 6, 10), "Quyết định số 12/QĐ-HĐSK")
    initiative.use(nomination_id=NOMINATION, award_code="chien-si-thi-dua-co-so", year=2025,
                   unit_id=UNIT, at=START)
    initiative.use(nomination_id=NOMINATION, award_code="chien-si-thi-dua-co-so", year=2025,
                   unit_id=UNIT, at=START)  # the same nomination again: nothing new
    initiative.release(nomination_id=OTHER_NOMINATION, reason="…", at=START)  # not in use
    assert len(initiative.pending_events) == 1
    the_register.save(initiative)
    project(laurel)
    # Cited by a second nomination (the eligibility rule refuses it but for a reason).
    initiative = the_register.initiative(software)
    assert initiative is not None
    initiative.use(nomination_id=OTHER_NOMINATION, award_code="chien-si-thi-dua-co-so",
                   year=2026, unit_id=UNIT, at=START)
    assert initiative.uses() == (
        (NOMINATION, "chien-si-thi-dua-co-so", 2025, UNIT),
        (OTHER_NOMINATION, "chien-si-thi-dua-co-so", 2026, UNIT))
    the_register.save(initiative)
    project(laurel)
    initiative.release(nomination_id=NOMINATION, reason="Hồ sơ rút", at=START)
    the_register.save(initiative)
    project(laurel)

    shown = (await http.get(f"/initiatives/{software}", headers=CITY_REVIEWER)).json()
    assert [(u["nomination_id"], u["award_code"], u["award_name"]["vi"], u["year"],
             u["unit_id"], u["released"], u["release_reason"]) for u in shown["uses"]] == [
        (NOMINATION, "chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", 2025, UNIT, True,
         "Hồ sơ rút"),
        (OTHER_NOMINATION, "chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", 2026, UNIT,
         False, None)]
    assert shown["authors"][0]["name"] == "Nguyễn Thị Hoa"
    again = the_register.initiative(software)
    assert again is not None and again.uses() == (
        (OTHER_NOMINATION, "chien-si-thi-dua-co-so", 2026, UNIT),)


async def test_a_bad_initiative_is_refused_saying_why_in_vietnamese(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    other = await register(http, {**NAM, "national_id": "093090004568"}, OTHER_CLERK)
    unknown = "00000000-0000-4000-8000-000000000000"
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**SOFTWARE, "authors": [hoa], "recognised_on": "2999-01-01"}, "invalid-initiative",
         "không được sau hôm nay"),
        ({**SOFTWARE, "authors": [unknown]}, "invalid-initiative", "đăng ký tác giả trước"),
        ({**SOFTWARE, "authors": [other]}, "invalid-initiative", "thuộc đơn vị do bạn quản lý"),
        ({**SOFTWARE, "authors": [hoa, hoa]}, "invalid-initiative", "hai lần"),
        ({**SOFTWARE, "authors": []}, "invalid-body", "ít nhất 1 mục"),
        ({**SOFTWARE, "authors": ["hoa"]}, "invalid-body", "giá trị không hợp lệ"),
        ({**SOFTWARE, "authors": [hoa], "title": " "}, "invalid-body", "không được để trống"),
        ({k: v for k, v in SOFTWARE.items() if k != "recognition"} | {"authors": [hoa]},
         "invalid-body", "bắt buộc phải có"),
    ]
    before = laurel.log.last_position()
    for body, code, said in cases:
        response = await http.post("/initiatives", json=body, headers={**CLERK, **VI})
        detail = assert_problem(response, 422, code)["detail"]
        assert said in detail, (body, detail)
    council = await http.post("/initiatives", json={**SOFTWARE, "authors": [hoa]},
                              headers=token("secretary1", "reviewer", unit=UNIT))
    assert_problem(council, 403, "wrong-role")
    assert laurel.log.last_position() == before


def test_the_initiatives_read_models_are_identical_after_a_rebuild(laurel: Laurel) -> None:
    app, clerk = laurel.nominations, actor("proposer", UNIT)
    hoa = commands.register_person(app, clerk, **HOA, at=START)
    initiative = Initiative.register(
        initiative_id=UUID("5e1f9a9a-5555-4a55-9d0c-6f3b6d1b2c11"), actor=clerk,
        title="Sổ tay điện tử", authors=[str(hoa)], unit_id=UNIT,
        recognised_on=date(2025, 5, 5), recognition="QĐ 5/QĐ-HĐSK", scope="", at=START)
    app.register.save(initiative)
    Projector(laurel.engine, laurel.log).catch_up()
    initiative.use(nomination_id=NOMINATION, award_code="chien-si-thi-dua-co-so", year=2025,
                   unit_id=UNIT, at=START)
    app.register.save(initiative)
    Projector(laurel.engine, laurel.log).catch_up()  # the release changes a stored row
    initiative.release(nomination_id=NOMINATION, reason="Không được khen thưởng", at=START)
    initiative.use(nomination_id=NOMINATION, award_code="chien-si-thi-dua-co-so", year=2026,
                   unit_id=UNIT, at=START)  # proposed again: a new use
    app.register.save(initiative)
    Projector(laurel.engine, laurel.log).catch_up()

    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))

    assert report.identical, report.differences
    rows = {t.table: t.live_rows for t in report.tables}
    assert rows["initiatives"] == 1 and rows["initiative_authors"] == 1
    assert rows["initiative_uses"] == 2
