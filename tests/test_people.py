"""The register of people and collectives over HTTP: registered, found, masked, moved
between units, and their award history — entered, imported (all or nothing) and
decided in Laurel — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from domain.commands import Context, CorrectPerson
from domain.errors import NotFound
from domain.person import individual_id
from infrastructure.audit_chain import verify_chain
from infrastructure.container import Laurel
from laurel.rebuild import rebuild_read_models
from projections.people_tables import PEOPLE_TABLES, people, person_awards
from projections.projector import Projector
from projections.verify import scratch_url_for, verify_read_models
from tests.support import commands
from tests.support.nominations import FOR, START, day_in_vietnam, project
from tests.support.pages import page_client, sign_in, text_of
from tests.support.people import actor, token
from tests.support.problems import assert_problem
from workflows.reconciler import PROPOSALS
from workflows.relay import RELAYED

UNIT, OTHER_UNIT, CITY = "hg.vi-thanh.phuong-1", "hg.vi-thanh.phuong-3", "hg.vi-thanh"
CLERK = token("clerk", "proposer", unit=UNIT)
OTHER_CLERK = token("clerk3", "proposer", unit=OTHER_UNIT)
CITY_REVIEWER = token("secretary", "reviewer", unit=CITY)
INSPECTOR = token("inspector", "auditor", unit="hg")
HOA = {"name": "  Nguyễn   Thị Hoa ", "national_id": "093185001234", "birth_date": "1985-04-12",
       "gender": "female", "civil_servant_code": "CC-2019-0042", "position": "Giáo viên"}
NAM = {"name": "Trần Văn Nam", "national_id": "093090004567", "birth_date": "1990-01-20",
       "gender": "male"}
VI = {"Accept-Language": "vi"}


async def register(http: httpx.AsyncClient, person: dict[str, Any],
                   headers: dict[str, str] = CLERK) -> str:
    response = await http.post("/people", json=person, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/people/{response.json()['id']}"
    return str(response.json()["id"])


async def found(http: httpx.AsyncClient, q: str, headers: dict[str, str] = CLERK) -> list[str]:
    response = await http.get("/people", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["items"]]


async def test_a_person_registered_is_found_by_name_without_accents_by_cccd_and_by_code(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA, {**CLERK, "Idempotency-Key": "hoa"})
    before = laurel.log.last_position()
    assert await register(http, HOA, {**CLERK, "Idempotency-Key": "hoa"}) == hoa  # a retry
    assert laurel.log.last_position() == before
    await register(http, NAM)
    project(laurel)

    assert await found(http, "nguyen thi hoa") == ["Nguyễn Thị Hoa"]
    assert await found(http, "NGUYEN THI H") == ["Nguyễn Thị Hoa"]
    assert await found(http, "hoa") == ["Nguyễn Thị Hoa"]
    assert await found(http, "093185001234") == ["Nguyễn Thị Hoa"]
    assert await found(http, "cc-2019-0042") == ["Nguyễn Thị Hoa"]
    assert await found(http, "tran van") == ["Trần Văn Nam"]
    assert await found(http, "") == ["Nguyễn Thị Hoa", "Trần Văn Nam"]
    shown = (await http.get(f"/people/{hoa}", headers=CLERK)).json()
    assert shown["name"] == "Nguyễn Thị Hoa" and shown["unit_id"] == UNIT
    assert shown["units"][0]["unit_id"] == UNIT and shown["units"][0]["from_unit_id"] is None
    # One national ID is one person: registering them again is refused.
    again = await http.post("/people", json=HOA, headers=CLERK)
    assert_problem(again, 409, "person-already-registered")


async def test_a_collective_is_registered_as_its_unit_or_a_named_team_of_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    team = {"kind": "collective", "name": "Tổ Toán – Tin", "team": "Tổ Toán – Tin"}
    unit = {"kind": "collective", "name": "Phường I"}
    team_id, unit_id = await register(http, team), await register(http, unit)
    assert team_id != unit_id
    assert_problem(await http.post("/people", json=team, headers=CLERK), 409,
                   "person-already-registered")
    with_an_id = await http.post("/people", json={**unit, "team": "Tổ Văn",
                                                   "national_id": "093185001234"},
                                 headers={**CLERK, **VI})
    assert "Tập thể không có số CCCD" in assert_problem(with_an_id, 422,
                                                       "invalid-person")["detail"]
    project(laurel)
    shown = (await http.get(f"/people/{team_id}", headers=CLERK)).json()
    assert (shown["kind"], shown["team"], shown["national_id"]) == (
        "collective", "Tổ Toán – Tin", "")
    assert await found(http, "to toan") == ["Tổ Toán – Tin"]


async def test_a_bad_national_id_is_refused_saying_why_in_vietnamese(
    http: httpx.AsyncClient,
) -> None:
    cases = {"09318500123": "12 chữ số", "099185001234": "mã tỉnh",
             "093085001234": "giới tính", "093385001234": "1985",
             "093184001234": "hai số cuối của năm sinh"}
    for national_id, said in cases.items():
        response = await http.post("/people", json={**HOA, "national_id": national_id},
                                   headers={**CLERK, **VI})
        body = assert_problem(response, 422, "invalid-national-id")
        assert said in body["detail"], (national_id, body["detail"])
    listed = await http.get("/people", headers=CLERK)
    assert listed.json()["total"] == 0


async def test_the_national_id_is_masked_but_for_the_persons_unit_and_auditors(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    project(laurel)

    def national_id(response: httpx.Response) -> str:
        assert response.status_code == 200, response.text
        return str(response.json()["national_id"])

    assert national_id(await http.get(f"/people/{hoa}", headers=CLERK)) == "093185001234"
    assert national_id(await http.get(f"/people/{hoa}", headers=INSPECTOR)) == "093185001234"
    assert national_id(await http.get(f"/people/{hoa}", headers=CITY_REVIEWER)) == "0931******34"
    listed = (await http.get("/people", headers=CITY_REVIEWER)).json()["items"]
    assert [p["national_id"] for p in listed] == ["0931******34"]
    # Another unit's clerk does not learn the person exists.
    assert_problem(await http.get(f"/people/{hoa}", headers=OTHER_CLERK), 404, "not-found")
    assert (await http.get("/people", headers=OTHER_CLERK)).json()["total"] == 0
    async with page_client(laurel, [("clerk", ("proposer",), UNIT),
                                    ("secretary", ("reviewer",), CITY)]) as client:
        await sign_in(client, "clerk")
        page = await client.get(f"/ui/people/{hoa}")
        assert page.status_code == 200 and "Nguyễn Thị Hoa" in text_of(page)
        assert "093185001234" in page.text and 'class="print"' in page.text
        await sign_in(client, "secretary")
        page = await client.get(f"/ui/people/{hoa}")
        assert "0931******34" in page.text and "093185001234" not in page.text


async def test_a_transfer_moves_the_person_to_the_unit_that_sees_them_now(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    moved = await http.post(f"/people/{hoa}/transfers", headers=CLERK, json={
        "to_unit": OTHER_UNIT, "on": "2025-09-01", "position": "Hiệu phó"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["unit_id"] == OTHER_UNIT
    project(laurel)

    assert_problem(await http.get(f"/people/{hoa}", headers=CLERK), 404, "not-found")
    shown = (await http.get(f"/people/{hoa}", headers=OTHER_CLERK)).json()
    assert shown["national_id"] == "093185001234" and shown["position"] == "Hiệu phó"
    assert [(u["unit_id"], u["from_unit_id"], u["since"]) for u in shown["units"]][1:] == [
        (OTHER_UNIT, UNIT, "2025-09-01")]
    assert await found(http, "hoa", OTHER_CLERK) == ["Nguyễn Thị Hoa"]
    assert await found(http, "hoa", CLERK) == []
    # The unit left has no more say.
    again = await http.post(f"/people/{hoa}/transfers", headers=CLERK, json={
        "to_unit": UNIT, "on": "2025-10-01"})
    assert_problem(again, 404, "not-found")


AWARD = {"award_code": "chien-si-thi-dua-co-so", "year": 2022, "decision_number": "15/QĐ-UBND",
         "decision_date": "2023-01-10", "issuer": "UBND thành phố Vị Thanh"}


async def test_an_award_from_before_laurel_is_entered_and_listed(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    response = await http.post(f"/people/{hoa}/awards", headers=CLERK, json=AWARD)
    assert response.status_code == 201, response.text
    twice = await http.post(f"/people/{hoa}/awards", headers=CLERK, json=AWARD)
    assert_problem(twice, 422, "invalid-award-record")
    future = await http.post(f"/people/{hoa}/awards", headers={**CLERK, **VI},
                             json={**AWARD, "decision_date": "2999-01-01", "year": 2998})
    assert "tương lai" in assert_problem(future, 422, "invalid-award-record")["detail"]
    project(laurel)

    items = (await http.get(f"/people/{hoa}/awards", headers=CITY_REVIEWER)).json()["items"]
    assert [(a["award_code"], a["year"], a["decision_number"], a["source"]) for a in items] == [
        ("chien-si-thi-dua-co-so", 2022, "15/QĐ-UBND", "manual")]
    assert items[0]["award_name"]["vi"] == "Chiến sĩ thi đua cơ sở"
    assert_problem(await http.get(f"/people/{hoa}/awards", headers=OTHER_CLERK), 404,
                   "not-found")


HEADER = ["STT", "Họ và tên", "Số CCCD", "Mã công chức", "Danh hiệu/Hình thức", "Năm",
          "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"]


def history_sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH KHEN THƯỞNG 2014–2024"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def imported(http: httpx.AsyncClient, name: str, content: bytes,
                   headers: dict[str, str] = CLERK) -> httpx.Response:
    return await http.post("/people/awards/import", headers={**headers, **VI},
                           files={"file": (name, content)})


async def test_a_history_sheet_with_one_bad_row_imports_nothing_and_names_the_row(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    await register(http, NAM)
    project(laurel)
    rows: list[list[object]] = [
        [1, "Nguyễn Thị Hoa", "093185001234", "", "Chiến sĩ thi đua cơ sở", 2021, "9/QĐ-UBND",
         "15/01/2022", "UBND thành phố Vị Thanh"],
        [2, "Trần Văn Nam", "093090004567", "", "Huy chương vàng", 2021, "10/QĐ-UBND",
         "15/01/2022", "UBND thành phố Vị Thanh"],
    ]
    response = await imported(http, "lich-su.xlsx", history_sheet(rows))
    body = assert_problem(response, 422, "import-refused")
    assert "Dòng 4" in body["detail"] and "Huy chương vàng" in body["detail"]
    assert "Dòng 3" not in body["detail"]
    assert [r["row"] for r in body["rows"]] == [4]
    project(laurel)
    assert (await http.get(f"/people/{hoa}/awards", headers=CLERK)).json()["items"] == []


async def test_a_history_sheet_is_imported_matched_by_cccd_or_by_code(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    nam = await register(http, NAM)
    project(laurel)
    csv = "\n".join([
        "Năm;Họ và tên;Mã công chức;Số CCCD;Danh hiệu/Hình thức;Số quyết định;"
        "Ngày quyết định;Cơ quan ban hành",
        "2021;Nguyễn Thị Hoa;CC-2019-0042;;Chiến sĩ thi đua cơ sở;9/QĐ-UBND;15/01/2022;UBND TP",
        "2022;nguyen thi hoa;;093185001234;chien-si-thi-dua-co-so;15/QĐ-UBND;2023-01-10;UBND TP",
        "2022;Trần Văn Nam;;093090004567;Lao động tiên tiến;16/QĐ-UBND;10/01/2023;UBND TP",
    ]).encode()
    keyed = {**CLERK, "Idempotency-Key": "lich-su-2024"}
    response = await imported(http, "lich-su.csv", csv, keyed)
    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 3}
    before = laurel.log.last_position()
    again = await imported(http, "lich-su.csv", csv, keyed)  # a retry after a lost answer
    assert again.json() == {"imported": 3} and laurel.log.last_position() == before
    project(laurel)
    hoas = (await http.get(f"/people/{hoa}/awards", headers=CLERK)).json()["items"]
    assert [(a["year"], a["source"]) for a in hoas] == [(2021, "import"), (2022, "import")]
    nams = (await http.get(f"/people/{nam}/awards", headers=CLERK)).json()["items"]
    assert [a["award_code"] for a in nams] == ["lao-dong-tien-tien"]
    # Another unit's clerk cannot reach them: every row is refused.
    refused = await imported(http, "lich-su.csv", csv, OTHER_CLERK)
    assert [r["row"] for r in assert_problem(refused, 422, "import-refused")["rows"]] == [2, 3, 4]


def test_an_award_decided_in_laurel_joins_the_nominees_history(laurel: Laurel) -> None:
    """A nomination whose nominee names a person of the register (``person_id``, which
    the domain already takes), awarded, then revoked: the person's awards follow."""
    app = laurel.nominations
    hoa = str(individual_id(HOA["national_id"]))
    commands.register_person(app, actor("proposer", UNIT), **HOA, at=START)
    proposal = commands.propose(
        app, actor("proposer", UNIT), award_code="giay-khen",
        nominee={"name": "Nguyễn Thị Hoa", "kind": "individual", "person_id": hoa},
        achievements="…", documents=[], at=START)
    task = app.open_review(proposal.id, 0, START)
    assert task is not None
    commands.review(app, proposal.id, task.task_id, actor("reviewer", UNIT), outcome="approve",
                    votes=FOR, note="", at=START)
    decision = app.open_decision(proposal.id, START)
    assert decision is not None
    commands.decide(app, proposal.id, decision.task_id, actor("decider", UNIT),
                    outcome="awarded", decision_number="21/QĐ-UBND",
                    decision_date=day_in_vietnam(START), signer="Chủ tịch UBND phường", at=START)
    Projector(laurel.engine, laurel.log).catch_up()

    with laurel.engine.connect() as conn:
        rows = conn.execute(select(person_awards)).mappings().all()
    assert [(r["person_id"], r["award_code"], r["source"], r["nomination_id"], r["revoked"])
            for r in rows] == [(hoa, "giay-khen", "laurel", str(proposal.id), False)]
    commands.revoke(app, proposal.id, actor("decider", UNIT), reason="…",
                    decision_number="22/QĐ-UBND", decision_date=day_in_vietnam(START),
                    at=START)
    Projector(laurel.engine, laurel.log).catch_up()
    with laurel.engine.connect() as conn:
        assert conn.scalar(select(person_awards.c.revoked)) is True
    assert UUID(hoa)


