"""Policy files: a broken entry is reported at its file and line; the 2025 reform file
drops the district level for new nominations while those in flight keep their route; and
``laurel policy check`` says so before the file is deployed."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, insert

from domain.actor import Actor
from domain.application import Nominations
from domain.nomination import Nomination
from domain.policy import PolicyBook
from infrastructure.database import make_engine
from infrastructure.policy_file import PolicyFileError, load_policy_book
from infrastructure.settings import BUNDLED_POLICY
from laurel.cli import main
from laurel.policy_check import check_policy, read_in_flight
from projections.schema import prepare_read_models
from projections.tables import nominations
from tests.support.commands import propose, review

REFORM = BUNDLED_POLICY.parent / "reform-2025.yaml"
DEMO = BUNDLED_POLICY.read_text(encoding="utf-8")
COMMUNE = "hg.nga-bay.xa-dai-thanh"
BEFORE_REFORM = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)
AFTER_REFORM = datetime(2025, 7, 3, 9, 0, tzinfo=UTC)
TALLY = {"members": 9, "present": 8, "for": 7, "against": 1, "abstain": 0}


def changed(tmp_path: Path, old: str, new: str, text: str = DEMO) -> Path:
    """A copy of the policy with the first ``old`` replaced by ``new``."""
    assert old in text, old
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def with_version(tmp_path: Path, version: str) -> Path:
    """The bundled policy followed by one more version document."""
    path = tmp_path / "policy.yaml"
    path.write_text(DEMO + "\n---\n" + version, encoding="utf-8")
    return path


def line_with(path: Path, text: str) -> int:
    """The number of the only line of ``path`` that holds ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    [number] = [i for i, line in enumerate(lines, start=1) if text in line]
    return number


