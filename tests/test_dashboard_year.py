"""The dashboard counts an award in the year its decision is dated, in Vietnam time: a
chairman's decision dated 31 December and recorded after New Year belongs to the old
year, and the year shown first is the one it is in Hà Nội. A period of decision dates and
a unit subtree count likewise, and the page says so in Vietnamese."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from api.reads import reports
from api.reads.dashboard import figures, this_year, year_figures
from domain.commands import Context, Proposal, Propose
from infrastructure.container import Laurel
from tests.support import commands
from tests.support.nominations import FOR, project
from tests.support.pages import page_client, sign_in, text_of
from tests.support.people import actor

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgres"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
PROPOSED = datetime(2025, 12, 10, 2, 0, tzinfo=UTC)


def awarded(laurel: Laurel, name: str, dated: str, recorded: datetime,
            unit: str = UNIT, basis: dict[str, Any] | None = None) -> None:
    app = laurel.nominations
    nomination = app.handle(Propose("giay-khen", {"name": name, "kind": "individual"}, "…",
                                    [], basis=basis), Context(actor("proposer", unit), PROPOSED))
    assert isinstance(nomination, Proposal)
    task = app.open_review(nomination.id, 0, PROPOSED)
    assert task is not None
    commands.review(app, nomination.id, task.task_id, actor("reviewer", unit),
                    outcome="approve", votes=FOR, note="", at=PROPOSED)
    decision = app.open_decision(nomination.id, PROPOSED)
    assert decision is not None
    commands.decide(app, nomination.id, decision.task_id, actor("decider", unit),
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


def test_a_period_and_a_unit_count_the_decisions_dated_in_them_below_it(
    laurel: Laurel,
) -> None:
    """A range of decision dates and a unit subtree: the sibling ward's award and the
    award dated outside the range are left out, whatever day each was recorded."""
    awarded(laurel, "Lê Văn Cũ", "2025-12-31", datetime(2026, 1, 2, 3, 0, tzinfo=UTC))
    awarded(laurel, "Trần Thị Mới", "2026-01-01", datetime(2026, 1, 3, 3, 0, tzinfo=UTC))
    awarded(laurel, "Phạm Thị Bên", "2026-01-02", datetime(2026, 1, 2, 3, 0, tzinfo=UTC),
            unit="hg.vi-thanh.phuong-3")
    project(laurel)
    auditor = actor("auditor", "hg")
    january = reports.period_of(2026, None, date(2026, 1, 1), date(2026, 1, 31))
    with laurel.engine.connect() as conn:
        ward = figures(conn, laurel, reports.scope_of(laurel, auditor, UNIT, january))
        district = figures(conn, laurel, reports.scope_of(laurel, auditor, "hg.vi-thanh",
                                                          january))
    assert sum(ward.by_award.values()) == 1 and sum(district.by_award.values()) == 2
    assert ward.statistics is not None and ward.statistics.totals.total == 1


async def test_the_dashboard_page_shows_the_year_of_the_decision_in_vietnamese(
    laurel: Laurel,
) -> None:
    awarded(laurel, "Lê Văn Cũ", "2025-12-31", datetime(2026, 1, 2, 3, 0, tzinfo=UTC))
    project(laurel)
    async with page_client(laurel, [("inspector", ("auditor",), "hg")]) as client:
        await sign_in(client, "inspector")
        old = await client.get("/ui/dashboard?year=2025")
        new = await client.get("/ui/dashboard?year=2026")
        backwards = await client.get("/ui/dashboard?from=2026-02-01&to=2026-01-01")
    assert old.status_code == new.status_code == 200
    assert "Thống kê thi đua, khen thưởng năm 2025" in text_of(old)
    assert "Giấy khen Cơ sở 1 0 1" in text_of(old)
    assert "Chưa có số liệu." in text_of(new) and "Giấy khen Cơ sở" not in text_of(new)
    assert backwards.status_code == 422
    assert "Ngày kết thúc (2026-01-01) trước ngày bắt đầu (2026-02-01)" in text_of(backwards)


async def test_awards_proposed_on_a_cluster_s_ranking_are_counted_by_cluster(
    laurel: Laurel,
) -> None:
    """The proposal's basis names the cluster (the history keeps it); a cluster the
    clusters' read model does not hold is named by its id. The dashboard draws them."""
    ranking = {"cluster_id": "cum-vi-thanh-2025", "year": 2025, "rank": 1, "score": 96}
    awarded(laurel, "Lê Văn Cũ", "2026-01-05", datetime(2026, 1, 6, 3, 0, tzinfo=UTC),
            basis=ranking)
    awarded(laurel, "Trần Thị Mới", "2026-01-05", datetime(2026, 1, 6, 3, 0, tzinfo=UTC))
    project(laurel)
    with laurel.engine.connect() as conn:
        shown = year_figures(conn, laurel, actor("auditor", "hg"), 2026)
    assert shown.statistics is not None
    assert [(g.key, g.name, g.total) for g in shown.statistics.by_cluster] == [
        ("cum-vi-thanh-2025", "cum-vi-thanh-2025", 1), (None, "", 1)]
    async with page_client(laurel, [("inspector", ("auditor",), "hg")]) as client:
        await sign_in(client, "inspector")
        page = text_of(await client.get("/ui/dashboard?year=2026"))
    assert "Khen thưởng theo kết quả xếp hạng cụm, khối thi đua" in page
    assert "cum-vi-thanh-2025 1 Không xét theo cụm, khối 1" in page
