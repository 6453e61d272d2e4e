"""The council's roster, over HTTP on both backends: a ballot's members come from it, less
a member who is the nomination's proposer or its nominee (each recorded as stepping aside,
and a typed count that is not the roster's refused with its own problem type); absent
members' written opinions count where the roster says so and change an outcome; the
roster is readable; and a meeting's page records each nominee's own tally in one list.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.person import individual_id
from infrastructure.container import Laurel
from infrastructure.settings import BUNDLED_POLICY
from tests.support.nominations import PROPOSER, TALLY, UNIT, project
from tests.support.pages import csrf_of, page_client, sign_in, text_of
from tests.support.pdf import pdf_text
from tests.support.people import token
from tests.support.problems import assert_problem

# A roster member who is also in the register: the nominee of one test.
MEMBER_NATIONAL_ID = "093070004321"
# The proposer who sits on the province's council: the director of the health department.
DIRECTOR = token("giamdoc.soyte", "proposer", unit="hg.so-yte")
CLERK_OF_HEALTH = token("van-thu", "proposer", unit="hg.so-yte")
PROVINCE = token("thu-ky", "reviewer", unit="hg")
DISTRICT = "hg.vi-thanh"
# A roster of the district where absent members' written opinions are not counted.
DISTRICT_COUNCIL = f"""
  - unit: {DISTRICT}
    term: {{from: 2021-07-01, to: 2031-06-30}}
    written_opinions: not_counted
    members:
      - {{username: chutich.vithanh, name: "Chủ tịch UBND thành phố Vị Thanh", role: chair}}
      - {{username: pho.vithanh, name: "Phó Chủ tịch UBND thành phố", role: vice_chair}}
      - {{username: tp.noivu, name: "Trưởng phòng Nội vụ"}}
      - {{username: tp.gddt, name: "Trưởng phòng Giáo dục"}}
      - {{username: tp.yte, name: "Trưởng phòng Y tế"}}
      - {{username: ct.ldld, name: "Chủ tịch Liên đoàn Lao động thành phố"}}
      - {{username: ct.mttq, name: "Chủ tịch Ủy ban MTTQ thành phố"}}
