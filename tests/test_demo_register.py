"""The demo province's register, seeded by ``laurel up``: its people show eligible and
ineligible nominees for last year's titles from the first minute."""

from __future__ import annotations

from typing import Any

import httpx

from domain.person import individual_id
from infrastructure.container import Laurel
from laurel.demo_register import UNIT, demo_people, seed_demo_register
from tests.support.nominations import project
from tests.support.people import token
from tests.support.problems import assert_problem

CLERK = token("clerk", "proposer", unit=UNIT)


def person_id(laurel: Laurel, name: str) -> str:
    last = laurel.clock().year - 1
    found = next(p for p in demo_people(last) if p.name == name)
    return str(individual_id(found.national_id))


async def test_the_demo_people_show_eligible_and_ineligible_nominees(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    seeded = seed_demo_register(laurel.nominations, laurel.clock())
    assert seeded == len(demo_people(2000)) + 1
    assert seed_demo_register(laurel.nominations, laurel.clock()) == 0  # once only
    project(laurel)
    last = laurel.clock().year - 1
    initiatives = (await http.get("/initiatives", headers=CLERK)).json()["items"]
    hoas = next(i["id"] for i in initiatives if i["title"] == "Dạy học theo dự án ở lớp 5")

    def nominate(name: str, award: str, **more: Any) -> dict[str, Any]:
        return {"award_code": award, "year": last,
                "nominee": {"person_id": person_id(laurel, name)}, **more}

    hoa = await http.post("/nominations", headers=CLERK, json=nominate(
        "Nguyễn Thị Hoa", "chien-si-thi-dua-tinh", initiative_id=hoas))
    assert hoa.status_code == 201, hoa.text
    mai = await http.post("/nominations", headers=CLERK, json=nominate(
        "Lê Thị Mai", "bang-khen-thu-tuong"))
    assert mai.status_code == 201, mai.text
    for name, award, rule in (("Trần Văn Nam", "chien-si-thi-dua-tinh", "consecutive_titles"),
                              ("Phạm Văn Tư", "lao-dong-tien-tien", "no_disqualifier"),
                              ("Võ Thị Lan", "lao-dong-tien-tien", "minimum_service")):
        refused = assert_problem(await http.post("/nominations", headers=CLERK,
                                                 json=nominate(name, award)), 422, "not-eligible")
        assert rule in [c["rule"] for c in refused["checks"]], (name, refused["checks"])
    awards = (await http.get(f"/people/{person_id(laurel, 'Nguyễn Thị Hoa')}/awards",
                             headers=CLERK)).json()["items"]
    assert len(awards) == 14 and {a["year"] for a in awards} == set(range(last - 9, last + 1))
