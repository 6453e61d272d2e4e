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
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.application import Nominations
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


def proposing(app: Nominations, name: str) -> str:
    return str(propose(app, PROPOSER, award_code="giay-khen",
                       nominee={"name": name, "kind": "individual"}, achievements="",
                       documents=[], at=NOW).id)


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


def test_a_glance_tells_whether_another_writer_has_the_turn(tmp_path: Path) -> None:
    path = tmp_path / "events.db.writers"
    turns = WriterTurns(path, timeout=5)
    assert not turns.taken()
    holder = holding(path)
    try:
        assert turns.taken()
    finally:
        holder.kill()
        holder.wait(10)
    assert not turns.taken()
    with turns.turn():  # the glance leaves a turn of this process's own as it was
        assert turns.taken()  # (for its other threads)
    assert not turns.taken()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_commands_arriving_while_another_process_writes_join_the_waiting_group(
    laurel: Laurel,
) -> None:
    """The command thread does not sit idle behind another process's write: a command
    that arrives while its group waits for the turn is given at once, and saved in the
    same transaction once the turn comes."""
    holder = holding(the_turns_file(laurel.settings.data_dir))
    app = laurel.nominations
    second_ran = threading.Event()
    second: list[Future[str]] = []

    def first() -> str:
        second.append(laurel.commands.submit(second_command))  # arrives meanwhile
        return proposing(app, "Phạm Văn Nam")

    def second_command() -> str:
        second_ran.set()
        return proposing(app, "Võ Thị Lan")

    before = laurel.log.last_position()
    try:
        given = laurel.commands.submit(first)
        assert second_ran.wait(5), "the second command waited for the first one's save"
        assert not given.done() and laurel.log.last_position() == before
    finally:
        assert holder.stdin is not None
        holder.stdin.write("done\n")
        holder.stdin.flush()
        holder.wait(10)
    ids = [given.result(timeout=10), second[0].result(timeout=10)]
    assert [app.repository.get(UUID(i)).nominee["name"] for i in ids] == [
        "Phạm Văn Nam", "Võ Thị Lan"]
    assert laurel.log.last_position() == before + 2
