"""End to end: nominations per second taken unit → district → province → decided.

**Laurel** is the whole system as ``laurel up`` runs it: the worker, relay, projector and
API as their own processes on a fresh store, driven through HTTP by a load generator in
this process acting as people: one proposer proposes N nominations; the reviewers of the
ward, the district and the province and the province's decider poll their inboxes
(``GET /tasks``) and act on every open task. A nomination is done when its workflow has
completed, i.e. the decision was recorded, relayed to Temporal and the workflow ended.

**Baseline**, in the same run on the same Temporal server: the least Temporal work the
route needs — a bare workflow per nomination (``BareRoute``) that is started and receives
the same four human signals (three reviews, one decision) in order, and completes. Its
worker runs in this process. The load has the same shape: the start and each of the four
signals is its own stage with the same number of calls in flight as each of Laurel's
actors, and a nomination is done when its workflow has completed.

On the route a person acts only once the workflow has taken the step before (the review
is opened by the workflow's task that took the previous one), so each human signal is
taken by a workflow task of its own. The baseline keeps that order: a signal is sent
once the bare workflow has taken the start or the signal before it (its worker tells the
load generator, outside Temporal's history). Sent back to back instead, signals pile up
and Temporal takes several in one task — less work than the route can ever do; that
variant is measured too, in the same rounds, as a second figure.

Also the peak resident memory of Laurel's four processes, each its own figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from temporalio import workflow

# The bare workflow lives here. Its worker passes this module through the sandbox, and
# these imports are passed through too, as in workflows/nomination.py.
with workflow.unsafe.imports_passed_through():
    import httpx
    from temporalio.api.enums.v1 import EventType
    from temporalio.client import Client
    from temporalio.exceptions import WorkflowAlreadyStartedError
    from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
    from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

    from api.auth import issue_token
    from domain.calendar import WorkingCalendar
    from domain.vocabulary import DecisionOutcome, ReviewOutcome, Role, Status, TaskKind
    from infrastructure.settings import Settings
    from laurel import event_loop
    from laurel.bench.http import TRANSPORT_ERRORS, Answer, HttpPool
    from laurel.bench.report import (
        Figure,
        cpu_seconds,
        median,
        peak_rss_mib,
        percentile,
        rss_mib,
        wait_until_quiet,
    )
    from laurel.bench.run import BenchContext
    from laurel.supervisor import free_port
    from laurel.system import open_laurel
    from workflows.messages import workflow_id
    from workflows.worker import WORKFLOW_TASK_POLLERS

UNIT, DISTRICT, PROVINCE = "hg.vi-thanh.phuong-1", "hg.vi-thanh", "hg"
AWARD = "bang-khen-tinh"
TALLY = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
DECISION = {"outcome": DecisionOutcome.AWARDED, "signer": "Chủ tịch UBND tỉnh Hậu Giang"}
"""The decision, dated the day it is recorded (``decided_today``): none may bear a later
date, or one before its proposal; numbered after its task, since a unit's register uses a
number once."""


def decided_today(task_id: str) -> dict[str, str]:
    return {**DECISION, "decision_number": f"{task_id[:13]}/QĐ-UBND",
            "decision_date": datetime.now(WorkingCalendar().zone).date().isoformat()}
HUMAN_SIGNALS = 4  # three reviews and one decision
ROUNDS = 3
"""Full runs measure the baseline and Laurel in turn this many times; figures are medians."""
PROCESSES = ("worker", "relay", "projector", "api")
STOP_ORDER = ("api", "relay", "projector", "worker")
INBOX_POLL = 0.2  # s between inbox polls of a reviewer who found nothing new
READY_TIMEOUT = 60.0
MAX_RESTARTS = 5  # per process; ``laurel up`` restarts without end, with a growing pause
GOAL = "≥ 50 % of the bare Temporal baseline"
MEMORY_GOAL = "flat: no process grows with the nominations"


# -- the baseline ------------------------------------------------------------------------


TakenHook = Callable[[str, int], None]
_taken_hooks: dict[str, TakenHook] = {}
"""Per task queue: told (workflow id, step) as a bare workflow takes its start (0) and
each human signal — the load generator's eyes, as Laurel's inbox is its reviewers'."""


def _tell_taken(step: int) -> None:
    info = workflow.info()
    hook = _taken_hooks.get(info.task_queue)
    if hook is not None and not workflow.unsafe.is_replaying():
        hook(info.workflow_id, step)


