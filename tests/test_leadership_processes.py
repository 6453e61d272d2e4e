"""Two of each follower — ``laurel relay``, ``laurel projector``, ``laurel notifier`` as
real processes on one database: one follows, the other stands by; SIGKILL the one that
follows and the other takes over within seconds; the stored position never moves
backwards meanwhile; every event is signalled once (counted from Temporal's workflow
histories); the metrics report the lag; ``laurel alive`` fails for a stopped leader
(SIGSTOP) and passes for a waiting standby.

On SQLite the lease is a lock file: the same code, one machine."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from infrastructure.container import Laurel
from infrastructure.metrics import heartbeat_dir
from infrastructure.positions import read_position
from laurel.supervisor import free_port
from tests.support.nominations import take_through
from tests.support.notifier import add_people
from workflows.messages import workflow_id
from workflows.relay import RELAYED

ROOT = Path(__file__).resolve().parent.parent
STALLED_SECONDS = 3
TAKE_OVER_WITHIN = 5.0


@dataclass
class Follower:
    kind: str
    process: subprocess.Popen[bytes]
    metrics_port: int

    @property
    def pid(self) -> int:
        return self.process.pid

    def metrics(self) -> dict[str, float]:
        """The process's metrics, by name (the consumer label dropped); {} if it does not
        answer."""
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=1) as answer:
                body = answer.read().decode()
        except OSError:
            return {}
        found = {}
        for line in body.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                found[name.split("{", 1)[0]] = float(value)
        return found

    def leads(self) -> bool:
        return self.metrics().get("laurel_leader") == 1


@dataclass
class Fleet:
    laurel: Laurel
    kind: str
    env: dict[str, str]
    followers: list[Follower] = field(default_factory=list)

    def start(self) -> Follower:
        port = free_port()
        # Each reads its metrics port from LAUREL_METRICS_PORT plus its kind's offset.
        from laurel.processes import METRICS_PORT_OFFSET

        env = {**self.env, "LAUREL_METRICS_PORT": str(port - METRICS_PORT_OFFSET[self.kind])}
        log = (self.laurel.settings.data_dir / f"{self.kind}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "laurel", self.kind], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=log)
        log.close()
        follower = Follower(self.kind, process, port)
        self.followers.append(follower)
        return follower

    def leader(self, within: float = 60) -> Follower:
        """The one that leads, once exactly one does and every other answers."""
        deadline = time.monotonic() + within
        while True:
            alive = [f for f in self.followers if f.process.poll() is None]
            answers = {f.pid: f.metrics() for f in alive}
            leading = [f for f in alive if answers[f.pid].get("laurel_leader") == 1]
            if len(leading) == 1 and all(answers.values()):
                return leading[0]
            assert time.monotonic() < deadline, f"no single leader: {answers}; " + self.log()
            time.sleep(0.05)

    def log(self) -> str:
        return (self.laurel.settings.data_dir / f"{self.kind}.log").read_text()[-3000:]

    def stop(self) -> None:
        for f in self.followers:
            if f.process.poll() is None:
                f.process.send_signal(signal.SIGCONT)
                f.process.send_signal(signal.SIGTERM)
        for f in self.followers:
            try:
                f.process.wait(20)
            except subprocess.TimeoutExpired:
                f.process.kill()
                f.process.wait()


@contextmanager
def fleet(laurel: Laurel, kind: str, **settings: str) -> Iterator[Fleet]:
    env = {**os.environ, **laurel.settings.as_environment(),
           "LAUREL_STALLED_SECONDS": str(STALLED_SECONDS),
           "LAUREL_WORKFLOW_CHECK_MINUTES": "0", **settings}
    running = Fleet(laurel, kind, env)
    try:
        yield running
    finally:
        running.stop()


@contextmanager
def positions_recorded(laurel: Laurel, consumer: str) -> Iterator[list[int]]:
    """The consumer's stored position, read every 10 ms while the body runs and once
    more after it (the recorder's last reading is the end's). A read SQLite refuses while
    a follower writes is tried again; what was refused is told if the end is missed."""
    seen: list[int] = []
    refused: list[str] = []
    done = threading.Event()

    def record() -> None:
        while True:
            last = done.is_set()
            try:
                seen.append(position(laurel, consumer))
            except OperationalError as error:
                refused.append(str(error.orig))
                if last and len(refused) < 500:
                    continue  # the last reading is the one that counts: read it again
            if last:
                return
            time.sleep(0.01)

    recorder = threading.Thread(target=record, daemon=True)
    recorder.start()
    try:
        yield seen
    finally:
        done.set()
        recorder.join(60)
        assert not recorder.is_alive(), "the recorder did not stop"
        if refused:
            print(f"{len(refused)} readings refused, the last: {refused[-1]}")


def position(laurel: Laurel, consumer: str) -> int:
    with laurel.engine.connect() as conn:
        return read_position(conn, consumer)


def wait(condition: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def take_over_seconds(fleet_: Fleet, leader: Follower) -> tuple[Follower, float]:
    """SIGKILL ``leader``; the follower that leads next and how long it took."""
    killed_at = time.monotonic()
    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait()
    successor = fleet_.leader(within=30)
    return successor, time.monotonic() - killed_at


def alive(laurel: Laurel, kind: str, pid: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "laurel", "alive", kind, "--pid", str(pid)], cwd=ROOT,
        env={**os.environ, **laurel.settings.as_environment(),
             "LAUREL_STALLED_SECONDS": str(STALLED_SECONDS)},
        capture_output=True, text=True, timeout=60)


def some_nominations(laurel: Laurel, count: int) -> None:
    for _ in range(count):
        take_through(laurel, "hg.so-yte", ["return"])


@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", ["projector", "notifier"])
def test_one_follows_the_other_takes_over_when_it_is_killed(
        laurel: Laurel, kind: str) -> None:
    add_people(laurel)
    some_nominations(laurel, 10)
    with fleet(laurel, kind) as running, positions_recorded(laurel, kind) as seen:
        for _ in range(2):
            running.start()
        leader = running.leader()
        head = laurel.log.last_position()
        wait(lambda: position(laurel, kind) >= head, 60, "the leader to catch up")
        wait(lambda: leader.metrics().get("laurel_consumer_lag") == 0, 10, "lag 0")
        (standby,) = [f for f in running.followers if f is not leader]
        numbers = leader.metrics()
        assert numbers["laurel_consumer_position"] == numbers["laurel_log_head"] >= head
        assert "laurel_consumer_lag" not in standby.metrics()  # it follows nothing
        assert "became leader" in running.log() and "standing by" in running.log()

        some_nominations(laurel, 10)  # while one leads: it follows them
        successor, seconds = take_over_seconds(running, leader)
        assert successor is standby
        print(f"{kind}: the standby led {seconds:.2f} s after the leader's SIGKILL")
        assert seconds < TAKE_OVER_WITHIN
        some_nominations(laurel, 5)
        head = laurel.log.last_position()
        wait(lambda: position(laurel, kind) >= head, 60, "the successor to catch up")
        wait(lambda: successor.metrics().get("laurel_consumer_lag") == 0, 10, "lag 0")
    assert seen and all(a <= b for a, b in itertools.pairwise(seen)), \
        "the stored position moved backwards"
    assert seen[-1] >= head  # the notifier logs its notifications too


@pytest.mark.timeout(300)
def test_two_relays_signal_each_event_once_and_the_standby_takes_over(
        laurel: Laurel, temporal: WorkflowEnvironment) -> None:
    """No worker runs: each signal stays in its workflow's history, to be counted."""
    some_nominations(laurel, 15)
    address = temporal.client.service_client.config.target_host
    with (fleet(laurel, "relay", LAUREL_TEMPORAL_ADDRESS=address) as running,
          positions_recorded(laurel, "relay") as seen):
        for _ in range(2):
            running.start()
        leader = running.leader()
        first_head = laurel.log.last_position()
        wait(lambda: position(laurel, "relay") >= first_head, 60, "the relay to catch up")
        _successor, seconds = take_over_seconds(running, leader)
        print(f"relay: the standby led {seconds:.2f} s after the leader's SIGKILL")
        assert seconds < TAKE_OVER_WITHIN
        some_nominations(laurel, 15)
        head = laurel.log.last_position()
        wait(lambda: position(laurel, "relay") >= head, 60, "the successor to catch up")
    assert all(a <= b for a, b in itertools.pairwise(seen)), \
        "the stored position moved backwards"

    relayed = [e for e in laurel.log.read(0, 100_000, RELAYED)]
    signalled = asyncio.run(_signals(address, {e.nomination_id for e in relayed}))
    assert Counter(signalled) == Counter(e.position for e in relayed)  # each once


