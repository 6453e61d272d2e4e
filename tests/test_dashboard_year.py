"""The dashboard counts an award in the year its decision is dated, in Vietnam time: a
chairman's decision dated 31 December and recorded after New Year belongs to the old
year, and the year shown first is the one it is in Hà Nội."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.reads.dashboard import this_year, year_figures
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.nominations import FOR, project
from tests.support.people import actor

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
PROPOSED = datetime(2025, 12, 10, 2, 0, tzinfo=UTC)


def awarded(laurel: Laurel, name: str, dated: str, recorded: datetime) -> None:
    app = laurel.nominations
    nomination = commands.propose(app, actor("proposer", UNIT), award_code="giay-khen",
                                  nominee={"name": name, "kind": "individual"},
                                  achievements="…", documents=[], at=PROPOSED)
    task = app.open_review(nomination.id, 0, PROPOSED)
    assert task is not None
    commands.review(app, nomination.id, task.task_id, actor("reviewer", UNIT),
                    outcome="approve", votes=FOR, note="", at=PROPOSED)
    decision = app.open_decision(nomination.id, PROPOSED)
    assert decision is not None
    commands.decide(app, nomination.id, decision.task_id, actor("decider", UNIT),
                    outcome="awarded", decision_number=f"{name}/QĐ-UBND", decision_date=dated,
                    signer="Chủ tịch UBND phường", at=recorded)


def test_an_award_counts_in_the_year_its_decision_is_dated(laurel: Laurel) -> None:
    awarded(laurel, "Lê Văn Cũ", "2025-12-31", datetime(2026, 1, 2, 3, 0, tzinfo=UTC))
    # Recorded at 00:30 on 1 January in Vietnam: still 31 December in UTC.
    awarded(laurel, "Trần Thị Mới", "2026-01-01", datetime(2025, 12, 31, 17, 30, tzinfo=UTC))
    project(laurel)
    auditor = actor("auditor", "hg")
    with laurel.engine.connect() as conn:
        old, new = (year_figures(conn, laurel, auditor, year) for year in (2025, 2026))
    assert sum(old.by_award.values()) == 1 and sum(new.by_award.values()) == 1

    laurel.clock = lambda: datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert this_year(laurel) == 2026
