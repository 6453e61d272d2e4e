"""Emulation movements and the windows proposals are taken in, over HTTP on both
backends: a movement's dossier window (inside accepted, outside refused citing its
decision), its scope and forms, its page by state; a state award's window of the year's
achievements and an ad-hoc commendation's lead time before its ceremony (the policy's
`intake`)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import openpyxl

from infrastructure.container import Laurel
from tests.support.nominations import PROPOSER, TALLY, UNIT, day_in_vietnam, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem
from tests.test_projections_verify import verify

BOARD = token("hoidong.tinh", "reviewer", unit="hg")
VI = {"Accept-Language": "vi"}


def today() -> date:
    return (datetime.now(UTC) + timedelta(hours=7)).date()


def movement(**changes: Any) -> dict[str, Any]:
    day = today()
    return {"name": "Thi đua “Dân vận khéo” năm 2026", "decision_number": "15/QĐ-UBND",
            "decision_date": (day - timedelta(days=30)).isoformat(), "scope": ["hg"],
            "period_from": f"{day.year}-01-01", "period_to": f"{day.year}-12-31",
            "criteria": "Vận động nhân dân tham gia xây dựng nông thôn mới",
            "award_codes": ["giay-khen", "bang-khen-tinh"],
            "dossier_from": (day - timedelta(days=5)).isoformat(),
            "dossier_until": (day + timedelta(days=10)).isoformat(), **changes}


def nominee(name: str) -> dict[str, str]:
    return {"name": name, "kind": "individual"}


async def launched(http: httpx.AsyncClient, **changes: Any) -> str:
    answer = await http.post("/movements", headers=BOARD, json=movement(**changes))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def test_a_movement_takes_its_units_proposals_for_its_forms_within_its_window(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    open_one = await launched(http)
    again = await http.post("/movements", headers=BOARD, json=movement(name="Khác"))
    assert_problem(again, 422, "invalid-movement")
    outside_units = await http.post("/movements", headers=token(
        "hoidong.vithanh", "reviewer", unit="hg.vi-thanh"), json=movement(
        decision_number="2/QĐ", scope=["hg.nga-bay"]))
    assert "hg.nga-bay" in assert_problem(outside_units, 422, "invalid-movement")["detail"]

    inside = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "bang-khen-tinh", "nominee": nominee("Lê Thị Hạnh"),
        "movement_id": open_one, "commendation_type": "topical"})
    assert inside.status_code == 201, inside.text
    not_offered = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "lao-dong-tien-tien", "nominee": nominee("Trần Văn Út"),
        "movement_id": open_one})
    assert "lao-dong-tien-tien" in assert_problem(not_offered, 422, "not-in-movement")["detail"]

    shut = await launched(http, decision_number="16/QĐ-UBND",
                          dossier_from=(today() - timedelta(days=30)).isoformat(),
                          dossier_until=(today() - timedelta(days=1)).isoformat())
    late = await http.post("/nominations", headers={**PROPOSER, **VI}, json={
        "award_code": "bang-khen-tinh", "nominee": nominee("Trần Văn Út"),
        "movement_id": shut})
    problem = assert_problem(late, 422, "outside-intake-window")
    assert "16/QĐ-UBND" in problem["rule"] and "nhận hồ sơ" in problem["detail"]
    elsewhere = await launched(http, decision_number="17/QĐ-UBND", scope=["hg.nga-bay"])
    out_of_scope = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "giay-khen", "nominee": nominee("Trần Văn Út"),
        "movement_id": elsewhere})
    assert_problem(out_of_scope, 422, "not-in-movement")

    project(laurel)
    shown = (await http.get(f"/movements/{open_one}", headers=PROPOSER)).json()
    assert shown["by_status"] == {"proposed": 1} and shown["status"] == "open"
    assert [n["nominee_name"] for n in shown["nominations"]] == ["Lê Thị Hạnh"]
    nomination = (await http.get(f"/nominations/{inside.json()['id']}",
                                 headers=PROPOSER)).json()
    assert nomination["movement_id"] == open_one
    assert nomination["commendation_type"] == "topical"
    listed = (await http.get("/movements", headers=PROPOSER)).json()
    assert {m["id"] for m in listed["items"]} == {open_one, shut}  # not Ngã Bảy's

    closed = await http.post(f"/movements/{open_one}/close", headers=BOARD, json={
        "result": "312 hộ tham gia; 4 tập thể, 12 cá nhân được khen"})
    assert closed.status_code == 200, closed.text
    after = await http.post("/nominations", headers=PROPOSER, json={
        "award_code": "giay-khen", "nominee": nominee("Võ Văn Kiệt"),
        "movement_id": open_one})
    assert_problem(after, 422, "outside-intake-window")
    twice = await http.post(f"/movements/{open_one}/close", headers=BOARD,
                            json={"result": "…"})
    assert_problem(twice, 422, "invalid-movement")

    project(laurel)
    rebuilt = verify(laurel)  # the movements' rows come out of a rebuild the same
    assert rebuilt.identical and rebuilt.table("movements").rebuilt_rows == 3
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as pages:
        await sign_in(pages, "clerk")
        page = text_of(await pages.get(f"/ui/movements/{open_one}"))
        assert "Dân vận khéo" in page and "Lê Thị Hạnh" in page and "15/QĐ-UBND" in page
        assert "312 hộ tham gia" in page
        # The proposal form offers the movements still open to the unit, and the kind.
        form = await pages.get("/ui/proposals/new")
        assert "16/QĐ-UBND" in form.text and "15/QĐ-UBND" not in form.text  # closed
        sent = await pages.post("/ui/proposals", data={
            "csrf": csrf_of(form), "award_code": "giay-khen", "name_0": "Đoàn Thị Mai",
            "kind_0": "individual", "commendation_type": "topical", "movement_id": shut})
        assert sent.status_code == 422  # its window is shut: nothing recorded
        assert "16/QĐ-UBND" in text_of(sent) and "Đoàn Thị Mai" in sent.text


async def test_the_labour_order_is_taken_until_the_end_of_january_after_its_year(
    http: httpx.AsyncClient,
) -> None:
    department = token("vanthu.soyte", "proposer", unit="hg.so-yte")
    long_ago = await http.post("/nominations", headers={**department, **VI}, json={
        "award_code": "huan-chuong-lao-dong-hang-ba", "nominee": nominee("Lê Văn Tám"),
        "year": today().year - 2})
    problem = assert_problem(long_ago, 422, "outside-intake-window")
    assert f"31/01/{today().year - 1}" in problem["detail"]
    assert "152/2025" in problem["rule"]
    this_year = await http.post("/nominations", headers=department, json={
        "award_code": "huan-chuong-lao-dong-hang-ba", "nominee": nominee("Lê Văn Tám")})
    assert this_year.status_code == 201, this_year.text
    provincial = await http.post("/nominations", headers=department, json={
        "award_code": "bang-khen-thu-tuong", "nominee": nominee("Lê Văn Tám"),
        "year": today().year - 2})  # no window for it in the demo
    assert provincial.status_code == 201, provincial.text


async def test_an_adhoc_commendation_comes_three_days_before_its_ceremony(
    http: httpx.AsyncClient,
) -> None:
    asked = {"award_code": "giay-khen", "nominee": nominee("Nguyễn Văn Dũng"),
             "commendation_type": "adhoc", "procedure": "adhoc"}
    without = await http.post("/nominations", headers=PROPOSER, json=asked)
    assert "3" in assert_problem(without, 422, "outside-intake-window")["detail"]
    too_soon = await http.post("/nominations", headers=PROPOSER, json={
        **asked, "ceremony_date": (today() + timedelta(days=1)).isoformat()})
    assert_problem(too_soon, 422, "outside-intake-window")
    in_time = await http.post("/nominations", headers=PROPOSER, json={
        **asked, "ceremony_date": (today() + timedelta(days=5)).isoformat()})
    assert in_time.status_code == 201, in_time.text


async def test_a_flag_without_a_registration_is_refused_citing_the_rule(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    collective = await http.post("/people", headers=PROPOSER, json={
        "kind": "collective", "name": "Phường I"})
    assert collective.status_code == 201, collective.text
    ward = collective.json()["id"]
    flag = {"award_code": "co-thi-dua-tinh", "nominee": {"person_id": ward}}
    unregistered = await http.post("/nominations", headers={**PROPOSER, **VI}, json=flag)
    problem = assert_problem(unregistered, 422, "not-eligible")
    [check] = [c for c in problem["checks"] if c["rule"] == "registered"]
    assert "Chưa đăng ký thi đua" in check["explanation"]
    assert "152/2025" in check["legal_basis"]

    late = await http.post("/registrations", headers=PROPOSER, json={
        "person_id": ward, "year": today().year - 1, "award_codes": ["co-thi-dua-tinh"]})
    assert_problem(late, 422, "invalid-registration")
    foreign = await http.post("/registrations", headers=token(
        "vanthu.nga-bay", "proposer", unit="hg.nga-bay.xa-dai-thanh"), json={
        "person_id": ward, "year": today().year, "award_codes": ["co-thi-dua-tinh"]})
    assert_problem(foreign, 404, "not-found")
    registered = await http.post("/registrations", headers=PROPOSER, json={
        "person_id": ward, "year": today().year, "award_codes": ["co-thi-dua-tinh"]})
    assert registered.status_code == 200, registered.text
    assert registered.json()["titles"] == ["co-thi-dua-tinh"]

    proposed = await http.post("/nominations", headers=PROPOSER, json=flag)
    assert proposed.status_code == 201, proposed.text
    project(laurel)
    checks = (await http.get(f"/nominations/{proposed.json()['id']}/eligibility",
                             headers={**PROPOSER, **VI})).json()["checks"]
    [check] = [c for c in checks if c["rule"] == "registered"]
    assert check["passed"] is True and "Đã đăng ký thi đua" in check["explanation"]
    assert check["evidence"][0]["kind"] == "registration"
    listed = (await http.get("/registrations", headers=PROPOSER,
                             params={"year": today().year})).json()
    assert [(r["name"], r["award_code"]) for r in listed["items"]] == [
        ("Phường I", "co-thi-dua-tinh")]

    rebuilt = verify(laurel)
    assert rebuilt.identical and rebuilt.table("registered_titles").rebuilt_rows == 1
    withdrawn = await http.post("/registrations/withdrawal", headers=PROPOSER, json={
        "person_id": ward, "year": today().year, "award_code": "co-thi-dua-tinh",
        "reason": "Đơn vị đăng ký nhầm"})
    assert withdrawn.status_code == 200 and withdrawn.json()["titles"] == []
    project(laurel)
    assert (await http.get("/registrations", headers=PROPOSER)).json()["total"] == 0
    assert verify(laurel).identical


async def awarded(http: httpx.AsyncClient, laurel: Laurel, body: dict[str, Any],
                  number: str) -> None:
    """Proposed by the ward's clerk, approved by its council, awarded by decision ``number``."""
    proposed = await http.post("/nominations", headers=PROPOSER, json=body)
    assert proposed.status_code == 201, proposed.text
    nomination_id = UUID(proposed.json()["id"])
    now = datetime.now(UTC)
    task = laurel.nominations.open_review(nomination_id, 0, now)
    assert task is not None
    project(laurel)
    approved = await http.post(f"/tasks/{task.task_id}/review", json={
        "outcome": "approve", "votes": TALLY}, headers=token("thu-ky", "reviewer", unit=UNIT))
    assert approved.status_code == 200, approved.text
    decision = laurel.nominations.open_decision(nomination_id, now)
    assert decision is not None
    project(laurel)
    decided = await http.post(f"/tasks/{decision.task_id}/decision", json={
        "outcome": "awarded", "decision_number": number,
        "decision_date": day_in_vietnam(), "signer": "Chủ tịch UBND phường"},
        headers=token("chu-tich", "decider", unit=UNIT))
    assert decided.status_code == 200, decided.text
    project(laurel)


