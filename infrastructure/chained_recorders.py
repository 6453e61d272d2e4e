"""Tamper-evident event stores: the library's recorders, plus a hash chain per event.

In the same transaction that stores events, each one gets a row in ``<events>_chain``:

- ``event_hash``: SHA-256 of the event as stored (originator, version, topic, state);
- ``nomination_hash``: the hash of the nomination's previous link (its event of the
  highest lower version) and this event;
- ``chain_hash``: the hash of the previous notification's link, this position and event.

Inserts are already serialised (SQLite's single writer; the PostgreSQL recorder's table
lock), so "the previous link" is well defined. ``infrastructure.audit_chain`` walks both chains.
The application selects these classes with ``APPLICATION_RECORDER_TOPIC``. The
links are written from a hook of the library's recorders that it names privately
(``infrastructure.eventsourcing_internals``, the bases of the classes here).

They also read the log in parts (``select_notifications_of_part``), for a rebuild shared
among processes: each part is the nominations whose id ends in certain hex digits.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.sqlite import SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from infrastructure.eventsourcing_internals import (
    PostgresRecorderWithInsertHook,
    SQLiteRecorderWithInsertHook,
)

GENESIS = bytes(32)
FIRST_VERSION = 1
"""A nomination's versions run 1, 2, 3… with no gap: its previous link is the event one
version lower, found through the events table's own key (originator, version). No index
of the chain by originator is kept: it was one more B-tree keyed by random ids for every
save to update, and a proposal (version 1) needs no lookup at all."""
UNUSED_INDEX = "DROP INDEX IF EXISTS {index}"
"""The chain's index by originator, which stores made before the lookup above kept."""


PART_DIGITS = 16
"""A nomination's part of the log: the last hex digit of its id (0-15), modulo the number
of parts. Random ids spread evenly over the digits; at most 16 parts."""


def part_of(originator_id: UUID, parts: int) -> int:
    """The part of the log a nomination's events fall in (what the SQL below selects)."""
    return (originator_id.int % PART_DIGITS) % parts


@dataclass(frozen=True)
class Link:
    notification_id: int
    originator_id: str
    originator_version: int
    event_hash: bytes
    nomination_hash: bytes
    chain_hash: bytes


def originator_key(originator_id: UUID | str) -> str:
    """An originator id as the chain stores it (a UUID as hex, as the library does)."""
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def event_hash(originator_id: UUID | str, version: int, topic: str, state: bytes) -> bytes:
    head = f"{originator_key(originator_id)}\x1f{version}\x1f{topic}\x1f".encode()
    return hashlib.sha256(head + bytes(state)).digest()


def next_nomination_hash(previous: bytes, event: bytes) -> bytes:
    return hashlib.sha256(previous + event).digest()


def next_chain_hash(previous: bytes, notification_id: int, event: bytes) -> bytes:
    return hashlib.sha256(previous + notification_id.to_bytes(8, "big") + event).digest()


class ChainedRecorder(Protocol):
    def select_links(self, after: int, limit: int) -> list[Link]: ...


def earlier_versions(stored: Sequence[StoredEvent]) -> dict[str, int]:
    """Per nomination saved after its first event: the version whose link the first of
    the new events continues (all of a group's nominations, looked up in one query)."""
    wanted: dict[str, int] = {}
    for event in stored:
        key = originator_key(event.originator_id)
        if key not in wanted:
            wanted[key] = event.originator_version - 1
    return {key: version for key, version in wanted.items() if version >= FIRST_VERSION}


def _links(
    stored: Sequence[StoredEvent], ids: Sequence[int], last_chain: bytes,
    previous: dict[str, bytes],
) -> list[Link]:
    """The links of newly stored events, continuing both chains. ``previous``: each
    nomination's last stored link (none for a new nomination)."""
    links: list[Link] = []
    latest = dict(previous)
    for event, notification_id in zip(stored, ids, strict=True):
        oid = event.originator_id
        key = originator_key(oid)
        own = event_hash(oid, event.originator_version, event.topic, event.state)
        nomination = next_nomination_hash(latest.get(key, GENESIS), own)
        last_chain = next_chain_hash(last_chain, notification_id, own)
        latest[key] = nomination
        links.append(Link(notification_id, key, event.originator_version, own, nomination,
                          last_chain))
    return links


