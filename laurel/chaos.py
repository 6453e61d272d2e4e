"""``laurel chaos``: crash anywhere, lose nothing.

Starts the whole service the way ``laurel up`` does (the same supervisor restarts what
dies) on fresh stores, drives a few hundred nominations through every path of the process
by HTTP as their proposers, councils and deciders would, and meanwhile kills, with
SIGKILL at random moments, the worker, the relay, the projector, the API and the Temporal
dev server — and on PostgreSQL restarts the database server mid-run (a server of the
run's own, never a shared one). Then it checks what
was promised, from the stores themselves:

- every nomination ended where its script drove it (the event store's own state);
- per nomination, versions 1…n with no gap, and exactly the events its path records —
  none repeated by a retried step, none missing;
- the hash chains over the log intact;
- the read models identical to a rebuild from the events;
- every workflow completed (each script ends its nomination).

The scripted people retry what did not get an answer, with the same ``Idempotency-Key``,
as a careful client does; the count of such retries is reported beside the kills.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from temporalio.client import Client

from api.auth import issue_token
from domain.calendar import WorkingCalendar
from domain.vocabulary import DecisionOutcome, ReviewOutcome, Role, Status
from infrastructure.audit_chain import verify_chain
from infrastructure.container import Laurel
from infrastructure.settings import Settings
from infrastructure.temporal import connect
from laurel.private_postgres import PrivateCluster, private_cluster
from laurel.supervisor import Supervisor, free_port, wait_for_port
from laurel.system import open_laurel
from projections.verify import scratch_url_for, verify_read_models
from workflows.messages import workflow_id

log = logging.getLogger("laurel.chaos")

AWARD = "bang-khen-tinh"
PATHS = ("awarded", "not_awarded", "rejected", "returned", "withdrawn")
"""Every way a nomination ends: decided either way, rejected by the district council,
returned by it and supplemented (then awarded), withdrawn while the district reviews."""
FINAL_STATUS = {"awarded": Status.AWARDED, "not_awarded": Status.NOT_AWARDED,
                "rejected": Status.REJECTED, "returned": Status.AWARDED,
                "withdrawn": Status.WITHDRAWN}
VICTIMS = ("worker", "relay", "projector", "api", "temporal")
FOR = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
AGAINST = {"members": 9, "present": 9, "for": 1, "against": 8, "abstain": 0}
"""Nine members: the demo province's council has a roster of nine (the councils below
have none, and take the count typed)."""


@dataclass
class Script:
    """One nomination and the path its people drive it along."""

    number: int
    unit: str
    path: str
    nomination_id: str = ""
    acted: set[str] = field(default_factory=set)
    returned: bool = False
    supplemented: bool = False
    done: bool = False


@dataclass
class Outcome:
    backend: str
    nominations: int
    seconds: float = 0.0
    events: int = 0
    kills: Counter[str] = field(default_factory=Counter)
    restarts: int = 0
    postgres_restarts: int = 0
    retried_requests: int = 0
    server_errors: int = 0
    """Answers of 500 and above other than 503: each a fault the client had to ride out."""
    mismatches: list[str] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        kills = ", ".join(f"{name} {self.kills[name]}" for name in VICTIMS)
        rows = [
            ("backend", self.backend),
            ("nominations", str(self.nominations)),
            ("events stored", str(self.events)),
            ("run time", f"{self.seconds:.0f} s"),
            ("SIGKILLs", f"{sum(self.kills.values())} ({kills})"),
            ("restarts by the supervisor", str(self.restarts)),
            ("PostgreSQL restarts", str(self.postgres_restarts)),
            ("requests retried by clients", str(self.retried_requests)),
            ("answers 5xx other than 503", str(self.server_errors)),
            *self.checks.items(),
            ("mismatches", str(len(self.mismatches))),
        ]
        wide = max(len(k) for k, _ in rows)
        lines = [f"{k:<{wide}}  {v}" for k, v in rows]
        lines += [f"  ✗ {m}" for m in self.mismatches[:20]]
        if len(self.mismatches) > 20:
            lines.append(f"  … and {len(self.mismatches) - 20} more")
        return "\n".join(lines)


def expected_events(path: str, reviews: int) -> list[str]:
    """The events a nomination of ``path`` records on a route of ``reviews`` councils:
    what the process defines, the yardstick for nothing repeated and nothing lost."""
    def level(step: int, outcome_events: list[str]) -> list[str]:
        return [*(["Forwarded"] if step else []), "ReviewOpened", *outcome_events]

    events = ["Proposed"]
    for step in range(reviews):
        if path == "withdrawn" and step == 1:
            return [*events, *level(step, []), "Withdrawn"]
        if path == "rejected" and step == 1:
            return [*events, *level(step, ["ReviewedByCouncil"])]
        if path == "returned" and step == 1:
            events += [*level(step, ["ReviewedByCouncil"]), "Supplemented", "ReviewOpened",
                       "ReviewedByCouncil"]
            continue
        events += level(step, ["ReviewedByCouncil"])
    return [*events, "DecisionOpened", "Decided"]


# -- the scripted people ----------------------------------------------------------------


class People:
    """Proposers, councils and deciders of every unit, acting by HTTP with retries."""

    def __init__(self, settings: Settings, client: httpx.AsyncClient, outcome: Outcome,
                 poll: float) -> None:
        self.settings = settings
        self.client = client
        self.outcome = outcome
        self.poll = poll
        self._tokens: dict[tuple[str, str], dict[str, str]] = {}

    def as_(self, role: Role, unit: str) -> dict[str, str]:
        if (role, unit) not in self._tokens:
            token = issue_token(self.settings.signing_key(), self.settings.jwt_issuer,
                                sub=f"chaos-{role}", roles=[role], unit=unit, minutes=240)
            self._tokens[role, unit] = {"Authorization": f"Bearer {token}"}
        return self._tokens[role, unit]

    async def call(self, method: str, path: str, headers: dict[str, str],
                   body: dict[str, Any] | None = None, key: str = "") -> httpx.Response:
        """The request until it is answered: the same key each time, so a request whose
        answer was lost is answered again, not repeated. A refusal (4xx) is returned."""
        if key:
            headers = {**headers, "Idempotency-Key": key}
        first = True
        while True:
            if not first:
                self.outcome.retried_requests += method != "GET"
                await asyncio.sleep(self.poll)
            first = False
            try:
                response = await self.client.request(method, path, headers=headers, json=body)
            except httpx.TransportError:
                continue
            if response.status_code >= 500:
                self.outcome.server_errors += response.status_code != 503
                continue
            return response

    async def follow(self, script: Script, province: str) -> None:
        """Propose the nomination, then act on each task it reaches, as its script says."""
        proposer = self.as_(Role.PROPOSER, script.unit)
        created = await self.call("POST", "/nominations", proposer, {
            "award_code": AWARD,
            "nominee": {"name": f"Nguyễn Thị Thu {script.number}", "kind": "individual"},
            "achievements": "Hoàn thành xuất sắc nhiệm vụ năm 2026"},
            key=f"chaos-propose-{script.number}")
        if created.status_code != 201:
            raise RuntimeError(f"proposal {script.number} refused: {created.text}")
        script.nomination_id = created.json()["id"]
        watcher = self.as_(Role.AUDITOR, province)
        while not script.done:
            await asyncio.sleep(self.poll)
            read = await self.call("GET", f"/nominations/{script.nomination_id}", watcher)
            if read.status_code == 404:
                continue  # not projected yet
            await self._act(script, read.json())

    async def _act(self, script: Script, row: dict[str, Any]) -> None:
        status, task, unit = row["status"], row["open_task_id"], row["current_unit_id"]
        path = f"/nominations/{script.nomination_id}"
        if status == FINAL_STATUS[script.path] and (script.path != "returned"
                                                    or script.supplemented):
            script.done = True
        elif status == Status.RETURNED and not script.supplemented:
            await self._expect(200, "POST", f"{path}/supplement",
                               self.as_(Role.PROPOSER, script.unit),
                               {"documents": [{"title": "Biên bản họp bổ sung",
                                               "kind": "meeting_minutes"}]},
                               f"chaos-supplement-{script.number}")
            script.supplemented = True
        elif status == Status.UNDER_REVIEW and task and task not in script.acted:
            district = row["current_level"] == "district"
            if script.path == "withdrawn" and district:
                await self._expect(200, "POST", f"{path}/withdraw",
                                   self.as_(Role.PROPOSER, script.unit),
                                   {"reason": "Đơn vị rút đề nghị"},
                                   f"chaos-withdraw-{script.number}")
            else:
                outcome = ReviewOutcome.APPROVE
                if district and script.path == "rejected":
                    outcome = ReviewOutcome.REJECT
                elif district and script.path == "returned" and not script.returned:
                    outcome, script.returned = ReviewOutcome.RETURN, True
                await self._expect(200, "POST", f"/tasks/{task}/review",
                                   self.as_(Role.REVIEWER, unit),
                                   {"outcome": outcome,
                                    "votes": FOR if outcome == ReviewOutcome.APPROVE else AGAINST},
                                   f"chaos-review-{task}")
            script.acted.add(task)
        elif status == Status.AWAITING_DECISION and task and task not in script.acted:
            awarded = script.path != "not_awarded"
            await self._expect(200, "POST", f"/tasks/{task}/decision",
                               self.as_(Role.DECIDER, unit),
                               {"outcome": DecisionOutcome.AWARDED if awarded
                                else DecisionOutcome.NOT_AWARDED,
                                "decision_number": f"{script.number}/QĐ-UBND",
                                "decision_date": datetime.now(WorkingCalendar().zone).date()
                                .isoformat(), "signer": "Chủ tịch UBND tỉnh"},
                               f"chaos-decision-{task}")
            script.acted.add(task)

    async def _expect(self, status: int, method: str, path: str, headers: dict[str, str],
                      body: dict[str, Any], key: str) -> None:
        response = await self.call(method, path, headers, body, key)
        if response.status_code != status:
            self.outcome.mismatches.append(
                f"{method} {path} answered {response.status_code}: {response.text[:300]}")


# -- the faults ------------------------------------------------------------------------


class Monkey:
    """Kills a random process of the service every few seconds; restarts PostgreSQL once."""

    def __init__(self, supervisor: Supervisor, outcome: Outcome, rng: random.Random,
                 interval: tuple[float, float], postgres: PrivateCluster | None) -> None:
        self.supervisor = supervisor
        self.outcome = outcome
        self.rng = rng
        self.interval = interval
        self.postgres = postgres
        self.every_one_killed = asyncio.Event()
        """Set when every process has been killed at least once."""

    async def run(self, stop: asyncio.Event, seconds_hint: float) -> None:
        started = time.monotonic()
        victims: list[str] = []
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.rng.uniform(*self.interval))
            if stop.is_set():
                return
            if (self.postgres is not None and not self.outcome.postgres_restarts
                    and time.monotonic() - started > seconds_hint * 0.3):
                await asyncio.to_thread(restart_postgres, self.postgres)
                self.outcome.postgres_restarts += 1
                continue
            if not victims:  # every process in turn, in a random order each round
                victims = self.rng.sample(VICTIMS, len(VICTIMS))
            if not self.kill(victims[-1]):
                continue  # dead already, waiting for its restart: its turn again next time
            victims.pop()
            if not victims:
                self.every_one_killed.set()

    def kill(self, name: str) -> bool:
        process = self.supervisor.children[name].process
        if process is None or process.poll() is not None:
            return False
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: it and its children
        except ProcessLookupError:
            return False
        self.outcome.kills[name] += 1
        log.info("SIGKILL %s (pid %d)", name, process.pid)
        return True


def restart_postgres(cluster: PrivateCluster) -> None:
    """A restart of the run's own server (never a shared one: other runs use it)."""
    cluster.stop("fast")
    cluster.start()
    log.info("PostgreSQL restarted")