async def test_the_years_statistics_count_a_movements_awards_under_its_name(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    movement_id = await launched(http, decision_number="18/QĐ-UBND")
    await awarded(http, laurel, {
        "award_code": "giay-khen", "nominee": nominee("Trần Thị Bông"),
        "movement_id": movement_id, "commendation_type": "topical"}, "44/QĐ-UBND")
    await awarded(http, laurel, {"award_code": "giay-khen", "nominee": nominee("Lê Văn Ngoài")},
                  "45/QĐ-UBND")  # in no movement
    figures = (await http.get("/reports/statistics", headers=PROPOSER,
                              params={"year": today().year})).json()
    [group] = [g for g in figures["by_movement"] if g["id"] == movement_id]
    assert group["name"] == "Thi đua “Dân vận khéo” năm 2026" and group["total"] == 1
    assert figures["totals"]["total"] == 2

    # The movement's own report: its form and its list of those awarded, the XLSX naming it.
    own: dict[str, str | int] = {"year": today().year, "movement": movement_id}
    form = (await http.get("/reports/statistics", headers=PROPOSER, params=own)).json()
    assert form["within"] == "Phong trào thi đua: Thi đua “Dân vận khéo” năm 2026"
    assert form["movement_id"] == movement_id and form["totals"]["total"] == 1
    listed = (await http.get("/reports/awarded-list", headers=PROPOSER,
                             params={**own, "format": "json"})).json()
    assert [(r["name"], r["decision"]["number"]) for r in listed["items"]] == [
        ("Trần Thị Bông", "44/QĐ-UBND")]
    sheet = openpyxl.load_workbook(io.BytesIO((await http.get(
        "/reports/awarded-list", headers=PROPOSER, params=own)).content)).active
    assert sheet is not None and "Dân vận khéo" in str(sheet["A2"].value)
    assert_problem(await http.get("/reports/awarded-list", headers=PROPOSER, params={
        **own, "movement": str(uuid4())}), 404, "not-found")


async def test_in_the_pages_a_unit_launches_a_movement_and_closes_it_with_its_result(
    laurel: Laurel,
) -> None:
    people = [("vanthu", ("proposer",), UNIT), ("khac", ("proposer",), "hg.so-yte")]
    async with page_client(laurel, people) as pages:
        await sign_in(pages, "vanthu")
        listing = await pages.get("/ui/movements")
        assert "Phát động phong trào" in text_of(listing)
        this_year = today().year
        form = {"csrf": csrf_of(listing), "key": "launch-1",
                "name": "Thi đua “Phường văn minh” năm nay", "decision_number": "31/QĐ-UBND",
                "decision_date": f"{this_year}-01-05", "scope": [UNIT],
                "period_from": f"{this_year}-01-01", "period_to": f"{this_year}-12-31",
                "award_codes": ["giay-khen"], "dossier_from": f"{this_year}-01-01",
                "dossier_until": f"{this_year}-12-31", "criteria": "Không có vi phạm"}
        backwards = await pages.post("/ui/movements", data={
            **form, "key": "launch-0", "dossier_until": f"{this_year - 1}-12-31"},
            follow_redirects=True)
        assert backwards.status_code == 422  # refused, saying why; nothing made
        assert "Không ghi nhận được phong trào như vậy" in text_of(backwards)
        launched = await pages.post("/ui/movements", data=form)
        assert launched.status_code == 303, launched.text
        page_path = launched.headers["location"]
        project(laurel)
        page = text_of(await pages.get(page_path))
        assert "Đã phát động phong trào: Thi đua “Phường văn minh” năm nay" in page
        assert "31/QĐ-UBND" in page and "Phường I" in page
        closed = await pages.post(f"{page_path}/close", data={
            "csrf": csrf_of(await pages.get(page_path)), "key": "close-1",
            "result": "120 hộ đạt danh hiệu"}, follow_redirects=True)
        project(laurel)
        assert "Đã tổng kết phong trào" in text_of(closed)
        shown = text_of(await pages.get(page_path))
        assert "120 hộ đạt danh hiệu" in shown and "Tổng kết phong trào" not in shown
    async with page_client(laurel, []) as pages:
        await sign_in(pages, "khac")  # another unit never closes it
        other = await pages.get(page_path)
        assert "Tổng kết phong trào" not in text_of(other)
    listed = await laurel_movements(laurel)
    assert [(m["decision_number"], m["status"]) for m in listed] == [("31/QĐ-UBND", "closed")]


async def laurel_movements(laurel: Laurel) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from projections.movements import movements

    with laurel.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(movements)).mappings()]


