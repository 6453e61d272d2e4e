"""The year's reports, over HTTP on both backends: nominations driven to their decisions
(some dated last year and recorded after New Year, a lower form granted, a refusal, a
revocation, a collective and a household, a ward the report of another leaves out), then
the XLSX of the statistical form, of the list of those awarded and of the processing
times opened with openpyxl, each figure compared with a count made again from each
nomination's history (``GET /nominations/{id}/history``) and the register
(``GET /people/{id}``) — never from the read models the reports read."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any
from uuid import UUID

import httpx
import openpyxl
import pytest
import sqlalchemy

from api.reads import reports
from domain.calendar import WorkingCalendar
from infrastructure.container import Laurel
from projections.movements import movements
from projections.projector import Projector
from tests.support.nominations import at_council, project
from tests.support.people import token
from tests.support.problems import assert_problem

WARD, OTHER_WARD, DISTRICT, PROVINCE = ("hg.vi-thanh.phuong-1", "hg.vi-thanh.phuong-3",
                                        "hg.vi-thanh", "hg")
CLERK = {WARD: token("clerk", "proposer", unit=WARD),
         OTHER_WARD: token("clerk3", "proposer", unit=OTHER_WARD)}
AUDITOR = token("inspector", "auditor", unit=PROVINCE)
DISTRICT_REVIEWER = token("district-secretary", "reviewer", unit=DISTRICT)
TALLY = {"members": 5, "present": 5, "for": 4, "against": 1, "abstain": 0}
PROPOSED = datetime(2025, 11, 3, 2, 0, tzinfo=UTC)
ZONE = WorkingCalendar().zone
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def at(laurel: Laurel, moment: datetime) -> None:
    """The system's one clock stands at ``moment`` (commands and their checks read it)."""
    laurel.clock = lambda: moment


