"""Every use Laurel makes of the ``eventsourcing`` library's private API (9.5), in one place.

Each is a measured fast path or a hook the library offers no public name for. Each has a
test in ``tests/test_library_internals.py`` that compares it, on real stores (SQLite, and
PostgreSQL where it runs), with the library's public path; a library upgrade that moves
one of these fails that test rather than changing what is stored.

- ``Application._record``, ``Application._take_snapshots``, ``Application._notify``:
  ``FastNominations._store`` calls the three steps of ``Application.save`` itself, less
  ``save``'s two ``isinstance`` checks of each aggregate against typing Protocols
  (``ProcessingEvent.collect_events``), 13 µs a nomination on Python 3.11 (measured),
  and less the deprecated ``notify`` hook, which nothing here overrides. What is saved
  is always a nomination, never a bare event. ``FastNominations`` keeps the name
  ``laurel``: a subclass is otherwise named after itself, which picks other PostgreSQL
  tables. Pinned by ``test_fast_nominations_store_what_the_librarys_save_stores``,
  ``test_fast_store_takes_the_snapshots_the_librarys_save_takes`` (Laurel takes none
  today) and ``test_laurel_runs_fast_nominations``.
- ``JSONTranscoder._decode_obj``: the library's restoring of one wrapped value
  (``{"_type_": ..., "_data_": ...}``), named here ``decode_wrapped`` for
  ``infrastructure.transcoder``, which parses with orjson in one call and restores the
  few wrapped values after (16.7 → 9.5 µs per stored event of the benchmark's log).
  Pinned by ``test_decode_wrapped_restores_what_the_librarys_decoder_restores`` and
  ``test_the_stores_events_decode_as_the_librarys_transcoder_decodes_them``.
- ``SQLiteApplicationRecorder._insert_events`` and
  ``PostgresApplicationRecorder._fetch_ids_after_insert_events``: the only places where
  a recorder sees newly inserted events with their notification ids still inside the
  insert's transaction (on PostgreSQL, with the events table locked).
  ``infrastructure.chained_recorders`` links each event into the hash chains there;
  the two classes below override the hooks and hand them on as ``events_inserted``.
  ``PostgresApplicationRecorder._insert_stored_events`` (its LOCK TABLE, NOTIFY and
  INSERT, queued in its pipeline) is followed by ``insert_queued``, where the chain queues
  its reads so that the library's sync brings them (one round trip fewer under the lock).
  On PostgreSQL the hook is not called when the datastore inserts through the library's
  database function (``POSTGRES_ENABLE_DB_FUNCTIONS``), which Laurel's settings leave
  off. There the library holds an ``Exception`` raised inside its transaction block
  until the block has committed: the hook's errors pass through it wrapped in a
  ``BaseException`` (``_HookFailed``), so the block rolls back, and are unwrapped in
  ``insert_events``. Pinned by
  ``test_the_insert_hook_sees_what_the_library_stored`` and
  ``test_the_insert_hook_runs_inside_the_inserts_transaction``.

- The same two hooks check an expectation (``RecorderWithInsertHook.expecting``): the
  people a proposal's verdict read still at the versions read, looked up by the events
  table's key after the insert's writes, in its transaction (on PostgreSQL queued behind
  the INSERT like the chain's reads). ``FastNominations._store`` sets it for the save.
  Pinned by ``test_an_insert_expecting_an_aggregate_unchanged_stores_nothing_once_it_moved``.
- ``SQLiteConnectionPool._create_connection``: ``StatementCachingSQLitePool`` makes the
  library's connection as 9.5 makes it, but with a cache of compiled statements (the
  library's ``cached_statements=True`` is a cache of one), selected through
  ``LaurelSQLiteFactory`` (``PERSISTENCE_MODULE``); and
  ``SQLiteAggregateRecorder.convert_originator_id``, called by the library for each row
  read, parses an id once for rows of the same aggregate. Pinned by
  ``test_the_event_stores_sqlite_connections_keep_their_compiled_statements`` and
  ``test_laurel_s_sqlite_event_store_uses_the_caching_connections``.

- ``Aggregate._pending_events``: ``copy_for_command`` copies a nomination the repository
  holds in memory for one command to change, copying only what an event changes (the
  tasks, objections, counters and the events not yet saved) and sharing what is recorded
  once at the proposal (route, nominee): the library's generic ``deepcopy`` of all of it
  cost as much as replaying the events. ``FastNominations._load`` asks the repository
  for the nomination uncopied (``deepcopy_from_cache=False``, public) and copies it so.
  Pinned by ``test_a_fast_copy_equals_the_librarys_deep_copy_and_shares_nothing_it_changes``.

- ``PostgresApplicationRecorder.insert_events`` and the readers ``select_events``,
  ``select_notifications`` and ``max_notification_id`` are wrapped by the library in a
  retry of ten attempts 0.2 s apart on any ``OperationalError``: a lock timeout (the
  table lock held by another session) or a database that is away would stall each
  command ten times over. ``PostgresRecorderWithInsertHook`` calls the functions the
  decorator wraps (``__wrapped__``, set by ``functools.wraps``) and tries once more only
  when the connection itself failed (a pooled connection the server closed or ended),
  once the pool has checked and replaced its idle connections (``pool.check()``).
  The library's ``SET LOCAL lock_timeout`` before its table lock (its own setting, in
  whole seconds, 0 = wait for ever) is left out: the session's ``lock_timeout`` (the
  connection's ``options``, ``LAUREL_DATABASE_LOCK_TIMEOUT``) bounds the wait instead.
  Pinned by ``test_a_lock_timeout_is_not_retried`` and
  ``test_the_table_lock_waits_no_longer_than_the_session_says``
  (``tests/test_store_unavailable.py``).
- ``PostgresDatastore.pool.kwargs`` (psycopg_pool's, public there): ``LaurelPostgresFactory``
  adds the connection parameters the library's settings have no name for (``sslmode``,
  ``options``…) before any connection is made. Pinned by
  ``test_url_parameters_reach_the_event_stores_connections``.

Not gathered here: ``Aggregate._create`` (``domain.nomination``, ``laurel.bench``) is the
library's documented way for an aggregate class to create itself.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    InterfaceError,
    JSONTranscoder,
    Notification,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteFactory,
)
from eventsourcing.utils import Environment
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.application import Nominations, replay
from domain.nomination import Nomination
from infrastructure.writer_turns import WriterTurns, turns_path


class FastNominations(Nominations):
    """The nominations application as Laurel runs it (``infrastructure.container``)."""

    name = Nominations.name
    """Not the class's own name, which the library would take otherwise: the name picks
    the PostgreSQL tables (``laurel_events``) and the environment's prefix."""

    def _store(self, nominations: Iterable[Aggregate], unchanged: Mapping[UUID, int]) -> None:
        """The library's ``save`` less its two ``isinstance`` checks of each aggregate
        against typing Protocols, 13 µs a nomination on Python 3.11 (measured): what is
        saved here is always a nomination, never a bare event. (Nor does it call the
        deprecated ``notify`` hook, which nothing here overrides.) The people
        ``unchanged`` names are looked up inside the insert's transaction, after its
        writes, where nothing else can store an event of theirs before it commits."""
        if not isinstance(self.recorder, RecorderWithInsertHook):
            super()._store(nominations, unchanged)
            return
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for nomination in nominations:
            processing.events.extend(nomination.collect_events())
            processing.aggregates[nomination.id] = nomination
        try:
            with self.recorder.expecting(unchanged):
                recordings = self._record(processing)
        except OriginatorsMoved as moved:
            raise self.candidates.kept.changed(moved.originator_ids) from None
        self._take_snapshots(processing)
        self._notify(recordings)

    def writer_waiting(self) -> bool:
        """Whether a save now would wait for another writer of the event store (SQLite's
        one writer, another process's turn): ``GroupCommit`` gives the commands queued
        meanwhile in the same group. A glance; False where writers do not take turns."""
        recorder = self.recorder
        return isinstance(recorder, SQLiteRecorderWithInsertHook) and recorder.turn_taken()

    def _load(self, nomination_id: UUID) -> Nomination:
        held: Nomination = self.repository.get(nomination_id, projector_func=replay,
                                               deepcopy_from_cache=False)
        if not isinstance(held, Nomination):  # a person of the register
            raise AggregateNotFoundError(nomination_id)
        return copy_for_command(held)