def test_the_registers_read_models_are_identical_after_a_rebuild(laurel: Laurel) -> None:
    app = laurel.nominations
    clerk = actor("proposer", UNIT)
    hoa = commands.register_person(app, clerk, **HOA, at=START)
    commands.register_person(app, clerk, **NAM, at=START)
    commands.register_person(app, clerk, kind="collective", name="Tổ Toán", team="Tổ Toán",
                             at=START)
    commands.record_award(app, hoa, clerk, **AWARD, at=START)
    app.handle(CorrectPerson(hoa, (("name", "Nguyễn Thị Hòa"),), "viết sai dấu"),
               Context(clerk, START))
    commands.transfer_person(app, hoa, clerk, to_unit=OTHER_UNIT, on="2025-09-01", at=START)
    Projector(laurel.engine, laurel.log).catch_up()
    with laurel.engine.connect() as conn:
        assert conn.scalar(select(people.c.name).where(people.c.id == str(hoa))) == (
            "Nguyễn Thị Hòa")

    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))

    assert report.identical, report.differences
    rows = {t.table: t.live_rows for t in report.tables}
    assert rows["people"] == 3 and rows["person_units"] == 4 and rows["person_awards"] == 1


def registers_rows(laurel: Laurel) -> dict[str, list[tuple[Any, ...]]]:
    with laurel.engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in PEOPLE_TABLES}


