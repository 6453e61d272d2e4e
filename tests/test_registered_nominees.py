"""A province whose register is filled names in its policy the kinds of nominee still
proposed by name only (``unregistered_nominees``): anyone else is chosen from the
register, so that their history is checked. Over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from domain.errors import PolicyError
from domain.policy_reader import read_policy_book
from infrastructure.container import Laurel
from infrastructure.settings import BUNDLED_POLICY
from tests.support.nominations import project
from tests.support.people import token
from tests.support.problems import assert_problem

UNIT = "hg.vi-thanh.phuong-1"
CLERK = token("clerk", "proposer", unit=UNIT)
RESTRICTED = """
---
version: "2026.1"
base: "2024.1"
effective_from: 2026-01-01
unregistered_nominees: [household]   # the register holds our people and collectives
"""


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(BUNDLED_POLICY.read_text(encoding="utf-8") + RESTRICTED, encoding="utf-8")
    return path


async def test_only_the_kinds_the_policy_names_are_proposed_by_name(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    by_name = await http.post("/nominations", headers={**CLERK, "Accept-Language": "vi"}, json={
        "award_code": "giay-khen", "nominee": {"name": "Nguyễn Văn Tên", "kind": "individual"}})
    body = assert_problem(by_name, 422, "nominee-not-registered")
    assert "nominee.person_id" in body["detail"]

    household = await http.post("/nominations", headers=CLERK, json={
        "award_code": "bang-khen-tinh", "nominee": {"name": "Hộ bà Lê Thị Bốn",
                                                    "kind": "household"}})
    assert household.status_code == 201, household.text

    registered = await http.post("/people", headers=CLERK, json={
        "kind": "individual", "name": "Nguyễn Văn Tên", "national_id": "093080000777",
        "birth_date": "1980-02-02", "gender": "male"})
    assert registered.status_code == 201, registered.text
    project(laurel)
    chosen = await http.post("/nominations", headers=CLERK, json={
        "award_code": "giay-khen", "nominee": {"person_id": registered.json()["id"]}})
    assert chosen.status_code == 201, chosen.text


async def test_someone_of_another_unit_is_not_found_for_a_proposal(
    http: httpx.AsyncClient,
) -> None:
    other = token("clerk3", "proposer", unit="hg.vi-thanh.phuong-3")
    registered = await http.post("/people", headers=other, json={
        "kind": "individual", "name": "Người Phường Ba", "national_id": "093081000888",
        "birth_date": "1981-03-03", "gender": "male"})
    assert registered.status_code == 201, registered.text
    response = await http.post("/nominations", headers=CLERK, json={
        "award_code": "giay-khen", "nominee": {"person_id": registered.json()["id"]}})
    assert_problem(response, 404, "not-found")


def test_a_kind_of_nominee_the_policy_does_not_know_is_refused() -> None:
    documents = list(yaml.safe_load_all(BUNDLED_POLICY.read_text(encoding="utf-8")
                                        + RESTRICTED.replace("[household]", "[family]")))
    with pytest.raises(Exception) as refused:
        read_policy_book(documents)
    error = refused.value
    inner = getattr(error, "error", error)
    assert isinstance(inner, PolicyError) and "family" in str(inner)
