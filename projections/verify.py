"""Verifying the read models: rebuild them aside from the events and compare row by row.

The live read models are read in one snapshot, at the projector's position stored in
that snapshot; the scratch copy is built by the same Projector from zero up to exactly
that position, so a projector running meanwhile (ahead of or behind the log) makes no
difference. The scratch copy lives in a file beside the live SQLite file, or in a
schema of its own in the live PostgreSQL database; it is removed afterwards, always.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, String, Table, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.sql.elements import ColumnElement

from infrastructure.database import make_engine, utc
from infrastructure.eventlog import EventLog
from infrastructure.positions import PROJECTOR, read_position
from projections.projector import Projector
from projections.read_models import READ_MODELS
from projections.schema import create_read_models

SCRATCH_SCHEMA_PREFIX = "laurel_verify_"
SCRATCH_FILE_MARK = ".verify-"
REPORTED_ROWS = 20
"""At most this many differing rows are described per table (all are counted)."""

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Difference:
    """One way a live row differs from the rebuilt one.

    ``missing``: the rebuild has the row, the live read model has not; ``extra``: the
    other way round; ``changed``: both have it, and ``column`` differs.
    """

    table: str
    key: dict[str, Any]
    kind: Literal["missing", "extra", "changed"]
    column: str | None = None
    live: Any = None
    rebuilt: Any = None

    def __str__(self) -> str:
        where = f"{self.table} " + ", ".join(f"{k}={v}" for k, v in self.key.items())
        if self.kind == "missing":
            return f"{where}: missing from the live read model (the rebuild has it)"
        if self.kind == "extra":
            return f"{where}: extra in the live read model (the rebuild has no such row)"
        return f"{where}: {self.column} is {_json(self.live)} live, {_json(self.rebuilt)} rebuilt"


@dataclass(frozen=True)
class TableResult:
    table: str
    live_rows: int
    rebuilt_rows: int
    live_digest: str
    rebuilt_digest: str
    missing: int
    extra: int
    changed: int
    differences: list[Difference] = field(default_factory=list)
    """Those of the first ``REPORTED_ROWS`` differing rows, in primary-key order."""

    @property
    def identical(self) -> bool:
        return self.live_digest == self.rebuilt_digest and not (
            self.missing or self.extra or self.changed
        )

    @property
    def summary(self) -> str:
        if self.identical:
            return "identical"
        counts = (("missing", self.missing), ("extra", self.extra), ("changed", self.changed))
        return ", ".join(f"{n} {what}" for what, n in counts if n) or "digests differ"


@dataclass(frozen=True)
class Report:
    position: int
    """The projector position both copies were compared at."""
    tables: list[TableResult]

    @property
    def identical(self) -> bool:
        return all(t.identical for t in self.tables)

    def table(self, name: str) -> TableResult:
        return next(t for t in self.tables if t.table == name)

    @property
    def differences(self) -> list[Difference]:
        return [d for t in self.tables for d in t.differences]

    def render(self) -> str:
        verdict = "identical to" if self.identical else "NOT identical to"
        wide = max(len("result"), *(len(t.summary) for t in self.tables))
        lines = [
            f"Read models at projector position {self.position}: {verdict} a rebuild "
            "from the events.",
            "",
            f"{'table':<12} {'live rows':>10} {'rebuilt rows':>13}  {'result':<{wide}}  sha256",
        ]
        for t in self.tables:
            head = f"{t.table:<12} {t.live_rows:>10} {t.rebuilt_rows:>13}  {t.summary:<{wide}}  "
            if t.live_digest == t.rebuilt_digest:
                lines.append(head + t.live_digest)
            else:
                lines.append(head + f"live    {t.live_digest}")
                lines.append(" " * len(head) + f"rebuilt {t.rebuilt_digest}")
        if not self.identical:
            lines += ["", "Differences (live vs rebuilt):"]
            for t in self.tables:
                lines += [f"  {d}" for d in t.differences]
                shown = len({_json(d.key) for d in t.differences})
                hidden = t.missing + t.extra + t.changed - shown
                if hidden > 0:
                    lines.append(f"  … and {hidden} more differing rows in {t.table}")
        return "\n".join(lines)


def scratch_url_for(live_url: str) -> str:
    """Where to rebuild: a new file beside a live SQLite file; the same PostgreSQL database."""
    url = make_url(live_url)
    if url.get_backend_name() != "sqlite":
        return live_url
    live = Path(url.database or "")
    name = f"{live.stem}{SCRATCH_FILE_MARK}{secrets.token_hex(6)}{live.suffix}"
    return url.set(database=str(live.with_name(name))).render_as_string(hide_password=False)


def verify_read_models(
    live: Engine,
    log: EventLog,
    scratch_url: str,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Rebuild the read models into ``scratch_url`` and compare them with the live ones.

    ``scratch_url`` is a SQLite file that must not exist yet (it is deleted afterwards),
    or a PostgreSQL database in which a scratch schema is created and dropped.
    ``progress`` is called with (done, total) events as the rebuild goes.
    """
    with _snapshot(live) as live_conn:
        position = _projector_position(live_conn)
        with _scratch(scratch_url) as scratch:
            create_read_models(scratch)
            Projector(scratch, log).catch_up(progress, through=position)
            with scratch.connect() as scratch_conn:
                tables = [_compare(table, live_conn, scratch_conn) for table in READ_MODELS]
    return Report(position, tables)


