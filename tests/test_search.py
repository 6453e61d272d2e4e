"""Search: ``GET /nominations?q=`` and ``GET /tasks?q=`` find by nominee name, tracking
code or decision number, accents and case aside, among what the caller may see, paged
like the listings."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx

from infrastructure.container import Laurel
from tests.support.nominations import PROPOSER, TALLY, UNIT, project
from tests.support.people import token
from tests.support.problems import assert_problem

OTHER_UNIT = "hg.nga-bay.xa-dai-thanh"  # another district's commune
OTHER_PROPOSER = token("clerk2", "proposer", unit=OTHER_UNIT)
REVIEWER = token("secretary", "reviewer", unit=UNIT)
OTHER_REVIEWER = token("secretary2", "reviewer", unit=OTHER_UNIT)
DECIDER = token("head", "decider", unit=UNIT)
DISTRICT_REVIEWER = token("district", "reviewer", unit="hg.vi-thanh")
PROVINCE_AUDITOR = token("inspector", "auditor", unit="hg")
ADMIN = token("root", "admin", unit="hg")
NAMES = ["Nguyễn Thị Hoa", "Đỗ Văn Đức", "Nguyễn Thị Hòa Bình", "Lê Trà Nam",
         "Trần Minh Khoa", "Tổ Y tế dự phòng (Khoa Nhi)"]


async def propose(http: httpx.AsyncClient, name: str, headers: dict[str, str] = PROPOSER,
                  award: str = "giay-khen") -> dict[str, Any]:
    kind = "collective" if name.startswith("Tổ") else "individual"
    response = await http.post("/nominations", headers=headers, json={
        "award_code": award, "nominee": {"name": name, "kind": kind}})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def proposed(http: httpx.AsyncClient, laurel: Laurel) -> dict[str, dict[str, Any]]:
    """The unit's nominations by nominee name, one of another unit, all projected."""
    by_name = {name: await propose(http, name) for name in NAMES}
    by_name["other unit"] = await propose(http, "Nguyễn Thị Hoa", OTHER_PROPOSER)
    project(laurel)
    return by_name


