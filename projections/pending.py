"""The rows one batch of events touches: read once, changed in memory, written once.

Applying events one SQL statement at a time caps a rebuild near 2,000 events/s, most
of it spent building statements. So the read-model updaters work on plain dicts: a
batch loads the rows of the nominations it concerns with one query per table, the
updaters fold the events into them, and ``flush`` writes each table with one
``executemany`` per shape of change (inserts, then updates grouped by the columns they
set).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    Delete,
    Insert,
    Table,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

from domain.vocabulary import TaskStatus
from infrastructure.database import to_json
from infrastructure.sqlalchemy_internals import (
    driver_copy,
    driver_executemany,
    is_default_sqlite_datetime,
)
from projections import search
from projections.tables import history, nominations, search_terms, task_terms, tasks

Row = dict[str, Any]
Write = Callable[[], None]
"""A statement with its parameters made, to run in the batch's transaction."""
NOMINATION_COLUMNS_READ = ("id", "status", "objections_pending", "award_code", "nominee_name",
                           "route", "notice_until", "tracking_code", "unit_id", "proposed_at",
                           "approvals", "override_reason", "inside_level")
TASK_COLUMNS_READ = ("id", "nomination_id", "status", "unit_id")
"""What the updaters read of a row already stored (see ``PendingTable.load``); a task's
unit, to take its terms out of ``task_terms`` when it closes."""
_TERM_KEY = itemgetter("unit_id", "term", "nomination_id")
_TASK_TERM_KEY = itemgetter("unit_id", "term", "task_id")
_FORGET_TASK_TERM = delete(task_terms).where(
    task_terms.c.unit_id == bindparam("unit"), task_terms.c.term == bindparam("term_"),
    task_terms.c.task_id == bindparam("task"))
_CHUNK = 500
"""Keys per ``IN (...)`` query."""
_literal_keys: BindParameter[str] = bindparam("keys", expanding=True, literal_execute=True)
"""The keys written into the query's text, not sent as parameters: each query is then
planned for its own keys. As parameters, PostgreSQL would settle after five runs on a
generic plan, and one made while a rebuilt table was still small scans it whole for each
query (a second rebuild in one process took 1.9 s instead of 0.3 s to load its rows)."""


class PendingTable:
    """One table's rows touched by a batch, keyed by primary key (a string ``id``)."""

    def __init__(self, table: Table, read: tuple[str, ...]) -> None:
        self.table = table
        self._read = [table.c[name] for name in read]
        self.rows: dict[str, Row] = {}
        self._new: dict[str, None] = {}  # insertion-ordered set
        self._changed: dict[str, set[str]] = defaultdict(set)
        self._blank = {column.name: None for column in table.c}

    def load(self, conn: Connection, column: str, keys: Iterable[str]) -> list[Row]:
        """Read the rows whose ``column`` is one of ``keys`` (rows already held are kept).

        Only the columns the updaters read are fetched: decoding the rest would cost more
        than folding the events, and a change writes only the columns it sets.
        """
        found: list[Row] = []
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            query = select(*self._read).where(self.table.c[column].in_(_literal_keys))
            for row in conn.execute(query, {"keys": chunk}).mappings():
                key = row["id"]
                if key not in self.rows:
                    self.rows[key] = dict(row)
                found.append(self.rows[key])
        return found

    def add(self, **values: Any) -> Row:
        row = {**self._blank, **values}
        self.rows[row["id"]] = row
        self._new[row["id"]] = None
        return row

    def get(self, key: str) -> Row | None:
        return self.rows.get(key)

    def change(self, row: Row, **values: Any) -> None:
        row.update(values)
        if row["id"] not in self._new:
            self._changed[row["id"]].update(values)

    def writes(self, conn: Connection) -> list[Write]:
        """The statements that store this batch's new and changed rows, ready to run."""
        writes = []
        if self._new:
            writes.append(prepare_insert(conn, self.table, [self.rows[key] for key in self._new]))
        for columns, keys in self._updates():
            statement = update(self.table).where(self.table.c.id == bindparam("row_id"))
            writes.append(prepare_many(conn, statement, [
                {"row_id": key, **{name: self.rows[key][name] for name in columns}}
                for key in keys
            ]))
        self._new.clear()
        self._changed.clear()
        return writes

    def new_rows(self) -> list[Row]:
        """The rows added since the last ``writes``."""
        return [self.rows[key] for key in self._new]

    def changed_rows(self, column: str) -> list[Row]:
        """The rows stored before whose ``column`` changed since the last ``writes``."""
        return [self.rows[key] for key, columns in self._changed.items() if column in columns]

    def _updates(self) -> Iterator[tuple[tuple[str, ...], list[str]]]:
        shapes: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, columns in self._changed.items():
            shapes[tuple(sorted(columns))].append(key)
        yield from shapes.items()


