"""Each use of a library's private API (``infrastructure.eventsourcing_internals``,
``infrastructure.sqlalchemy_internals``) against the library's public path, on real
stores: the SQLite files of a test's directory, and PostgreSQL where it runs.

A library upgrade that moves one of them fails here, before it changes what is stored."""

from __future__ import annotations

import copy
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.application import Recording
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    DatabaseError,
    JSONTranscoder,
    StoredEvent,
    TranscodingNotRegisteredError,
)
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteConnectionPool, SQLiteDatastore
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from domain.application import Nominations, replay
from infrastructure.container import Laurel
from infrastructure.database import make_engine
from infrastructure.eventsourcing_internals import (
    SHARED_BY_COPIES,
    FastNominations,
    OriginatorsMoved,
    PostgresRecorderWithInsertHook,
    SQLiteRecorderWithInsertHook,
    StatementCachingSQLitePool,
    copy_for_command,
    decode_wrapped,
)
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import Settings
from infrastructure.sqlalchemy_internals import driver_connection, is_default_sqlite_datetime
from infrastructure.transcoder import OrjsonDecodingTranscoder
from laurel import scratch_databases
from projections.database import checkpoints_aside
from projections.pending import prepare_insert, prepare_many, sqlite_datetime
from projections.tables import READ_MODELS, history, nominations, tasks
from tests.support.commands import propose, review
from tests.support.nominations import FOR, START, project, several_nominations
from tests.support.people import person

PLUS_7 = timezone(timedelta(hours=7))
UNIT, AWARD = "hg.so-yte", "bang-khen-tinh"


# -- eventsourcing: Application._record, _take_snapshots, _notify ------------------------


@pytest.fixture
def other_settings(settings: Settings, backend: str, tmp_path: Path) -> Iterator[Settings]:
    """A second event store, empty, on the same backend as ``settings``."""
    if backend == "sqlite":
        yield settings.model_copy(update={"data_dir": tmp_path / "other"})
        return
    with scratch_databases.fresh_database("laurel_test") as url:
        yield settings.model_copy(update={"database_url": url})


def application(cls: type[Nominations], settings: Settings) -> Any:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return cls(load_policy_book(settings.policy_file), settings.event_store_env())


class NotifiedFastNominations(FastNominations):
    """Laurel's application, keeping what its ``_store`` hands the library's ``_notify``."""

    name = Nominations.name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notified: list[Recording[UUID]] = []

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        self.notified.extend(recordings)
        super()._notify(recordings)


def saved_both_ways(fast: FastNominations, public: Nominations,
                    commands: Callable[[Nominations], None]) -> list[Recording[UUID]]:
    """The nominations ``commands`` change on ``fast`` (collected, not saved), stored by
    ``FastNominations._store``, and copies of them by the library's ``Application.save``
    into ``public``'s store; what ``save`` answers."""
    with fast.collecting_saves() as collected:
        commands(fast)
    assert collected
    copies = [copy.deepcopy(nomination) for nomination in collected]
    fast._store(collected, {})
    return public.save(*copies)


def stored(app: Nominations) -> list[tuple[Any, ...]]:
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in app.recorder.select_notifications(start=None, limit=10_000)]


