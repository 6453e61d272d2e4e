"""A worker told to stop (SIGTERM: a rolling deploy, a node drained) lets the workflow step
in flight finish and reports it to Temporal before it leaves.

The worker here is ``laurel.processes.run_worker``, the ``laurel worker`` process, in a
process of its own (``python -m tests.test_worker_shutdown``), with one change: opening a
review takes 3 s, so that the SIGTERM lands in the middle of it. It must leave with exit
status 0 after the step has finished (within ``LAUREL_WORKER_SHUTDOWN_SECONDS``), the
step's event must be recorded once, and Temporal must hold the step as done on its first
attempt: the next worker carries on from there without taking it again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import BinaryIO

from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from domain.actor import Actor
from domain.commands import Context, Proposal, Propose
from domain.nomination import Nomination
from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import BUNDLED_POLICY, Settings
from tests.support.people import JWT_SECRET
from tests.support.running import eventually
from workflows.messages import workflow_id
from workflows.relay import RELAYED, EventRelay
from workflows.worker import build_worker

UNIT = "hg.vi-thanh.phuong-1"
SLOW_STEP_SECONDS = 3.0
STARTED, FINISHED = "slow-step-started", "slow-step-finished"


def _slow_worker() -> None:
    """The ``laurel worker`` process, its review openings slowed (run as __main__)."""
    import logging

    from domain.application import Nominations
    from laurel.processes import run_worker

    settings = Settings()
    opened = Nominations.open_review

    def slow_open_review(self: Nominations, *args: object, **kwargs: object) -> object:
        (settings.data_dir / STARTED).touch()
        time.sleep(SLOW_STEP_SECONDS)  # on the command thread, as a slow disk would
        result = opened(self, *args, **kwargs)  # type: ignore[arg-type]
        (settings.data_dir / FINISHED).touch()
        return result

    Nominations.open_review = slow_open_review  # type: ignore[assignment,method-assign]
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run_worker(settings))


def _start_slow_worker(env: dict[str, str], log: BinaryIO) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.test_worker_shutdown"], env=env,
                            stdout=log, stderr=subprocess.STDOUT,
                            cwd=Path(__file__).parent.parent)


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", jwt_secret=JWT_SECRET,
                    task_queue=f"shutdown-{uuid.uuid4().hex}", policy_file=BUNDLED_POLICY,
                    poll_interval=0.05)


def _opened(laurel: Laurel, nomination_id: uuid.UUID) -> list[Nomination.ReviewOpened]:
    return [e for e in laurel.nominations.events.get(nomination_id)
            if isinstance(e, Nomination.ReviewOpened)]


def _open_review_attempts(events: list[object]) -> list[int]:
    """The attempts of the ``open_review`` local activities the history records."""
    attempts = []
    for event in events:
        if getattr(event, "event_type", None) != EventType.EVENT_TYPE_MARKER_RECORDED:
            continue
        marker = event.marker_recorded_event_attributes  # type: ignore[attr-defined]
        if marker.marker_name != "core_local_activity":
            continue
        data = json.loads(marker.details["data"].payloads[0].data)
        if data["activity_type"] == "open_review":
            assert not marker.HasField("failure"), marker.failure
            attempts.append(int(data["attempt"]))
    return attempts


async def _stopped_mid_step(temporal: WorkflowEnvironment, tmp_path: Path,
                            sig: signal.Signals) -> tuple[Laurel, Settings, uuid.UUID, int,
                                                          float, str]:
    """A nomination proposed and relayed; the slowed worker sent ``sig`` in the middle
    of opening its first review. Its exit status, how long it took, and its output."""
    address = temporal.client.service_client.config.target_host
    settings = _settings(tmp_path).model_copy(update={"temporal_address": address})
    laurel = bootstrap(settings)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")},
           **settings.as_environment(), "LAUREL_WORKER_SHUTDOWN_SECONDS": "20"}
    log = (tmp_path / "worker.log").open("wb")
    worker = _start_slow_worker(env, log)
    try:
        proposer = Actor(f"proposer@{UNIT}", frozenset({"proposer"}), UNIT)
        proposal = laurel.nominations.handle(
            Propose("bang-khen-tinh", {"name": "Trần Văn Bình", "kind": "individual"},
                    "Hoàn thành xuất sắc nhiệm vụ", []),
            Context(proposer, dt.datetime.now(dt.UTC)))
        assert isinstance(proposal, Proposal)
        relay = EventRelay(temporal.client, laurel.log, laurel.engine, settings.task_queue)
        await relay.relay(laurel.log.read(0, 100, RELAYED))

        started = settings.data_dir / STARTED

        async def in_flight() -> bool:
            return started.exists()

        await eventually(in_flight, within=60)
        # Alive by its heartbeat while a step holds its command thread (the probe
        # compose and Kubernetes run: no connection, no start-up work).
        probe = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "laurel", "alive", "worker"], env=env,
            capture_output=True, text=True, timeout=30, cwd=Path(__file__).parent.parent)
        assert probe.returncode == 0 and f"worker (pid {worker.pid}) runs" in probe.stdout, (
            probe.stdout, probe.stderr)
        worker.send_signal(sig)  # mid-step: 3 s of it are left
        sent = time.monotonic()
        code = await asyncio.to_thread(worker.wait, 40)
        took = time.monotonic() - sent
    finally:
        if worker.poll() is None:
            worker.kill()
        log.close()
    return laurel, settings, proposal.id, code, took, (tmp_path / "worker.log").read_text()


async def test_sigterm_lets_the_step_in_flight_finish_and_records_it_once(
    temporal: WorkflowEnvironment, tmp_path: Path,
) -> None:
    laurel, settings, nomination_id, code, took, output = await _stopped_mid_step(
        temporal, tmp_path, signal.SIGTERM)
    try:
        assert code == 0, output[-3000:]
        assert (settings.data_dir / FINISHED).exists(), "the step was cut short"
        assert took >= 1, "the worker left at once instead of waiting for its step"
        assert len(_opened(laurel, nomination_id)) == 1

        # Temporal holds the step as done, on its first attempt: a worker of the next
        # release takes over without taking it again.
        handle = temporal.client.get_workflow_handle(workflow_id(str(nomination_id)))

        async def reported() -> list[int] | None:
            history = await handle.fetch_history()
            return _open_review_attempts(list(history.events)) or None

        assert await eventually(reported, within=30) == [1]
        async with build_worker(temporal.client, laurel.commands, settings.task_queue):
            await asyncio.sleep(2)
            history = await handle.fetch_history()
            assert _open_review_attempts(list(history.events)) == [1]
            assert len(_opened(laurel, nomination_id)) == 1
    finally:
        laurel.close()


async def test_a_worker_killed_outright_leaves_the_step_to_the_next_which_takes_it_again(
    temporal: WorkflowEnvironment, tmp_path: Path,
) -> None:
    """What the grace spares: killed mid-step (SIGKILL, or SIGTERM ignored past the
    orchestrator's grace), the step is not reported; Temporal gives it to the next worker
    once the workflow task times out (10 s), which takes it again: still recorded once,
    as every step is idempotent, but later and twice over."""
    laurel, settings, nomination_id, code, _, _ = await _stopped_mid_step(
        temporal, tmp_path, signal.SIGKILL)
    try:
        assert code == -signal.SIGKILL
        assert not (settings.data_dir / FINISHED).exists()
        handle = temporal.client.get_workflow_handle(workflow_id(str(nomination_id)))
        async with build_worker(temporal.client, laurel.commands, settings.task_queue):
            async def reported() -> list[int] | None:
                history = await handle.fetch_history()
                return _open_review_attempts(list(history.events)) or None

            assert await eventually(reported, within=60) == [1]
            assert len(_opened(laurel, nomination_id)) == 1
            history = await handle.fetch_history()
            timed_out = [e for e in history.events if e.event_type ==
                         EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT]
            assert timed_out, "the killed worker's workflow task was never given up"
    finally:
        laurel.close()


if __name__ == "__main__":
    _slow_worker()
