"""Group commit: commands that arrive together are saved together, yet each succeeds or
fails on its own, as if it had been given alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.actor import Actor
from domain.application import Nominations
from domain.errors import DomainError, NotFound
from infrastructure.container import Laurel
from infrastructure.group_commit import GroupCommit
from tests.support.commands import propose, review, withdraw

UNIT = "hg.so-yte"
PROPOSER = Actor("clerk", frozenset({"proposer"}), UNIT)
REVIEWER = Actor("secretary", frozenset({"reviewer"}), UNIT)
TALLY = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def proposing(app: Nominations, name: str) -> Callable[[], UUID]:
    return lambda: propose(app, PROPOSER, award_code="giay-khen",
                           nominee={"name": name, "kind": "individual"},
                           achievements="", documents=[], at=NOW).id


@contextmanager
def one_group(commands: GroupCommit) -> Iterator[Callable[[Callable[[], Any]], Future[Any]]]:
    """Hold the command thread while commands are queued, so that they run as one group."""
    release = threading.Event()
    holding = commands.submit(release.wait)
    submitted: list[Future[Any]] = []

    def submit(command: Callable[[], Any]) -> Future[Any]:
        submitted.append(commands.submit(command))
        return submitted[-1]

    try:
        yield submit
    finally:
        release.set()
        holding.result(timeout=30)
        for future in submitted:
            future.exception(timeout=30)  # wait for every one


def stored_events(laurel: Laurel) -> int:
    return len(laurel.log.read(0, 10_000))  # PostgreSQL's positions may have gaps


def test_commands_given_together_are_all_stored_each_with_its_own_result(
    laurel: Laurel,
) -> None:
    with one_group(laurel.commands) as submit:
        futures = [submit(proposing(laurel.nominations, f"Người {i}")) for i in range(40)]
    ids = [f.result() for f in futures]
    assert len(set(ids)) == 40
    assert stored_events(laurel) == 40
    assert [laurel.nominations.state_as_of(i)["nominee"]["name"] for i in ids] == [
        f"Người {i}" for i in range(40)]


def test_a_refused_command_records_nothing_and_does_not_stop_the_others(
    laurel: Laurel,
) -> None:
    def refused() -> None:
        withdraw(laurel.nominations, UUID(int=7), PROPOSER, reason="…", at=NOW)

    with one_group(laurel.commands) as submit:
        first = submit(proposing(laurel.nominations, "An"))
        bad = submit(refused)
        last = submit(proposing(laurel.nominations, "Bình"))

    assert isinstance(bad.exception(), NotFound)
    assert first.result() != last.result()
    assert stored_events(laurel) == 2


def test_two_reviews_of_one_task_in_one_group_one_is_recorded_the_other_refused(
    laurel: Laurel,
) -> None:
    app = laurel.nominations
    nomination = proposing(app, "Chi")()
    task = app.open_review(nomination, 0, NOW)
    assert task is not None
    before = stored_events(laurel)

    def reviewing(outcome: str) -> Callable[[], None]:
        return lambda: review(app, nomination, task.task_id, REVIEWER, outcome=outcome,
                              votes=TALLY, note="", at=NOW)

    with one_group(laurel.commands) as submit:
        approve, reject = submit(reviewing("approve")), submit(reviewing("reject"))

    assert approve.result() is None
    assert isinstance(reject.exception(), DomainError)  # the task was already closed
    assert stored_events(laurel) == before + 1
    tasks = app.state_as_of(nomination)["tasks"]
    assert [t["outcome"] for t in tasks if t["id"] == task.task_id] == ["approve"]


@pytest.mark.parametrize("conflicting", [0, 2])
def test_a_group_that_conflicts_with_another_writer_is_given_again_one_by_one(
    laurel: Laurel, conflicting: int,
) -> None:
    """Another process changes a nomination after a command read it: the group's save
    fails as a whole, and each command is given again alone, on what is stored then."""
    app = laurel.nominations
    nominations = [proposing(app, f"Dũng {i}")() for i in range(3)]
    other_process = Nominations(laurel.policies, laurel.settings.event_store_env())
    interfered = threading.Event()

    def open_review(i: int) -> Callable[[], Any]:
        def command() -> Any:
            opened = app.open_review(nominations[i], 0, NOW)  # collected, not yet saved
            if i == conflicting and not interfered.is_set():
                interfered.set()
                withdraw(other_process, nominations[i], PROPOSER, reason="rút", at=NOW)
            return opened
        return command

    try:
        with one_group(laurel.commands) as submit:
            futures = [submit(open_review(i)) for i in range(3)]
    finally:
        other_process.close()

    results = [f.result() for f in futures]
    assert results[conflicting] is None  # given again: the nomination is withdrawn now
    assert all(r is not None for i, r in enumerate(results) if i != conflicting)
    statuses = [app.state_as_of(n)["status"] for n in nominations]
    assert statuses == ["withdrawn" if i == conflicting else "under_review" for i in range(3)]
    assert stored_events(laurel) == 3 + 1 + 2  # proposals, the withdrawal, two reviews