def test_fast_nominations_store_what_the_librarys_save_stores(
    settings: Settings, other_settings: Settings,
) -> None:
    assert FastNominations._store is not Nominations._store  # it overrides the domain's
    fast = application(NotifiedFastNominations, settings)
    public = application(Nominations, other_settings)
    reviewer = person("reviewer", UNIT)
    ids: list[UUID] = []
    tasks_of: dict[UUID, str] = {}

    def proposing(app: Nominations) -> None:
        ids.append(propose(app, person("proposer", UNIT), award_code=AWARD,
                           nominee={"name": "Lê Thị Mai", "kind": "individual"},
                           achievements="…", documents=[], at=START).id)
        for i in range(2):
            ids.append(propose(app, person("proposer", UNIT), award_code=AWARD,
                               nominee={"name": f"Trần Văn {i}", "kind": "individual"},
                               achievements="", documents=[{"title": "tờ trình"}],
                               at=START).id)

    def open_reviews(app: Nominations) -> None:
        for nomination_id in ids:
            task = app.open_review(nomination_id, 0, START + timedelta(days=1))
            assert task is not None
            tasks_of[nomination_id] = task.task_id

    def escalate(app: Nominations) -> None:  # two events each
        for nomination_id in ids:
            assert app.escalate(nomination_id, tasks_of[nomination_id],
                                START + timedelta(days=20))

    def reviewing(app: Nominations) -> None:
        for nomination_id in ids:
            review(app, nomination_id, tasks_of[nomination_id], reviewer, outcome="approve",
                   votes=FOR, note="", at=START + timedelta(days=21))

    answered = []
    for commands in (proposing, open_reviews, escalate, reviewing):
        answered += saved_both_ways(fast, public, commands)

    events = stored(fast)
    assert len(events) >= 3 * 5
    assert events == stored(public)  # topics, state bytes, versions, positions
    assert [(r.notification.id, r.domain_event) for r in fast.notified] == [
        (r.notification.id, r.domain_event) for r in answered]
    assert fast.recorder.select_links(0, 1000) == public.recorder.select_links(0, 1000)
    # Named as the domain's application is: the same tables, read by a plain one.
    assert stored(application(Nominations, settings)) == events
    assert [fast.status(i) for i in ids] == [public.status(i) for i in ids] != []


class Tally(Aggregate):
    """An aggregate the library can snapshot (a nomination's tasks have no transcoding:
    Laurel takes no snapshots), to compare the snapshots ``_store`` takes."""

    def __init__(self) -> None:
        self.count = 0

    @event("Counted")
    def add(self) -> None:
        self.count += 1


class SnapshottingFast(FastNominations):
    name = Nominations.name
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Tally: 2}


class SnapshottingPublic(Nominations):
    name = Nominations.name
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Tally: 2}


def test_fast_store_takes_the_snapshots_the_librarys_save_takes(
    settings: Settings, other_settings: Settings,
) -> None:
    fast = application(SnapshottingFast, settings)
    public = application(SnapshottingPublic, other_settings)
    tallies = [Tally() for _ in range(3)]
    for i, tally in enumerate(tallies):
        for _ in range(2 * i + 1):
            tally.add()
    copies = [copy.deepcopy(tally) for tally in tallies]
    fast._store(tallies, {})  # type: ignore[arg-type]  # any aggregate saves alike
    public.save(*copies)

    def snapshots(app: Nominations) -> list[tuple[int, str, dict[str, Any]]]:
        taken = []
        for tally in tallies:
            assert app.snapshots is not None
            for snapshot in app.snapshots.recorder.select_events(tally.id):
                state = app.mapper.transcoder.decode(snapshot.state)
                state.pop("timestamp")  # when it was taken
                taken.append((snapshot.originator_version, snapshot.topic, state))
        return taken

    taken = snapshots(fast)
    assert [version for version, _, _ in taken] == [2, 2, 4, 2, 4, 6]
    assert taken == snapshots(public)
    assert stored(fast) == stored(public)


def test_laurel_runs_fast_nominations(laurel: Laurel) -> None:
    assert type(laurel.nominations) is FastNominations
    proposal = propose(
        laurel.nominations, person("proposer", UNIT), award_code=AWARD, achievements="",
        documents=[], at=START, nominee={"name": "Lê Thị Mai", "kind": "individual"})
    assert stored(application(Nominations, laurel.settings))[0][1] == proposal.id


# -- eventsourcing: JSONTranscoder._decode_obj ------------------------------------------


def test_decode_wrapped_restores_what_the_librarys_decoder_restores(laurel: Laurel) -> None:
    transcoder = laurel.nominations.mapper.transcoder
    assert isinstance(transcoder, OrjsonDecodingTranscoder)
    for value in (uuid4(), datetime(2026, 1, 5, 8, 0, 0, 123, tzinfo=UTC),
                  datetime(2026, 3, 4, 23, 59, 59, 999_999, tzinfo=PLUS_7), Decimal("1.10")):
        encoded = transcoder.encode({"value": value})
        wrapped = orjson.loads(encoded)["value"]
        assert set(wrapped) == {"_type_", "_data_"}
        restored = decode_wrapped(transcoder, wrapped)
        assert restored == JSONTranscoder.decode(transcoder, encoded)["value"] == value
        assert type(restored) is type(value)
    not_wrapped = {"_type_": "uuid_hex", "other": 1}
    assert decode_wrapped(transcoder, dict(not_wrapped)) == not_wrapped
    unknown = {"_type_": "no such transcoding", "_data_": "x"}
    with pytest.raises(TranscodingNotRegisteredError):
        JSONTranscoder.decode(transcoder, orjson.dumps(unknown))
    with pytest.raises(TranscodingNotRegisteredError):
        decode_wrapped(transcoder, unknown)