class ChainedSQLiteApplicationRecorder(SQLiteRecorderWithInsertHook):
    def __init__(self, datastore: Any, events_table_name: str = "stored_events") -> None:
        self.chain_table = f"{events_table_name}_chain"  # before super() builds the DDL
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), (
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} ("
            "notification_id INTEGER PRIMARY KEY, originator_id TEXT NOT NULL, "
            "originator_version INTEGER NOT NULL, event_hash BLOB NOT NULL, "
            "nomination_hash BLOB NOT NULL, chain_hash BLOB NOT NULL)"
        ), UNUSED_INDEX.format(index=f"{self.chain_table}_nomination")]

    def events_inserted(self, cursor: SQLiteCursor, stored_events: Sequence[StoredEvent],
                        notification_ids: Sequence[int]) -> None:
        cursor.execute(f"SELECT chain_hash FROM {self.chain_table} "
                       "ORDER BY notification_id DESC LIMIT 1")
        row = cursor.fetchone()
        previous: dict[str, bytes] = {}
        if wanted := earlier_versions(stored_events):
            # Joined from the list, not ``IN (VALUES …)``: SQLite scans the whole events
            # table for a row-value IN, and searches its key for each row of a join.
            pairs = ", ".join(["(?, ?)"] * len(wanted))
            cursor.execute(f"WITH wanted(o, v) AS (VALUES {pairs}) "
                           "SELECT e.originator_id, c.nomination_hash FROM wanted "
                           f"JOIN {self.events_table_name} e "
                           "ON e.originator_id = wanted.o AND e.originator_version = wanted.v "
                           f"JOIN {self.chain_table} c ON c.notification_id = e.rowid",
                           [value for pair in wanted.items() for value in pair])
            previous = {str(r[0]): bytes(r[1]) for r in cursor.fetchall()}
        links = _links(stored_events, notification_ids, bytes(row[0]) if row else GENESIS,
                       previous)
        cursor.executemany(
            f"INSERT INTO {self.chain_table} VALUES (?, ?, ?, ?, ?, ?)",
            [(k.notification_id, k.originator_id, k.originator_version, k.event_hash,
              k.nomination_hash, k.chain_hash) for k in links],
        )

    def select_notifications_of_part(self, start: int, stop: int, limit: int, part: int,
                                     parts: int) -> list[Notification]:
        """Up to ``limit`` notifications from ``start`` to ``stop`` of the nominations in
        ``part`` of ``parts`` (see ``part_of``)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT rowid, originator_id, originator_version, topic, state "
                      f"FROM {self.events_table_name} WHERE rowid >= ? AND rowid <= ? "
                      "AND (instr('0123456789abcdef', lower(substr(originator_id, -1))) - 1)"
                      " % ? = ? ORDER BY rowid LIMIT ?", (start, stop, parts, part, limit))
            rows = c.fetchall()
            # Each nomination's id parsed once: it has a dozen events, and a rebuild reads
            # them all (parsing a UUID per row was a twentieth of reading).
            ids = {raw: self.convert_originator_id(raw) for raw in {r[1] for r in rows}}
            return [Notification(id=r[0], originator_id=ids[r[1]], originator_version=r[2],
                                 topic=r[3], state=r[4])
                    for r in rows]

    def select_links(self, after: int, limit: int) -> list[Link]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM {self.chain_table} WHERE notification_id > ? "
                      "ORDER BY notification_id LIMIT ?", (after, limit))
            return [Link(r[0], r[1], r[2], bytes(r[3]), bytes(r[4]), bytes(r[5]))
                    for r in c.fetchall()]


class ChainedPostgresApplicationRecorder(PostgresRecorderWithInsertHook):
    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        self.chain_table = f"{events_table_name}_chain"
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.append(SQL(
            "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
            "notification_id bigint PRIMARY KEY, originator_id text NOT NULL, "
            "originator_version bigint NOT NULL, event_hash bytea NOT NULL, "
            "nomination_hash bytea NOT NULL, chain_hash bytea NOT NULL)"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.chain_table)))
        self.sql_create_statements.append(SQL(UNUSED_INDEX).format(
            index=Identifier(self.datastore.schema, f"{self.chain_table}_nomination")))

        table = SQL("{0}.{1}").format(Identifier(self.datastore.schema),
                                      Identifier(self.chain_table))
        self._select_last_chain = SQL(
            "SELECT chain_hash FROM {0} ORDER BY notification_id DESC LIMIT 1").format(table)
        self._select_previous = SQL(
            "SELECT e.originator_id, c.nomination_hash "
            "FROM unnest(%s::uuid[], %s::bigint[]) AS wanted(o, v) "
            "JOIN {0}.{1} e ON e.originator_id = wanted.o AND e.originator_version = wanted.v "
            "JOIN {2} c ON c.notification_id = e.notification_id",
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name), table)
        self._insert_links = SQL("INSERT INTO {0} VALUES (%s, %s, %s, %s, %s, %s)").format(
            table)
        self._queued = threading.local()
        """This thread's reads queued behind its insert (``_insert_stored_events``)."""
        self._select_links = SQL(
            "SELECT * FROM {0} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
        ).format(table)

    def insert_queued(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]) -> None:
        """Queued behind the library's LOCK TABLE, NOTIFY and INSERT in the same pipeline
        (inside the transaction, after the lock): the reads of the chain's last link and
        of each nomination's previous link. The library's sync after the INSERT brings
        their rows in the same round trip; ``events_inserted`` takes them without one of
        its own while the table is locked."""
        last = curs.connection.cursor()
        last.execute(self._select_last_chain, prepare=True)
        earlier = None
        if wanted := earlier_versions(stored_events):
            earlier = curs.connection.cursor()
            earlier.execute(self._select_previous,
                            ([UUID(key) for key in wanted], list(wanted.values())),
                            prepare=True)
        self._queued.reads = (curs, last, earlier)

    def events_inserted(self, cursor: Cursor[DictRow], stored_events: Sequence[StoredEvent],
                        notification_ids: Sequence[int]) -> None:
        # Still inside the insert's transaction, with the events table locked.
        queued_by, last, earlier = self._queued.__dict__.pop("reads", (None, None, None))
        if queued_by is not cursor:  # not queued for this insert: read them now
            earlier = None
            last = cursor
            last.execute(self._select_last_chain, prepare=True)
            if wanted := earlier_versions(stored_events):
                earlier = cursor.connection.cursor()
                earlier.execute(self._select_previous,
                                ([UUID(key) for key in wanted], list(wanted.values())),
                                prepare=True)
        row = last.fetchone()
        previous: dict[str, bytes] = {}
        if earlier is not None:
            previous = {originator_key(r["originator_id"]): bytes(r["nomination_hash"])
                        for r in earlier.fetchall()}
        links = _links(stored_events, notification_ids,
                       bytes(row["chain_hash"]) if row else GENESIS, previous)
        cursor.executemany(
            self._insert_links,
            [(k.notification_id, k.originator_id, k.originator_version, k.event_hash,
              k.nomination_hash, k.chain_hash) for k in links],
        )

    def select_notifications_of_part(self, start: int, stop: int, limit: int, part: int,
                                     parts: int) -> list[Notification]:
        """As the SQLite recorder's: the part's notifications, filtered by the server."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(SQL("SELECT notification_id, originator_id, originator_version, "
                             "topic, state FROM {0}.{1} WHERE notification_id >= %s "
                             "AND notification_id <= %s "
                             "AND (get_byte(uuid_send(originator_id), 15) & 15) %% %s = %s "
                             "ORDER BY notification_id LIMIT %s")
                         .format(Identifier(self.datastore.schema),
                                 Identifier(self.events_table_name)),
                         (start, stop, parts, part, limit))
            return [Notification(id=r["notification_id"], originator_id=r["originator_id"],
                                 originator_version=r["originator_version"], topic=r["topic"],
                                 state=bytes(r["state"])) for r in curs.fetchall()]

    def select_links(self, after: int, limit: int) -> list[Link]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select_links, (after, limit))
            return [Link(r["notification_id"], r["originator_id"], r["originator_version"],
                         bytes(r["event_hash"]), bytes(r["nomination_hash"]),
                         bytes(r["chain_hash"])) for r in curs.fetchall()]