class PendingRows:
    """Every read model's rows for a batch or two; ``history`` and ``search_terms`` rows
    are only ever appended (a nomination's terms are made once each: ``projections.search``
    leaves out those it has already). ``task_terms`` follow the tasks as they are written:
    a task written open brings its terms, a stored one written closed takes them away (a
    task opened and closed within the rows never has any)."""

    def __init__(self) -> None:
        self.nominations = PendingTable(nominations, NOMINATION_COLUMNS_READ)
        self.tasks = PendingTable(tasks, TASK_COLUMNS_READ)
        self.history: list[Row] = []
        self.search_terms: list[Row] = []
        self._tasks_of: dict[str, list[Row]] = defaultdict(list)
        self._looked_up: set[str] = set()

    def load(self, conn: Connection, nomination_ids: Iterable[str]) -> None:
        """Read the stored rows of the nominations not held already (held: read before,
        or proposed in these rows)."""
        ids = [key for key in dict.fromkeys(nomination_ids)
               if key not in self._looked_up and key not in self.nominations.rows]
        self._looked_up.update(ids)
        self.nominations.load(conn, "id", ids)
        for task in self.tasks.load(conn, "nomination_id", ids):
            self._tasks_of[task["nomination_id"]].append(task)

    def add_task(self, **values: Any) -> None:
        task = self.tasks.add(**values)
        self._tasks_of[task["nomination_id"]].append(task)

    def tasks_of(self, nomination_id: str) -> list[Row]:
        return self._tasks_of[nomination_id]

    def writes(self, conn: Connection) -> list[Write]:
        """The statements that store every table's new and changed rows, ready to run.
        Their parameters are made before the first one runs: on SQLite the first write
        takes the database's lock, which the other processes of a rebuild wait for, so
        while it is held nothing but writing is done."""
        opened, closed = self._task_terms()
        writes = [*self.nominations.writes(conn), *self.tasks.writes(conn)]
        if opened:
            opened.sort(key=_TASK_TERM_KEY)
            writes.append(prepare_insert(conn, task_terms, opened))
        if closed:
            writes.append(prepare_many(conn, _FORGET_TASK_TERM, closed))
        if self.history:
            writes.append(prepare_insert(conn, history, self.history))
            self.history = []
        if self.search_terms:  # in key order: neighbours in the B-tree written together
            self.search_terms.sort(key=_TERM_KEY)
            writes.append(prepare_insert(conn, search_terms, self.search_terms))
            self.search_terms = []
        return writes

    def _task_terms(self) -> tuple[list[Row], list[Row]]:
        """The ``task_terms`` rows of the tasks to be written open, and the keys of those
        of the stored tasks to be written closed (their terms made again from their
        nomination's name and code, which never change)."""
        opened: list[Row] = []
        for task in self.tasks.new_rows():
            if task["status"] == TaskStatus.OPEN:
                opened += [{"unit_id": task["unit_id"], "term": term, "task_id": task["id"],
                            "kind": task["kind"], "due_at": task["due_at"],
                            "shared_prefix": shared} for term, shared in self._terms_of(task)]
        closed = [{"unit": task["unit_id"], "term_": term, "task": task["id"]}
                  for task in self.tasks.changed_rows("status")
                  if task["status"] != TaskStatus.OPEN for term, _ in self._terms_of(task)]
        return opened, closed

    def _terms_of(self, task: Row) -> tuple[search.Term, ...]:
        nomination = self.nominations.rows[task["nomination_id"]]
        return search.task_terms(nomination["nominee_name"], nomination["tracking_code"])

    def flush(self, conn: Connection) -> None:
        for write in self.writes(conn):
            write()


