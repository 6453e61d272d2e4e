"""`laurel projections verify`: a rebuild aside from the events, compared row by row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text, update

from infrastructure.container import Laurel, bootstrap
from infrastructure.database import make_engine
from infrastructure.settings import Settings
from laurel.cli import main
from projections.cluster_tables import CLUSTER_TABLES
from projections.decisions import TABLES as DECISION_TABLES
from projections.movements import TABLES as MOVEMENT_TABLES
from projections.notifications import TABLES as NOTIFICATION_TABLES
from projections.people_tables import PEOPLE_TABLES
from projections.person_search import person_terms
from projections.projector import Projector
from projections.read_models import READ_MODELS
from projections.registrations import TABLES as REGISTRATION_TABLES
from projections.schema import prepare_read_models
from projections.tables import history, nominations, tasks
from projections.verify import (
    REPORTED_ROWS,
    Difference,
    Report,
    scratch_url_for,
    verify_read_models,
)
from tests.support.commands import propose
from tests.support.nominations import START, several_nominations
from tests.support.people import actor


def verify(laurel: Laurel, progress: Callable[[int, int], None] | None = None) -> Report:
    scratch = scratch_url_for(laurel.settings.read_model_url())
    return verify_read_models(laurel.engine, laurel.log, scratch, progress)


def scratch_left_behind(laurel: Laurel) -> list[str]:
    """Scratch schemas in the PostgreSQL database, or scratch files in the data directory."""
    if laurel.settings.uses_postgres:
        with laurel.engine.connect() as conn:
            found = conn.scalars(text(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'laurel_verify_%'"))
            return list(found)
    return sorted(p.name for p in laurel.settings.data_dir.iterdir() if ".verify-" in p.name)


def tamper(engine_url: str, rejected: str, a_position: int) -> None:
    """Change a status, lose a history row, and invent a task, behind the projector's back."""
    engine = make_engine(engine_url)
    with engine.begin() as conn:
        conn.execute(update(nominations).where(nominations.c.id == rejected)
                     .values(status="awarded"))
        conn.execute(delete(history).where(history.c.position == a_position))
        conn.execute(insert(tasks).values(
            id="invented-task", nomination_id=rejected, kind="review", level="province",
            unit_id="hg", award_code="bang-khen-tinh", nominee_name="Nobody", opened_at=START,
            due_at=START, status="open"))
    engine.dispose()


def an_open_review(laurel: Laurel) -> None:
    """A nomination waiting for its first council: an open task, and its terms."""
    proposal = propose(laurel.nominations, actor("proposer", "hg.so-yte"),
                       award_code="giay-khen", nominee={"name": "Đỗ Văn Đức", "kind": "individual"},
                       achievements="", documents=[], at=START)
    assert laurel.nominations.open_review(proposal.id, 0, START) is not None


def test_read_models_caught_up_with_the_log_are_identical_to_a_rebuild(laurel: Laurel) -> None:
    several_nominations(laurel)
    an_open_review(laurel)
    Projector(laurel.engine, laurel.log).catch_up()
    seen: list[tuple[int, int]] = []

    report = verify(laurel, lambda done, total: seen.append((done, total)))

    assert report.identical and report.differences == []
    assert report.position == laurel.log.last_position() == seen[-1][0] == seen[-1][1]
    assert [t.table for t in report.tables] == [t.name for t in READ_MODELS]
    for table in report.tables:
        assert table.live_digest == table.rebuilt_digest and len(table.live_digest) == 64
        assert table.live_rows == table.rebuilt_rows > 0 or table.table in {
            t.name for t in (*PEOPLE_TABLES, person_terms, *DECISION_TABLES,
                             *NOTIFICATION_TABLES, *MOVEMENT_TABLES, *REGISTRATION_TABLES,
                             *CLUSTER_TABLES)
        }  # no one registered here, no decision recorded as a list, no notifier ran, no
        # movement, registration or cluster (tests/test_notifier.py,
        # test_movements_and_intake.py, test_clusters.py rebuild theirs with rows in them)
    assert report.table("history").live_rows == len(laurel.log.read(0, 999))
    rendered = report.render()
    assert "identical to a rebuild from the events" in rendered
    assert all(t.live_digest in rendered for t in report.tables)
    assert scratch_left_behind(laurel) == []