async def test_in_the_pages_the_clerk_registers_a_collective_and_withdraws_a_title(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    collective = await http.post("/people", headers=PROPOSER, json={
        "kind": "collective", "name": "Phường I"})
    ward = collective.json()["id"]
    project(laurel)
    people = [("vanthu", ("proposer",), UNIT), ("thu-ky", ("reviewer",), UNIT)]
    async with page_client(laurel, people) as pages:
        await sign_in(pages, "thu-ky")  # the council's secretary reads, never registers
        read_only = text_of(await pages.get(f"/ui/people/{ward}"))
        assert "Chưa đăng ký danh hiệu nào" in read_only
        assert "Đăng ký" not in read_only.replace("Đăng ký thi đua (năm nay và năm sau)", "")
    async with page_client(laurel, []) as pages:
        await sign_in(pages, "vanthu")
        page = await pages.get(f"/ui/people/{ward}")
        assert "Chưa đăng ký danh hiệu nào" in text_of(page)
        registered = await pages.post(f"/ui/people/{ward}/registrations", data={
            "csrf": csrf_of(page), "key": "reg-1", "year": str(today().year),
            "award_codes": ["co-thi-dua-tinh"]}, follow_redirects=True)
        assert f"Đã đăng ký thi đua năm {today().year}: 1 danh hiệu" in text_of(registered)
        project(laurel)
        page = await pages.get(f"/ui/people/{ward}")
        assert "Cờ thi đua của UBND tỉnh" in text_of(page)
        withdrawn = await pages.post(f"/ui/people/{ward}/registrations/withdrawal", data={
            "csrf": csrf_of(page), "key": "reg-2", "year": str(today().year),
            "award_code": "co-thi-dua-tinh", "reason": "Không đủ điều kiện"},
            follow_redirects=True)
        assert f"Đã rút đăng ký thi đua năm {today().year}" in text_of(withdrawn)
        project(laurel)
        assert "Chưa đăng ký danh hiệu nào" in text_of(await pages.get(f"/ui/people/{ward}"))
    listed = (await http.get("/registrations", headers=PROPOSER,
                             params={"year": today().year})).json()
    assert listed["items"] == []