SHARED_BY_COPIES = frozenset({"route", "nominee", "eligibility", "agencies", "appraisal"})
"""A nomination's attributes that no event changes in place (the proposal sets them; a
council's review may put a new verdict in ``eligibility``, never alter the one there; a
consultation sets its ``agencies`` once; each appraisal event puts a new ``appraisal``): a
command's copy shares them with the nomination the repository holds."""


def copy_for_command(nomination: Nomination) -> Nomination:
    """A copy of ``nomination`` for one command to change, leaving it as it was: what an
    event changes is copied, what is recorded once is shared (``SHARED_BY_COPIES``)."""
    copy = object.__new__(type(nomination))
    copy.__dict__.update(nomination.__dict__)
    copy.tasks = {key: replace(task) for key, task in nomination.tasks.items()}
    copy.objections = {key: replace(o) for key, o in nomination.objections.items()}
    copy.rounds = dict(nomination.rounds)
    copy.requests = set(nomination.requests)
    copy.arrived = set(nomination.arrived)
    copy.answers = dict(nomination.answers)
    copy._pending_events = list(nomination._pending_events)
    return copy


decode_wrapped: Callable[[JSONTranscoder, dict[str, Any]], Any] = JSONTranscoder._decode_obj
"""``decode_wrapped(transcoder, value)``: what the transcoder's registered transcodings
make of ``value``, a JSON object as the library's decoder hook sees it (its members
already restored): a wrapped value restored, any other object given back as it is, an
unregistered ``_type_`` refused with ``TranscodingNotRegisteredError``."""


