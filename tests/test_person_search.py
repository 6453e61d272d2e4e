"""Finding people in the register over HTTP through ``person_terms``
(``projections.person_search``): by an accentless partial name, the civil-servant code
or the national ID, only in the reader's units, and still right after a transfer and a
name correction; the terms rebuild as they were applied live. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import select

from domain.commands import Context, CorrectPerson
from infrastructure.container import Laurel
from laurel.rebuild import rebuild_read_models
from projections.person_search import person_terms
from projections.projector import Projector
from tests.support import commands
from tests.support.nominations import START, project
from tests.support.people import actor, token

UNIT, OTHER_UNIT, CITY = "hg.vi-thanh.phuong-1", "hg.vi-thanh.phuong-3", "hg.vi-thanh"
CLERK = token("clerk", "proposer", unit=UNIT)
OTHER_CLERK = token("clerk3", "proposer", unit=OTHER_UNIT)
CITY_REVIEWER = token("secretary", "reviewer", unit=CITY)
HOA = {"name": "Nguyễn Thị Hoà", "national_id": "093185001234", "birth_date": "1985-04-12",
       "gender": "female", "civil_servant_code": "CC-2019-0042"}
HANH = {"name": "Nguyễn Thị Hạnh", "national_id": "093186005678", "birth_date": "1986-02-03",
        "gender": "female", "civil_servant_code": "CC-2020-0007"}
HUNG = {"name": "Nguyễn Thị Hưng", "national_id": "093187009999", "birth_date": "1987-06-01",
        "gender": "female"}


async def register(http: httpx.AsyncClient, person: dict[str, Any],
                   headers: dict[str, str] = CLERK) -> str:
    response = await http.post("/people", json=person, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def found(http: httpx.AsyncClient, q: str, headers: dict[str, str] = CLERK,
                **paging: int) -> tuple[list[str], int]:
    response = await http.get("/people", params={"q": q, **paging}, headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    return [p["name"] for p in page["items"]], page["total"]


async def test_found_by_an_accentless_partial_name_the_code_and_the_cccd_in_ones_units(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    await register(http, HOA)
    await register(http, HANH)
    await register(http, HUNG, OTHER_CLERK)
    project(laurel)

    both, total = await found(http, "nguyen thi h")  # in the listing's order (the database's)
    assert sorted(both) == ["Nguyễn Thị Hoà", "Nguyễn Thị Hạnh"] and total == 2
    assert await found(http, "NGUYỄN THỊ HOÀ") == (["Nguyễn Thị Hoà"], 1)
    assert await found(http, "thi hoa") == (["Nguyễn Thị Hoà"], 1)
    assert await found(http, "hanh") == (["Nguyễn Thị Hạnh"], 1)
    assert await found(http, "cc-2020-0007") == (["Nguyễn Thị Hạnh"], 1)
    assert await found(http, "cc 2019") == (["Nguyễn Thị Hoà"], 1)  # the code's beginning
    assert await found(http, "093185001234") == (["Nguyễn Thị Hoà"], 1)
    assert await found(http, "nguyen thi h", limit=1, offset=1) == (both[1:], 2)
    assert await found(http, "thi hoa nguyen") == ([], 0)  # words in their order only
    assert await found(http, "hoa 093185001234") == ([], 0)  # a phrase spans no fields
    # Not found outside the reader's units; found by whoever oversees both.
    assert await found(http, "093187009999") == ([], 0)
    assert await found(http, "nguyen thi hung") == ([], 0)
    assert await found(http, "nguyen thi hung", OTHER_CLERK) == (["Nguyễn Thị Hưng"], 1)
    every, total = await found(http, "nguyen thi h", CITY_REVIEWER)
    assert sorted(every) == ["Nguyễn Thị Hoà", "Nguyễn Thị Hưng", "Nguyễn Thị Hạnh"]
    assert total == 3
    # The national ID stays masked where it was: found by it, not shown.
    shown = (await http.get("/people", params={"q": "093185001234"},
                            headers=CITY_REVIEWER)).json()["items"][0]
    assert shown["national_id"] == "0931******34"


async def test_the_terms_follow_a_transfer_and_a_name_correction(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    hoa = await register(http, HOA)
    project(laurel)
    moved = await http.post(f"/people/{hoa}/transfers", headers=CLERK, json={
        "to_unit": OTHER_UNIT, "on": "2025-09-01"})
    assert moved.status_code == 200, moved.text
    project(laurel)

    assert await found(http, "nguyen thi hoa") == ([], 0)
    assert await found(http, "093185001234") == ([], 0)
    assert await found(http, "nguyen thi hoa", OTHER_CLERK) == (["Nguyễn Thị Hoà"], 1)
    assert await found(http, "cc-2019-0042", OTHER_CLERK) == (["Nguyễn Thị Hoà"], 1)

    laurel.nominations.handle(
        CorrectPerson(UUID(hoa), (("name", "Nguyễn Thị Hoa Mai"),), "thiếu tên"),
        Context(actor("proposer", OTHER_UNIT), datetime.now(UTC)))
    project(laurel)

    assert await found(http, "hoa mai", OTHER_CLERK) == (["Nguyễn Thị Hoa Mai"], 1)
    assert await found(http, "mai", OTHER_CLERK) == (["Nguyễn Thị Hoa Mai"], 1)
    assert await found(http, "nguyen thi hoa", OTHER_CLERK) == (["Nguyễn Thị Hoa Mai"], 1)
    assert await found(http, "093185001234", OTHER_CLERK) == (["Nguyễn Thị Hoa Mai"], 1)
    with laurel.engine.connect() as conn:  # no term of the old name or unit is left
        assert {(r.unit_id, r.name) for r in conn.execute(select(person_terms))} == {
            (OTHER_UNIT, "Nguyễn Thị Hoa Mai")}


def terms(laurel: Laurel) -> list[tuple[Any, ...]]:
    with laurel.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(person_terms)))


def test_the_terms_rebuild_alike_in_batches_of_any_size_and_in_parts(laurel: Laurel) -> None:
    """A person registered in one batch and corrected or moved in a later one (a
    rebuild's part never reads its rows back) comes out as applied live."""
    app, clerk = laurel.nominations, actor("proposer", UNIT)
    for i in range(9):
        person = commands.register_person(
            app, clerk, at=START, name=f"Lê Văn Bình {i}", national_id=f"093090{i:06d}",
            civil_servant_code=f"CC-{i}", birth_date="1990-01-01", gender="male")
        if i % 3 == 0:
            commands.transfer_person(app, person, clerk, to_unit=OTHER_UNIT, on="2025-09-01",
                                     at=START)
        if i % 2 == 0:
            mover = actor("proposer", OTHER_UNIT if i % 3 == 0 else UNIT)
            app.handle(CorrectPerson(person, (("name", f"Lê Thị Bình {i}"),), "sai tên"),
                       Context(mover, START))
    Projector(laurel.engine, laurel.log, batch_size=1).catch_up()
    live = terms(laurel)
    assert len(live) == 9 * 6  # four words of the name, the code, the national ID

    for batch_size in (1, 2, 100_000):
        Projector(laurel.engine, laurel.log, batch_size=batch_size).rebuild()
        assert terms(laurel) == live, batch_size
    rebuild_read_models(laurel, processes=2)
    assert terms(laurel) == live
