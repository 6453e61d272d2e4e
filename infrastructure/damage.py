"""Damaged files of the embedded default, named, with what to do about each.

A disk that fails, a copy cut short or a stray write leaves an SQLite file that is "not a
database" (its header) or "malformed" (a page inside). Such an error surfaces wherever
the file is next read, as a traceback naming neither the file nor a remedy. Here it is
recognised (``is_damage``), the file at fault found (``damaged_files``) and said in one
sentence with its remedy (``Damage``): the read models hold nothing the events do not and
are rebuilt; the event store is the record and is restored from a backup.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from infrastructure.settings import Settings

SIGNS = ("file is not a database", "database disk image is malformed", "could not decode",
         "malformed database schema", "file is encrypted")
"""What SQLite says of a damaged file (not of a busy or missing one)."""

EVENTS, READ_MODELS = "events.db", "readmodels.db"


def is_damage(error: BaseException) -> bool:
    """Whether ``error``, or any error it was raised from, says a file is damaged."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        found = pending.pop()
        if found is None or id(found) in seen:
            continue
        seen.add(id(found))
        if any(sign in str(found).lower() for sign in SIGNS):
            return True
        pending += [found.__cause__, found.__context__, getattr(found, "orig", None)]
    return False


@dataclass(frozen=True)
class Damage(Exception):
    """A damaged file and what to do about it."""

    path: Path
    cause: str

    def __post_init__(self) -> None:  # one line, with the file in full
        object.__setattr__(self, "path", self.path.resolve())
        object.__setattr__(self, "cause", "; ".join(self.cause.split("\n")))

    @property
    def is_event_store(self) -> bool:
        return self.path.name == EVENTS

    def __str__(self) -> str:
        data_dir = self.path.parent
        if self.is_event_store:
            return (f"The event store {self.path} is damaged ({self.cause}). It is the record "
                    "and cannot be rebuilt: stop Laurel, restore events.db from your latest "
                    f"backup, then run `laurel audit verify --data-dir {data_dir}`.")
        return (f"The read models file {self.path} is damaged ({self.cause}). They hold "
                "nothing the events do not: run `laurel projections rebuild --data-dir "
                f"{data_dir}` to rebuild them (the damaged file is kept beside it).")

    @property
    def vi(self) -> str:
        if self.is_event_store:
            return (f"Kho sự kiện {self.path} bị hỏng ({self.cause}). Đây là hồ sơ gốc, không "
                    "dựng lại được: hãy dừng Laurel, khôi phục events.db từ bản sao lưu gần "
                    "nhất, rồi chạy `laurel audit verify`.")
        return (f"Tệp dữ liệu tra cứu {self.path} bị hỏng ({self.cause}). Dữ liệu này được "
                "dựng lại từ các sự kiện: hãy chạy `laurel projections rebuild`.")


def check_file(path: Path, thorough: bool = False) -> Damage | None:
    """The damage of one SQLite file, if any: its header and schema always; every page
    with ``thorough`` (``PRAGMA quick_check``, which reads the whole file)."""
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if thorough:
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                return Damage(path, f"database disk image is malformed: {verdict}")
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return Damage(path, str(error))
        raise
    finally:
        conn.close()
    return None


def damaged_files(settings: Settings, thorough: bool = False) -> list[Damage]:
    """The damaged files of the embedded default (none on PostgreSQL, which keeps its
    own)."""
    if settings.uses_postgres:
        return []
    found = (check_file(settings.data_dir / name, thorough) for name in (EVENTS, READ_MODELS))
    return [damage for damage in found if damage is not None]


def set_aside(path: Path) -> Path:
    """Move a damaged file (and its journal) out of the way, kept for whoever looks."""
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.rename(aside.with_name(aside.name + suffix))
    return aside