def first_line_with(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def load_error(path: Path) -> str:
    with pytest.raises(PolicyFileError) as caught:
        load_policy_book(path)
    return str(caught.value)


# -- errors point at the entry at fault ----------------------------------------------


def test_an_unknown_level_in_a_chain_is_reported_at_its_line(tmp_path: Path) -> None:
    path = changed(tmp_path, "chain: [unit, district]", "chain: [unit, distrct]")
    assert load_error(path) == (
        f"{path}:{line_with(path, 'distrct')}: awards[1].chain: unknown level 'distrct'"
    )


def test_a_missing_award_name_is_reported_at_the_award(tmp_path: Path) -> None:
    path = changed(tmp_path, '    name: {vi: "Lao động tiên tiến", en: "Advanced worker"}\n', "")
    assert load_error(path) == (
        f"{path}:{line_with(path, 'code: lao-dong-tien-tien')}: awards[1]: missing 'name'"
    )


def test_a_duplicate_unit_id_is_reported_at_the_second_unit(tmp_path: Path) -> None:
    path = changed(tmp_path, '{id: hg.so-yte, name: "Sở Y tế"', '{id: hg.so-gddt, name: "Sở Y tế"')
    line = line_with(path, '{id: hg.so-gddt, name: "Sở Y tế"')
    assert load_error(path) == f"{path}:{line}: org_units[2].id: duplicate unit 'hg.so-gddt'"


def test_a_vote_share_above_one_is_reported_at_its_line(tmp_path: Path) -> None:
    path = changed(tmp_path, "approval_share: 1/2", "approval_share: 3/2")
    assert load_error(path) == (
        f"{path}:{line_with(path, 'approval_share: 3/2')}: vote.approval_share: "
        "must lie between 0 and 1, got '3/2'"
    )


@pytest.mark.parametrize("bad_day", ["2025-09-31", "Quốc khánh"])
def test_a_holiday_that_is_not_a_date_is_reported_at_its_line(
    tmp_path: Path, bad_day: str
) -> None:
    path = changed(tmp_path, "2025-09-02,", f"{bad_day},")
    assert load_error(path) == (
        f"{path}:{line_with(path, bad_day)}: calendar.holidays[10]: not a date: '{bad_day}'"
    )


def test_a_version_older_than_the_one_before_it_is_reported_at_its_date(
    tmp_path: Path,
) -> None:
    path = with_version(tmp_path, 'version: "2023.9"\neffective_from: 2023-09-01\n'
                                  'base: "2024.1"\n')
    assert load_error(path) == (
        f"{path}:{line_with(path, '2023-09-01')}: effective_from: "
        "must be later than 2024.1's 2024-01-01"
    )


def test_a_base_naming_an_unknown_version_is_reported_at_its_line(tmp_path: Path) -> None:
    path = with_version(tmp_path, 'version: "2025.7"\neffective_from: 2025-07-01\n'
                                  'base: "2024.2"\n')
    assert load_error(path) == (
        f"{path}:{line_with(path, '2024.2')}: base: no earlier version '2024.2' to build on"
    )


def test_an_empty_document_between_versions_does_not_shift_the_lines(tmp_path: Path) -> None:
    path = with_version(tmp_path, '# 2025.1 was withdrawn\n---\nversion: "2025.7"\n'
                                  'effective_from: 2025-07-01\nbase: "2024.2"\n')
    assert load_error(path).startswith(f"{path}:{line_with(path, '2024.2')}: base: ")


def test_an_error_in_a_section_taken_from_the_base_points_into_the_base(tmp_path: Path) -> None:
    path = with_version(tmp_path, 'version: "2025.7"\neffective_from: 2025-07-01\n'
                                  'base: "2024.1"\nlevels:\n'
                                  '  - {code: unit, name: {vi: "Cấp xã", en: "Unit"}}\n'
                                  '  - {code: province, name: {vi: "Cấp tỉnh", en: "Province"}}\n')
    assert load_error(path) == (
        f"{path}:{first_line_with(path, 'chain: [unit, district]')}: "
        "awards[1].chain: unknown level 'district' "
        "(in 'awards', which version 2025.7 takes from 2024.1)"
    )


def test_text_that_is_not_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    path = changed(tmp_path, "chain: [unit, district]", "chain: [unit, district")
    assert load_error(path).startswith(f"{path}:")
    assert "not YAML" in load_error(path)


# -- the 2025 reform file ------------------------------------------------------------


@pytest.fixture(scope="module")
def reform() -> PolicyBook:
    return load_policy_book(REFORM)


def person(role: str, unit: str) -> Actor:
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


def test_the_reform_file_holds_2024_1_then_2025_7(reform: PolicyBook) -> None:
    assert [(p.version, p.effective_from) for p in reform.versions] == [
        ("2024.1", date(2024, 1, 1)), ("2025.7", date(2025, 7, 1)),
    ]
    assert reform.active(date(2025, 6, 30)).version == "2024.1"
    assert reform.active(date(2025, 7, 1)).version == "2025.7"


def test_the_first_version_of_the_reform_file_is_the_bundled_policy(reform: PolicyBook) -> None:
    assert reform.versions[0] == load_policy_book(BUNDLED_POLICY).versions[0]


def test_2025_7_has_no_district_level_and_no_district_unit(reform: PolicyBook) -> None:
    policy = reform.version("2025.7")
    assert policy.levels == ("unit", "province")
    assert all(u.level != "district" for u in policy.org.units.values())
    assert all("district" not in a.chain for a in policy.awards.values())


def test_2025_7_keeps_the_vote_rule_calendar_and_deadlines_of_its_base(
    reform: PolicyBook,
) -> None:
    before, after = reform.versions
    assert (after.vote, after.calendar, after.decision_days, after.notice_days) == (
        before.vote, before.calendar, before.decision_days, before.notice_days,
    )


def test_a_new_nomination_goes_from_the_commune_straight_to_the_province(
    reform: PolicyBook,
) -> None:
    route = reform.active(date(2025, 7, 2)).plan_route("bang-khen-tinh", COMMUNE, "individual")
    assert [(r.level, r.unit_id) for r in route.reviews] == [("unit", COMMUNE),
                                                             ("province", "hg")]


def test_an_award_once_decided_at_district_is_decided_by_the_commune_chair(
    reform: PolicyBook,
) -> None:
    route = reform.version("2025.7").plan_route("lao-dong-tien-tien", COMMUNE, "individual")
    assert [r.level for r in route.reviews] == ["unit"]
    assert (route.decision.level, route.decision.unit_id) == ("unit", COMMUNE)
    assert route.decision.authority.en == "Commune chair"


def test_a_nomination_proposed_before_the_reform_still_passes_the_district(
    reform: PolicyBook,
) -> None:
    app = Nominations(reform, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    old = propose(app, person("proposer", COMMUNE), award_code="bang-khen-tinh",
                  nominee={"name": "Trần Thị Mai", "kind": "individual"},
                  achievements="", documents=[], at=BEFORE_REFORM)
    first = app.open_review(old.id, 0, BEFORE_REFORM)
    assert first is not None
    review(app, old.id, first.task_id, person("reviewer", COMMUNE),
           outcome="approve", votes=TALLY, note="", at=AFTER_REFORM)
    second = app.open_review(old.id, 1, AFTER_REFORM)
    assert second is not None
    nomination: Nomination = app.repository.get(old.id)
    task = nomination.tasks[second.task_id]
    assert nomination.policy_version == "2024.1"
    assert (task.level, task.unit_id) == ("district", "hg.nga-bay")


def test_a_nomination_proposed_after_the_reform_follows_2025_7(reform: PolicyBook) -> None:
    app = Nominations(reform, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    new = propose(app, person("proposer", COMMUNE), award_code="bang-khen-tinh",
                  nominee={"name": "Trần Thị Mai", "kind": "individual"},
                  achievements="", documents=[], at=AFTER_REFORM)
    nomination: Nomination = app.repository.get(new.id)
    assert nomination.policy_version == "2025.7"
    assert [r.level for r in nomination.route.reviews] == ["unit", "province"]


def test_a_merged_ward_resolves_to_the_new_ward_under_2025_7(reform: PolicyBook) -> None:
    org = reform.version("2025.7").org
    assert org.current("hg.vi-thanh.phuong-1").id == "hg.phuong-vi-thanh"
    assert org.current("hg.vi-thanh.phuong-3").id == "hg.phuong-vi-thanh"
    assert org.current("hg.phuong-vi-thanh").name == "Phường Vị Thanh"
    assert reform.version("2024.1").org.current("hg.vi-thanh.phuong-1").name == "Phường I"


def test_a_proposer_of_a_merged_ward_proposes_for_the_new_ward(reform: PolicyBook) -> None:
    app = Nominations(reform, {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    new = propose(app, person("proposer", "hg.vi-thanh.phuong-1"), award_code="bang-khen-tinh",
                  nominee={"name": "Lê Văn Hùng", "kind": "individual"},
                  achievements="", documents=[], at=AFTER_REFORM)
    nomination: Nomination = app.repository.get(new.id)
    assert [r.unit_id for r in nomination.route.reviews] == ["hg.phuong-vi-thanh", "hg"]


def test_units_that_were_not_merged_keep_their_ids(reform: PolicyBook) -> None:
    before, after = (p.org.units for p in reform.versions)
    for unit_id in ("hg", "hg.so-yte", COMMUNE, "hg.vi-thuy.cty-mia-duong"):
        assert unit_id in before and unit_id in after
    assert after["hg"].name != before["hg"].name
    assert after[COMMUNE].parent_id == "hg"


# -- nominations in flight, read from the read models --------------------------------


def nomination_row(**given: Any) -> dict[str, Any]:
    """A read-model row: the given columns, and a placeholder in every other required one."""
    placeholders: list[tuple[type, Any]] = [
        (JSON, {}), (Boolean, False), (DateTime, BEFORE_REFORM), (Integer, 1), (String, "-"),
    ]
    row = {
        column.name: next(value for kind, value in placeholders
                          if isinstance(column.type, kind))
        for column in nominations.columns
        if not column.nullable and column.default is None and column.name not in given
    }
    return {**row, **given}


def in_flight_row(
    book: PolicyBook, award: str, unit: str, step: int, status: str = "under_review"
) -> dict[str, Any]:
    policy = book.version("2024.1")
    route = policy.plan_route(award, unit, "individual")
    here = route.reviews[step]
    return nomination_row(
        id=str(uuid.uuid4()), tracking_code=uuid.uuid4().hex[:12], status=status,
        policy_version=policy.version, route=route.to_dict(), current_level=here.level,
        current_unit_id=here.unit_id, award_code=award, unit_id=unit,
    )


def write_read_models(data_dir: Path, rows: list[dict[str, Any]]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{data_dir / 'readmodels.db'}")
    try:
        prepare_read_models(engine)
        with engine.begin() as conn:
            conn.execute(insert(nominations), rows)
    finally:
        engine.dispose()


@pytest.fixture
def in_flight(reform: PolicyBook) -> list[dict[str, Any]]:
    """Four open nominations under 2024.1 (one at the district, one still to reach it) and
    a closed one."""
    return [
        in_flight_row(reform, "bang-khen-tinh", COMMUNE, 1),
        in_flight_row(reform, "bang-khen-tinh", "hg.vi-thanh.phuong-1", 0),
        in_flight_row(reform, "bang-khen-tinh", "hg.so-yte", 0),
        in_flight_row(reform, "chien-si-thi-dua-tinh", "hg.vi-thuy.xa-vi-thang", 2),
        in_flight_row(reform, "bang-khen-tinh", COMMUNE, 2, status="awarded"),
    ]


def test_only_nominations_not_yet_closed_are_in_flight(
    tmp_path: Path, in_flight: list[dict[str, Any]]
) -> None:
    write_read_models(tmp_path, in_flight)
    engine = make_engine(f"sqlite:///{tmp_path / 'readmodels.db'}")
    try:
        rows = read_in_flight(engine)
    finally:
        engine.dispose()
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in in_flight[:4])
    assert set(rows[0]) == {"id", "tracking_code", "status", "policy_version", "current_level",
                            "current_unit_id", "route"}


def test_the_report_says_nominations_in_flight_keep_their_district_step(
    reform: PolicyBook, in_flight: list[dict[str, Any]]
) -> None:
    report = check_policy(REFORM, load_policy_book(BUNDLED_POLICY), in_flight[:4],
                          today=date(2025, 6, 25))
    assert "2025.7     effective from 2025-07-01  <- takes effect in 6 days" in report
    assert ("4 nominations in flight under 2024.1 keep their route; 2 of them will still "
            "pass the district level (removed in 2025.7): 1 at it now, 1 still to reach it."
            ) in report
    assert "hg.vi-thanh.phuong-1 (now part of hg.phuong-vi-thanh): 1 nomination" in report
    assert "bang-khen-tinh: unit -> province, decided at province" in report


# -- laurel policy check -------------------------------------------------------------


@pytest.fixture
def current_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled policy is in force, and the read models are SQLite files."""
    monkeypatch.setenv("LAUREL_POLICY_FILE", str(BUNDLED_POLICY))
    monkeypatch.delenv("LAUREL_DATABASE_URL", raising=False)


def run_laurel(*args: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


@pytest.mark.usefixtures("current_policy")
def test_policy_check_of_the_reform_shows_the_removed_level_and_the_merged_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "no-data-yet"
    assert run_laurel("policy", "check", str(REFORM), "--data-dir", str(data_dir)) == 0
    out = capsys.readouterr().out
    assert "no read models found" in out.lower()
    assert f"Policy file {REFORM}: valid, 2 versions." in out
    assert "2025.7     effective from 2025-07-01  <- active today" in out
    assert "removed: district (Cấp huyện / District)" in out
    assert ("merged: hg.vi-thanh.phuong-1 'Phường I', hg.vi-thanh.phuong-3 'Phường III' "
            "-> hg.phuong-vi-thanh 'Phường Vị Thanh'") in out
    assert "chain: unit -> district -> province  becomes  unit -> province" in out
    assert not data_dir.exists()


@pytest.mark.usefixtures("current_policy")
def test_policy_check_counts_what_is_in_flight_in_the_read_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], in_flight: list[dict[str, Any]]
) -> None:
    write_read_models(tmp_path, in_flight)
    assert run_laurel("policy", "check", str(REFORM), "--data-dir", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "2024.1        4   (unit 2, district 1, province 1)" in out
    assert "4 nominations in flight under 2024.1 keep their route; 2 of them" in out


@pytest.mark.usefixtures("current_policy")
def test_policy_check_of_a_broken_file_exits_2_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = changed(tmp_path, "chain: [unit, district]", "chain: [unit, distrct]")
    assert run_laurel("policy", "check", str(path), "--data-dir", str(tmp_path / "d")) == 2
    assert f"{path}:{line_with(path, 'distrct')}: awards[1].chain" in capsys.readouterr().err


@pytest.mark.usefixtures("current_policy")
def test_policy_check_refuses_a_file_without_the_version_of_nominations_in_flight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], in_flight: list[dict[str, Any]]
) -> None:
    path = changed(tmp_path, 'version: "2024.1"\neffective_from: 2024-01-01',
                   'version: "2025.7"\neffective_from: 2025-07-01')
    write_read_models(tmp_path / "data", in_flight)
    assert run_laurel("policy", "check", str(path), "--data-dir", str(tmp_path / "data")) == 2
    assert ("4 nominations in flight were proposed under 2024.1, which this file does not "
            "hold; keep that version in the file") in capsys.readouterr().out
