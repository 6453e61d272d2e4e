"""The proof of one stored event, for anyone to check: its hash, its link in the chain,
and the latest auditor-signed checkpoint the chain passes through after it.

``infrastructure.chained_recorders`` links each event to the one before it in the log
(``chain_hash = SHA-256(previous chain_hash ‖ position ‖ event_hash)``); an auditor signs
the head from time to time (``infrastructure.checkpoints``). An event at or before a
signed head cannot be changed without breaking that signature, so the public page shows
the event's own link and the checkpoint covering it; ``laurel audit verify`` walks the
chain between them. The event and its link are recomputed here, so the page never shows
a hash the stored event does not match.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from psycopg.sql import SQL, Identifier

from infrastructure.chained_recorders import (
    GENESIS,
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
    event_hash,
    next_chain_hash,
    originator_key,
)
from infrastructure.checkpoints import Checkpoint, load_checkpoints
from infrastructure.settings import Settings


@dataclass(frozen=True)
class EventProof:
    position: int
    """The event's place in the log (its notification id)."""
    event_hash: str
    previous_hash: str
    """The chain hash of the event before it in the log (zeros for the first)."""
    chain_hash: str
    intact: bool
    """The stored event hashes to ``event_hash``, and the link to ``chain_hash``."""


def event_proof(recorder: ApplicationRecorder, originator_id: UUID,
                version: int) -> EventProof | None:
    """The stored event ``version`` of ``originator_id`` and its link (None: no such
    event, or a store without a chain)."""
    if isinstance(recorder, ChainedSQLiteApplicationRecorder):
        row = _sqlite_row(recorder, originator_id, version)
    elif isinstance(recorder, ChainedPostgresApplicationRecorder):
        row = _postgres_row(recorder, originator_id, version)
    else:
        return None
    if row is None:
        return None
    position, topic, state, own, link, previous = row
    previous = bytes(previous) if previous is not None else GENESIS
    recomputed = event_hash(originator_id, version, topic, bytes(state))
    intact = (recomputed == bytes(own)
              and next_chain_hash(previous, position, recomputed) == bytes(link))
    return EventProof(position, bytes(own).hex(), previous.hex(), bytes(link).hex(), intact)


def _sqlite_row(recorder: ChainedSQLiteApplicationRecorder, originator_id: UUID,
                version: int) -> tuple[Any, ...] | None:
    chain, events = recorder.chain_table, recorder.events_table_name
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT e.rowid, e.topic, e.state, c.event_hash, c.chain_hash, "  # noqa: S608 - our table names
                  f"(SELECT p.chain_hash FROM {chain} p WHERE p.notification_id < e.rowid "
                  "ORDER BY p.notification_id DESC LIMIT 1) "
                  f"FROM {events} e JOIN {chain} c ON c.notification_id = e.rowid "
                  "WHERE e.originator_id = ? AND e.originator_version = ?",
                  (originator_key(originator_id), version))
        row = c.fetchone()
        return None if row is None else tuple(row)


def _postgres_row(recorder: ChainedPostgresApplicationRecorder, originator_id: UUID,
                  version: int) -> tuple[Any, ...] | None:
    schema = recorder.datastore.schema
    chain = SQL("{0}.{1}").format(Identifier(schema), Identifier(recorder.chain_table))
    events = SQL("{0}.{1}").format(Identifier(schema), Identifier(recorder.events_table_name))
    query = SQL(
        "SELECT e.notification_id, e.topic, e.state, c.event_hash, c.chain_hash, "
        "(SELECT p.chain_hash FROM {chain} p WHERE p.notification_id < e.notification_id "
        "ORDER BY p.notification_id DESC LIMIT 1) AS previous "
        "FROM {events} e JOIN {chain} c ON c.notification_id = e.notification_id "
        "WHERE e.originator_id = %s AND e.originator_version = %s",
    ).format(chain=chain, events=events)
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(query, (originator_id, version))
        row = curs.fetchone()
        if row is None:
            return None
        return (row["notification_id"], row["topic"], row["state"], row["event_hash"],
                row["chain_hash"], row["previous"])


def chain_hash_at(recorder: ApplicationRecorder, position: int) -> str | None:
    """The chain hash stored at ``position`` (None: none there)."""
    select_links = getattr(recorder, "select_links", None)
    if select_links is None:
        return None
    links = select_links(position - 1, 1)
    return links[0].chain_hash.hex() if links and links[0].notification_id == position else None


class SignedCheckpoints:
    """The auditor's checkpoints from the settings' files, their signatures checked,
    read again only when the file changes (the public page asks on every request)."""

    def __init__(self, settings: Settings) -> None:
        data = settings.data_dir
        self.file = settings.checkpoints_file or data / "checkpoints.jsonl"
        self.key = settings.auditor_public_key or data / "auditor.pub"
        self._lock = threading.Lock()
        self._seen: tuple[float, int, float] | None = None
        self._checkpoints: list[Checkpoint] = []
        self.problem = ""
        """Why no checkpoint could be read ("" when they were, or there are none)."""

    def covering(self, position: int) -> Checkpoint | None:
        """The latest signed checkpoint at or after ``position``."""
        found = [c for c in self._load() if c.position >= position]
        return max(found, key=lambda c: c.position) if found else None

    def _load(self) -> list[Checkpoint]:
        try:
            stat, key_stat = self.file.stat(), self.key.stat()
        except OSError:
            return []
        seen = (stat.st_mtime, stat.st_size, key_stat.st_mtime)
        with self._lock:
            if seen != self._seen:
                try:
                    self._checkpoints, self.problem = load_checkpoints(self.file, self.key), ""
                except (OSError, ValueError) as error:
                    self._checkpoints, self.problem = [], str(error)
                self._seen = seen
            return self._checkpoints
