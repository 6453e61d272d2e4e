"""The rows one batch of events touches: read once, changed in memory, written once.

Applying events one SQL statement at a time caps a rebuild near 2,000 events/s, most
of it spent building statements. So the read-model updaters work on plain dicts: a
batch loads the rows of the nominations it concerns with one query per table, the
updaters fold the events into them, and ``flush`` writes each table with one
``executemany`` per shape of change (inserts, then updates grouped by the columns they
set).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    Insert,
    Table,
    Update,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from projections.events import to_json
from projections.tables import history, nominations, tasks

Row = dict[str, Any]
NOMINATION_COLUMNS_READ = ("id", "status", "objections_pending", "award_code", "nominee_name",
                           "route", "notice_until")
TASK_COLUMNS_READ = ("id", "nomination_id", "status")
"""What the updaters read of a row already stored (see ``PendingTable.load``)."""
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

    def flush(self, conn: Connection) -> None:
        if self._new:
            bulk_insert(conn, self.table, [self.rows[key] for key in self._new])
        for columns, keys in self._updates():
            statement = update(self.table).where(self.table.c.id == bindparam("row_id"))
            execute_many(conn, statement, [
                {"row_id": key, **{name: self.rows[key][name] for name in columns}}
                for key in keys
            ])
        self._new.clear()
        self._changed.clear()

    def _updates(self) -> Iterator[tuple[tuple[str, ...], list[str]]]:
        shapes: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, columns in self._changed.items():
            shapes[tuple(sorted(columns))].append(key)
        yield from shapes.items()


class PendingRows:
    """Every read model's rows for one batch; ``history`` rows are only ever appended."""

    def __init__(self) -> None:
        self.nominations = PendingTable(nominations, NOMINATION_COLUMNS_READ)
        self.tasks = PendingTable(tasks, TASK_COLUMNS_READ)
        self.history: list[Row] = []
        self._tasks_of: dict[str, list[Row]] = defaultdict(list)

    def load(self, conn: Connection, nomination_ids: Iterable[str]) -> None:
        ids = list(dict.fromkeys(nomination_ids))
        self.nominations.load(conn, "id", ids)
        for task in self.tasks.load(conn, "nomination_id", ids):
            self._tasks_of[task["nomination_id"]].append(task)

    def add_task(self, **values: Any) -> None:
        task = self.tasks.add(**values)
        self._tasks_of[task["nomination_id"]].append(task)

    def tasks_of(self, nomination_id: str) -> list[Row]:
        return self._tasks_of[nomination_id]

    def flush(self, conn: Connection) -> None:
        self.nominations.flush(conn)
        self.tasks.flush(conn)
        if self.history:
            bulk_insert(conn, history, self.history)
            self.history.clear()


def bulk_insert(conn: Connection, table: Table, rows: list[Row]) -> None:
    """Insert many rows: ``COPY`` on PostgreSQL (about 2.5x a batched INSERT there),
    ``execute_many`` elsewhere."""
    if conn.dialect.name != "postgresql":
        execute_many(conn, insert(table), rows)
        return
    names = [column.name for column in table.c]
    as_json = {column.name for column in table.c if isinstance(column.type, JSON)}
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    copy_rows = f"COPY {_qualified_name(conn, table)} ({', '.join(names)}) FROM STDIN"
    with cursor.copy(copy_rows) as copy:
        for row in rows:
            copy.write_row([
                to_json(row[name]) if name in as_json and row[name] is not None else row[name]
                for name in names
            ])


def _qualified_name(conn: Connection, table: Table) -> str:
    """The table's name as SQLAlchemy would render it here, honouring a schema translation
    (``projections verify`` builds its scratch copy in a schema of its own)."""
    translate = conn.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema, table.schema)
    quote = conn.dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)


def execute_many(conn: Connection, statement: Insert | Update, rows: list[Row]) -> None:
    """Run ``statement`` once per row (every row has the same keys).

    On SQLite, straight on the driver's ``executemany`` (in the connection's transaction),
    each value converted by its column's own bind processor: what SQLAlchemy does, less
    its per-row bookkeeping (a fifth of a rebuild's time).
    """
    if conn.dialect.name != "sqlite":
        conn.execute(statement, rows)
        return
    compiled = statement.compile(dialect=conn.dialect, column_keys=list(rows[0]))
    columns = statement.table.c
    names = list(compiled.positiontup or ())
    converters = [
        (i, convert) for i, name in enumerate(names) if name in columns
        and (convert := columns[name].type.dialect_impl(conn.dialect)
             .bind_processor(conn.dialect)) is not None
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
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(compiled.string, params)
    finally:
        cursor.close()