async def person(http: httpx.AsyncClient, unit: str, name: str, national_id: str,
                 birth: str, gender: str) -> str:
    answer = await http.post("/people", headers=CLERK[unit], json={
        "kind": "individual", "name": name, "national_id": national_id, "birth_date": birth,
        "gender": gender, "position": "Chuyên viên"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def drive(http: httpx.AsyncClient, laurel: Laurel, unit: str, award: str,
                nominee: dict[str, Any], days_open: list[float], *, outcome: str = "awarded",
                recorded: datetime, dated: str, number: str, granted: str = "") -> str:
    """A nomination proposed over HTTP, each council's review opened (the workflow's
    step) and voted over HTTP after ``days_open`` days, and its decision given over HTTP
    at ``recorded``, dated ``dated``."""
    at(laurel, PROPOSED)
    created = await http.post("/nominations", headers=CLERK[unit], json={
        "award_code": award, "nominee": nominee, "achievements": "Hoàn thành xuất sắc",
        "documents": []})
    assert created.status_code == 201, created.text
    nomination_id = created.json()["id"]
    app, moment = laurel.nominations, PROPOSED + timedelta(hours=1)
    kind = nominee.get("kind", "individual")
    route = laurel.policy.plan_route(award, unit, kind)
    for step, (level, days) in enumerate(zip(route.reviews, days_open, strict=True)):
        task = app.open_review(UUID(nomination_id), step, moment)
        assert task is not None
        moment += timedelta(days=days)
        at(laurel, moment)
        project(laurel)
        reviewer = token(f"secretary-{level.unit_id}", "reviewer", unit=level.unit_id)
        reviewed = await http.post(f"/tasks/{task.task_id}/review", headers=reviewer, json={
            "outcome": "approve", "votes": at_council(laurel, level.unit_id, TALLY, moment)})
        assert reviewed.status_code == 200, reviewed.text
    decision = app.open_decision(UUID(nomination_id), moment)
    assert decision is not None
    project(laurel)
    at(laurel, recorded)
    decider = token(f"chair-{route.decision.unit_id}", "decider", unit=route.decision.unit_id)
    body = {"outcome": outcome, "decision_number": number, "decision_date": dated,
            "signer": "Chủ tịch UBND"}
    if granted:
        body["granted_award"] = granted
    decided = await http.post(f"/tasks/{decision.task_id}/decision", headers=decider,
                              json=body)
    assert decided.status_code == 200, decided.text
    project(laurel)
    return str(nomination_id)


@pytest.fixture
async def decided(http: httpx.AsyncClient, laurel: Laurel) -> list[str]:
    """Nominations of two wards decided around New Year 2026."""
    at(laurel, PROPOSED - timedelta(days=1))
    hoa = await person(http, WARD, "Lê Thị Hoa", "093190001234", "1990-04-04", "female")
    nam = await person(http, WARD, "Trần Văn Nam", "093085004321", "1985-05-05", "male")
    tu = await person(http, WARD, "Phạm Văn Tư", "093088005555", "1988-08-08", "male")
    project(laurel)
    jan = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    ids = [
        # Dated 31 December, recorded after New Year: last year's.
        await drive(http, laurel, WARD, "giay-khen", {"person_id": hoa, "direct_worker": True},
                    [2], recorded=datetime(2026, 1, 2, 3, 0, tzinfo=UTC), dated="2025-12-31",
                    number="1/QĐ-UBND"),
        await drive(http, laurel, WARD, "giay-khen", {"name": "Trần Văn Bình",
                                                      "kind": "individual"},
                    [40], recorded=jan, dated="2026-01-05", number="2/QĐ-UBND"),
        # A provincial Bằng khen proposed, the Giấy khen granted by the province's chair.
        await drive(http, laurel, WARD, "bang-khen-tinh", {
            "name": "Võ Thị Lan", "kind": "individual", "direct_worker": True},
                    [1.5, 3, 9], recorded=jan, dated="2026-01-05", number="5/QĐ-UBND",
                    granted="giay-khen"),
        await drive(http, laurel, WARD, "bang-khen-tinh", {
            "name": "Tổ dân phố 2", "kind": "collective"},
                    [1, 2, 30], recorded=jan, dated="2026-01-04", number="6/QĐ-UBND"),
        await drive(http, laurel, OTHER_WARD, "giay-khen", {"name": "Tổ dân phố 3",
                                                            "kind": "collective"},
                    [5], recorded=jan, dated="2026-01-03", number="3/QĐ-UBND"),
        await drive(http, laurel, WARD, "giay-khen", {"person_id": nam}, [3],
                    recorded=jan, dated="2026-01-05", number="4/QĐ-UBND",
                    outcome="not_awarded"),
        await drive(http, laurel, WARD, "giay-khen", {"name": "Hộ ông Lê Văn Sáu",
                                                      "kind": "household"},
                    [4], recorded=jan, dated="2026-01-05", number="7/QĐ-UBND"),
        await drive(http, laurel, WARD, "giay-khen", {"name": "Hộ bà Ngô Thị Bảy",
                                                      "kind": "household"},
                    [4], recorded=jan, dated="2026-01-05", number="8/QĐ-UBND"),
        await drive(http, laurel, WARD, "giay-khen", {"person_id": tu, "direct_worker": True},
                    [2], recorded=datetime(2026, 2, 2, 3, 0, tzinfo=UTC),
                    dated="2026-02-02", number="9/QĐ-UBND"),
    ]
    # One award revoked: it no longer counts.
    at(laurel, datetime(2026, 1, 20, 3, 0, tzinfo=UTC))
    revoked = await http.post(f"/nominations/{ids[7]}/revoke",
                              headers=token("chair", "decider", unit=WARD), json={
                                  "reason": "Khai sai thành tích",
                                  "decision_number": "10/QĐ-UBND",
                                  "decision_date": "2026-01-20"})
    assert revoked.status_code == 200, revoked.text
    project(laurel)
    at(laurel, datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    return ids


# -- the count made again from the history ------------------------------------------------

async def histories(http: httpx.AsyncClient, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for nomination_id in ids:
        answer = await http.get(f"/nominations/{nomination_id}/history", headers=AUDITOR)
        assert answer.status_code == 200, answer.text
        found[nomination_id] = answer.json()["items"]
    return found


async def awards_standing(http: httpx.AsyncClient, laurel: Laurel, ids: list[str],
                          units: set[str], first: date, last: date) -> list[dict[str, Any]]:
    """Each award that stands, dated in the period, of ``units``: from the events."""
    found = []
    for items in (await histories(http, ids)).values():
        proposed = next(i for i in items if i["type"] == "Proposed")["data"]
        decided = [i["data"] for i in items if i["type"] == "Decided"]
        if (not decided or decided[-1]["outcome"] != "awarded"
                or any(i["type"] == "Revoked" for i in items)
                or proposed["unit_id"] not in units):
            continue
        day = date.fromisoformat(decided[-1]["decision_date"])
        if not first <= day <= last:
            continue
        nominee = proposed["nominee"]
        gender = None
        if nominee.get("person_id"):
            registered = await http.get(f"/people/{nominee['person_id']}", headers=AUDITOR)
            gender = registered.json()["gender"]
        code = decided[-1].get("granted_award") or proposed["award_code"]
        found.append({"name": nominee["name"], "kind": nominee["kind"], "gender": gender,
                      "direct": nominee["kind"] == "individual"
                      and bool(nominee.get("direct_worker")),
                      "award": laurel.policy.awards[code].name.vi,
                      "level": laurel.policy.level_names[decided[-1]["level"]].vi,
                      "number": decided[-1]["decision_number"], "date": day})
    return found


def form_counted(awards: list[dict[str, Any]]) -> dict[tuple[str, str], list[int]]:
    """The form's figures per (award, level), in its column order."""
    rows: dict[tuple[str, str], Counter[str]] = {}
    for a in awards:
        c = rows.setdefault((a["award"], a["level"]), Counter())
        c["total"] += 1
        c[a["kind"]] += 1
        if a["kind"] == "individual":
            c[a["gender"] or "unknown"] += 1
            c["direct"] += a["direct"]
    return {key: [c[k] for k in ("total", "collective", "individual", "household", "male",
                                 "female", "unknown", "direct")] for key, c in rows.items()}


def sheet_table(sheet: Any) -> tuple[list[str], list[list[Any]]]:
    """The headers (row 4) and the rows beneath them of a report's sheet."""
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(h) for h in rows[3]], rows[4:]


def workbook(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert "attachment" in response.headers["content-disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


# -- the tests -------------------------------------------------------------------------------

@pytest.mark.parametrize(("unit", "year"), [(PROVINCE, 2026), (PROVINCE, 2025),
                                            (WARD, 2026), (DISTRICT, 2026)])
async def test_the_statistical_form_counts_what_the_history_counts(
    http: httpx.AsyncClient, laurel: Laurel, decided: list[str], unit: str, year: int,
) -> None:
    answer = await http.get("/reports/statistics", headers=AUDITOR,
                            params={"year": year, "unit": unit, "format": "xlsx"})
    book = workbook(answer)
    form = book["Biểu thống kê"]
    assert form["A1"].value == "BIỂU THỐNG KÊ KẾT QUẢ THI ĐUA, KHEN THƯỞNG"
    unit_name = laurel.policy.org.units[unit].name
    assert unit_name in form["A2"].value and f"năm {year}" in form["A2"].value
    headers, rows = sheet_table(form)
    assert headers[:4] == ["STT", "Hình thức khen thưởng", "Cấp quyết định", "Tổng số"]
    assert "Cá nhân nữ" in headers and "Người trực tiếp lao động, sản xuất" in headers
    *lines, total = rows
    assert total[1] == "Tổng cộng"
    # Under each deciding level's heading (I, II…, with its subtotals), its forms 1, 2…
    headings = [r for r in lines if isinstance(r[0], str)]
    assert [r[0] for r in headings] == ["I", "II", "III"][:len(headings)]
    shown = {(r[1], r[2]): r[3:] for r in lines if isinstance(r[0], int)}
    assert all(isinstance(v, int) for r in shown.values() for v in r)  # numbers, not text

    awards = await awards_standing(http, laurel, decided, set(laurel.policy.org.subtree(unit)),
                                   date(year, 1, 1), date(year, 12, 31))
    assert awards, "the scenario gives every report something to count"
    expected = form_counted(awards)
    assert shown == expected
    assert total[3:] == [sum(r[i] for r in expected.values()) for i in range(8)]
    for heading in headings:
        level = heading[2]
        assert heading[1] == f"Khen thưởng do {level.lower()} quyết định"
        assert heading[3:] == [sum(r[i] for (_, lv), r in expected.items() if lv == level)
                               for i in range(8)]
        at = lines.index(heading)
        section = [r for r in lines[at + 1:] if isinstance(r[0], int)][
            :sum(1 for _, lv in expected if lv == level)]
        assert [r[0] for r in section] == list(range(1, len(section) + 1))
        assert {r[2] for r in section} == {level}

    # The JSON and the CSV say the same.
    as_json = (await http.get("/reports/statistics", headers=AUDITOR,
                              params={"year": year, "unit": unit})).json()
    assert as_json["totals"]["total"] == len(awards)
    assert as_json["period"] == {"from": f"{year}-01-01", "to": f"{year}-12-31"}
    as_csv = await http.get("/reports/statistics", headers=AUDITOR,
                            params={"year": year, "unit": unit, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    parsed = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert parsed[0] == headers
    assert {(r[1], r[2]): [int(v) for v in r[3:]] for r in parsed[1:]} == expected


async def test_the_list_of_those_awarded_is_the_history_s_in_decision_order(
    http: httpx.AsyncClient, laurel: Laurel, decided: list[str],
) -> None:
    params = {"from": "2026-01-01", "to": "2026-01-31", "unit": WARD}
    answer = await http.get("/reports/awarded-list", headers=CLERK[WARD],
                            params={**params, "format": "xlsx"})
    sheet = workbook(answer)["Danh sách"]
    assert sheet["A1"].value == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    assert "từ ngày 01/01/2026 đến ngày 31/01/2026" in sheet["A2"].value
    headers, rows = sheet_table(sheet)
    assert headers == ["STT", "Họ và tên", "Chức vụ, đơn vị công tác",
                       "Hình thức khen thưởng", "Số quyết định", "Ngày quyết định"]
    awards = await awards_standing(http, laurel, decided, {WARD}, date(2026, 1, 1),
                                   date(2026, 1, 31))
    expected = sorted(awards, key=lambda a: (a["date"], a["number"], a["name"]))
    # Under a heading per form (I, II…), collectives first, each in decision order.
    sections: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        if isinstance(r[0], str):
            sections[r[1]] = []
        else:
            sections[list(sections)[-1]].append((r[0], r[1], r[3], r[4], r[5].date()))
    assert [r[0] for r in rows if isinstance(r[0], str)] == ["I", "II"][:len(sections)]
    assert set(sections) == {a["award"] for a in expected}
    for form, lines in sections.items():
        mine = [a for a in expected if a["award"] == form]
        mine = [a for a in mine if a["kind"] != "individual"] + [
            a for a in mine if a["kind"] == "individual"]
        assert lines == [(i, a["name"], a["award"], a["number"], a["date"])
                         for i, a in enumerate(mine, 1)]
    dated = next(r for r in sheet.iter_rows(min_row=5) if isinstance(r[0].value, int))
    assert dated[5].number_format == "DD/MM/YYYY"
    assert all(laurel.policy.org.units[WARD].name in r[2] for r in rows if isinstance(r[0], int))

    as_csv = await http.get("/reports/awarded-list", headers=CLERK[WARD],
                            params={**params, "format": "csv"})
    parsed = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [r[1] for r in parsed[1:]] == [a["name"] for a in expected]


async def test_processing_times_per_level_are_the_history_s(
    http: httpx.AsyncClient, laurel: Laurel, decided: list[str],
) -> None:
    answer = await http.get("/reports/processing-times", headers=AUDITOR,
                            params={"year": 2025, "unit": PROVINCE, "format": "xlsx"})
    sheet = workbook(answer)["Thời gian xử lý"]
    headers, rows = sheet_table(sheet)
    assert "hồ sơ Hội đồng đã xét trong kỳ" in sheet["A2"].value
    assert sheet["G5"].number_format == "0.0%"
    assert headers == ["STT", "Cấp xét", "Số hồ sơ đã xét", "Trung vị (ngày)",
                       "Phân vị 90 (ngày)", "Số hồ sơ xét đúng hạn", "Tỷ lệ đúng hạn"]

    days: dict[str, list[float]] = {}
    on_time: Counter[str] = Counter()
    for items in (await histories(http, decided)).values():
        opened = {i["data"]["task_id"]: i for i in items if i["type"] == "ReviewOpened"}
        for closed in (i for i in items if i["type"] == "ReviewedByCouncil"):
            when = datetime.fromisoformat(closed["occurred_at"])
            if when.astimezone(ZONE).year != 2025:
                continue
            start = opened[closed["data"]["task_id"]]
            level = laurel.policy.level_names[start["data"]["level"]].vi
            days.setdefault(level, []).append(
                (when - datetime.fromisoformat(start["occurred_at"])).total_seconds() / 86400)
            on_time[level] += when <= datetime.fromisoformat(start["data"]["due_at"])
    expected = {level: [len(v), round(median(v), 1),
                        round(sorted(v)[math.ceil(0.9 * len(v)) - 1], 1), on_time[level],
                        round(on_time[level] / len(v), 4)] for level, v in days.items()}
    assert {r[1]: r[2:] for r in rows} == expected
    assert [r[1] for r in rows] == ["Cơ sở", "Cấp huyện", "Cấp tỉnh"]
    assert 0 < on_time["Cơ sở"] < len(days["Cơ sở"]), "some late, some on time"

    as_json = (await http.get("/reports/processing-times", headers=AUDITOR,
                              params={"year": 2025})).json()
    assert [lv["count"] for lv in as_json["levels"]] == [e[0] for e in expected.values()]


async def test_a_bad_period_is_422_and_a_unit_out_of_sight_404(
    http: httpx.AsyncClient, decided: list[str],
) -> None:
    for report in ("statistics", "awarded-list", "processing-times"):
        both = await http.get(f"/reports/{report}", headers=AUDITOR,
                              params={"year": 2026, "from": "2026-01-01"})
        assert_problem(both, 422, "invalid-body")
        backwards = await http.get(f"/reports/{report}", headers=AUDITOR,
                                   params={"from": "2026-02-01", "to": "2026-01-01"})
        assert "to" in assert_problem(backwards, 422, "invalid-body")["detail"]
        not_a_date = await http.get(f"/reports/{report}", headers=AUDITOR,
                                    params={"from": "2026-13-01"})
        assert_problem(not_a_date, 422, "invalid-body")
        above = await http.get(f"/reports/{report}", headers=CLERK[WARD],
                               params={"unit": DISTRICT})
        assert_problem(above, 404, "not-found")
        beside = await http.get(f"/reports/{report}", headers=CLERK[WARD],
                                params={"unit": OTHER_WARD})
        assert_problem(beside, 404, "not-found")
        anonymous = await http.get(f"/reports/{report}")
        assert anonymous.status_code == 401


async def test_a_ward_clerk_s_default_report_is_their_ward_s_year(
    http: httpx.AsyncClient, laurel: Laurel, decided: list[str],
) -> None:
    """No unit, no period: the user's own unit and the year it is in Vietnam."""
    answer = (await http.get("/reports/statistics", headers=CLERK[WARD])).json()
    assert answer["unit"]["id"] == WARD and answer["period"]["from"] == "2026-01-01"
    awards = await awards_standing(http, laurel, decided, {WARD}, date(2026, 1, 1),
                                   date(2026, 12, 31))
    assert answer["totals"]["total"] == len(awards)
    assert answer["by_movement"] == [{"id": None, "name": "", "total": len(awards),
                                      "individuals": sum(a["kind"] == "individual"
                                                         for a in awards),
                                      "collectives": sum(a["kind"] == "collective"
                                                         for a in awards)}]


async def test_the_reports_are_the_same_from_read_models_rebuilt_from_the_events(
    http: httpx.AsyncClient, laurel: Laurel, decided: list[str],
) -> None:
    def values(response: httpx.Response) -> list[list[list[Any]]]:
        book = workbook(response)
        return [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book]

    asked: list[tuple[str, dict[str, str | int]]] = [
        ("/reports/statistics", {"year": 2026, "unit": PROVINCE, "format": "xlsx"}),
        ("/reports/awarded-list", {"year": 2026, "unit": PROVINCE, "format": "xlsx"}),
        ("/reports/processing-times", {"year": 2025, "unit": PROVINCE, "format": "xlsx"})]
    before = [values(await http.get(url, headers=AUDITOR, params=p)) for url, p in asked]
    Projector(laurel.engine, laurel.log).rebuild()
    after = [values(await http.get(url, headers=AUDITOR, params=p)) for url, p in asked]
    assert after == before


async def test_crafted_periods_and_units_are_refused_never_a_500(
    http: httpx.AsyncClient,
) -> None:
    for query in ("from=0001-01-01", "to=9999-12-31", "from=9999-12-31", "year=9999",
                  "year=1945", "from=1945-01-01&to=9999-12-31", "unit=%00", "unit=" + "x" * 5000,
                  "format=pdf", "year=99999", "from=2026-02-30"):
        for report in ("statistics", "awarded-list", "processing-times"):
            answer = await http.get(f"/reports/{report}?{query}", headers=AUDITOR)
            assert answer.status_code in (200, 404, 422), (report, query, answer.text)


def test_awards_are_grouped_by_movement_named_as_the_movements_table_names_it() -> None:
    """Each movement named as its read model names it; one it does not know (yet), by
    its id; awards proposed in none, apart."""
    engine = sqlalchemy.create_engine("sqlite://")
    found = [awarded_in(None), awarded_in("m-1"), awarded_in("m-1", "collective"),
             awarded_in("m-2")]
    with engine.begin() as conn:
        movements.create(conn)
        conn.execute(sqlalchemy.insert(movements).values(
            id="m-1", unit_id="hg", name="Thi đua yêu nước", decision_number="1/QĐ",
            decision_date="2026-01-02", scope=["hg"], period_from="2026-01-01",
            period_to="2026-12-31", criteria="", award_codes=["giay-khen"],
            dossier_from="2026-01-01", dossier_until="2026-12-31", status="open",
            launched_at=datetime(2026, 1, 2, tzinfo=UTC), launched_by="x"))
        groups = reports.by_movement(conn, found)
    assert [(g.key, g.name, g.total, g.individuals, g.collectives) for g in groups] == [
        ("m-1", "Thi đua yêu nước", 2, 1, 1), ("m-2", "m-2", 1, 1, 0), (None, "", 1, 1, 0)]


def awarded_in(movement_id: str | None, kind: str = "individual") -> reports.Awarded:
    return reports.Awarded(
        nomination_id="n", name="Tên", kind=kind, gender=None, direct_worker=False,
        position="", unit_id=WARD, unit_name="Phường I", award_code="giay-khen",
        award_name={"vi": "Giấy khen", "en": "Certificate"}, level="unit",
        decision_number="1/QĐ", decision_date=date(2026, 1, 5), signer="", authority="",
        movement_id=movement_id, cluster_id=None)