@workflow.defn(name="BenchBareRoute")
class BareRoute:
    """Started, then waits for the four human signals in order; nothing else."""

    def __init__(self) -> None:
        self._received = 0

    @workflow.signal(name="human")
    def human(self, step: int) -> None:
        self._received += 1
        _tell_taken(step)

    @workflow.run
    async def run(self) -> int:
        _tell_taken(0)
        await workflow.wait_condition(lambda: self._received >= HUMAN_SIGNALS)
        return self._received


@dataclass
class Outcome:
    """What one side of the comparison finished, and when (monotonic seconds)."""

    n: int
    started: float = 0.0
    begun: dict[str, float] = field(default_factory=dict)  # nomination → first request
    decided: dict[str, float] = field(default_factory=dict)  # → last human step accepted
    completed: dict[str, float] = field(default_factory=dict)  # → its workflow completed
    failures: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    timed_out: bool = False
    ended: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def finish(self) -> None:
        ends = list(self.completed.values())
        self.ended = self.ended if self.timed_out or not ends else max(ends)

    @property
    def elapsed(self) -> float:
        return max(self.ended - self.started, 1e-9)

    @property
    def throughput(self) -> float:
        return len(self.completed) / self.elapsed if self.completed else 0.0

    def latencies(self, ends: dict[str, float]) -> list[float]:
        return [end - self.begun[key] for key, end in ends.items() if key in self.begun]

    def summary(self) -> dict[str, Any]:
        done = self.latencies(self.completed)
        decided = self.latencies(self.decided)
        last_decision = max(self.decided.values(), default=self.started)
        return {
            "nominations": self.n,
            "completed": len(self.completed),
            "elapsed_s": round(self.elapsed, 3),
            "timed_out": self.timed_out,
            "latency_p50_s": round(percentile(done, 0.5), 3),
            "latency_p99_s": round(percentile(done, 0.99), 3),
            "to_decision_p50_s": round(percentile(decided, 0.5), 3),
            "to_decision_p99_s": round(percentile(decided, 0.99), 3),
            "decisions_per_s": round(
                len(self.decided) / max(last_decision - self.started, 1e-9), 2),
            "failures": dict(self.failures),
            **({"notes": dict(self.notes)} if self.notes else {}),
            **self.extra,
        }


@dataclass
class Round:
    """One turn of the bare baseline (signals in turn, then back to back), then Laurel."""

    baseline: Outcome
    back_to_back: Outcome
    laurel: Outcome
    details: dict[str, Any]
    memory: dict[str, float]
    laurel_first: bool = False

    @property
    def ratio(self) -> float:
        return self.laurel.throughput / (self.baseline.throughput or 1)

    @property
    def ratio_back_to_back(self) -> float:
        return self.laurel.throughput / (self.back_to_back.throughput or 1)