# -- the two copies ----------------------------------------------------------------------


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees the database as it was at its first read, throughout."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN")  # pysqlite starts no transaction for reads
            try:
                yield conn
            finally:
                conn.rollback()
        return
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        try:
            yield conn
        finally:
            conn.rollback()


def _projector_position(conn: Connection) -> int:
    return read_position(conn, PROJECTOR)


@contextmanager
def _scratch(url: str) -> Iterator[Engine]:
    """An empty place for the read models, removed on the way out."""
    if make_url(url).get_backend_name() == "sqlite":
        path = Path(make_url(url).database or "")
        if not path.name or path.exists():
            raise FileExistsError(f"the scratch database {path} must be a new file")
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()
            for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
        return
    schema = f"{SCRATCH_SCHEMA_PREFIX}{secrets.token_hex(6)}"
    base = make_engine(url)
    try:
        with base.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield base.execution_options(schema_translate_map={None: schema})
        finally:
            with base.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        base.dispose()


# -- comparing ---------------------------------------------------------------------------


class _Copy:
    """One copy of a table, read a row at a time in primary-key order, hashed as it goes."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.keys = [c.name for c in table.primary_key]
        self.rows = _rows(conn, table)
        self.digest = hashlib.sha256()
        self.count = 0
        self.row: dict[str, Any] | None = None
        self.key: Key = ()
        self.advance()

    def advance(self) -> None:
        self.row = next(self.rows, None)
        if self.row is not None:
            self.digest.update(_json(self.row).encode() + b"\n")
            self.count += 1
            self.key = tuple(self.row[k] for k in self.keys)

    def named_key(self) -> dict[str, Any]:
        return dict(zip(self.keys, self.key, strict=True))


def _compare(table: Table, live_conn: Connection, rebuilt_conn: Connection) -> TableResult:
    """Walk both copies in primary-key order at once, like a merge join."""
    live, rebuilt = _Copy(live_conn, table), _Copy(rebuilt_conn, table)
    counts = {"missing": 0, "extra": 0, "changed": 0}
    differences: list[Difference] = []
    while live.row is not None or rebuilt.row is not None:
        if live.row is not None and (rebuilt.row is None or live.key < rebuilt.key):
            found = [Difference(table.name, live.named_key(), "extra")]
            live.advance()
        elif rebuilt.row is not None and (live.row is None or rebuilt.key < live.key):
            found = [Difference(table.name, rebuilt.named_key(), "missing")]
            rebuilt.advance()
        else:
            assert live.row is not None and rebuilt.row is not None
            found = [
                Difference(table.name, live.named_key(), "changed", column, value,
                           rebuilt.row[column])
                for column, value in live.row.items()
                if value != rebuilt.row[column]
            ]
            live.advance()
            rebuilt.advance()
        if found:
            if sum(counts.values()) < REPORTED_ROWS:
                differences += found
            counts[found[0].kind] += 1
    return TableResult(
        table.name, live.count, rebuilt.count, live.digest.hexdigest(),
        rebuilt.digest.hexdigest(), counts["missing"], counts["extra"], counts["changed"],
        differences,
    )


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows as canonical values, in primary-key order as Python orders keys."""
    result = conn.execution_options(yield_per=500).execute(
        select(table).order_by(*(_bytewise(c, conn) for c in table.primary_key))
    )
    for row in result.mappings():
        yield {name: _canonical(value) for name, value in row.items()}


def _bytewise(column: ColumnElement[Any], conn: Connection) -> ColumnElement[Any]:
    """Order text by code point (SQLite does already) so the merge can compare keys."""
    if conn.dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column


def _canonical(value: Any) -> Any:
    """The same value whichever backend it came from: UTC ISO datetimes, plain JSON."""
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