# -- the run ----------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_settings(backend: str) -> Iterator[tuple[Settings, PrivateCluster | None]]:
    """Settings on fresh stores: on PostgreSQL, a server of the run's own
    (``laurel.private_postgres``), which the run may stop and start."""
    work_dir = Path(tempfile.mkdtemp(prefix="laurel-chaos-"))
    with (private_cluster() if backend == "postgres"
          else contextlib.nullcontext(None)) as cluster:
        url = cluster.create_database("laurel_chaos") if cluster is not None else None
        try:
            yield (Settings(data_dir=work_dir / "data", database_url=url, api_port=free_port(),
                            task_queue=f"chaos-{uuid.uuid4().hex[:8]}",
                            jwt_secret="chaos-" + uuid.uuid4().hex, poll_interval=0.1),
                   cluster)
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)


def scripts_for(laurel: Laurel, count: int) -> list[Script]:
    """``count`` nominations spread over the communes, every path taken in turn."""
    policy = laurel.policy
    communes = [u for u in sorted(policy.org.units)
                if _reviews(laurel, u) == 3]
    return [Script(i, communes[(i * 7) % len(communes)], PATHS[i % len(PATHS)])
            for i in range(count)]


def _reviews(laurel: Laurel, unit: str) -> int:
    try:
        return len(laurel.policy.plan_route(AWARD, unit, "individual").reviews)
    except Exception:
        return 0