def prepare_insert(conn: Connection, table: Table, rows: list[Row]) -> Write:
    """Insert many rows: ``COPY`` on PostgreSQL (about 2.5x a batched INSERT there; on
    the driver, ``infrastructure.sqlalchemy_internals``), ``prepare_many`` elsewhere."""
    if conn.dialect.name != "postgresql":
        return prepare_many(conn, insert(table), rows)
    names = [column.name for column in table.c]
    as_json = {column.name for column in table.c if isinstance(column.type, JSON)}
    copy_rows = f"COPY {_qualified_name(conn, table)} ({', '.join(names)}) FROM STDIN"

    def copy_in() -> None:  # PostgreSQL locks rows, not the database: made as it goes
        with driver_copy(conn, copy_rows) as copy:
            for row in rows:
                copy.write_row([
                    to_json(row[name]) if name in as_json and row[name] is not None
                    else row[name] for name in names
                ])

    return copy_in


def _qualified_name(conn: Connection, table: Table) -> str:
    """The table's name as SQLAlchemy would render it here, honouring a schema translation
    (``projections verify`` builds its scratch copy in a schema of its own)."""
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema, table.schema)
    quote = conn.dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)


def _sqlite_bind_processor(column_type: TypeEngine[Any], conn: Connection) -> Any:
    """The column's own bind processor, except for datetimes: SQLAlchemy formats them
    through a dict of seven fields (8 % of a rebuild); ``sqlite_datetime`` writes the
    same text in two thirds of the time."""
    impl = column_type.dialect_impl(conn.dialect)
    if is_default_sqlite_datetime(impl):
        return sqlite_datetime
    return impl.bind_processor(conn.dialect)


def sqlite_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite ``DATETIME`` stores it: its wall-clock time,
    ``YYYY-MM-DD HH:MM:SS.ffffff``, any offset left out."""
    return _utc_text(value) if value.tzinfo is UTC else _text(value)


def _text(value: datetime) -> str:
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 - the fastest form here
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond)


_utc_text = functools.lru_cache(maxsize=1 << 16)(_text)
"""Remembered: a nomination's moments recur across its rows (an event's time is its
history row's, its task's opening or closing, the nomination's last change): two in
three are found here in a rebuild. UTC only: equal datetimes at other offsets have
other wall-clock texts."""


def prepare_many(conn: Connection, statement: Insert | Update | Delete,
                 rows: list[Row]) -> Write:
    """``statement`` for each row (every row has the same keys), to run.

    On SQLite, straight on the driver's ``executemany`` (in the connection's transaction,
    ``infrastructure.sqlalchemy_internals``), each value converted now by its column's
    own bind processor: what SQLAlchemy does, less its per-row bookkeeping (a fifth of a
    rebuild's time).
    """
    if conn.dialect.name != "sqlite":
        def execute() -> None:
            conn.execute(statement, rows)

        return execute
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(rows[0]))
    columns = statement.table.c
    names = list(compiled.positiontup or ())
    converters = [
        (i, convert) for i, name in enumerate(names) if name in columns
        and (convert := _sqlite_bind_processor(columns[name].type, conn)) is not None
    ]
    take = itemgetter(*names)
    if len(names) == 1:
        params: list[Any] = [(take(row),) for row in rows]
    else:
        params = [list(take(row)) for row in rows]
    for values in params:
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])

    def run() -> None:
        driver_executemany(conn, compiled.string, params)

    return run
