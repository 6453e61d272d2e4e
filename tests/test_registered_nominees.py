"""A province whose register is filled names in its policy the kinds of nominee still
proposed by name only (``unregistered_nominees``): anyone else is chosen from the
register, so that their history is checked. Over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest
import yaml

from domain.actor import Actor
from domain.application import Nominations
from domain.candidates import RegisterChanged
from domain.commands import Context, Proposal, Propose
from domain.errors import NotEligible, PolicyError
from domain.person import Person, individual_id
from domain.policy_reader import read_policy_book
from domain.vocabulary import Role
from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import BUNDLED_POLICY, Settings
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


# -- the people a process keeps for its proposals ----------------------------------------


def _registered(app: Nominations, keeper: Actor, national_id: str) -> str:
    """Someone of ``UNIT`` holding the provincial Bằng khen of 2022 (the Prime Minister's
    is open to them for 2023 to 2027, barring a disqualifier)."""
    at = datetime.now(UTC)
    person = Person.register(person_id=individual_id(national_id), actor=keeper,
                             kind="individual", name="Người Giữ Sẵn", unit_id=UNIT,
                             national_id=national_id, birth_date="1980-01-01",
                             gender="male", at=at)
    person.record_award(keeper, award_code="bang-khen-tinh", year=2022,
                        decision_number="7-2022/QĐ-UBND", decision_date=date(2022, 12, 20),
                        issuer="UBND tỉnh", source="manual", at=at)
    app.save(person)
    return str(person.id)


def _propose(app: Nominations, clerk: Actor, person_id: str, year: int) -> Proposal:
    proposed = app.handle(Propose(award_code="bang-khen-thu-tuong",
                                  nominee={"person_id": person_id}, year=year),
                          Context(clerk, datetime.now(UTC)))
    assert isinstance(proposed, Proposal)
    return proposed


def _disciplined(app: Nominations, keeper: Actor, person_id: str) -> None:
    person = app.register._find(UUID(person_id))
    assert person is not None
    person.record_fact(keeper, fact="discipline", start=date(2023, 3, 1), end=None,
                       evidence="Quyết định số 5/QĐ-KL", at=datetime.now(UTC))
    app.save(person)


def test_a_change_by_another_process_reaches_the_next_proposal_of_a_person_kept(
    settings: Settings, laurel: Laurel,
) -> None:
    """A process keeps the people its proposals read; another process (here a second
    application on the same store) disciplines one of them: the next proposal is refused
    on the person as they are, not as they were kept, and nothing stale is recorded."""
    keeper = Actor("keeper", frozenset({Role.PROPOSER}), UNIT)
    clerk = Actor("clerk", frozenset({Role.PROPOSER}), UNIT)
    app = laurel.nominations
    person_id = _registered(app, keeper, "001080000321")
    first = _propose(app, clerk, person_id, 2024)
    assert app.recorded_verdicts(first.id)[0]["eligible"] is True
    other = bootstrap(settings)
    try:
        _disciplined(other.nominations, keeper, person_id)
    finally:
        other.close()
    with pytest.raises(NotEligible) as refused:
        _propose(app, clerk, person_id, 2025)
    assert [c["rule"] for c in refused.value.failed] == ["no_disqualifier"]
    # With a reason, proposed; the verdict recorded is the one on the disciplined person.
    overridden = app.handle(Propose(award_code="bang-khen-thu-tuong",
                                    nominee={"person_id": person_id}, year=2025,
                                    override_reason="Kỷ luật đang được xem xét lại"),
                            Context(clerk, datetime.now(UTC)))
    assert isinstance(overridden, Proposal)
    [verdict] = app.recorded_verdicts(overridden.id)
    assert verdict["eligible"] is False
    assert [c["passed"] for c in verdict["checks"]] == [True, False]


def test_a_group_commit_holding_a_stale_person_is_given_again_one_by_one(
    settings: Settings, laurel: Laurel,
) -> None:
    """Proposals collected for one transaction (the API's group commit) are checked
    together before they are stored: a person changed since by another process fails the
    group's save (``RegisterChanged``, stored: nothing), and each proposal given again
    alone sees the person as they are."""
    keeper = Actor("keeper", frozenset({Role.PROPOSER}), UNIT)
    clerk = Actor("clerk", frozenset({Role.PROPOSER}), UNIT)
    app = laurel.nominations
    kept = _registered(app, keeper, "001080000322")
    unchanged = _registered(app, keeper, "001080000323")
    _propose(app, clerk, kept, 2024)  # now kept by this process
    before = laurel.log.last_position()
    with app.collecting_saves() as collected:
        for person_id in (unchanged, kept):
            app.handle(Propose(award_code="bang-khen-thu-tuong",
                               nominee={"person_id": person_id}, year=2025),
                       Context(clerk, datetime.now(UTC)))
    other = bootstrap(settings)
    try:
        _disciplined(other.nominations, keeper, kept)
    finally:
        other.close()
    after_change = laurel.log.last_position()
    with pytest.raises(RegisterChanged):
        app.save_collected(collected)
    assert laurel.log.last_position() == after_change > before  # the group stored nothing
    assert isinstance(_propose(app, clerk, unchanged, 2025), Proposal)
    with pytest.raises(NotEligible):
        _propose(app, clerk, kept, 2025)


def test_a_refused_proposal_leaves_nothing_to_check_for_the_next_save(
    settings: Settings, laurel: Laurel,
) -> None:
    """A proposal refused (a rule failed) stores nothing: the person it read is not
    checked at the next save of the same thread, which a change to that person since
    would otherwise fail."""
    keeper = Actor("keeper", frozenset({Role.PROPOSER}), UNIT)
    clerk = Actor("clerk", frozenset({Role.PROPOSER}), UNIT)
    app = laurel.nominations
    person_id = _registered(app, keeper, "001080000324")
    with pytest.raises(NotEligible):  # no award in the five years before 2019
        _propose(app, clerk, person_id, 2019)
    other = bootstrap(settings)
    try:
        _disciplined(other.nominations, keeper, person_id)
    finally:
        other.close()
    assert app.candidates.kept.take() == {}  # nothing read is pending: no RegisterChanged