class OriginatorsMoved(Exception):
    """Aggregates an insert expected at the versions it was given had newer events: the
    insert was undone."""

    def __init__(self, originator_ids: list[UUID]) -> None:
        super().__init__(f"changed since they were read: {originator_ids}")
        self.originator_ids = originator_ids


class RecorderWithInsertHook:
    """What both recorders below add to the library's: the hook, and the expectation
    (``expecting``) checked in an insert's transaction."""

    _expected: threading.local

    @contextmanager
    def expecting(self, unchanged: Mapping[UUID, int]) -> Iterator[None]:
        """Within, this thread's inserts store nothing (``OriginatorsMoved``) if one of
        the aggregates ``unchanged`` names has an event above the version it gives."""
        self._expected.versions = unchanged
        try:
            yield
        finally:
            self._expected.versions = None

    def expected(self) -> tuple[list[UUID], list[int]]:
        """This thread's expectation: the aggregates and their versions (none: [])."""
        unchanged: Mapping[UUID, int] | None = getattr(self._expected, "versions", None)
        return list(unchanged or ()), list((unchanged or {}).values())


class SQLiteRecorderWithInsertHook(RecorderWithInsertHook, SQLiteApplicationRecorder):
    """The library's SQLite application recorder, telling ``events_inserted`` of each
    insert, within its transaction, and checking the thread's expectation there."""

    def __init__(self, datastore: Any, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name)
        self._expected = threading.local()
        self._last_converted: tuple[str, UUID | str] = ("", "")
        pool = datastore.pool
        path = turns_path(pool.db_name)
        self._turns = None if path is None else WriterTurns(
            path, pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert, in this writer's turn (``infrastructure.writer_turns``)."""
        if self._turns is None:
            return super().insert_events(stored_events, **kwargs)
        try:
            with self._turns.turn():
                return super().insert_events(stored_events, **kwargs)
        except sqlite3.OperationalError as locked:  # no turn came: as SQLite's own wait
            raise OperationalError(locked) from locked

    def turn_taken(self) -> bool:
        """Whether another writer has the turn now (``WriterTurns.taken``)."""
        return self._turns is not None and self._turns.taken()

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        """The library's, parsed once for the rows of one aggregate in turn: its
        ``select_events`` parses the id of every row, a dozen times the same (a tenth of
        reading a person). The last one is kept as one tuple, replaced whole."""
        raw, converted = self._last_converted
        if raw != originator_id:
            converted = super().convert_originator_id(originator_id)
            self._last_converted = (originator_id, converted)
        return converted

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        assert ids is not None
        originators, versions = self.expected()
        if originators:  # after the writes: SQLite's one writer lock is held
            # Joined from the list, as the chain's lookup is: searched by the table's key.
            pairs = ", ".join(["(?, ?)"] * len(originators))
            c.execute(f"WITH expected(o, v) AS (VALUES {pairs}) SELECT o FROM expected "
                      f"WHERE EXISTS (SELECT 1 FROM {self.events_table_name} e "
                      "WHERE e.originator_id = expected.o AND e.originator_version > expected.v)",
                      [value for pair in zip((o.hex for o in originators), versions,
                                             strict=True) for value in pair])
            if moved := [UUID(row[0]) for row in c.fetchall()]:
                raise OriginatorsMoved(moved)
        self.events_inserted(c, stored_events, ids)
        return ids

    def events_inserted(self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent],
                        notification_ids: Sequence[int]) -> None:
        """Events just inserted with ``cursor``, uncommitted, and the notification ids
        they were given, in the same order. An exception here undoes the insert."""