def test_the_register_rebuilds_alike_in_batches_of_any_size_and_in_parts(
    laurel: Laurel,
) -> None:
    """Rows written in one batch are changed by a later one (a transfer, a revocation) in
    a rebuild's part, whose rows are never read back: they come out as applied live."""
    app, clerk = laurel.nominations, actor("proposer", UNIT)
    people = [commands.register_person(app, clerk, at=START, name=f"Lê Văn {i}",
                                       national_id=f"093090{i:06d}", birth_date="1990-01-01",
                                       gender="male") for i in range(12)]
    for i, person_id in enumerate(people):
        commands.record_award(app, person_id, clerk, **{**AWARD, "decision_number": f"{i}/QĐ"},
                              at=START)
        if i % 3 == 0:
            commands.transfer_person(app, person_id, clerk, to_unit=OTHER_UNIT,
                                     on="2025-09-01", at=START)
    awarded = commands.propose(app, clerk, award_code="giay-khen", nominee={
        "name": "Lê Văn 1", "kind": "individual", "person_id": str(people[1])},
        achievements="…", documents=[], at=START).id
    task = app.open_review(awarded, 0, START)
    assert task is not None
    commands.review(app, awarded, task.task_id, actor("reviewer", UNIT), outcome="approve",
                    votes=FOR, note="", at=START)
    decision = app.open_decision(awarded, START)
    assert decision is not None
    commands.decide(app, awarded, decision.task_id, actor("decider", UNIT), outcome="awarded",
                    decision_number="30/QĐ", decision_date=day_in_vietnam(START),
                    signer="Chủ tịch", at=START)
    commands.revoke(app, awarded, actor("decider", UNIT), reason="…", decision_number="31/QĐ",
                    decision_date=day_in_vietnam(START), at=START)
    Projector(laurel.engine, laurel.log, batch_size=1).catch_up()
    live = registers_rows(laurel)
    assert len(live["people"]) == 12 and len(live["person_awards"]) == 13
    assert next(r for r in live["person_awards"] if r[0] == str(awarded))[-2] is True

    for batch_size in (1, 3, 100_000):
        Projector(laurel.engine, laurel.log, batch_size=batch_size).rebuild()
        assert registers_rows(laurel) == live, batch_size
    rebuild_read_models(laurel, processes=2)
    assert registers_rows(laurel) == live


def test_the_register_shares_the_hash_chain_and_the_workflows_never_see_it(
    laurel: Laurel,
) -> None:
    """People's events are chained with the nominations' (``laurel audit verify``), and
    neither the relay nor ``laurel audit workflows`` reads them: they follow topics of
    the nominations only."""
    app = laurel.nominations
    hoa = commands.register_person(app, actor("proposer", UNIT), **HOA, at=START)
    commands.propose(app, actor("proposer", UNIT), award_code="giay-khen",
                     nominee={"name": "Nguyễn Thị Hoa", "kind": "individual",
                              "person_id": str(hoa)}, achievements="…", documents=[], at=START)
    commands.record_award(app, hoa, actor("proposer", UNIT), **AWARD, at=START)

    chain = verify_chain(app.recorder)
    # Registered, the nominee's candidacy opened with the proposal, the proposal, the award.
    assert chain.intact and chain.events == laurel.log.last_position() == 4
    followed = laurel.log.read(0, 100, RELAYED) + laurel.log.read(0, 100, PROPOSALS)
    assert [type(e.event).__name__ for e in followed] == ["Proposed", "Proposed"]
    with pytest.raises(NotFound):  # a person's id is no nomination's
        app.standing(hoa)