async def _signals(address: str, nominations: set[str]) -> list[int]:
    """The event position of every signal in the nominations' workflow histories."""
    client = await Client.connect(address)  # on this event loop, not the fixture's
    positions: list[int] = []
    for nomination_id in nominations:
        handle = client.get_workflow_handle(workflow_id(nomination_id))
        history = await handle.fetch_history()
        for event in history.events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
                payload = event.workflow_execution_signaled_event_attributes.input.payloads[0]
                positions.append(int(json.loads(payload.data)["position"]))
    return positions


@pytest.mark.timeout(300)
@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_stopped_leader_is_not_alive_and_a_waiting_standby_is(laurel: Laurel) -> None:
    """SIGSTOP: the leader holds its lease but does nothing; ``laurel alive`` says so
    within ``stalled_seconds``, and says the standby waiting beside it is alive. The
    orchestrator then kills the stopped one, and the standby takes over."""
    add_people(laurel)
    some_nominations(laurel, 3)
    with fleet(laurel, "notifier") as running:
        for _ in range(2):
            running.start()
        leader = running.leader()
        (standby,) = [f for f in running.followers if f is not leader]
        wait(lambda: heartbeats(laurel, "notifier") == 2, 30, "both heartbeats")
        assert alive(laurel, "notifier", leader.pid).returncode == 0
        # Stopped idle, not inside a write: a leader stopped holding the event store's
        # table lock (PostgreSQL) would hold back the proposals below too.
        wait(lambda: position(laurel, "notifier") >= laurel.log.last_position(), 60,
             "the leader to catch up")
        leader.process.send_signal(signal.SIGSTOP)
        some_nominations(laurel, 2)  # the log moves on; the leader does not
        time.sleep(STALLED_SECONDS + 1.5)
        stuck = alive(laurel, "notifier", leader.pid)
        assert stuck.returncode == 1 and "no heartbeat" in stuck.stderr, stuck
        waiting = alive(laurel, "notifier", standby.pid)
        assert waiting.returncode == 0 and "stands by" in waiting.stdout, waiting
        assert not standby.leads()  # a stopped leader keeps its lease
        successor, _ = take_over_seconds(running, leader)
        assert successor is standby
        head = laurel.log.last_position()
        wait(lambda: position(laurel, "notifier") >= head, 60, "the successor")
        assert alive(laurel, "notifier", standby.pid).returncode == 0


def heartbeats(laurel: Laurel, kind: str) -> int:
    return len(list(heartbeat_dir(laurel.settings.data_dir).glob(f"{kind}.*.json")))
