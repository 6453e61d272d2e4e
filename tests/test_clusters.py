"""An emulation cluster's year over HTTP, on both backends: the board defines it with its
members and leader; the leader records the signed pact and publishes the criteria; the
members assess themselves with their evidence; the leader and then the board score; the
board publishes the ranking (a tie broken by the rule stated); the leader's clerk proposes
the flag for the unit ranked first, which then travels the award's route to the
province's decision. Each step out of turn, or by the wrong unit, is refused."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import openpyxl
import pytest

from domain.actor import Actor
from domain.cluster import Cluster, Criterion, read_scoring_steps
from domain.cluster import ranked as ranked_members
from domain.errors import PolicyError, WrongRole
from infrastructure.container import Laurel
from projections.projector import Projector
from projections.verify import scratch_url_for, verify_read_models
from tests.support.clusters import registered_for_the_flag
from tests.support.nominations import TALLY, at_council, day_in_vietnam, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.people import token
from tests.support.problems import assert_problem

PDF = b"%PDF-1.7\n" + "Giao ước thi đua cụm phường, xã Vị Thanh\n".encode() * 50 + b"%%EOF\n"
LEADER_UNIT = "hg.vi-thanh.phuong-1"
MEMBERS = [LEADER_UNIT, "hg.vi-thanh.phuong-3", "hg.vi-thanh.xa-vi-tan"]
BOARD = token("ban-tdkt", "reviewer", unit="hg")
LEADER = token("van-thu-p1", "proposer", unit=LEADER_UNIT)
LEADER_COUNCIL = token("thu-ky-p1", "reviewer", unit=LEADER_UNIT)
CLERKS = {unit: token(f"van-thu-{unit}", "proposer", unit=unit) for unit in MEMBERS}
CRITERIA = [{"code": "TC1", "name": "Hoàn thành chỉ tiêu kinh tế – xã hội", "max_points": 40},
            {"code": "TC2", "name": "Cải cách hành chính", "max_points": 30},
            {"code": "TC3", "name": "Phong trào thi đua", "max_points": 30}]
# The board's points: Phường III and Xã Vị Tân tie at 85; Phường III has more on TC1.
BOARD_POINTS = {LEADER_UNIT: {"TC1": 30, "TC2": 25, "TC3": 20},
                "hg.vi-thanh.phuong-3": {"TC1": 38, "TC2": 22, "TC3": 25},
                "hg.vi-thanh.xa-vi-tan": {"TC1": 35, "TC2": 25, "TC3": 25}}


def this_year() -> int:
    return int(day_in_vietnam()[:4])


async def document(http: httpx.AsyncClient, headers: dict[str, str], name: str) -> str:
    stored = await http.post("/documents", headers=headers,
                             files={"file": (name, PDF, "application/pdf")})
    assert stored.status_code == 201, stored.text
    return str(stored.json()["id"])


async def defined(http: httpx.AsyncClient, code: str = "CUM-VT-1") -> str:
    created = await http.post("/clusters", headers=BOARD, json={
        "code": code, "name": "Cụm thi đua các phường, xã thành phố Vị Thanh",
        "kind": "cluster", "year": this_year(), "members": MEMBERS, "leader": LEADER_UNIT})
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "defined"
    return str(created.json()["id"])


async def ranked(http: httpx.AsyncClient, laurel: Laurel, cluster: str = "",
                 projected: Callable[[], object] = lambda: None) -> str:
    """A cluster (defined here unless given) through its pact, criteria, self-assessments,
    both steps' scores and its ranking, with the refusals met on the way; ``projected``
    after each step."""
    cluster = cluster or await defined(http)
    again = await http.post("/clusters", headers=BOARD, json={
        "code": " cum-vt-1 ", "name": "Khác", "kind": "block", "year": this_year(),
        "members": MEMBERS[:2], "leader": LEADER_UNIT})
    assert_problem(again, 409, "cluster-already-defined")
    outside = await http.post("/clusters", headers=token("x", "reviewer", unit="hg.vi-thanh"),
                              json={"code": "K2", "name": "Khối", "kind": "block",
                                    "year": this_year(), "members": ["hg.so-yte", "hg.so-gddt"],
                                    "leader": "hg.so-yte"})
    assert_problem(outside, 422, "invalid-cluster")
    early = await http.post(f"/clusters/{cluster}/criteria", headers=LEADER,
                            json={"criteria": CRITERIA})
    assert_problem(early, 409, "cluster-step-out-of-order")

    pact = await document(http, LEADER, "giao-uoc.pdf")
    not_leader = await http.post(f"/clusters/{cluster}/pact", headers=CLERKS[MEMBERS[1]],
                                 json={"document_id": pact, "signed_on": day_in_vietnam()})
    assert_problem(not_leader, 403, "wrong-role")
    signed = await http.post(f"/clusters/{cluster}/pact", headers=LEADER,
                             json={"document_id": pact, "signed_on": day_in_vietnam()})
    assert signed.status_code == 200, signed.text
    projected()
    doubled = await http.post(f"/clusters/{cluster}/criteria", headers=LEADER_COUNCIL, json={
        "criteria": [CRITERIA[0], CRITERIA[0]]})
    assert_problem(doubled, 422, "invalid-cluster-points")
    published = await http.post(f"/clusters/{cluster}/criteria", headers=LEADER_COUNCIL,
                                json={"criteria": CRITERIA})
    assert published.status_code == 200 and published.json()["status"] == "assessing"
    projected()

    over = await http.post(f"/clusters/{cluster}/self-assessments", headers=LEADER, json={
        "items": [{"criterion": "TC1", "points": 41}, {"criterion": "TC2", "points": 1},
                  {"criterion": "TC3", "points": 1}]})
    assert "TC1" in assert_problem(over, 422, "invalid-cluster-points")["detail"]
    evidence = await document(http, CLERKS[MEMBERS[1]], "bao-cao-tu-cham.pdf")
    for unit, points in BOARD_POINTS.items():
        items = [{"criterion": code, "points": min(p + 2, 40 if code == "TC1" else 30),
                  "evidence": [evidence] if unit == MEMBERS[1] else [],
                  "note": "Báo cáo tự chấm"} for code, p in points.items()]
        assessed = await http.post(f"/clusters/{cluster}/self-assessments",
                                   headers=CLERKS[unit], json={"items": items})
        assert assessed.status_code == 200, assessed.text
        projected()
    board_first = await http.post(f"/clusters/{cluster}/scores", headers=BOARD,
                                  json={"points": BOARD_POINTS})
    assert_problem(board_first, 403, "wrong-role")
    board_step = await http.post(f"/clusters/{cluster}/scores", headers=BOARD,
                                 json={"points": BOARD_POINTS, "step": "board"})
    assert_problem(board_step, 409, "cluster-step-out-of-order")
    leader_points = {u: {c: max(p - 1, 0) for c, p in pts.items()}
                     for u, pts in BOARD_POINTS.items()}
    missing = await http.post(f"/clusters/{cluster}/scores", headers=LEADER, json={
        "points": {u: p for u, p in leader_points.items() if u != MEMBERS[2]}})
    assert_problem(missing, 422, "invalid-cluster-points")
    by_leader = await http.post(f"/clusters/{cluster}/scores", headers=LEADER,
                                json={"points": leader_points, "note": "Trưởng cụm chấm"})
    assert by_leader.status_code == 200 and by_leader.json()["status"] == "scoring"
    projected()
    too_early = await http.post(f"/clusters/{cluster}/ranking", headers=BOARD)
    assert_problem(too_early, 409, "cluster-step-out-of-order")
    late = await http.post(f"/clusters/{cluster}/self-assessments", headers=LEADER, json={
        "items": [{"criterion": c["code"], "points": 1} for c in CRITERIA]})
    assert_problem(late, 409, "cluster-step-out-of-order")
    by_board = await http.post(f"/clusters/{cluster}/scores", headers=BOARD,
                               json={"points": BOARD_POINTS})
    assert by_board.status_code == 200 and by_board.json()["status"] == "scored"
    projected()
    no_flag_yet = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER, json={})
    assert_problem(no_flag_yet, 409, "cluster-step-out-of-order")
    ranking = await http.post(f"/clusters/{cluster}/ranking", headers=BOARD)
    assert ranking.status_code == 200 and ranking.json()["status"] == "ranked"
    return cluster


async def test_a_clusters_scoring_comes_to_a_flag_that_travels_the_route(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    cluster = await ranked(http, laurel)
    project(laurel)
    shown = (await http.get(f"/clusters/{cluster}", headers=CLERKS[MEMBERS[2]])).json()
    assert shown["status"] == "ranked" and shown["leader_name"] == "Phường I"
    assert [(m["unit_id"], m["score"], m["rank"]) for m in shown["ranking"]] == [
        ("hg.vi-thanh.phuong-3", 85, 1), ("hg.vi-thanh.xa-vi-tan", 85, 2),
        (LEADER_UNIT, 75, 3)]
    assert shown["tie_rule"]["en"].startswith("Equal totals: the points of each criterion")
    second = next(m for m in shown["members"] if m["unit_id"] == MEMBERS[1])
    assert second["self_total"] == 91 and second["evidence"]["TC1"]
    assert [(s["step"], s["total"]) for s in second["scores"]] == [("leader", 82),
                                                                     ("board", 85)]
    listed = (await http.get("/clusters", params={"year": this_year()}, headers=BOARD)).json()
    assert [c["id"] for c in listed["items"]] == [cluster]
    stranger = token("x", "proposer", unit="hg.nga-bay.xa-dai-thanh")
    assert (await http.get(f"/clusters/{cluster}", headers=stranger)).status_code == 404
    assert (await http.get("/clusters", headers=stranger)).json()["items"] == []

    not_leader = await http.post(f"/clusters/{cluster}/flag-proposal",
                                 headers=CLERKS[MEMBERS[1]], json={})
    assert_problem(not_leader, 403, "wrong-role")
    # No registration, no consideration: a unit the register does not hold is named only,
    # and the flag goes only to those registered for it.
    unregistered = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER,
                                   json={})
    assert "registered" in assert_problem(unregistered, 422, "nominee-not-registered")[
        "detail"]
    ward = registered_for_the_flag(laurel, [MEMBERS[1]])[MEMBERS[1]]
    flag = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER, json={})
    assert flag.status_code == 201, flag.text
    nomination_id = flag.json()["nomination_id"]
    again = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER, json={})
    assert nomination_id in assert_problem(again, 409, "cluster-step-out-of-order")["detail"]
    project(laurel)
    nomination = (await http.get(f"/nominations/{nomination_id}", headers=LEADER)).json()
    assert nomination["award_code"] == "co-thi-dua-tinh"
    assert nomination["nominee"]["name"] == "Phường III"
    assert nomination["nominee"]["kind"] == "collective"
    assert nomination["nominee"]["person_id"] == ward
    assert nomination["unit_id"] == LEADER_UNIT and nomination["year"] == this_year()
    history = (await http.get(f"/nominations/{nomination_id}/history",
                              headers=LEADER)).json()["items"]
    proposed = next(h for h in history if h["type"] == "Proposed")
    assert proposed["data"]["basis"] == {"cluster_id": cluster, "year": this_year(), "rank": 1,
                                         "score": 85, "unit_id": "hg.vi-thanh.phuong-3"}
    assert (await http.get(f"/clusters/{cluster}", headers=BOARD)).json()[
        "flag_nomination_id"] == nomination_id
    assert nomination["basis"] == proposed["data"]["basis"]  # its readers see the score
    async with page_client(laurel, [("leader-clerk", ("proposer",), LEADER_UNIT)]) as pages:
        await sign_in(pages, "leader-clerk")
        dossier = await pages.get(f"/ui/nominations/{nomination_id}")
        assert f'href="/ui/clusters/{cluster}"' in dossier.text
        assert "Xếp hạng 1 của cụm, khối thi đua" in text_of(dossier) and "85 điểm" in text_of(
            dossier)

    route = laurel.policy.plan_route("co-thi-dua-tinh", LEADER_UNIT, "collective")
    assert [level.unit_id for level in route.reviews] == [LEADER_UNIT, "hg.vi-thanh", "hg"]
    for step, level in enumerate(route.reviews):
        task = laurel.nominations.open_review(UUID(nomination_id), step, datetime.now(UTC))
        assert task is not None
        project(laurel)
        approved = await http.post(f"/tasks/{task.task_id}/review", json={
            "outcome": "approve", "votes": at_council(laurel, level.unit_id, TALLY)},
            headers=token("thu-ky", "reviewer", unit=level.unit_id))
        assert approved.status_code == 200, approved.text
    opened = laurel.nominations.open_decision(UUID(nomination_id), datetime.now(UTC))
    assert opened is not None
    project(laurel)
    decided = await http.post(f"/tasks/{opened.task_id}/decision", headers=token(
        "chu-tich", "decider", unit="hg"), json={
        "outcome": "awarded", "decision_number": "88/QĐ-UBND",
        "decision_date": day_in_vietnam(), "signer": "Chủ tịch UBND tỉnh"})
    assert decided.status_code == 200, decided.text
    project(laurel)
    awarded = (await http.get(f"/nominations/{nomination_id}", headers=LEADER)).json()
    assert awarded["status"] == "awarded"
    assert "88/QĐ-UBND" in str(awarded["decision"])
    # The cluster's own list of those awarded on its ranking, and the year's form by cluster.
    own: dict[str, str | int] = {"year": this_year(), "cluster": cluster, "unit": "hg"}
    listed = (await http.get("/reports/awarded-list", headers=BOARD,
                             params={**own, "format": "json"})).json()
    assert [(i["nomination_id"], i["name"]) for i in listed["items"]] == [
        (nomination_id, "Phường III")]
    assert listed["within"].startswith("Cụm, khối thi đua: Cụm thi đua các phường, xã")
    sheets = openpyxl.load_workbook(io.BytesIO((await http.get(
        "/reports/statistics", headers=BOARD,
        params={"year": this_year(), "unit": "hg", "format": "xlsx"})).content))
    by_cluster = [list(r) for r in sheets.worksheets[-1].iter_rows(values_only=True)]
    assert any(row[1:3] == [f"Cụm thi đua các phường, xã thành phố Vị Thanh ({this_year()})", 1]
               for row in by_cluster), by_cluster


async def test_the_clusters_read_models_rebuild_identically(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    projector = Projector(laurel.engine, laurel.log)
    cluster = await defined(http)
    projector.catch_up()  # the rows made event by event, as the projector follows the log
    cluster = await ranked(http, laurel, cluster, projected=projector.catch_up)
    registered_for_the_flag(laurel, [MEMBERS[1]])
    assert (await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER,
                            json={})).status_code == 201
    projector.catch_up()
    report = verify_read_models(laurel.engine, laurel.log,
                                scratch_url_for(laurel.settings.read_model_url()))
    assert report.identical, report.differences
    assert {t.table: t.live_rows for t in report.tables if t.table.startswith("cluster")} == {
        "clusters": 1, "cluster_members": 3, "cluster_scores": 6}
    before = (await http.get(f"/clusters/{cluster}", headers=BOARD)).json()
    projector.rebuild()
    after = (await http.get(f"/clusters/{cluster}", headers=BOARD)).json()
    assert after == before
    assert after["status"] == "flag_proposed"


async def _form(pages: httpx.AsyncClient, page: str, action: str, data: dict[str, Any],
                files: dict[str, Any] | None = None) -> httpx.Response:
    shown = await pages.get(page)
    assert shown.status_code == 200, shown.text
    done = await pages.post(action, data={"csrf": csrf_of(shown), **data}, files=files)
    assert done.status_code == 303, text_of(done)
    return done


async def test_the_cluster_pages_take_a_year_from_definition_to_the_flag(
    laurel: Laurel,
) -> None:
    people = [("ban", ("reviewer",), "hg"), ("p1", ("proposer",), LEADER_UNIT),
              ("p3", ("proposer",), MEMBERS[1]), ("vt", ("proposer",), MEMBERS[2])]
    async with page_client(laurel, people) as pages:
        await sign_in(pages, "ban")
        defined = await _form(pages, "/ui/clusters", "/ui/clusters", {
            "code": "CUM-1", "name": "Cụm các phường, xã Vị Thanh", "kind": "cluster",
            "year": str(this_year()), "members": MEMBERS, "leader": LEADER_UNIT})
        page = defined.headers["location"].split("?")[0]
        project(laurel)
        listed = text_of(await pages.get("/ui/clusters"))
        assert "Cụm các phường, xã Vị Thanh" in listed and "Phường I" in listed

        await sign_in(pages, "p1")
        await _form(pages, page, f"{page}/pact", {"signed_on": day_in_vietnam()},
                    files={"file": ("giao-uoc.pdf", PDF, "application/pdf")})
        project(laurel)
        await _form(pages, page, f"{page}/criteria", {"criteria": "\n".join(
            f"{c['code']} | {c['name']} | {c['max_points']}" for c in CRITERIA)})
        project(laurel)
        for username, unit in zip(("p1", "p3", "vt"), MEMBERS, strict=True):
            await sign_in(pages, username)
            assessed = {"criterion": [c["code"] for c in CRITERIA], **{
                f"points.{code}": str(p) for code, p in BOARD_POINTS[unit].items()}}
            await _form(pages, page, f"{page}/self-assessments", assessed,
                        files={"file.TC1": ("minh-chung.pdf", PDF, "application/pdf")})
            project(laurel)
        await sign_in(pages, "p1")
        scoring = await pages.get(page)
        assert "Trưởng cụm chấm" in text_of(scoring) and 'name="points.' in scoring.text
        await _form(pages, page, f"{page}/scores", {"step": "leader", **{
            f"points.{unit}.{code}": str(p) for unit, pts in BOARD_POINTS.items()
            for code, p in pts.items()}})
        project(laurel)
        await sign_in(pages, "ban")
        await _form(pages, page, f"{page}/scores", {"step": "board", **{
            f"points.{unit}.{code}": str(p) for unit, pts in BOARD_POINTS.items()
            for code, p in pts.items()}})
        project(laurel)
        await _form(pages, page, f"{page}/ranking", {})
        project(laurel)
        printable = text_of(await pages.get(f"{page}/ranking"))
        assert "Bảng xếp hạng thi đua" in printable
        assert printable.index("Phường III") < printable.index("Xã Vị Tân")
        english = text_of(await pages.get(f"{page}/ranking?lang=en"))
        assert "Emulation ranking" in english and "Equal totals" in english

        await sign_in(pages, "p1")
        registered_for_the_flag(laurel, [MEMBERS[1]])
        flagged = await _form(pages, page, f"{page}/flag-proposal", {})
        project(laurel)
        shown = await pages.get(flagged.headers["location"])
        assert "Đã đề nghị Cờ thi đua" in text_of(shown)
        assert 'id="cluster-flag" href="/ui/nominations/' in shown.text
        members = text_of(await pages.get(f"{page}?lang=en"))
        assert "Flag proposed" in members and "Leader&#39;s scores" in members


def test_equal_totals_rank_by_the_criteria_in_order_then_by_unit_code() -> None:
    criteria = [Criterion("A", "a", 10), Criterion("B", "b", 10)]
    points: dict[str, dict[str, float]] = {
        "u3": {"A": 5, "B": 5}, "u1": {"A": 4, "B": 6}, "u2": {"A": 5, "B": 5},
        "u4": {"A": 9.5, "B": 1}}
    assert [(r["unit_id"], r["score"], r["rank"]) for r in ranked_members(
        ["u1", "u2", "u3", "u4"], criteria, points)] == [
        ("u4", 10.5, 1), ("u2", 10, 2), ("u3", 10, 3), ("u1", 10, 4)]


async def test_a_keyed_definition_sent_again_is_answered_as_the_first(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    body = {"code": "KHOI-1", "name": "Khối các phường", "kind": "block",
            "year": this_year(), "members": MEMBERS[:2], "leader": MEMBERS[1]}
    keyed = {**BOARD, "Idempotency-Key": "khoi-1"}
    first = await http.post("/clusters", headers=keyed, json=body)
    again = await http.post("/clusters", headers=keyed, json=body)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = await http.post("/clusters", headers=BOARD, json=body)
    assert_problem(other, 409, "cluster-already-defined")
    by_a_clerk = await http.post("/clusters", headers=LEADER, json={**body, "code": "K2"})
    assert_problem(by_a_clerk, 403, "wrong-role")


def test_the_policy_may_name_the_steps_that_score() -> None:
    assert read_scoring_steps({}) == ("leader", "board")
    assert read_scoring_steps({"cluster_scoring_steps": ["board"]}) == ("board",)
    for wrong in ([], ["board", "board"], ["council"], "board"):
        with pytest.raises(PolicyError, match="cluster_scoring_steps"):
            read_scoring_steps({"cluster_scoring_steps": wrong})


def test_with_the_board_alone_scoring_the_board_scores_and_ranks() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    board = Actor("ban", frozenset({"reviewer"}), "hg")
    leader = Actor("p1", frozenset({"proposer"}), MEMBERS[0])
    cluster = Cluster.define(actor=board, role="reviewer", code="K", name="Khối",
                             kind="block", year=2026, members=MEMBERS[:2], leader=MEMBERS[0],
                             steps=["board"], at=at)
    cluster.sign_pact(leader, document_id="d", signed_on="2026-01-10", at=at)
    cluster.publish_criteria(leader, [Criterion("A", "a", 10)], at=at)
    for unit in MEMBERS[:2]:
        cluster.self_assess(Actor(unit, frozenset({"proposer"}), unit), points={"A": 7},
                            evidence={}, notes={}, at=at)
    with pytest.raises(WrongRole):
        cluster.score(leader, step="", points={u: {"A": 5} for u in MEMBERS[:2]}, note="",
                      at=at)
    cluster.score(board, step="", points={MEMBERS[0]: {"A": 6}, MEMBERS[1]: {"A": 8}},
                  note="", at=at)
    cluster.publish_ranking(board, at=at)
    assert cluster.status == "ranked"
    assert [r["unit_id"] for r in cluster.ranking] == [MEMBERS[1], MEMBERS[0]]


async def test_members_assessing_themselves_at_once_are_all_recorded(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    cluster = await defined(http)
    pact = await document(http, LEADER, "giao-uoc.pdf")
    assert (await http.post(f"/clusters/{cluster}/pact", headers=LEADER, json={
        "document_id": pact, "signed_on": day_in_vietnam()})).status_code == 200
    assert (await http.post(f"/clusters/{cluster}/criteria", headers=LEADER,
                            json={"criteria": CRITERIA})).status_code == 200
    answers = await asyncio.gather(*(
        http.post(f"/clusters/{cluster}/self-assessments", headers=CLERKS[unit], json={
            "items": [{"criterion": c, "points": p} for c, p in points.items()]})
        for unit, points in BOARD_POINTS.items()))
    assert [a.status_code for a in answers] == [200] * 3, [a.text for a in answers]
    project(laurel)
    shown = (await http.get(f"/clusters/{cluster}", headers=BOARD)).json()
    assert {m["unit_id"]: m["self_total"] for m in shown["members"]} == {
        LEADER_UNIT: 75, MEMBERS[1]: 85, MEMBERS[2]: 85}
    assert shown["version"] == 6


async def test_a_flag_for_a_unit_in_the_register_waits_for_its_registration(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    first = "hg.vi-thanh.phuong-3"  # ranked first by ``ranked``
    entered = await http.post("/people", headers=CLERKS[first], json={
        "kind": "collective", "name": "UBND Phường III"})
    assert entered.status_code == 201, entered.text
    ward = entered.json()["id"]
    cluster = await ranked(http, laurel)
    unregistered = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER,
                                   json={})
    problem = assert_problem(unregistered, 422, "not-eligible")
    [check] = [c for c in problem["checks"] if c["rule"] == "registered"]
    assert "152/2025" in check["legal_basis"]
    assert (await http.post("/registrations", headers=CLERKS[first], json={
        "person_id": ward, "year": this_year(), "award_codes": ["co-thi-dua-tinh"]},
    )).status_code == 200
    flag = await http.post(f"/clusters/{cluster}/flag-proposal", headers=LEADER, json={})
    assert flag.status_code == 201, flag.text
    project(laurel)
    nomination_id = flag.json()["nomination_id"]
    nomination = (await http.get(f"/nominations/{nomination_id}", headers=LEADER)).json()
    assert nomination["nominee"]["person_id"] == ward
    assert nomination["nominee"]["name"] == "UBND Phường III"
    checks = (await http.get(f"/nominations/{nomination_id}/eligibility",
                             headers=LEADER)).json()["checks"]
    assert [c["passed"] for c in checks if c["rule"] == "registered"] == [True]


async def test_the_leadership_rotates_from_last_years_cluster(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    body = {"code": "CUM-LP", "name": "Cụm luân phiên", "kind": "cluster", "members": MEMBERS}
    unnamed = await http.post("/clusters", headers=BOARD, json={**body, "year": this_year() - 1})
    assert "Name the leader" in assert_problem(unnamed, 422, "invalid-cluster")["detail"]
    last_year = await http.post("/clusters", headers=BOARD, json={
        **body, "year": this_year() - 1, "leader": MEMBERS[1]})
    assert last_year.status_code == 201, last_year.text
    again = await http.post("/clusters", headers=BOARD, json={
        **body, "year": this_year(), "leader": MEMBERS[1]})
    assert MEMBERS[1] in assert_problem(again, 422, "invalid-cluster")["detail"]
    rotated = await http.post("/clusters", headers=BOARD, json={**body, "year": this_year()})
    assert rotated.status_code == 201, rotated.text
    project(laurel)
    shown = (await http.get(f"/clusters/{rotated.json()['id']}", headers=BOARD)).json()
    assert shown["leader"] == MEMBERS[2]  # the member after last year's leader
    # and from the last member it comes round to the first
    await http.post("/clusters", headers=BOARD, json={**body, "year": this_year() + 1})
    project(laurel)
    following = (await http.get("/clusters", params={"year": this_year() + 1},
                                headers=BOARD)).json()["items"]
    assert [c["leader"] for c in following] == [MEMBERS[0]]
