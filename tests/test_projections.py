"""The read models: exactly-once application, and a rebuild that comes out identical."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.dialects import sqlite

from infrastructure.chained_recorders import part_of
from infrastructure.container import Laurel
from laurel.rebuild import rebuild_read_models
from projections import queries
from projections.pending import sqlite_datetime
from projections.projector import Projector, SideBySide
from projections.search import QueryForms
from projections.tables import READ_MODELS, tasks
from tests.support.commands import propose, review
from tests.support.nominations import FOR, START, several_nominations
from tests.support.people import actor


def snapshot(laurel: Laurel) -> dict[str, list[tuple[Any, ...]]]:
    with laurel.engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key))]
            for t in READ_MODELS
        }


def test_the_same_event_delivered_twice_changes_nothing(laurel: Laurel) -> None:
    several_nominations(laurel)
    projector = Projector(laurel.engine, laurel.log)
    events = laurel.log.read(0, 1000)
    assert projector.process(events[:10]) == 10
    once = snapshot(laurel)

    assert projector.process(events[:10]) == 0
    assert projector.process([events[3]]) == 0
    assert snapshot(laurel) == once

    assert projector.process(events[5:]) == len(events) - 10  # overlapping batch
    assert projector.position() == events[-1].position


def test_rebuilding_the_read_models_gives_identical_rows(laurel: Laurel) -> None:
    ids = several_nominations(laurel)
    projector = Projector(laurel.engine, laurel.log, batch_size=7)
    projector.catch_up()
    live = snapshot(laurel)
    assert len(live["nominations"]) == 6 and len(live["history"]) == len(laurel.log.read(0, 999))
    # The search data is compared too: each nomination's name and code, and the number of
    # each of the three decisions (decided in a later batch than proposed, for most sizes).
    terms = [(row[1], row[2]) for row in live["search_terms"]]
    assert {nomination for _, nomination in terms} == set(ids)
    assert sorted(nomination for term, nomination in terms if term == "7qd") == sorted(
        [ids[0], ids[4], ids[5]])
    assert ("le thi 3", ids[0]) in terms and ("thi 3", ids[0]) in terms
    assert all(row[-1].startswith(" ") and " | le thi " in row[-1] for row in live["tasks"])

    seen: list[tuple[int, int]] = []
    projector.rebuild(progress=lambda done, total: seen.append((done, total)))

    assert snapshot(laurel) == live
    assert seen[-1][0] == seen[-1][1] == laurel.log.last_position()
    # A batch folds its events in memory before writing: one event per batch and the
    # whole log in one batch must come out the same.
    for batch_size in (1, 100_000):
        Projector(laurel.engine, laurel.log, batch_size=batch_size).rebuild()
        assert snapshot(laurel) == live, batch_size
    with laurel.engine.connect() as conn:
        statuses = [queries.nomination(conn, i)["status"] for i in ids]  # type: ignore[index]
    assert statuses == ["awarded", "rejected", "under_review", "withdrawn", "awarded", "revoked"]
    with laurel.engine.connect() as conn:
        tasks = conn.execute(select(READ_MODELS[1])).mappings().all()
    assert not [t for t in tasks if t["status"] == "open" and t["nomination_id"] == ids[3]]
    assert [t["outcome"] for t in tasks if t["kind"] == "objection"] == ["dismissed"]


def test_a_rebuild_shared_among_processes_gives_identical_rows(laurel: Laurel) -> None:
    several_nominations(laurel)
    projector = Projector(laurel.engine, laurel.log)
    projector.catch_up()
    live = snapshot(laurel)

    assert rebuild_read_models(laurel, processes=2) == len(laurel.log.read(0, 999))

    assert snapshot(laurel) == live
    assert projector.position() == laurel.log.last_position()


class HeldByAnotherPart:
    """A rebuild's write lock that another part holds for the first ``tries`` asks that
    need not wait (a real lock would block the test's only process)."""

    def __init__(self, tries: int) -> None:
        self.tries, self.refused = tries, 0

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        if not block and self.refused < self.tries:
            self.refused += 1
            return False
        return True

    def release(self) -> None:
        pass


def test_batches_folded_while_another_part_writes_come_out_identical(laurel: Laurel) -> None:
    several_nominations(laurel)
    live_projector = Projector(laurel.engine, laurel.log)
    live_projector.catch_up()
    live = snapshot(laurel)

    # Batches of 4 events: while the lock is taken, the next batch is folded into the
    # same rows and its statements queued (inserts, then updates of rows just queued).
    projector = Projector(laurel.engine, laurel.log, batch_size=4)
    head = projector.begin_rebuild()
    lock = HeldByAnotherPart(tries=6)
    applied = projector.rebuild_part(head, side_by_side=SideBySide(lambda: None, lock))
    projector.finish_rebuild(head)

    assert lock.refused == 6
    assert applied == head
    assert snapshot(laurel) == live


def test_the_log_read_in_parts_gives_each_event_to_exactly_one_part(laurel: Laurel) -> None:
    several_nominations(laurel)
    whole = laurel.log.read(0, 999)
    head = whole[-1].position

    parts = 3
    seen: list[int] = []
    for part in range(parts):
        after = 0
        while after < head:  # in pages of two, as a rebuild reads its batches
            events, after = laurel.log.read_part(after, 2, head, part, parts)
            assert all(part_of(e.event.originator_id, parts) == part for e in events)
            seen += [e.position for e in events]

    assert sorted(seen) == [e.position for e in whole]


def test_while_the_read_models_are_rebuilt_the_projector_applies_nothing(
    laurel: Laurel,
) -> None:
    several_nominations(laurel)
    projector = Projector(laurel.engine, laurel.log)
    projector.catch_up()
    live = snapshot(laurel)
    head = projector.begin_rebuild()

    assert projector.catch_up() == 0
    assert projector.process(laurel.log.read(0, 999)) == 0
    assert not any(snapshot(laurel).values())

    # Cut off before the end, the rebuild is simply run again from the start.
    projector.rebuild_part(head, part=0, parts=2)
    assert rebuild_read_models(laurel, processes=1) == head
    assert snapshot(laurel) == live


def test_the_inbox_lists_a_units_open_tasks_earliest_due_first(laurel: Laurel) -> None:
    app = laurel.nominations
    first = propose(app, actor("proposer", "hg.so-yte"), award_code="giay-khen",
                    nominee={"name": "A", "kind": "individual"}, achievements="",
                    documents=[], at=START)
    second = propose(app, actor("proposer", "hg.so-yte"), award_code="giay-khen",
                     nominee={"name": "B", "kind": "individual"}, achievements="",
                     documents=[], at=START)
    app.open_review(second.id, 0, START)
    app.open_review(first.id, 0, START + timedelta(days=1))
    Projector(laurel.engine, laurel.log).catch_up()

    with laurel.engine.connect() as conn:
        items, total = queries.inbox(conn, "hg.so-yte", ["review"], limit=1, offset=0)
        rest, _ = queries.inbox(conn, "hg.so-yte", ["review"], limit=10, offset=1)
        elsewhere, none = queries.inbox(conn, "hg", ["review"], limit=10, offset=0)
    assert total == 2 and [i["nominee_name"] for i in items + rest] == ["B", "A"]
    assert elsewhere == [] and none == 0


def test_open_tasks_are_found_by_their_terms_as_by_their_text(laurel: Laurel) -> None:
    """``task_terms`` holds the terms of the open tasks only (a task that closes takes
    its own away), the same after a rebuild; an inbox's search through them finds the
    tasks, in the inbox's order, that searching the tasks' text finds."""
    app, unit = laurel.nominations, "hg.so-yte"
    names = ["Nguyễn Thị Hoa", "Nguyễn Thị Hòa Bình", "Đỗ Văn Đức", "Lê Trà Nam",
             "Hoa Văn Thị", "Tổ Y tế dự phòng (Khoa Nhi)"]
    opened = []
    for hours, name in enumerate(names):
        proposal = propose(app, actor("proposer", unit), award_code="giay-khen",
                           nominee={"name": name, "kind": "individual"}, achievements="",
                           documents=[], at=START)
        task = app.open_review(proposal.id, 0, START + timedelta(hours=12 - hours))
        assert task is not None
        opened.append((proposal.id, task.task_id))
    reviewed = opened[1]
    review(app, reviewed[0], reviewed[1], actor("reviewer", unit), outcome="approve",
           votes=FOR, note="", at=START + timedelta(days=1))
    Projector(laurel.engine, laurel.log, batch_size=1).catch_up()  # opened, then closed
    live = snapshot(laurel)
    assert {row[2] for row in live["task_terms"]} == {t for _, t in opened} - {reviewed[1]}
    Projector(laurel.engine, laurel.log).rebuild()  # opened and closed in one batch
    assert snapshot(laurel) == live

    with laurel.engine.connect() as conn:
        code = str(queries.nomination(conn, str(opened[0][0]))["tracking_code"])  # type: ignore[index]
        for q in ["nguyen thi", "NGUYỄN THỊ HÒA", "hoa", "thi hoa", "hoa van", "van",
                  "do van duc", "nguyenthi", "ho", "to y te du phong khoa nhi", "khoa",
                  code, code.replace("-", "").lower(), code.replace("-", " "), code[:6],
                  "zzz", "nguyen thi hoa binh x"]:
            found, total = queries.inbox(conn, unit, ["review"], limit=50, offset=0, q=q)
            forms = QueryForms.of(q)
            assert forms is not None
            by_text = list(conn.scalars(select(tasks.c.id).where(
                tasks.c.unit_id == unit, tasks.c.status == "open", tasks.c.kind == "review",
                queries.tasks_found_by(forms, conn.dialect.name)).order_by(
                    tasks.c.due_at, tasks.c.id)))
            assert [task["id"] for task in found] == by_text and total == len(by_text), q
            first, _ = queries.inbox(conn, unit, ["review"], limit=1, offset=0, q=q)
            assert [task["id"] for task in first] == by_text[:1], q


def test_a_datetime_is_stored_on_sqlite_as_sqlalchemy_writes_it() -> None:
    # The read models' batched writes format datetimes themselves (projections.pending);
    # SQLAlchemy's own queries compare against its text, so the two must not differ.
    sqlalchemys = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert sqlalchemys is not None
    for moment in (START, START.astimezone(timezone(timedelta(hours=7))),
                   datetime(999, 1, 2, 3, 4, 5, 6),
                   datetime(2026, 3, 4, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=7))),
                   datetime(2026, 12, 31, tzinfo=UTC)):
        assert sqlite_datetime(moment) == sqlalchemys(moment)


def test_a_rebuild_ends_with_every_index_of_the_read_models(laurel: Laurel) -> None:
    several_nominations(laurel)
    wanted = {index.name for table in READ_MODELS for index in table.indexes}
    projector = Projector(laurel.engine, laurel.log)
    projector.begin_rebuild()
    assert set(indexes(laurel)) < wanted  # built at the end, but for the one it reads by

    projector.finish_rebuild(laurel.log.last_position())
    assert set(indexes(laurel)) == wanted
    rebuild_read_models(laurel, processes=2)
    assert set(indexes(laurel)) == wanted


def indexes(laurel: Laurel) -> list[str]:
    """The read models' declared indexes found in the database (not those PostgreSQL
    makes for a unique column)."""
    found = inspect(laurel.engine)
    declared = {index.name for table in READ_MODELS for index in table.indexes}
    return [index["name"] for table in READ_MODELS for index in found.get_indexes(table.name)
            if index["name"] in declared]