def test_the_stores_events_decode_as_the_librarys_transcoder_decodes_them(
    laurel: Laurel,
) -> None:
    several_nominations(laurel)
    transcoder = laurel.nominations.mapper.transcoder
    notifications = laurel.nominations.recorder.select_notifications(start=None, limit=1000)
    assert len(notifications) > 50
    restored = 0
    for notification in notifications:
        ours = transcoder.decode(notification.state)
        assert ours == JSONTranscoder.decode(transcoder, notification.state)
        restored += sum(isinstance(v, datetime | UUID) for v in ours.values())
    assert restored >= len(notifications)  # every event has its time, at least


# -- eventsourcing: the recorders' insert hooks -----------------------------------------


def told(cursor: Any, stored_events: Sequence[StoredEvent],
         ids: Sequence[int]) -> tuple[list[StoredEvent], list[int], int]:
    """What the hook is told, and how many events its cursor sees stored."""
    cursor.execute("SELECT count(*) AS n FROM stored_events")
    return list(stored_events), list(ids), cursor.fetchone()["n"]


FAILING = "SELECT * FROM no_such_table"


class Hooked:
    """A recorder's insert hook keeping what it is told; told to, it runs a failing
    statement."""

    fail = False
    told: list[tuple[list[StoredEvent], list[int], int]]

    def events_inserted(self, cursor: Any, stored_events: Sequence[StoredEvent],
                        notification_ids: Sequence[int]) -> None:
        self.told.append(told(cursor, stored_events, notification_ids))
        if self.fail:
            cursor.execute(FAILING)


class HookedSQLiteRecorder(Hooked, SQLiteRecorderWithInsertHook):
    def __init__(self, datastore: SQLiteDatastore) -> None:
        super().__init__(datastore)
        self.told = []


class HookedPostgresRecorder(Hooked, PostgresRecorderWithInsertHook):
    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore)
        self.told = []