"""


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    """The demo policy, with a province council member in the register and a district
    roster whose written opinions are not counted."""
    text = BUNDLED_POLICY.read_text(encoding="utf-8")
    member = '{username: truongban.tuyengiao, name: "Trưởng ban Tuyên giáo Tỉnh ủy"}'
    assert text.count(member) == 1
    text = text.replace(member, member[:-1] + ", person_id: "
                        f"{individual_id(MEMBER_NATIONAL_ID)}}}")
    text = text.replace("\norg_units:", DISTRICT_COUNCIL + "\norg_units:", 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def propose(http: httpx.AsyncClient, headers: dict[str, str],
                  nominee: dict[str, Any] | None = None, name: str = "Lê Văn Tâm") -> str:
    created = await http.post("/nominations", headers=headers, json={
        "award_code": "bang-khen-tinh",
        "nominee": nominee or {"name": name, "kind": "individual"}})
    assert created.status_code in (200, 201), created.text
    return str(created.json()["id"])


def open_review(laurel: Laurel, nomination_id: str, step: int) -> str:
    task = laurel.nominations.open_review(UUID(nomination_id), step, datetime.now(UTC))
    assert task is not None
    project(laurel)
    return task.task_id


async def approved_below(http: httpx.AsyncClient, laurel: Laurel, nomination_id: str,
                         units: list[str]) -> None:
    """Approved by the councils of ``units`` (none with a roster), in turn."""
    for step, unit in enumerate(units):
        task = open_review(laurel, nomination_id, step)
        done = await http.post(f"/tasks/{task}/review", headers=token(
            "thu-ky", "reviewer", unit=unit), json={"outcome": "approve", "votes": TALLY})
        assert done.status_code == 200, done.text


async def reviews_of(http: httpx.AsyncClient, laurel: Laurel,
                     nomination_id: str) -> list[dict[str, Any]]:
    project(laurel)
    found = await http.get(f"/nominations/{nomination_id}/history", headers=PROVINCE)
    assert found.status_code == 200, found.text
    return [h["data"] for h in found.json()["items"] if h["type"] == "ReviewedByCouncil"]


async def test_a_member_who_proposed_steps_aside_and_a_typed_roster_count_is_refused(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination = await propose(http, DIRECTOR)
    first = open_review(laurel, nomination, 0)
    # The department's council has no roster: its members are typed, as ever.
    untyped = await http.post(f"/tasks/{first}/review", headers=token(
        "thu-ky", "reviewer", unit="hg.so-yte"), json={"outcome": "approve", "votes": {
            "present": 5, "for": 5, "against": 0, "abstain": 0}})
    assert "members" in assert_problem(untyped, 422, "invalid-vote-tally")["detail"]
    await approved_below(http, laurel, nomination, ["hg.so-yte"])

    task = open_review(laurel, nomination, 1)
    all_nine = {"members": 9, "present": 8, "for": 8, "against": 0, "abstain": 0}
    refused = await http.post(f"/tasks/{task}/review", headers=PROVINCE,
                              json={"outcome": "approve", "votes": all_nine})
    detail = assert_problem(refused, 422, "ballot-not-the-roster")["detail"]
    assert "9 members on its roster" in detail and "are 8, not 9" in detail, detail
    assert "Giám đốc Sở Y tế (the proposer)" in detail, detail
    in_vietnamese = await http.post(f"/tasks/{task}/review", headers={
        **PROVINCE, "Accept-Language": "vi"}, json={"outcome": "approve", "votes": all_nine})
    said = assert_problem(in_vietnamese, 422, "ballot-not-the-roster")["detail"]
    assert "Giám đốc Sở Y tế (là người đề nghị)" in said, said
    problem = await http.get("/problems/ballot-not-the-roster")
    assert problem.status_code == 200

    recorded = await http.post(f"/tasks/{task}/review", headers=PROVINCE, json={
        "outcome": "approve", "votes": {"present": 8, "for": 8, "against": 0, "abstain": 0}})
    assert recorded.status_code == 200, recorded.text
    review = (await reviews_of(http, laurel, nomination))[-1]
    assert review["votes"]["members"] == 8
    assert review["council"]["roster"] == 9 and review["council"]["members"] == 8
    assert (review["council"]["term_from"], review["council"]["term_to"]) == (
        "2021-07-01", "2031-06-30")
    assert review["council"]["recused"] == [
        {"username": "giamdoc.soyte", "name": "Giám đốc Sở Y tế", "why": "proposer"}]
    project(laurel)
    minutes = pdf_text(await http.get(f"/nominations/{nomination}/minutes/{task}",
                                      headers=PROVINCE))
    assert "Danh sách Hội đồng nhiệm kỳ 01/07/2021 – 30/06/2031: 9 thành viên." in minutes
    assert ("Không tham gia xét hồ sơ này: Giám đốc Sở Y tế (là người đề nghị)."
            in minutes), minutes
    assert "Thành viên Hội đồng: 8; có mặt: 8" in minutes

    async with page_client(laurel, [("kiem-tra", ("auditor",), "hg")]) as pages:
        await sign_in(pages, "kiem-tra")
        audit = text_of(await pages.get(f"/ui/audit/{nomination}"))
        assert "Không tham gia xét: Giám đốc Sở Y tế (là người đề nghị)" in audit, audit
        dossier = text_of(await pages.get(f"/ui/nominations/{nomination}"))
        assert "Không tham gia xét: Giám đốc Sở Y tế (là người đề nghị)" in dossier, dossier


async def test_a_nominee_who_sits_on_the_council_steps_aside_from_their_own_ballot(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    person = await http.post("/people", headers=PROPOSER, json={
        "name": "Trần Minh Đức", "national_id": MEMBER_NATIONAL_ID, "birth_date": "1970-03-02",
        "gender": "male", "position": "Trưởng ban Tuyên giáo"})
    assert person.status_code == 201, person.text
    assert person.json()["id"] == str(individual_id(MEMBER_NATIONAL_ID))
    nomination = await propose(http, PROPOSER, {"person_id": person.json()["id"]})
    await approved_below(http, laurel, nomination, [UNIT])
    # The district's council has a roster of seven: nobody there steps aside.
    district = open_review(laurel, nomination, 1)
    done = await http.post(f"/tasks/{district}/review", headers=token(
        "thu-ky", "reviewer", unit=DISTRICT), json={"outcome": "approve", "votes": {
            "members": 7, "present": 7, "for": 6, "against": 1, "abstain": 0}})
    assert done.status_code == 200, done.text

    task = open_review(laurel, nomination, 2)
    nine = await http.post(f"/tasks/{task}/review", headers=PROVINCE, json={
        "outcome": "approve", "votes": {"members": 9, "present": 8, "for": 7, "against": 1,
                                        "abstain": 0}})
    detail = assert_problem(nine, 422, "ballot-not-the-roster")["detail"]
    assert "Trưởng ban Tuyên giáo Tỉnh ủy (the nominee)" in detail, detail
    eight = await http.post(f"/tasks/{task}/review", headers=PROVINCE, json={
        "outcome": "approve", "votes": {"members": 8, "present": 8, "for": 7, "against": 1,
                                        "abstain": 0}})
    assert eight.status_code == 200, eight.text
    district_review, province_review = (await reviews_of(http, laurel, nomination))[-2:]
    assert district_review["council"]["recused"] == []
    assert district_review["votes"]["members"] == 7
    assert province_review["votes"]["members"] == 8
    assert province_review["council"]["recused"] == [
        {"username": "truongban.tuyengiao", "name": "Trưởng ban Tuyên giáo Tỉnh ủy",
         "why": "nominee"}]


async def test_written_opinions_change_the_outcome_where_the_roster_counts_them(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    # The province counts them: 4 for + 1 written of 9 members is more than half.
    counted = await propose(http, CLERK_OF_HEALTH)
    await approved_below(http, laurel, counted, ["hg.so-yte"])
    task = open_review(laurel, counted, 1)
    four = {"present": 7, "for": 4, "against": 3, "abstain": 0}
    without = await http.post(f"/tasks/{task}/review", headers=PROVINCE,
                              json={"outcome": "approve", "votes": four})
    assert_problem(without, 422, "outcome-contradicts-tally")
    too_many = await http.post(f"/tasks/{task}/review", headers=PROVINCE, json={
        "outcome": "approve", "votes": {**four, "written_for": 2, "written_against": 1}})
    assert "2 absent" in assert_problem(too_many, 422, "invalid-vote-tally")["detail"]
    written = await http.post(f"/tasks/{task}/review", headers=PROVINCE, json={
        "outcome": "approve", "votes": {**four, "written_for": 1}})
    assert written.status_code == 200, written.text
    review = (await reviews_of(http, laurel, counted))[-1]
    assert review["result"] == {"quorum_met": True, "approved": True, "share_for": "5/9",
                                "written_opinions": "counted"}
    project(laurel)
    minutes = pdf_text(await http.get(f"/nominations/{counted}/minutes/{task}",
                                      headers=PROVINCE))
    assert "Ý kiến bằng văn bản đồng ý 1" in minutes, minutes
    assert "Ý kiến bằng văn bản không đồng ý" not in minutes
    assert "Tỷ lệ đồng ý trên tổng số thành viên: 5/9 (55.6%)" in minutes, minutes
    async with page_client(laurel, [("kiem-tra", ("auditor",), "hg")]) as pages:
        await sign_in(pages, "kiem-tra")
        audit = text_of(await pages.get(f"/ui/audit/{counted}"))
        assert "Đạt: 5/9 tổng số thành viên đồng ý" in audit, audit
        assert ("Ý kiến bằng văn bản của thành viên vắng mặt: 1 đồng ý, 0 không đồng ý "
                "(được tính)") in audit, audit

    # The district records them only: 3 for of 7 is not more than half, whatever is
    # written.
    not_counted = await propose(http, PROPOSER)
    await approved_below(http, laurel, not_counted, [UNIT])
    task = open_review(laurel, not_counted, 1)
    votes = {"present": 5, "for": 3, "against": 2, "abstain": 0, "written_for": 2}
    district = token("thu-ky", "reviewer", unit=DISTRICT)
    approve = await http.post(f"/tasks/{task}/review", headers=district,
                              json={"outcome": "approve", "votes": votes})
    detail = assert_problem(approve, 422, "outcome-contradicts-tally")["detail"]
    assert "written opinions not counted: 2 for" in detail, detail
    reject = await http.post(f"/tasks/{task}/review", headers=district,
                             json={"outcome": "reject", "votes": votes})
    assert reject.status_code == 200, reject.text
    review = (await reviews_of(http, laurel, not_counted))[-1]
    assert review["votes"] == {"members": 7, **votes}
    assert review["result"] == {"quorum_met": True, "approved": False, "share_for": "3/7",
                                "written_opinions": "not_counted"}


async def test_the_roster_is_read_by_the_units_that_may_see_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    found = await http.get("/councils/hg", headers=PROVINCE)
    assert found.status_code == 200, found.text
    council = found.json()
    assert council["count"] == 9 and len(council["members"]) == 9
    assert council["chair"]["username"] == "chutich.tinh"
    assert council["chair"]["role_name"] == {"vi": "Chủ tịch Hội đồng", "en": "Chair"}
    assert (council["term_from"], council["term_to"]) == ("2021-07-01", "2031-06-30")
    assert council["written_opinions"] == "counted"
    # A ward's clerk does not see the province's council; a unit without one has none.
    assert_problem(await http.get("/councils/hg", headers=PROPOSER), 404, "not-found")
    assert_problem(await http.get(f"/councils/{UNIT}", headers=PROPOSER), 404, "not-found")


async def test_a_meeting_records_each_nominees_own_tally_and_a_refused_row_keeps_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_director = await propose(http, DIRECTOR, name="Phạm Thị Mai")
    by_clerk = await propose(http, CLERK_OF_HEALTH, name="Đỗ Văn Hùng")
    tasks = []
    for nomination in (by_director, by_clerk):
        await approved_below(http, laurel, nomination, ["hg.so-yte"])
        tasks.append(open_review(laurel, nomination, 1))

    async with page_client(laurel, [("thu-ky", ("reviewer",), "hg")]) as pages:
        await sign_in(pages, "thu-ky")
        inbox = await pages.get("/ui/inbox")
        # The meeting's tally asks no members: the province's council has a roster.
        assert 'id="m-members"' not in inbox.text and 'id="m-present"' in inbox.text
        note = re.search(r'id="m-roster-members".*?</p>', inbox.text, re.S)
        assert note and "9" in text_of(httpx.Response(200, text=note.group(0)))
        summary = await pages.post("/ui/meeting/summary", data={
            "csrf": csrf_of(inbox), "task_id": tasks, "outcome": "approve", "present": "8",
            "for": "8", "against": "0", "abstain": "0"})
        assert summary.status_code == 200, text_of(summary)[:2000]
        said = text_of(summary)
        assert "nhiệm kỳ 01/07/2021 – 30/06/2031, 9 thành viên" in said, said
        assert "Chủ tịch UBND tỉnh — Chủ tịch Hội đồng" in said
        assert "8 (danh sách Hội đồng có 9 thành viên)" in said
        assert "9 (danh sách Hội đồng có 9 thành viên)" in said
        row = re.search(rf'id="meeting-{tasks[0]}".*?</tr>', summary.text, re.S)
        assert row and "Không tham gia xét hồ sơ này: Giám đốc Sở Y tế (là người đề nghị)" in (
            text_of(httpx.Response(200, text=row.group(0))))
        assert f'name="members_{tasks[0]}"' not in summary.text  # shown, not typed

        key = re.findall(r'name="key" value="([^"]+)"', summary.text)[0]
        rows = {
            f"outcome_{tasks[0]}": "approve", f"present_{tasks[0]}": "8",
            f"for_{tasks[0]}": "7", f"against_{tasks[0]}": "1", f"abstain_{tasks[0]}": "0",
            f"outcome_{tasks[1]}": "reject", f"present_{tasks[1]}": "9",
            f"for_{tasks[1]}": "3", f"against_{tasks[1]}": "5", f"abstain_{tasks[1]}": "0",
            f"written_for_{tasks[1]}": "", f"written_against_{tasks[1]}": ""}
        # The second row does not add up: nothing is recorded, and it comes back as typed.
        refused = await pages.post("/ui/meeting", data={
            "csrf": csrf_of(summary), "key": key, "task_id": tasks, **rows})
        assert refused.status_code == 422, text_of(refused)[:2000]
        said = text_of(refused)
        assert "hồ sơ thứ 2 (Đỗ Văn Hùng) không ghi được" in said, said
        assert "9 có mặt, 8 phiếu" in said, said
        assert f'name="against_{tasks[1]}" form="meeting-form" type="number" ' \
               f'inputmode="numeric" min="0" max="10000" value="5"' in refused.text
        assert laurel.nominations.status(UUID(by_director)) == "under_review"

        recorded = await pages.post("/ui/meeting", data={
            "csrf": csrf_of(refused), "key": key + "-2", "task_id": tasks,
            **rows, f"abstain_{tasks[1]}": "1"})
        assert recorded.status_code == 303, text_of(recorded)[:2000]

    director_review = (await reviews_of(http, laurel, by_director))[-1]
    clerk_review = (await reviews_of(http, laurel, by_clerk))[-1]
    assert (director_review["outcome"], director_review["votes"]) == ("approve", {
        "members": 8, "present": 8, "for": 7, "against": 1, "abstain": 0})
    assert director_review["council"]["recused"][0]["why"] == "proposer"
    assert (clerk_review["outcome"], clerk_review["votes"]) == ("reject", {
        "members": 9, "present": 9, "for": 3, "against": 5, "abstain": 1})
    assert clerk_review["council"]["recused"] == []


async def test_the_dossiers_vote_at_a_council_with_a_roster_takes_its_members_from_it(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    nomination_id = await propose(http, CLERK_OF_HEALTH)
    await approved_below(http, laurel, nomination_id, ["hg.so-yte"])
    task = open_review(laurel, nomination_id, 1)
    async with page_client(laurel, [("thu-ky", ("reviewer",), "hg")]) as pages:
        await sign_in(pages, "thu-ky")
        dossier = await pages.get(f"/ui/nominations/{nomination_id}")
        assert 'name="members"' not in dossier.text  # the roster gives them
        assert "danh sách Hội đồng (9 người)" in text_of(dossier)
        voted = await pages.post(f"/ui/tasks/{task}/review", data={
            "csrf": csrf_of(dossier), "nomination_id": nomination_id, "outcome": "approve",
            "present": "7", "for": "5", "against": "2", "abstain": "0", "written_for": "1"})
        assert voted.status_code in (200, 303), voted.text
    [*_, province] = await reviews_of(http, laurel, nomination_id)
    assert province["votes"]["members"] == 9 and province["votes"]["written_for"] == 1
    assert province["outcome"] == "approve"