def test_tampered_read_models_are_reported_by_table_key_column_and_values(
    laurel: Laurel,
) -> None:
    rejected = several_nominations(laurel)[1]
    Projector(laurel.engine, laurel.log).catch_up()
    lost = laurel.log.read(0, 999)[4].position
    tamper(laurel.settings.read_model_url(), rejected, lost)

    report = verify(laurel)

    assert not report.identical
    assert report.table("nominations").differences == [
        Difference("nominations", {"id": rejected}, "changed", "status", "awarded", "rejected")
    ]
    assert report.table("history").differences == [
        Difference("history", {"position": lost}, "missing")
    ]
    assert report.table("tasks").differences == [
        Difference("tasks", {"id": "invented-task"}, "extra")
    ]
    for tampered in ("nominations", "history", "tasks"):  # search_terms was left alone
        assert report.table(tampered).live_digest != report.table(tampered).rebuilt_digest
    assert report.table("search_terms").identical
    assert report.table("history").live_rows == report.table("history").rebuilt_rows - 1
    assert report.table("tasks").live_rows == report.table("tasks").rebuilt_rows + 1
    rendered = report.render()
    assert "NOT identical" in rendered
    assert f'nominations id={rejected}: status is "awarded" live, "rejected" rebuilt' in rendered
    assert f"history position={lost}: missing from the live read model" in rendered
    assert "tasks id=invented-task: extra in the live read model" in rendered
    assert scratch_left_behind(laurel) == []


def test_only_the_first_20_differing_rows_are_described_but_all_are_counted(
    laurel: Laurel,
) -> None:
    several_nominations(laurel)
    Projector(laurel.engine, laurel.log).catch_up()
    with laurel.engine.begin() as conn:
        conn.execute(update(history).values(actor="someone else"))
    events = laurel.log.read(0, 999)

    report = verify(laurel).table("history")

    assert report.changed == len(events) > REPORTED_ROWS == 20
    assert [d.key["position"] for d in report.differences] == [
        e.position for e in events[:20]
    ]
    assert {(d.column, d.live) for d in report.differences} == {("actor", "someone else")}
    assert f"… and {len(events) - 20} more differing rows in history" in verify(laurel).render()


def test_a_projector_behind_the_log_is_compared_at_its_own_position(laurel: Laurel) -> None:
    several_nominations(laurel)
    events = laurel.log.read(0, 999)
    Projector(laurel.engine, laurel.log).process(events[:10])

    report = verify(laurel)

    assert report.identical and report.position == events[9].position
    assert report.table("history").rebuilt_rows == 10


def test_a_projector_advancing_during_verification_is_compared_where_it_stood(
    laurel: Laurel,
) -> None:
    several_nominations(laurel)
    events = laurel.log.read(0, 999)
    live = Projector(laurel.engine, laurel.log)
    live.process(events[:10])

    def meanwhile_the_projector_catches_up(done: int, total: int) -> None:
        live.catch_up()

    report = verify(laurel, meanwhile_the_projector_catches_up)

    assert live.position() == events[-1].position
    assert report.identical and report.position == events[9].position
    assert report.table("history").live_rows == report.table("history").rebuilt_rows == 10


def test_a_rebuild_that_fails_leaves_no_scratch_behind(laurel: Laurel) -> None:
    several_nominations(laurel)
    Projector(laurel.engine, laurel.log).catch_up()

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        verify(laurel, interrupted)
    assert scratch_left_behind(laurel) == []


def test_laurel_projections_verify_exits_0_when_identical_and_1_naming_each_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LAUREL_DATABASE_URL", raising=False)
    data_dir = tmp_path / "data"
    laurel = bootstrap(Settings(data_dir=data_dir))
    prepare_read_models(laurel.engine)
    rejected = several_nominations(laurel)[1]
    Projector(laurel.engine, laurel.log).catch_up()
    lost = laurel.log.read(0, 999)[4].position
    laurel.close()

    assert run_laurel("projections", "verify", "--data-dir", str(data_dir)) == 0
    out = capsys.readouterr().out
    assert "identical to a rebuild from the events" in out
    assert all(f"{t.name} " in out for t in READ_MODELS)

    tamper(f"sqlite:///{data_dir / 'readmodels.db'}", rejected, lost)
    assert run_laurel("projections", "verify", "--data-dir", str(data_dir)) == 1
    out = capsys.readouterr().out
    assert "NOT identical" in out
    assert f'nominations id={rejected}: status is "awarded" live, "rejected" rebuilt' in out
    assert f"history position={lost}: missing from the live read model" in out
    assert "tasks id=invented-task: extra in the live read model" in out
    assert sorted(p.name for p in data_dir.iterdir() if ".verify-" in p.name) == []


def run_laurel(*args: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0)


def test_the_live_rows_are_not_touched_by_verification(laurel: Laurel) -> None:
    several_nominations(laurel)
    Projector(laurel.engine, laurel.log).catch_up()
    with laurel.engine.connect() as conn:
        before = [conn.execute(select(t)).all() for t in READ_MODELS]

    verify(laurel)

    with laurel.engine.connect() as conn:
        assert [conn.execute(select(t)).all() for t in READ_MODELS] == before