@pytest.fixture
def hooked(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A recorder of the library's, told of each insert through the private hook."""
    if backend == "sqlite":
        recorder: Any = HookedSQLiteRecorder(SQLiteDatastore(str(tmp_path / "events.db")))
        recorder.create_table()
        yield recorder
        return
    url = urlsplit(request.getfixturevalue("postgres_url"))
    datastore = PostgresDatastore(
        dbname=url.path.lstrip("/"), host=url.hostname or "127.0.0.1", port=url.port or 5432,
        user=url.username or "postgres", password=url.password or "")
    recorder = HookedPostgresRecorder(datastore)
    recorder.create_table()
    yield recorder
    datastore.close()


def test_the_insert_hook_sees_what_the_library_stored(hooked: Any) -> None:
    first = [StoredEvent(uuid4(), 1, "tests:Proposed", b'{"n":1}'),
             StoredEvent(uuid4(), 1, "tests:Proposed", b'{"n":2}')]
    second = [StoredEvent(first[0].originator_id, 2, "tests:Reviewed", b'{"n":3}')]
    returned = [list(hooked.insert_events(first)), list(hooked.insert_events(second))]
    assert [(events, ids) for events, ids, _ in hooked.told] == [
        (first, returned[0]), (second, returned[1])]
    listed = hooked.select_notifications(start=None, limit=10)
    assert [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in listed] == [
        (i, e.originator_id, e.originator_version, e.topic, e.state)
        for ids, events in zip(returned, (first, second), strict=True)
        for i, e in zip(ids, events, strict=True)]
    assert len(listed) == 3


def test_the_insert_hook_runs_inside_the_inserts_transaction(hooked: Any) -> None:
    hooked.insert_events([StoredEvent(uuid4(), 1, "tests:Proposed", b"{}")])
    assert hooked.told[-1][2] == 1  # the hook's cursor sees the event just inserted
    hooked.fail = True
    with pytest.raises(DatabaseError):
        hooked.insert_events([StoredEvent(uuid4(), 1, "tests:Proposed", b"{}")])
    assert hooked.told[-1][2] == 2  # seen inserted, uncommitted…
    assert len(hooked.select_notifications(start=None, limit=10)) == 1  # …and undone


def test_an_error_in_the_insert_hook_undoes_the_insert_and_reaches_the_caller(
    hooked: Any,
) -> None:
    def broken(*_: object) -> None:
        raise ValueError("the chain could not be linked")

    hooked.events_inserted = broken
    with pytest.raises(ValueError, match="could not be linked"):
        hooked.insert_events([StoredEvent(uuid4(), 1, "tests:Proposed", b"{}")])
    assert hooked.select_notifications(start=None, limit=10) == []


def test_an_insert_expecting_an_aggregate_unchanged_stores_nothing_once_it_moved(
    hooked: Any,
) -> None:
    """What ``FastNominations._store`` asks of the recorder for the people a proposal's
    verdict read: the insert goes through while they are at the versions read, and is
    undone, naming them, once one has an event above it."""
    person, other = uuid4(), uuid4()
    hooked.insert_events([StoredEvent(person, 1, "tests:Registered", b"{}"),
                          StoredEvent(other, 1, "tests:Registered", b"{}")])
    with hooked.expecting({person: 1, other: 1}):
        hooked.insert_events([StoredEvent(uuid4(), 1, "tests:Proposed", b"{}")])
    hooked.insert_events([StoredEvent(person, 2, "tests:AwardRecorded", b"{}")])
    refused = StoredEvent(uuid4(), 1, "tests:Proposed", b"{}")
    with hooked.expecting({person: 1, other: 1}), \
            pytest.raises(OriginatorsMoved) as moved:
        hooked.insert_events([refused])
    assert moved.value.originator_ids == [person]
    assert hooked.select_events(refused.originator_id) == []
    assert len(hooked.select_notifications(start=None, limit=10)) == 4
    hooked.insert_events([refused])  # the expectation ended with its block
    assert len(hooked.select_notifications(start=None, limit=10)) == 5


def compilations(connection: sqlite3.Connection, statements: list[str], times: int) -> int:
    """How often ``statements``, each run ``times`` in turn, were compiled: SQLite asks
    the authorizer while it compiles a statement, never when it runs a compiled one."""
    compiled = 0

    def authorizer(*_: object) -> int:
        nonlocal compiled
        compiled += 1
        return sqlite3.SQLITE_OK

    connection.set_authorizer(authorizer)
    for _ in range(times):
        for statement in statements:
            connection.execute(statement).fetchall()
    connection.set_authorizer(None)
    return compiled


def test_the_event_stores_sqlite_connections_keep_their_compiled_statements(
    tmp_path: Path,
) -> None:
    """The library's connections (``cached_statements=True``: a cache of one) compile a
    save's statements again each time; Laurel's keep them, and are otherwise the same."""
    statements = ["SELECT 1", "SELECT 2", "SELECT 3"]
    library = SQLiteConnectionPool(db_name=str(tmp_path / "library.db"))
    ours = StatementCachingSQLitePool(db_name=str(tmp_path / "laurel.db"))
    theirs, mine = library._create_connection(), ours._create_connection()
    once = compilations(mine._sqlite_conn, statements, 1)
    assert once >= len(statements)
    assert compilations(theirs._sqlite_conn, statements, 10) == 10 * once
    assert compilations(mine._sqlite_conn, statements, 10) == once  # the first round's kept
    for connection in (theirs, mine):
        raw = connection._sqlite_conn
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.row_factory is sqlite3.Row and raw.isolation_level is None
        connection.close()


def test_laurel_s_sqlite_event_store_uses_the_caching_connections(
    settings: Settings,
) -> None:
    if settings.uses_postgres:
        pytest.skip("SQLite's connections")
    app = application(FastNominations, settings)
    assert isinstance(app.recorder.datastore.pool, StatementCachingSQLitePool)


# -- SQLAlchemy: sqlite.DATETIME._storage_format ----------------------------------------


def test_sqlite_datetimes_are_stored_as_sqlalchemys_datetime_type_stores_them(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'moments.db'}")
    metadata = MetaData()
    custom = sqlite.DATETIME(
        storage_format="%(year)04d/%(month)02d/%(day)02d %(hour)02d.%(minute)02d",
        regexp=r"(\d+)/(\d+)/(\d+) (\d+)\.(\d+)")

    def moments(name: str) -> Table:
        return Table(name, metadata, Column("id", Integer, primary_key=True),
                     Column("naive", DateTime), Column("aware", DateTime(timezone=True)),
                     Column("custom", custom))

    by_sqlalchemy, by_us = moments("by_sqlalchemy"), moments("by_us")
    values = [START, START.astimezone(PLUS_7), datetime(999, 1, 2, 3, 4, 5, 6),
              datetime(2026, 3, 4, 23, 59, 59, 999_999, tzinfo=PLUS_7),
              datetime(2026, 12, 31, tzinfo=UTC)]
    rows = [{"id": i, "naive": value.replace(tzinfo=None), "aware": value, "custom": value}
            for i, value in enumerate(values)]
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(insert(by_sqlalchemy), rows)
        prepare_many(conn, insert(by_us), rows)()
        theirs = conn.exec_driver_sql("SELECT * FROM by_sqlalchemy ORDER BY id").all()
        ours = conn.exec_driver_sql("SELECT * FROM by_us ORDER BY id").all()
        read_back = conn.execute(select(by_us).order_by(by_us.c.id)).all()
    engine.dispose()
    assert ours == theirs
    assert [row.aware for row in ours] == [sqlite_datetime(value) for value in values]
    assert all(re.fullmatch(r"\d{4}/\d\d/\d\d \d\d\.\d\d", row.custom) for row in ours)
    assert [row.aware for row in read_back] == [value.replace(tzinfo=None) for value in values]
    assert is_default_sqlite_datetime(DateTime(timezone=True).dialect_impl(engine.dialect))
    assert is_default_sqlite_datetime(sqlite.DATETIME())
    assert not is_default_sqlite_datetime(custom.dialect_impl(engine.dialect))
    assert not is_default_sqlite_datetime(Integer().dialect_impl(engine.dialect))


# -- SQLAlchemy: the driver's connection beneath it -------------------------------------


def written(engine: Engine, write: Callable[[Connection], None]) -> dict[str, list[Any]]:
    """Every read model's rows as the database holds them (no SQLAlchemy type
    processing) after ``write`` replaced them, in a transaction then rolled back."""
    with engine.connect() as conn:
        transaction = conn.begin()
        for table in reversed(READ_MODELS):
            conn.execute(delete(table))
        write(conn)
        held = {}
        for table in READ_MODELS:
            order = ", ".join(column.name for column in table.primary_key)
            held[table.name] = [tuple(row) for row in conn.exec_driver_sql(
                f"SELECT * FROM {table.name} ORDER BY {order}")]
        transaction.rollback()
    return held


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_driver_writes_store_the_rows_sqlalchemy_core_stores(laurel: Laurel) -> None:
    several_nominations(laurel)
    waiting = propose(laurel.nominations, person("proposer", UNIT), award_code=AWARD,
                      nominee={"name": "Đỗ Văn Đức", "kind": "individual"}, achievements="",
                      documents=[], at=START)
    assert laurel.nominations.open_review(waiting.id, 0, START) is not None  # task_terms
    project(laurel)
    with laurel.engine.connect() as conn:
        rows = {table.name: [dict(row) for row in conn.execute(select(table)).mappings()]
                for table in READ_MODELS}
    assert all(rows.values())
    for task in rows["tasks"]:  # a datetime in UTC, and one at another offset
        task["opened_at"] = aware(task["opened_at"]).astimezone(PLUS_7)
        task["due_at"] = aware(task["due_at"])
    change = update(nominations).where(nominations.c.id == bindparam("row_id"))
    changes = [{"row_id": row["id"], "status": "changed", "objections_pending": 2,
                "updated_at": datetime(2026, 6, 1, 12, 30, tzinfo=PLUS_7), "decision": None}
               for row in rows["nominations"]]
    close = update(tasks).where(tasks.c.id == bindparam("row_id"))
    closes = [{"row_id": row["id"], "closed_at": START} for row in rows["tasks"]]

    def ours(conn: Connection) -> None:
        for table in READ_MODELS:
            prepare_insert(conn, table, rows[table.name])()
        prepare_many(conn, change, changes)()
        prepare_many(conn, close, closes)()

    def sqlalchemys(conn: Connection) -> None:
        for table in READ_MODELS:
            conn.execute(insert(table), rows[table.name])
        conn.execute(change, changes)
        conn.execute(close, closes)

    by_us = written(laurel.engine, ours)
    assert by_us == written(laurel.engine, sqlalchemys)
    assert [len(by_us[table.name]) for table in READ_MODELS] == [
        len(rows[table.name]) for table in READ_MODELS]
    assert {row[nominations.c.keys().index("status")] for row in by_us["nominations"]} == {
        "changed"}


def test_driver_writes_are_inside_sqlalchemys_transaction(laurel: Laurel) -> None:
    rows = [{"position": i, "nomination_id": str(uuid4()), "version": 1, "type": "Proposed",
             "occurred_at": START, "actor": "clerk", "actor_role": "proposer",
             "actor_unit": UNIT, "level": None, "unit_id": None, "data": {"i": i}}
            for i in range(1, 4)]
    count = select(func.count()).select_from(history)
    with laurel.engine.connect() as conn:
        transaction = conn.begin()
        prepare_insert(conn, history, rows)()
        assert conn.execute(count).scalar() == 3  # SQLAlchemy's connection sees them
        with laurel.engine.connect() as other:
            assert other.execute(count).scalar() == 0  # uncommitted
        transaction.rollback()
        assert conn.execute(count).scalar() == 0  # rolled back with SQLAlchemy's
        conn.rollback()
        with conn.begin():
            prepare_insert(conn, history, rows)()
    with laurel.engine.connect() as conn:
        assert conn.execute(count).scalar() == 3  # and committed with it


def test_wal_pragmas_on_the_driver_are_the_connections_own(tmp_path: Path) -> None:
    database = tmp_path / "readmodels.db"
    engine = make_engine(f"sqlite:///{database}")
    pages = "PRAGMA wal_autocheckpoint"
    with engine.connect() as conn:
        before = conn.exec_driver_sql(pages).scalar()
        assert isinstance(before, int) and before > 0
        assert driver_connection(conn).execute(pages).fetchone() == (before,)
        with checkpoints_aside(conn) as checkpoint:
            assert conn.exec_driver_sql(pages).scalar() == 0
            with engine.connect() as other:
                assert other.exec_driver_sql(pages).scalar() == before  # its own
            conn.exec_driver_sql("CREATE TABLE lines (text TEXT)")
            conn.exec_driver_sql("INSERT INTO lines VALUES (?)", [("x" * 1000,)] * 200)
            conn.commit()
            size = database.stat().st_size
            checkpoint()
            assert database.stat().st_size > size  # the log copied into the database
        assert conn.exec_driver_sql(pages).scalar() == before
    engine.dispose()


# -- eventsourcing: Aggregate._pending_events (a nomination copied for one command) -------


def test_a_fast_copy_equals_the_librarys_deep_copy_and_shares_nothing_it_changes(
    laurel: Laurel,
) -> None:
    ids = several_nominations(laurel)
    app = laurel.nominations
    assert isinstance(app, FastNominations)
    for nomination_id in ids:
        held = app.repository.get(UUID(nomination_id), projector_func=replay,
                                  deepcopy_from_cache=False)
        fast, slow = copy_for_command(held), copy.deepcopy(held)
        assert vars(fast) == vars(slow) and fast.snapshot_of_state() == held.snapshot_of_state()
        for name, value in vars(fast).items():
            if isinstance(value, dict | list | set) and name not in SHARED_BY_COPIES:
                assert value is not vars(held)[name], name
        assert not any(fast.tasks[key] is task for key, task in held.tasks.items())
        assert not any(fast.objections[key] is o for key, o in held.objections.items())


def test_a_command_given_to_a_loaded_nomination_leaves_the_one_held_in_memory(
    laurel: Laurel,
) -> None:
    app = laurel.nominations
    nomination_id = UUID(several_nominations(laurel)[0])
    before = app._load(nomination_id).snapshot_of_state()
    loaded = app._load(nomination_id)
    task = next((t for t in loaded.tasks.values() if t.open), None)
    if task is not None:
        loaded.remind(task.id, START)
    loaded.tasks.clear()
    loaded.requests.add("a request never saved")
    assert app._load(nomination_id).snapshot_of_state() == before