def chaos(backend: str, nominations: int, interval: tuple[float, float] = (1.0, 4.0),
          concurrency: int = 40, stagger: float = 0.0, seed: int | None = None,
          within: float = 900) -> Outcome:
    """Run it; the outcome holds the counts and every mismatch found. ``interval``: the
    shortest and longest pause between kills; ``stagger``: seconds between one
    nomination's proposal and the next (0: as fast as ``concurrency`` allows). The run
    lasts until every nomination is finished and every process has died at least once."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    seed = seed if seed is not None else secrets.randbelow(2**32)
    outcome = Outcome(backend, nominations)
    with fresh_settings(backend) as (settings, cluster):
        supervisor = Supervisor(settings, external_temporal=False,
                                log_dir=settings.data_dir / "logs")
        supervisor.start()
        watcher = threading.Thread(target=supervisor.watch, name="supervisor", daemon=True)
        watcher.start()
        try:
            if not wait_for_port(settings.api_port, 60):
                raise RuntimeError("the API did not start within 60 s")
            laurel = open_laurel(settings)
            try:
                scripts = scripts_for(laurel, nominations)
                print(f"chaos: {nominations} nominations on {backend}, seed {seed}",
                      flush=True)
                started = time.monotonic()
                province = next(u.id for u in laurel.policy.org.units.values()
                                if u.parent_id is None)
                asyncio.run(_drive(settings, supervisor, scripts, province, outcome,
                                   random.Random(seed),  # noqa: S311 - faults, not secrets
                                   interval, concurrency, stagger, within, cluster))
                outcome.seconds = time.monotonic() - started
                _all_running(supervisor, within=60)
                outcome.restarts = sum(c.times_restarted for c in supervisor.children.values())
                print("chaos: faults stopped; letting the service settle, then checking",
                      flush=True)
                laurel.close()  # its connections may have died with the server's restart
                laurel = open_laurel(settings)
                asyncio.run(_check(settings, laurel, scripts, outcome, within))
            finally:
                laurel.close()
                if outcome.mismatches or outcome.seconds == 0:  # kept for a post-mortem
                    kept = Path(tempfile.gettempdir()) / f"laurel-chaos-logs-{seed}"
                    shutil.copytree(settings.data_dir / "logs", kept, dirs_exist_ok=True)
                    print(f"chaos: the processes' logs are kept in {kept}", flush=True)
        finally:
            supervisor.stop()
            watcher.join(30)
            supervisor.shutdown()
    return outcome


def _all_running(supervisor: Supervisor, within: float) -> None:
    """Wait for the supervisor to have restarted whatever the last kills took down."""
    deadline = time.monotonic() + within
    while any(c.process is None or c.process.poll() is not None
              for c in supervisor.children.values()):
        if time.monotonic() > deadline:
            raise RuntimeError("the supervisor did not restart every process")
        time.sleep(0.2)


async def _drive(settings: Settings, supervisor: Supervisor, scripts: list[Script],
                 province: str, outcome: Outcome, rng: random.Random,
                 interval: tuple[float, float], concurrency: int, stagger: float,
                 within: float, cluster: PrivateCluster | None) -> None:
    stop = asyncio.Event()
    monkey = Monkey(supervisor, outcome, rng, interval, cluster)
    faults = asyncio.create_task(monkey.run(stop, seconds_hint=len(scripts) * 0.5))
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.api_port}",
                                 timeout=10, limits=limits) as client:
        people = People(settings, client, outcome, poll=0.3)
        gate = asyncio.Semaphore(concurrency)

        async def one(script: Script) -> None:
            await asyncio.sleep(script.number * stagger)
            async with gate:
                await people.follow(script, province)

        async def all_of_them() -> None:
            await asyncio.gather(*(one(s) for s in scripts))
            await monkey.every_one_killed.wait()

        async def report_progress() -> None:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 15)
                done = sum(s.done for s in scripts)
                print(f"chaos: {done}/{len(scripts)} nominations finished, "
                      f"{sum(outcome.kills.values())} kills", flush=True)

        progress = asyncio.create_task(report_progress())
        try:
            await asyncio.wait_for(all_of_them(), within)
        except TimeoutError:
            unfinished = [s for s in scripts if not s.done]
            outcome.mismatches += [f"nomination {s.number} ({s.path}) did not finish within "
                                   f"{within:.0f} s" for s in unfinished]
        finally:
            stop.set()
            await faults
            await progress


async def _check(settings: Settings, laurel: Laurel, scripts: list[Script], outcome: Outcome,
                 within: float) -> None:
    head = await asyncio.to_thread(laurel.log.last_position)
    await _projected_through(laurel, head, within=120)
    # A Temporal server restarted by the last kills is running before it listens.
    temporal_port = int(settings.temporal_address.rpartition(":")[2])
    if not await asyncio.to_thread(wait_for_port, temporal_port, 60):
        raise RuntimeError("the Temporal server did not listen again within 60 s")
    client = await connect(settings)
    open_workflows = elsewhere = 0
    for script in scripts:
        if not script.nomination_id:
            continue
        nomination_id = uuid.UUID(script.nomination_id)
        status = laurel.nominations.status(nomination_id)
        if status != FINAL_STATUS[script.path]:
            elsewhere += 1
            outcome.mismatches.append(f"nomination {script.number} ({script.path}) is {status}")
        stored = list(laurel.nominations.events.get(nomination_id))
        outcome.events += len(stored)
        versions = [e.originator_version for e in stored]
        if versions != list(range(1, len(stored) + 1)):
            outcome.mismatches.append(f"nomination {script.number}: versions {versions}")
        types = [type(e).__name__ for e in stored]
        expected = expected_events(script.path, 3)
        if types != expected:
            outcome.mismatches.append(f"nomination {script.number} ({script.path}): events "
                                      f"{types}, expected {expected}")
        state = await _workflow_ended(client, script.nomination_id, within=60)
        if state != "COMPLETED":
            open_workflows += 1
            outcome.mismatches.append(f"nomination {script.number}: workflow {state}")
    chain = await asyncio.to_thread(verify_chain, laurel.nominations.recorder)
    if not chain.intact:
        outcome.mismatches.append(chain.render())
    report = await asyncio.to_thread(verify_read_models, laurel.engine, laurel.log,
                                     scratch_url_for(settings.read_model_url()))
    if not report.identical:
        outcome.mismatches += [str(d) for d in report.differences] or [report.render()]
    outcome.checks = {
        "final states as scripted": f"{len(scripts) - elsewhere}/{len(scripts)}",
        "hash chains": "intact" if chain.intact else "BROKEN",
        "read models vs rebuild": "identical" if report.identical else "DIFFERENT",
        "workflows completed": f"{len(scripts) - open_workflows}/{len(scripts)}",
    }


async def _workflow_ended(client: Client, nomination_id: str, within: float) -> str:
    """The workflow's state once it has ended, or as it still is after ``within`` s (the
    relay may still be delivering the last decision when the check begins)."""
    handle = client.get_workflow_handle(workflow_id(nomination_id))
    deadline = time.monotonic() + within
    while True:
        described = await handle.describe()
        state = described.status.name if described.status else "UNKNOWN"
        if state != "RUNNING" or time.monotonic() > deadline:
            return state
        await asyncio.sleep(0.5)


async def _projected_through(laurel: Laurel, head: int, within: float) -> None:
    """Wait for the (restarted) projector to have applied everything stored."""
    from projections.projector import Projector

    deadline = time.monotonic() + within
    projector = Projector(laurel.engine, laurel.log)
    while await asyncio.to_thread(projector.position) < head:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the projector did not reach position {head}")
        await asyncio.sleep(0.2)