class PostgresRecorderWithInsertHook(RecorderWithInsertHook, PostgresApplicationRecorder):
    """The library's PostgreSQL application recorder, telling ``events_inserted`` of each
    insert, within its transaction and with the events table still locked, and checking
    the thread's expectation there; its writes and reads tried once (twice if the
    connection itself failed), never ten times."""

    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._expected = threading.local()
        self._select_moved = SQL(
            "SELECT o FROM unnest(%s::uuid[], %s::bigint[]) AS expected(o, v) "
            "WHERE EXISTS (SELECT 1 FROM {0}.{1} e WHERE e.originator_id = expected.o "
            "AND e.originator_version > expected.v)",
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        self._unqueued = threading.local()
        """``on`` while an insert is given again without the chain's queued reads."""
        # The LOCK TABLE alone: the session's lock_timeout bounds its wait.
        self.lock_table_statements = [
            statement for statement in self.lock_table_statements
            if "lock_timeout" not in getattr(statement, "as_string", lambda: "")()]

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        insert = PostgresApplicationRecorder.insert_events.__wrapped__
        try:
            ids: Sequence[int] | None = _once_more_if_disconnected(
                self.datastore.pool, lambda: insert(self, stored_events, **kwargs))
        except _HookFailed as failed:
            raise failed.error from None
        except OperationalError as error:
            if not isinstance(error.__cause__, psycopg.errors.PipelineAborted):
                raise
        else:
            return ids
        # A statement of the insert failed (a version already stored: a concurrent change)
        # and the chain's reads queued behind it made the pipeline's exit raise in place
        # of the library's own error. The transaction rolled back: the insert is given
        # again without queued reads — outside the handler, so that what it raises (an
        # IntegrityError for a conflict) does not carry the abort as its context — and
        # ends with the library's error, or goes through if the failure has passed.
        self._unqueued.on = True
        try:
            ids = insert(self, stored_events, **kwargs)
        except _HookFailed as failed:
            raise failed.error from None
        finally:
            self._unqueued.on = False
        return ids

    def select_events(self, originator_id: UUID | str, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        select = PostgresApplicationRecorder.select_events.__wrapped__
        found: Sequence[StoredEvent] = _once_more_if_disconnected(
            self.datastore.pool,
            lambda: select(self, originator_id, gt=gt, lte=lte, desc=desc, limit=limit))
        return found

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *,
                             inclusive_of_start: bool = True) -> Sequence[Notification]:
        select = PostgresApplicationRecorder.select_notifications.__wrapped__
        found: Sequence[Notification] = _once_more_if_disconnected(
            self.datastore.pool,
            lambda: select(self, start, limit, stop, topics,
                           inclusive_of_start=inclusive_of_start))
        return found

    def max_notification_id(self) -> int | None:
        highest = PostgresApplicationRecorder.max_notification_id.__wrapped__
        found: int | None = _once_more_if_disconnected(self.datastore.pool,
                                                       lambda: highest(self))
        return found

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> None:
        super()._insert_stored_events(curs, stored_events, **kwargs)
        if not getattr(self._unqueued, "on", False):
            originators, versions = self.expected()
            if originators:  # queued behind the lock and the INSERT, as the chain's reads
                moved = curs.connection.cursor()
                moved.execute(self._select_moved, (originators, versions), prepare=True)
                self._expected.queued = (curs, moved)
            self.insert_queued(curs, stored_events)

    def insert_queued(self, cursor: Cursor[DictRow],
                      stored_events: Sequence[StoredEvent]) -> None:
        """The library's LOCK TABLE, NOTIFY and INSERT of ``stored_events`` are queued in
        its pipeline with ``cursor``, not yet sent: statements executed here on other
        cursors of ``cursor.connection`` run inside the transaction, after the lock, and
        their rows come back with the INSERT's (no round trip of their own)."""

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        assert ids is not None
        try:
            self._check_expected(curs)
            self.events_inserted(curs, stored_events, ids)
        except Exception as error:
            # The library holds an ``Exception`` raised here until its transaction block
            # has committed; this one passes through the block, which rolls back.
            raise _HookFailed(error) from error
        return ids

    def _check_expected(self, curs: Cursor[DictRow]) -> None:
        """Raise ``OriginatorsMoved`` if the thread's expectation does not hold, read by
        the query queued for this insert (or now, with the table still locked)."""
        queued_by, moved = self._expected.__dict__.pop("queued", (None, None))
        originators, versions = self.expected()
        if not originators:
            return
        if queued_by is not curs or moved is None:
            moved = curs.connection.cursor()
            moved.execute(self._select_moved, (originators, versions), prepare=True)
        if found := [row["o"] for row in moved.fetchall()]:
            raise OriginatorsMoved(found)

    def events_inserted(self, cursor: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                        notification_ids: Sequence[int]) -> None:
        """Events just inserted with ``cursor``, uncommitted, and the notification ids
        they were given, in the same order. Whatever fails here, a statement or Python,
        undoes the insert, and the caller gets its exception."""


T = TypeVar("T")


def _once_more_if_disconnected(pool: Any, call: Callable[[], T]) -> T:
    """``call()``, given once more if the connection failed (the server closed a pooled
    connection: after a restart, every idle one), once the pool has checked its idle
    connections and replaced those that are closed (``ConnectionPool.check``). A lock or
    statement timeout, a refused connection or a full pool is not tried again: the caller
    hears of it at once."""
    try:
        return call()
    except (InterfaceError, OperationalError) as error:
        if not _connection_lost(error):
            raise
    pool.check()
    return call()


def _connection_lost(error: BaseException) -> bool:
    cause = error.__cause__
    if isinstance(cause, psycopg.errors.ConnectionTimeout | psycopg.errors.ConnectionFailure):
        return False  # the pool found no connection in time, or none could be made
    if isinstance(cause, psycopg.InterfaceError | psycopg.errors.AdminShutdown
                  | psycopg.errors.CrashShutdown):
        return True  # closed, or ended by the server (a restart, a pooler's idle timeout)
    return isinstance(cause, psycopg.OperationalError) and cause.sqlstate is None \
        and "connection" in str(cause).lower() and "closed" in str(cause).lower()


CONNECTION_PARAMETERS = "POSTGRES_CONNECTION_PARAMETERS"
"""Laurel's own key of the event store's environment: a JSON object of libpq parameters
for every connection (``Settings.connection_parameters``)."""


class LaurelPostgresFactory(PostgresFactory):
    """The library's PostgreSQL persistence, each connection opened with the parameters
    of ``CONNECTION_PARAMETERS`` too (``sslmode``, ``options`` with the lock and
    statement timeouts, ``connect_timeout``…), selected by ``PERSISTENCE_MODULE``."""

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        parameters = json.loads(env.get(CONNECTION_PARAMETERS) or "{}")
        kwargs = self.datastore.pool.kwargs
        assert isinstance(kwargs, dict)
        kwargs.update(parameters)


STATEMENTS_CACHED = 64
"""Compiled statements each SQLite connection of the event store keeps: every statement
of a save (the inserts, the chain's reads and link, the check of the people read) and of
a load, with room to spare."""


class StatementCachingSQLitePool(SQLiteConnectionPool):
    """The library's SQLite connection pool, each connection keeping ``STATEMENTS_CACHED``
    compiled statements. The library opens them with ``cached_statements=True``, which
    ``sqlite3`` takes as a cache of one statement: each statement of a save was compiled
    again every time (about 80 µs of a proposal, measured). Otherwise the library's own
    ``_create_connection``, as it stands in 9.5: its WAL mode, row factory, lock
    timeout and ``SQLiteConnection``."""

    def _create_connection(self) -> SQLiteConnection:
        try:
            c = sqlite3.connect(database=self.db_name, uri=True, check_same_thread=False,
                                isolation_level=None, cached_statements=STATEMENTS_CACHED,
                                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)
        except (sqlite3.Error, TypeError) as error:
            raise InterfaceError(error) from error
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            cursor = c.cursor()
            cursor.execute("PRAGMA journal_mode;")
            if cursor.fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=self.max_age)


class LaurelSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence, its connections from a
    ``StatementCachingSQLitePool``, selected by ``PERSISTENCE_MODULE``."""

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        library = self.datastore.pool
        self.datastore.pool = StatementCachingSQLitePool(
            db_name=library.db_name, lock_timeout=library.lock_timeout,
            pool_size=library.pool_size, max_overflow=library.max_overflow,
            pool_timeout=library.pool_timeout, max_age=library.max_age,
            pre_ping=library.pre_ping)
        library.close()


class _HookFailed(BaseException):
    """Carries an exception of the insert hook out of the library's transaction block,
    which holds back any ``Exception`` until it has committed."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error
