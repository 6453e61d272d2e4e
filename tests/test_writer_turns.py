"""The SQLite event store's writers take turns through a lock file
(``infrastructure.writer_turns``): a process's save waits while another process writes
and stores once that one is done; a turn that does not come in time fails the save as
SQLite's own wait would (the API's 503), storing nothing; a process that dies holding the
turn does not keep it."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.actor import Actor
from infrastructure.container import Laurel
from infrastructure.database import BUSY_RETRY_SECONDS, unavailable
from infrastructure.writer_turns import WriterTurns, turns_path
from tests.support.commands import propose

UNIT = "hg.so-yte"
PROPOSER = Actor("clerk", frozenset({"proposer"}), UNIT)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

HOLDER = """
import sys
from pathlib import Path
from infrastructure.writer_turns import WriterTurns
with WriterTurns(Path(sys.argv[1]), timeout=5).turn():
    print("holding", flush=True)
    sys.stdin.readline()  # until told, or killed
"""


def holding(path: Path) -> subprocess.Popen[str]:
    """Another process, holding the writers' turn until its stdin gets a line."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def the_turns_file(settings_data_dir: Path) -> Path:
    path = turns_path(str(settings_data_dir / "events.db"))
    assert path is not None
    return path


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_save_waits_while_another_process_writes_then_stores(laurel: Laurel) -> None:
    holder = holding(the_turns_file(laurel.settings.data_dir))
    before = laurel.log.last_position()
    with ThreadPoolExecutor(1) as pool:
        saving = pool.submit(lambda: propose(
            laurel.nominations, PROPOSER, award_code="giay-khen",
            nominee={"name": "Lê Thị Mai", "kind": "individual"}, achievements="",
            documents=[], at=NOW))
        with pytest.raises(TimeoutError):
            saving.result(timeout=0.5)  # its turn has not come
        assert laurel.log.last_position() == before
        assert holder.stdin is not None
        holder.stdin.write("done\n")
        holder.stdin.flush()
        proposal = saving.result(timeout=10)
    holder.wait(10)
    assert laurel.nominations.repository.get(proposal.id).nominee["name"] == "Lê Thị Mai"
    assert laurel.log.last_position() > before


def test_a_turn_that_does_not_come_in_time_is_the_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "events.db.writers"
    holder = holding(path)
    try:
        with pytest.raises(sqlite3.OperationalError) as refused, WriterTurns(
                path, timeout=0.2).turn():
            pass
        assert unavailable(refused.value) == BUSY_RETRY_SECONDS  # answered 503, Retry-After
    finally:
        holder.kill()
        holder.wait(10)


def test_a_process_that_dies_holding_the_turn_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "events.db.writers"
    holder = holding(path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    with WriterTurns(path, timeout=2).turn():
        pass  # taken at once


def test_the_threads_of_one_process_take_turns_too(tmp_path: Path) -> None:
    """``flock`` does not order the threads of one process, sharing its open file."""
    turns = WriterTurns(tmp_path / "events.db.writers", timeout=5)
    inside = threading.Event()
    leave = threading.Event()
    entered: list[str] = []

    def first() -> None:
        with turns.turn():
            entered.append("first")
            inside.set()
            leave.wait(5)
            entered.append("first left")

    def second() -> None:
        with turns.turn():
            entered.append("second")

    one = threading.Thread(target=first)
    one.start()
    inside.wait(5)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.3)
    assert entered == ["first"]  # the second waits its turn
    leave.set()
    one.join(5)
    two.join(5)
    assert entered == ["first", "first left", "second"]