async def _connect(address: str, namespace: str = "default", patience: float = 60) -> Client:
    """The dev server listens before its frontend is healthy: try again for a while."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return await Client.connect(address, namespace=namespace)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.25)


async def _baseline(address: str, n: int, concurrency: int, within: float,
                    temporal_pid: int, sandboxed: bool, in_turn: bool = True) -> Outcome:
    """``in_turn``: each signal is sent once the workflow took the one before, as on the
    route; otherwise as soon as the one before was accepted."""
    client = await _connect(address)
    task_queue = f"bench-bare-{uuid.uuid4().hex[:8]}"
    outcome = Outcome(n)
    loop = asyncio.get_running_loop()
    all_done = asyncio.Event()
    stages: list[asyncio.Queue[str]] = [asyncio.Queue() for _ in range(HUMAN_SIGNALS + 1)]
    for i in range(n):
        stages[0].put_nowait(f"bare-{task_queue}-{i}")

    async def completion(key: str) -> None:
        try:
            await client.get_workflow_handle(key).result()
            outcome.completed[key] = time.monotonic()
        except Exception as error:
            outcome.failures[f"workflow {type(error).__name__}"] += 1
            outcome.completed.setdefault(key, time.monotonic())
        if len(outcome.completed) >= n:
            all_done.set()

    async def stage(step: int, group: asyncio.TaskGroup) -> None:
        while True:
            key = await stages[step].get()
            try:
                if step == 0:
                    outcome.begun[key] = time.monotonic()
                    await client.start_workflow(BareRoute.run, id=key, task_queue=task_queue)
                else:
                    await client.get_workflow_handle(key).signal(BareRoute.human, step)
            except WorkflowAlreadyStartedError:
                pass  # a start retried after all went through
            except Exception as error:
                outcome.failures[f"{'start' if step == 0 else 'signal'} "
                                 f"{type(error).__name__}"] += 1
                stages[step].put_nowait(key)  # as a person would: try again
                continue
            if step == HUMAN_SIGNALS:
                outcome.decided[key] = time.monotonic()
                group.create_task(completion(key))
            elif not in_turn:
                stages[step + 1].put_nowait(key)

    def taken(key: str, step: int) -> None:  # on a workflow activation's thread
        if step < HUMAN_SIGNALS and key in outcome.begun:
            loop.call_soon_threadsafe(stages[step + 1].put_nowait, key)

    async def drive() -> None:
        async with asyncio.TaskGroup() as group:
            stagers = [group.create_task(stage(step, group))
                       for step in range(HUMAN_SIGNALS + 1) for _ in range(concurrency)]
            await all_done.wait()
            for stager in stagers:
                stager.cancel()

    async def warm_up() -> None:
        begun = time.monotonic()
        handle = await client.start_workflow(BareRoute.run, id=f"bare-{task_queue}-warm-up",
                                             task_queue=task_queue)
        for step in range(1, HUMAN_SIGNALS + 1):
            await handle.signal(BareRoute.human, step)
        await handle.result()
        outcome.extra["warm_up_s"] = round(time.monotonic() - begun, 3)

    # As Laurel's worker runs (``LAUREL_WORKFLOW_SANDBOX``); sandboxed, this module is
    # passed through, so the bare workflow's runs do not re-run the load generator's code.
    runner: WorkflowRunner = UnsandboxedWorkflowRunner()
    if sandboxed:
        runner = SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(__name__))
    if in_turn:
        _taken_hooks[task_queue] = taken
    try:
        async with Worker(client, task_queue=task_queue, workflows=[BareRoute],
                          workflow_runner=runner,
                          workflow_task_poller_behavior=WORKFLOW_TASK_POLLERS):
            try:
                await asyncio.wait_for(warm_up(), within)
            except TimeoutError:
                outcome.timed_out = True
                outcome.extra["error"] = ("the warm-up workflow did not end within "
                                          f"{within:.0f} s")
                return outcome
            outcome.started, own_cpu = time.monotonic(), time.process_time()
            server_cpu = cpu_seconds(temporal_pid)
            try:
                await asyncio.wait_for(drive(), within)
            except TimeoutError:
                outcome.timed_out, outcome.ended = True, time.monotonic()
            outcome.extra["cpu_s"] = {
                "worker and load generator (this process)":
                    round(time.process_time() - own_cpu, 2),
                "temporal server": round(cpu_seconds(temporal_pid) - server_cpu, 2)}
            outcome.extra["workflow_history"] = await _history_shape(
                client, sorted(outcome.completed))
    finally:
        _taken_hooks.pop(task_queue, None)
    outcome.finish()
    return outcome


# -- Laurel's processes ------------------------------------------------------------------


@dataclass
class Service:
    """Worker, relay, projector and API as ``laurel up`` starts them, on one settings."""

    settings: Settings
    port: int = field(default_factory=free_port)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, IO[bytes]] = field(default_factory=dict)
    deaths: dict[str, list[int]] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    noted: set[str] = field(default_factory=set)  # exited, not restarted

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        s = self.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
        env.update(s.model_copy(update={
            "data_dir": s.data_dir.resolve(), "jwt_secret": s.signing_key(),
            "api_host": "127.0.0.1", "api_port": self.port}).as_environment())
        return env

    def log_path(self, name: str) -> Path:
        return self.settings.data_dir / f"{name}.log"

    def start(self) -> None:
        open_laurel(self.settings).close()  # the stores' tables, before the processes share them
        self.environment = self.env()
        for name in PROCESSES:
            self.start_child(name)

    def start_child(self, name: str) -> None:
        if name in self.logs:
            self.logs[name].close()
        self.logs[name] = self.log_path(name).open("ab")
        self.children[name] = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "laurel", name], env=self.environment,
            stdout=self.logs[name], stderr=subprocess.STDOUT, start_new_session=True)

    def exited(self) -> dict[str, int]:
        return {name: code for name, p in self.children.items()
                if (code := p.poll()) is not None}

    def revive(self, restart: bool = True) -> None:
        """As ``laurel up`` does: a process that exits is started again (and noted)."""
        for name, code in self.exited().items():
            if name in self.noted:
                continue
            self.deaths.setdefault(name, []).append(code)
            if restart and len(self.deaths[name]) <= MAX_RESTARTS:
                self.start_child(name)
            else:
                self.noted.add(name)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.revive()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/readyz", timeout=5).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"Laurel was not ready within {timeout:.0f} s")

    async def keep_alive(self) -> None:
        while True:
            self.revive()
            await asyncio.sleep(0.2)

    def cpu_seconds(self) -> dict[str, float]:
        """User and system CPU time of each process still running."""
        return {name: cpu_seconds(child.pid) for name, child in self.children.items()
                if child.poll() is None}

    def memory_now(self) -> dict[str, float]:
        return {name: rss_mib(p.pid) for name, p in self.children.items() if p.poll() is None}

    def peak_memory(self) -> dict[str, float]:
        """Peak RSS of each process still running (a dead one has none to read)."""
        return {name: peak_rss_mib(p.pid) for name, p in self.children.items()
                if p.poll() is None}

    def stop(self, timeout: float = 15) -> dict[str, int | None]:
        """SIGINT (what ``laurel up`` relays on Ctrl-C) to each, then kill what lingers."""
        for name in STOP_ORDER:
            child = self.children.get(name)
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        codes: dict[str, int | None] = {}
        for name in STOP_ORDER:
            child = self.children.get(name)
            if child is None:
                continue
            try:
                codes[name] = child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                codes[name] = None  # killed
        for log in self.logs.values():
            log.close()
        return codes

    def log_tail(self, name: str, chars: int = 800) -> str:
        try:
            return self.log_path(name).read_text(errors="replace")[-chars:]
        except OSError:
            return ""


# -- the load generator ------------------------------------------------------------------


class LaurelLoad:
    """One proposer, three reviewers and a decider, each with ``concurrency`` requests in
    flight; the reviewers and the decider poll their inboxes and act on every open task."""

    def __init__(self, http: HttpPool, client: Client, settings: Settings, n: int,
                 concurrency: int) -> None:
        self.http, self.client, self.n, self.concurrency = http, client, n, concurrency
        self.outcome = Outcome(n)
        self.proposed: set[str] = set()
        self.proposing = True
        self.done = asyncio.Event()
        self.timings: dict[str, list[float]] = {}
        self.waiting: set[str] = set()  # nominations whose workflow's end is awaited
        key, issuer = settings.signing_key(), settings.jwt_issuer

        def headers(sub: str, role: Role, unit: str) -> dict[str, str]:
            jwt = issue_token(key, issuer, sub=sub, roles=[role], unit=unit, minutes=60)
            return {"Authorization": f"Bearer {jwt}"}

        self.proposer = headers("bench-clerk", Role.PROPOSER, UNIT)
        self.reviewers = [headers(f"bench-secretary@{u}", Role.REVIEWER, u)
                          for u in (UNIT, DISTRICT, PROVINCE)]
        self.decider = headers("bench-chairman", Role.DECIDER, PROVINCE)
        self.admin = headers("bench-admin", Role.ADMIN, PROVINCE)

    async def request(self, route: str, path: str, **kwargs: Any) -> Answer | None:
        """``route`` is the method and the path template: what timings are kept under."""
        method = route.split()[0]
        begun = time.monotonic()
        try:
            response = await self.http.request(method, path, **kwargs)
        except TRANSPORT_ERRORS as error:
            self.outcome.failures[f"{route} {type(error).__name__}"] += 1
            return None
        self.timings.setdefault(route, []).append(time.monotonic() - begun)
        return response

    def failed(self, route: str, response: Answer | None) -> None:
        if response is not None:
            self.outcome.failures[f"{route} {response.status}"] += 1

    def request_latencies(self) -> dict[str, dict[str, float]]:
        return {route: {"count": len(t), "p50_ms": round(percentile(t, 0.5) * 1000, 1),
                        "p99_ms": round(percentile(t, 0.99) * 1000, 1)}
                for route, t in sorted(self.timings.items())}

    def check_done(self) -> None:
        if not self.proposing and self.proposed <= self.outcome.completed.keys():
            self.done.set()

    async def run(self) -> None:
        self.outcome.started = time.monotonic()
        async with asyncio.TaskGroup() as group:
            group.create_task(self.propose_all())
            for headers in self.reviewers:
                group.create_task(self.inbox(headers, TaskKind.REVIEW, group))
            group.create_task(self.inbox(self.decider, TaskKind.DECISION, group))
            await self.done.wait()

    async def propose_all(self) -> None:
        limit = asyncio.Semaphore(self.concurrency)

        async def propose(i: int) -> None:
            body = {"award_code": AWARD,
                    "nominee": {"name": f"Nguyễn Thị Hoa {i:04d}", "kind": "individual",
                                "direct_worker": True},
                    "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2025",
                    "documents": [{"title": f"Tờ trình số {i}/TTr-UBND", "kind": "proposal"}]}
            async with limit:
                begun = time.monotonic()
                response = await self.request("POST /nominations", "/nominations", json=body,
                                              headers=self.proposer)
            if response is not None and response.status == 201:
                nomination = str(response.json()["id"])
                self.outcome.begun[nomination] = begun
                self.proposed.add(nomination)
            else:
                self.failed("POST /nominations", response)

        try:
            await asyncio.gather(*(propose(i) for i in range(self.n)))
        finally:
            self.proposing = False
            self.check_done()

    async def inbox(self, headers: dict[str, str], kind: TaskKind,
                    group: asyncio.TaskGroup) -> None:
        limit = asyncio.Semaphore(self.concurrency)
        acted: set[str] = set()
        review = {"outcome": ReviewOutcome.APPROVE, "votes": TALLY}
        route = f"POST /tasks/{{id}}/{kind}"

        async def act(task: dict[str, Any]) -> None:
            body = review if kind == TaskKind.REVIEW else decided_today(task["id"])
            async with limit:
                response = await self.request(route, f"/tasks/{task['id']}/{kind}",
                                              json=body, headers=headers)
            status = None if response is None else response.status
            problem = ""
            if response is not None and status == 409:
                with contextlib.suppress(ValueError):
                    problem = str(response.json().get("type", "")).rsplit("/", 1)[-1]
            nomination = str(task["nomination_id"])
            if status == 200 or problem == "task-closed":
                if problem:  # acted on already (a request that timed out went through)
                    self.outcome.notes["409 task already closed"] += 1
                if kind == TaskKind.DECISION:
                    self.decision_recorded(nomination, group)
                return
            if problem:  # not the 409 a repeated action gets: a failure, tried again
                self.outcome.failures[f"{route} 409 {problem} (retried)"] += 1
            else:
                self.failed(route, response)
            if kind == TaskKind.DECISION and response is None:
                # It may have been recorded all the same: wait for the workflow too.
                self.decision_recorded(nomination, group, confirmed=False)
            acted.discard(task["id"])  # if still open, the next poll tries again

        while not self.done.is_set():
            response = await self.request("GET /tasks", "/tasks", params={"limit": 200},
                                          headers=headers)
            fresh: list[dict[str, Any]] = []
            if response is not None and response.status == 200:
                fresh = [t for t in response.json()["items"]
                         if t["kind"] == kind and t["id"] not in acted]
            else:
                self.failed("GET /tasks", response)
            for task in fresh:
                acted.add(task["id"])
                group.create_task(act(task))
            if not fresh:
                await asyncio.sleep(INBOX_POLL)

    def decision_recorded(self, nomination: str, group: asyncio.TaskGroup,
                          confirmed: bool = True) -> None:
        if confirmed:
            self.outcome.decided.setdefault(nomination, time.monotonic())
        if nomination not in self.waiting:
            self.waiting.add(nomination)
            group.create_task(self.completion(nomination))

    async def completion(self, nomination: str) -> None:
        """The decision has been recorded: wait for the workflow to take it and end."""
        try:
            await self.client.get_workflow_handle(workflow_id(nomination)).result()
        except Exception as error:
            self.outcome.failures[f"workflow {type(error).__name__}"] += 1
        self.outcome.completed.setdefault(nomination, time.monotonic())
        self.check_done()

    async def time_between_events(self, sample: int) -> dict[str, dict[str, float]]:
        """From the histories of some decided nominations: how long each step waited.
        ``ReviewOpened → ReviewedByCouncil`` is the people's side (the projector showing
        the task, the inbox poll, the load generator's queue, the API's command); the
        others are the system's (relay, Temporal, the workflow's step)."""
        decided = sorted(self.outcome.decided)
        chosen = decided[:: max(1, len(decided) // sample)][:sample]
        gaps: dict[str, list[float]] = {}
        for nomination in chosen:
            response = await self.request("GET /nominations/{id}/history",
                                          f"/nominations/{nomination}/history",
                                          headers=self.admin)
            if response is None or response.status != 200:
                continue
            steps = [(item["type"], datetime.fromisoformat(item["occurred_at"]))
                     for item in response.json()["items"]]
            for (before, at), (after, then) in itertools.pairwise(steps):
                if (before, after) != ("Forwarded", "ReviewOpened"):  # one step's two events
                    gaps.setdefault(f"{before} → {after}", []).append(
                        (then - at).total_seconds())
        return {step: {"p50_s": round(percentile(g, 0.5), 3),
                       "p90_s": round(percentile(g, 0.9), 3)} for step, g in gaps.items()}

    async def awarded_in_read_models(self) -> int:
        response = await self.request("GET /nominations", "/nominations", headers=self.admin,
                                      params={"status": Status.AWARDED, "limit": 1})
        if response is None or response.status != 200:
            return -1
        return int(response.json()["total"])


async def _drive_laurel(service: Service, n: int, concurrency: int, within: float,
                        temporal_pid: int) -> tuple[Outcome, dict[str, Any]]:
    settings = service.settings
    client = await _connect(settings.temporal_address, settings.temporal_namespace)
    extra: dict[str, Any] = {}
    keeper = asyncio.create_task(service.keep_alive())
    http = HttpPool(service.base_url)
    try:
        # One nomination first, not counted: the worker's first workflow pays for its
        # imports and connections (the baseline warms up the same way).
        warm = LaurelLoad(http, client, settings, 1, concurrency)
        begun = time.monotonic()
        deadline = begun + within  # for the warm-up and the load together
        try:
            await asyncio.wait_for(warm.run(), within)
        except TimeoutError:
            extra["error"] = f"the warm-up nomination did not finish within {within:.0f} s"
            return Outcome(n, timed_out=True), extra
        await _read_models_catch_up(warm, deadline - time.monotonic(), already=0)
        extra["warm_up_s"] = round(time.monotonic() - begun, 3)

        load = LaurelLoad(http, client, settings, n, concurrency)
        outcome = load.outcome
        cpu, own_cpu = service.cpu_seconds(), time.process_time()
        server_cpu = cpu_seconds(temporal_pid)
        sampler = asyncio.create_task(_sample_memory(service, outcome, samples := []))
        try:
            await asyncio.wait_for(load.run(), max(1.0, deadline - time.monotonic()))
        except TimeoutError:
            outcome.timed_out, outcome.ended = True, time.monotonic()
        sampler.cancel()
        samples.append((len(outcome.completed), service.memory_now()))
        extra["memory"] = _memory_growth(samples, n)
        outcome.finish()
        used = {name: round(after - cpu[name], 2)
                for name, after in service.cpu_seconds().items() if name in cpu}
        extra["cpu_s"] = {**used, "load generator": round(time.process_time() - own_cpu, 2),
                          "temporal server": round(cpu_seconds(temporal_pid) - server_cpu, 2)}
        extra["request_latency"] = load.request_latencies()
        if outcome.decided:
            extra.update(await _read_models_catch_up(load, within, already=1))
            extra["time_between_events"] = await load.time_between_events(sample=50)
            extra["workflow_history"] = await _history_shape(
                client, [workflow_id(nomination) for nomination in sorted(outcome.decided)])
    finally:
        keeper.cancel()
        http.close()
    return outcome, extra


async def _history_shape(client: Client, workflow_ids: list[str],
                         sample: int = 20) -> dict[str, Any]:
    """What Temporal stored for some workflows: the events of each type (median per
    workflow) and in all — each event is work for the server — and how long their
    workflow tasks waited for a worker's poll and then took to complete."""
    counts: list[Counter[str]] = []
    waited: list[float] = []
    ran: list[float] = []
    for key in workflow_ids[:: max(1, len(workflow_ids) // sample)][:sample]:
        history = await client.get_workflow_handle(key).fetch_history()
        counts.append(Counter(EventType.Name(e.event_type).removeprefix("EVENT_TYPE_").lower()
                              for e in history.events))
        at = {e.event_id: e.event_time.ToMicroseconds() / 1000 for e in history.events}
        for e in history.events:
            if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
                scheduled = e.workflow_task_started_event_attributes.scheduled_event_id
                waited.append(at[e.event_id] - at[scheduled])
            elif e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
                started = e.workflow_task_completed_event_attributes.started_event_id
                ran.append(at[e.event_id] - at[started])
    kinds = sorted(set().union(*counts))
    return {"workflows": len(counts),
            "events_p50": median([sum(c.values()) for c in counts]),
            "by_type_p50": {k: median([c[k] for c in counts]) for k in kinds},
            "workflow_task_ms": {
                "scheduled → started p50/p90": [round(percentile(waited, q), 1)
                                                for q in (0.5, 0.9)],
                "started → completed p50/p90": [round(percentile(ran, q), 1)
                                                for q in (0.5, 0.9)]}}


MemorySample = tuple[int, dict[str, float]]
"""Nominations completed so far, and each process's resident memory then (MiB)."""


async def _sample_memory(service: Service, outcome: Outcome,
                         samples: list[MemorySample]) -> None:
    while True:
        samples.append((len(outcome.completed), service.memory_now()))
        await asyncio.sleep(0.25)


def _memory_growth(samples: list[MemorySample], n: int) -> dict[str, Any]:
    """Each process's resident memory once a third of the nominations were done and at
    the end: a process that keeps something per nomination grows between the two."""
    third = next((s for s in samples if s[0] >= n // 3), samples[-1])
    last = samples[-1]
    return {
        "at_third": {"completed": third[0], "rss_mib": third[1]},
        "at_end": {"completed": last[0], "rss_mib": last[1]},
        "growth_mib": {name: round(last[1][name] - mib, 1)
                       for name, mib in third[1].items() if name in last[1]},
    }


async def _read_models_catch_up(load: LaurelLoad, within: float,
                                already: int) -> dict[str, Any]:
    """How long after the last workflow ended the read models show every award."""
    outcome = load.outcome
    awarded, deadline = -1, time.monotonic() + min(10.0, within)
    while time.monotonic() < deadline:
        awarded = await load.awarded_in_read_models() - already
        if awarded >= len(outcome.decided):
            return {"read_models_awarded_after_last_s":
                    round(max(0.0, time.monotonic() - outcome.ended), 3)}
        await asyncio.sleep(0.05)
    return {"read_models_awarded": f"{awarded} of {len(outcome.decided)} within the wait"}


def _laurel(settings: Settings, n: int, concurrency: int, temporal_pid: int,
            timeout: float) -> tuple[Outcome, dict[str, Any], dict[str, float]]:
    wait_until_quiet()
    service = Service(settings)
    memory: dict[str, float] = {}
    details: dict[str, Any] = {}
    try:
        service.start()
        started = time.monotonic()
        service.wait_ready(READY_TIMEOUT)
        details["startup_s"] = round(time.monotonic() - started, 2)
        outcome, extra = event_loop.run(
            _drive_laurel(service, n, concurrency, timeout, temporal_pid))
        details.update(extra)
        memory = service.peak_memory()
    except RuntimeError as error:
        outcome = Outcome(n, timed_out=True)
        details["error"] = str(error)
    finally:
        service.revive(restart=False)  # note any exit since the last look
        details["exit_codes"] = service.stop()
        if service.deaths:
            details["exited_and_restarted"] = service.deaths
        if service.deaths or "error" in details:
            details["logs"] = {name: service.log_tail(name)
                               for name in PROCESSES if name in service.deaths
                               or "error" in details}
    return outcome, details, memory


# -- the suite ---------------------------------------------------------------------------


def _baselines(context: BenchContext, n: int, concurrency: int, timeout: float,
               sandboxed: bool) -> list[Outcome]:
    """The bare workflow's runs: signals taken in turn, then back to back."""
    runs = []
    for each in (True, False):
        wait_until_quiet()
        runs.append(event_loop.run(_baseline(context.temporal_address, n, concurrency, timeout,
                                             context.temporal_pid, sandboxed, in_turn=each)))
    return runs


def run(context: BenchContext) -> list[Figure]:
    n = context.scale(30, 1000)
    concurrency = context.scale(8, 16)
    timeout = float(context.scale(90, 900))

    rounds: list[Round] = []
    for i in range(context.scale(1, ROUNDS)):  # the baselines and Laurel in turn
        settings = context.fresh_settings("end-to-end")

        # The server's store grows with every run and each run costs it a little more:
        # Laurel goes first in every other round, so neither side always gets the larger.
        laurel_first = i % 2 == 1
        sandboxed = settings.workflow_sandbox
        if laurel_first:
            laurel_run = _laurel(settings, n, concurrency, context.temporal_pid, timeout)
            in_turn, back_to_back = _baselines(context, n, concurrency, timeout, sandboxed)
        else:
            in_turn, back_to_back = _baselines(context, n, concurrency, timeout, sandboxed)
            laurel_run = _laurel(settings, n, concurrency, context.temporal_pid, timeout)
        rounds.append(Round(in_turn, back_to_back, *laurel_run, laurel_first=laurel_first))
    # The round of the median ratio is the one described; the figures are medians.
    described = sorted(rounds, key=lambda r: r.ratio)[len(rounds) // 2]
    baseline, laurel, details, memory = (described.baseline, described.laurel,
                                         described.details, described.memory)

    laurel_rate = median([r.laurel.throughput for r in rounds])
    load = (f"{concurrency} requests in flight per actor: Laurel has 1 proposer, "
            "3 reviewers and 1 decider (plus each reviewer's inbox poll); the baseline "
            "has 1 starter and 4 signallers")
    figures = [Figure(
        name="end to end: unit → district → province → decided",
        unit="nominations/s",
        laurel=laurel_rate,
        baseline=median([r.baseline.throughput for r in rounds]),
        baseline_name="bare Temporal workflow, start + 4 signals taken in turn",
        goal=GOAL,
        details={
            "nominations": n,
            "concurrency": load,
            "done_when": "the nomination's workflow has completed (Laurel: the decision "
                         "recorded, relayed and taken; baseline: the 4th signal taken)",
            "baseline_load": "a signal is sent once the bare workflow has taken the start "
                             "or the signal before it, as a person acts on the route only "
                             "once the workflow took the step before",
            "latency": "per nomination, from its proposal (baseline: its start) sent",
            "timeout_s": timeout,
            "median_of": len(rounds),
            "rounds": [{"laurel": round(r.laurel.throughput, 2),
                        "baseline": round(r.baseline.throughput, 2), "ratio": round(r.ratio, 3),
                        "back_to_back": round(r.back_to_back.throughput, 2),
                        "ratio_back_to_back": round(r.ratio_back_to_back, 3),
                        "laurel_ran_first": r.laurel_first}
                       for r in rounds],
            "described_round": "the round of the median ratio",
            "laurel": {**laurel.summary(), **details},
            "baseline": baseline.summary(),
        },
    ), Figure(
        name="end to end, against signals sent back to back",
        unit="nominations/s",
        laurel=laurel_rate,
        baseline=median([r.back_to_back.throughput for r in rounds]),
        baseline_name="bare Temporal workflow, start + 4 signals back to back",
        details={
            "why": "the earlier baseline, kept for comparison: signals that pile up are "
                   "taken several to a workflow task, which the route never allows",
            "median_of": len(rounds),
            "baseline": described.back_to_back.summary(),
        },
    )]
    restarted = details.get("exited_and_restarted", {})
    growth = details.get("memory", {}).get("growth_mib", {})
    for name in PROCESSES:
        if name in memory:
            figures.append(Figure(
                name=f"peak memory: {name}", unit="MiB", laurel=memory[name],
                details={"after": f"{len(laurel.completed)} nominations",
                         "growth_over_last_two_thirds_mib": growth.get(name),
                         **({"restarted": "after exiting; the figure is the new process's"}
                            if name in restarted else {})}))
    if growth:
        worst = max(growth, key=lambda name: growth[name])
        figures.append(Figure(
            name="memory growth over the last ⅔ of the nominations, largest", unit="MiB",
            laurel=growth[worst], goal=MEMORY_GOAL,
            details={"process": worst, **details["memory"]}))
    return figures