async def found(http: httpx.AsyncClient, q: str, headers: dict[str, str] = PROPOSER,
                path: str = "/nominations", **params: Any) -> list[str]:
    response = await http.get(path, headers=headers, params={"q": q, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"]) <= body["limit"]
    listed = [item["id"] for item in body["items"]]
    assert len(set(listed)) == len(listed)
    return listed


def ids(by_name: dict[str, dict[str, Any]], *names: str) -> set[str]:
    return {by_name[name]["id"] for name in names}


def coded(by_name: dict[str, dict[str, Any]], q: str) -> set[str]:
    """The nominations whose tracking code starts with ``q`` (a word as short as "le" may
    start a random code as well as a name)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", q.lower().replace("đ", "d"))
                    if c.isalnum() and c.isascii())
    return {n["id"] for n in by_name.values()
            if n["tracking_code"].replace("-", "").lower().startswith(plain)}


async def test_a_name_is_found_whatever_its_accents_and_case(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await proposed(http, laurel)
    hoa = ids(by_name, "Nguyễn Thị Hoa", "Nguyễn Thị Hòa Bình")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoa")  # as some keyboards type it
    for q in ("nguyen thi hoa", "NGUYỄN THỊ HOA", "Nguyễn Thị Hoa", decomposed, "nguyễn  thị hoa",
              "nguyen thi h", "thi hoa", "Thị Hòa"):
        assert set(await found(http, q)) == hoa, q
    assert set(await found(http, "hoa binh")) == ids(by_name, "Nguyễn Thị Hòa Bình")
    assert set(await found(http, "nguyen")) == hoa
    # A word of the query starts a word of the name: "tran" is not "Trà Nam", "hoa" not
    # "Khoa"; "khoa" is the start of two names, in whatever brackets.
    assert set(await found(http, "tran")) == ids(by_name, "Trần Minh Khoa")
    assert set(await found(http, "khoa")) == ids(by_name, "Trần Minh Khoa",
                                                  "Tổ Y tế dự phòng (Khoa Nhi)")
    assert set(await found(http, "y te du phong khoa nhi")) == ids(
        by_name, "Tổ Y tế dự phòng (Khoa Nhi)")
    assert await found(http, "nguyen van") == []
    assert await found(http, "thi nguyen") == []


async def test_a_nomination_found_by_several_of_its_words_is_listed_and_counted_once(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    names = ["Hoàng Thị Hoa", "Nguyễn Thị Thu Thủy", "Thu Thu Thu", "Hoa Hòa Hoà", "Lê Văn Lê"]
    by_name = {name: await propose(http, name) for name in names}
    project(laurel)
    expected = {
        "hoa": ["Hoàng Thị Hoa", "Hoa Hòa Hoà"], "hoang": ["Hoàng Thị Hoa"],
        "thu": ["Nguyễn Thị Thu Thủy", "Thu Thu Thu"], "thu t": ["Nguyễn Thị Thu Thủy",
                                                            "Thu Thu Thu"],
        "thu thu": ["Nguyễn Thị Thu Thủy", "Thu Thu Thu"],  # "thu thuy" starts so too
        "thu thu thu": ["Thu Thu Thu"], "thuy": ["Nguyễn Thị Thu Thủy"],
        "t": ["Hoàng Thị Hoa", "Nguyễn Thị Thu Thủy", "Thu Thu Thu"], "hoa hoa": ["Hoa Hòa Hoà"],
        "le": ["Lê Văn Lê"], "le van le": ["Lê Văn Lê"], "l": ["Lê Văn Lê"],
    }
    for q, wanted in expected.items():
        listed = await found(http, q)
        assert set(listed) == ids(by_name, *wanted) | coded(by_name, q), q
    for name, nomination in by_name.items():  # by its code, and by every start of a word
        code = nomination["tracking_code"].replace("-", "")
        assert await found(http, code[:5]) == [nomination["id"]], name
    first = (await http.get("/nominations", headers=PROPOSER,
                            params={"q": "thu", "limit": 1})).json()
    second = (await http.get("/nominations", headers=PROPOSER,
                             params={"q": "thu", "limit": 1, "offset": 1})).json()
    total = 2 + len(coded(by_name, "thu"))
    assert first["total"] == second["total"] == total
    assert len({n["id"] for n in first["items"] + second["items"]}) == 2


async def test_d_with_a_stroke_is_found_as_d(http: httpx.AsyncClient, laurel: Laurel) -> None:
    by_name = await proposed(http, laurel)
    duc = ids(by_name, "Đỗ Văn Đức")
    for q in ("do van duc", "ĐỖ VĂN ĐỨC", "đỗ văn đức", "đức", "DUC", "Ðức"):  # Ð: the eth
        assert set(await found(http, q)) == duc | coded(by_name, q), q


async def test_a_tracking_code_is_found_however_it_is_typed(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await proposed(http, laurel)
    code = by_name["Đỗ Văn Đức"]["tracking_code"]  # e.g. K7M2-QX9P-4R
    raw = code.replace("-", "")
    wanted = by_name["Đỗ Văn Đức"]["id"]
    for q in (code, code.lower(), raw, raw.lower(), " ".join(code.split("-")).lower(),
              f"{raw[:4]} {raw[4:8]} {raw[8:]}", f" {code} ", raw[:6].lower()):
        assert wanted in await found(http, q), q
    for q in (code, raw.lower(), " ".join(code.split("-"))):
        assert await found(http, q) == [wanted], q
    assert await found(http, raw[:9] + ("2" if raw[9] != "2" else "3")) == []


async def test_a_decision_number_finds_its_nomination_once_decided(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await proposed(http, laurel)
    nomination = by_name["Trần Minh Khoa"]
    assert await found(http, "1234/QĐ-UBND") == []

    opened = laurel.nominations.open_review(UUID(nomination["id"]), 0, datetime.now(UTC))
    assert opened is not None
    project(laurel)
    response = await http.post(f"/tasks/{opened.task_id}/review", headers=REVIEWER,
                               json={"outcome": "approve", "votes": TALLY})
    assert response.status_code == 200, response.text
    decision = laurel.nominations.open_decision(UUID(nomination["id"]), datetime.now(UTC))
    assert decision is not None
    project(laurel)
    today = datetime.now(laurel.policy.calendar.zone).date().isoformat()
    response = await http.post(f"/tasks/{decision.task_id}/decision", headers=DECIDER, json={
        "outcome": "awarded", "decision_number": "1234/QĐ-UBND", "decision_date": today,
        "signer": "Thủ trưởng đơn vị"})
    assert response.status_code == 200, response.text
    project(laurel)

    for q in ("1234/QĐ-UBND", "1234/qđ-ubnd", "1234/qd", "1234 QD UBND", "1234qdubnd", "1234"):
        assert await found(http, q) == [nomination["id"]], q
    assert await found(http, "1234", status="awarded") == [nomination["id"]]
    assert await found(http, "1234", status="under_review") == []
    assert await found(http, "1235/QĐ-UBND") == []
    assert await found(http, "1234", headers=OTHER_PROPOSER) == []


async def test_another_units_nomination_is_never_found(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await proposed(http, laurel)
    other = by_name["other unit"]
    mine = by_name["Nguyễn Thị Hoa"]
    for q in ("nguyen thi hoa", other["tracking_code"], other["tracking_code"].replace("-", "")):
        assert other["id"] not in await found(http, q), q
        assert other["id"] not in await found(http, q, headers=DISTRICT_REVIEWER), q
        assert other["id"] in await found(http, q, headers=PROVINCE_AUDITOR), q
        assert other["id"] in await found(http, q, headers=ADMIN), q
    assert await found(http, "nguyen thi hoa", headers=OTHER_PROPOSER) == [other["id"]]
    assert await found(http, mine["tracking_code"], headers=OTHER_PROPOSER) == []
    assert set(await found(http, "nguyen thi hoa", headers=ADMIN)) == {
        mine["id"], other["id"], by_name["Nguyễn Thị Hòa Bình"]["id"]}


async def test_search_results_page_like_the_listing_with_their_own_total(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    names = [f"Nguyễn Văn {given}" for given in ("An", "Bình", "Cường", "Dũng", "Em")]
    for name in names:
        await propose(http, name)
    await propose(http, "Phạm Thị Lan")
    await propose(http, "Nguyễn Văn Phúc", OTHER_PROPOSER)
    project(laurel)

    listing = (await http.get("/nominations", headers=PROPOSER)).json()["items"]
    expected = [n["id"] for n in listing if n["nominee_name"] in names]  # newest first
    pages = [(await http.get("/nominations", headers=PROPOSER,
                             params={"q": "nguyen van", "limit": 2, "offset": offset})).json()
             for offset in (0, 2, 4, 6)]
    assert [page["total"] for page in pages] == [5, 5, 5, 5]
    assert [len(page["items"]) for page in pages] == [2, 2, 1, 0]
    assert [page["limit"] for page in pages] == [2, 2, 2, 2]
    assert [page["offset"] for page in pages] == [0, 2, 4, 6]
    assert [n["id"] for page in pages for n in page["items"]] == expected
    item = pages[0]["items"][0]
    assert item == next(n for n in listing if n["id"] == item["id"])  # the listing's items


async def test_a_query_without_letters_or_digits_filters_nothing_and_a_long_one_is_refused(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    await proposed(http, laurel)
    everything = (await http.get("/nominations", headers=PROPOSER)).json()
    for q in ("", " ", "--/"):
        assert (await http.get("/nominations", headers=PROPOSER,
                               params={"q": q})).json() == everything
    assert_problem(await http.get("/nominations", headers=PROPOSER, params={"q": "a" * 101}),
                   422, "invalid-body")
    assert_problem(await http.get("/tasks", headers=REVIEWER, params={"q": "a" * 101}),
                   422, "invalid-body")
    assert (await http.get("/nominations", headers=PROPOSER,
                           params={"q": "nguyen " * 14 + "ab"})).json()["total"] == 0


async def test_the_inbox_is_searched_among_the_units_open_tasks(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await proposed(http, laurel)
    now = datetime.now(UTC)
    task_of = {}
    for name, nomination in by_name.items():
        opened = laurel.nominations.open_review(UUID(nomination["id"]), 0, now)
        assert opened is not None
        task_of[name] = opened.task_id
    project(laurel)
    closed = task_of["Trần Minh Khoa"]
    response = await http.post(f"/tasks/{closed}/review", headers=REVIEWER,
                               json={"outcome": "reject", "votes": {
                                   "members": 5, "present": 5, "for": 1, "against": 4,
                                   "abstain": 0}})
    assert response.status_code == 200, response.text
    project(laurel)

    def tasks(*names: str) -> set[str]:
        return {task_of[name] for name in names}

    hoa = tasks("Nguyễn Thị Hoa", "Nguyễn Thị Hòa Bình")
    for q in ("nguyen thi hoa", "NGUYỄN THỊ HÒA", "thi h", "nguyen"):
        assert set(await found(http, q, REVIEWER, "/tasks")) == hoa, q
    assert set(await found(http, "văn đức", REVIEWER, "/tasks")) == tasks("Đỗ Văn Đức")
    assert set(await found(http, "khoa", REVIEWER, "/tasks")) == tasks(
        "Tổ Y tế dự phòng (Khoa Nhi)")  # Trần Minh Khoa's review is closed
    assert set(await found(http, "tran", REVIEWER, "/tasks")) == set()  # not "Trà Nam"
    code = by_name["Đỗ Văn Đức"]["tracking_code"]
    for q in (code, code.lower().replace("-", ""), " ".join(code.split("-"))):
        assert await found(http, q, REVIEWER, "/tasks") == [task_of["Đỗ Văn Đức"]], q
    other = by_name["other unit"]["tracking_code"]
    assert await found(http, other, REVIEWER, "/tasks") == []
    assert await found(http, "nguyen thi hoa", OTHER_REVIEWER, "/tasks") == [
        task_of["other unit"]]

    inbox = (await http.get("/tasks", headers=REVIEWER)).json()["items"]
    first = (await http.get("/tasks", headers=REVIEWER,
                            params={"q": "nguyen", "limit": 1})).json()
    rest = (await http.get("/tasks", headers=REVIEWER,
                           params={"q": "nguyen", "limit": 1, "offset": 1})).json()
    assert first["total"] == rest["total"] == 2
    assert [t["id"] for t in first["items"] + rest["items"]] == [
        t["id"] for t in inbox if t["id"] in hoa]  # the inbox's order: earliest due first
    assert first["items"][0] == next(t for t in inbox if t["id"] == first["items"][0]["id"])
    assert_problem(await http.get("/tasks", headers=PROPOSER, params={"q": "hoa"}),
                   403, "wrong-role")
