"""``laurel chaos --fleet``: the service as production runs it, two of every process on
one PostgreSQL, and what happens when things fail.

On a PostgreSQL server of its own (``laurel.private_postgres``: never the shared one) and
a Temporal dev server, after ``laurel migrate``:

1. starts two APIs, two workers, two relays, two projectors and two notifiers all at
   once, ``starts`` times over, and counts the processes that died on the way up;
2. then, with the ten running (any that dies is started again), drives nominations
   along every path by HTTP through both APIs (``laurel.chaos``'s scripted people)
   while it SIGKILLs the relay and the projector that lead (the standby must take over)
   and stops PostgreSQL for ``outage`` seconds once — meanwhile the APIs must answer 503,
   never 500;
3. and checks, besides what ``laurel chaos`` checks (final states, every nomination's
   exact events, hash chains, read models equal to a rebuild, workflows completed):
   every event the relay passes on signalled once (counted from Temporal's histories;
   only a nomination's last events may go unsignalled, when its run read them from the
   store and closed before the relay, behind, came to them),
   the consumers' stored positions never moving backwards (sampled all along), and a
   standby leading again after each kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus

from infrastructure.metrics import BEAT_SECONDS, heartbeat_dir
from infrastructure.settings import Settings
from infrastructure.temporal import connect
from laurel.chaos import Outcome, People, Script, _check, scripts_for
from laurel.migrate import migrate
from laurel.parent import EXIT_WITH_PARENT
from laurel.private_postgres import PrivateCluster, private_cluster
from laurel.supervisor import Child, free_port, temporal_dev_server, wait_for_port
from laurel.system import open_laurel
from workflows.messages import workflow_id
from workflows.relay import RELAYED

log = logging.getLogger("laurel.fleet")

KINDS = ("api", "worker", "relay", "projector", "notifier")
LEADERS = ("relay", "projector")
"""The followers whose leader is killed while the nominations run."""
CONSUMERS = ("relay", "projector", "notifier")


@dataclass
class FleetOutcome(Outcome):
    starts: int = 0
    start_crashes: list[str] = field(default_factory=list)
    """Each process that died while the fleet was starting, and in which round."""
    takeovers: list[float] = field(default_factory=list)
    """Seconds from a leader's SIGKILL to another process leading."""
    outage_seconds: float = 0.0
    unavailable_answers: int = 0
    """503s the APIs answered (PostgreSQL away, or busy)."""
    regressions: list[str] = field(default_factory=list)
    signalled_twice: int = 0
    relayed_events: int = 0
    closed_before_signal: int = 0
    """Relayed events whose run had read them from the store and closed first."""

    def render(self) -> str:
        rows = [
            ("starts of the whole fleet", f"{self.starts}, processes died on the way up: "
                                          f"{len(self.start_crashes)}"),
            ("leaders killed", ", ".join(f"{k} {self.kills[k]}" for k in LEADERS)),
            ("standby took over in", _seconds(self.takeovers)),
            ("PostgreSQL stopped for", f"{self.outage_seconds:.0f} s"),
            ("503 answers", str(self.unavailable_answers)),
            ("relayed events", str(self.relayed_events)),
            ("signalled more than once", str(self.signalled_twice)),
            ("late, run closed on them", str(self.closed_before_signal)),
            ("positions moved backwards", str(len(self.regressions))),
        ]
        wide = max(len(k) for k, _ in rows)
        return "\n".join([super().render(), *(f"{k:<{wide}}  {v}" for k, v in rows),
                          *(f"  ✗ {c}" for c in self.start_crashes[:10]),
                          *(f"  ✗ {r}" for r in self.regressions[:10])])


def _seconds(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{min(values):.1f}–{max(values):.1f} s (median {sorted(values)[len(values) // 2]:.1f})"


class Fleet:
    """Two of every Laurel process, each started again if it dies (unless stopping)."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.api_ports = [free_port(), free_port()]
        base = {**os.environ, **settings.as_environment(), EXIT_WITH_PARENT: str(os.getpid()),
                "LAUREL_DATA_DIR": str(settings.data_dir.resolve()), "LAUREL_API_WORKERS": "1"}
        self.children: dict[str, Child] = {}
        for kind in KINDS:
            for index in (1, 2):
                env = dict(base)
                if kind == "api":
                    env["LAUREL_API_PORT"] = str(self.api_ports[index - 1])
                name = f"{kind}-{index}"
                child = Child(name, [sys.executable, "-m", "laurel", kind], env)
                child.log_path = log_dir / f"{name}.log"
                self.children[name] = child
        self.stopping = threading.Event()
        self.restarted = 0

    def start(self) -> None:
        self.stopping.clear()
        for child in self.children.values():
            child.start()

    def stop(self) -> None:
        self.stopping.set()
        for child in self.children.values():
            child.stop(timeout=20)

    def dead(self) -> list[Child]:
        return [c for c in self.children.values()
                if c.process is None or c.process.poll() is not None]

    def watch(self) -> None:
        """Start again whatever died, as a supervisor or an orchestrator would."""
        while not self.stopping.is_set():
            for child in self.dead():
                if not self.stopping.is_set():
                    time.sleep(0.5)
                    child.start()
                    self.restarted += 1
            self.stopping.wait(0.2)

    def by_pid(self, pid: int) -> Child | None:
        return next((c for c in self.children.values()
                     if c.process is not None and c.process.pid == pid), None)

    def ready(self, within: float) -> bool:
        """Both APIs ready and a heartbeat from each follower."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.dead():
                return False
            apis = all(_ready(port) for port in self.api_ports)
            beating = {p for p in _heartbeats(self.settings.data_dir)}
            followers = all(c.process is not None and c.process.pid in beating
                            for name, c in self.children.items()
                            if name.split("-")[0] in CONSUMERS)
            if apis and followers:
                return True
            time.sleep(0.3)
        return False


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _heartbeats(data_dir: Path) -> dict[int, dict[str, Any]]:
    """Each living follower's last heartbeat, by pid (a process killed leaves its file)."""
    found = {}
    for path in heartbeat_dir(data_dir).glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            state = json.loads(path.read_text())
            pid = int(state["pid"])
            os.kill(pid, 0)  # ProcessLookupError (an OSError) for a dead one
            if time.time() - float(state.get("written_at", 0)) < 5 * BEAT_SECONDS:
                found[pid] = state
    return found


def leader_of(data_dir: Path, consumer: str) -> int | None:
    """The pid of the process leading ``consumer``'s kind, as its heartbeat says."""
    return next((pid for pid, state in _heartbeats(data_dir).items()
                 if state.get("consumer") == consumer and state.get("leader")), None)


# -- the run ------------------------------------------------------------------------------


@contextlib.contextmanager
def fleet_settings(cluster: PrivateCluster) -> Iterator[Settings]:
    work_dir = Path(tempfile.mkdtemp(prefix="laurel-fleet-"))
    try:
        url = cluster.create_database("laurel_fleet")
        yield Settings(data_dir=work_dir / "data", database_url=url, api_port=free_port(),
                       task_queue=f"fleet-{uuid.uuid4().hex[:8]}",
                       jwt_secret="fleet-" + uuid.uuid4().hex, poll_interval=0.1)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def fleet(nominations: int = 300, starts: int = 10, outage: float = 15.0,
          every: float = 8.0, seed: int | None = None, within: float = 1200) -> FleetOutcome:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    seed = seed if seed is not None else secrets.randbelow(2**32)
    outcome = FleetOutcome("postgres (two of every process)", nominations)
    with private_cluster() as cluster, fleet_settings(cluster) as settings:
        logs = settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        temporal_port, ui_port = free_port(), free_port()
        settings.temporal_address = f"127.0.0.1:{temporal_port}"
        temporal = Child("temporal", temporal_dev_server(settings.data_dir, temporal_port,
                                                         ui_port), dict(os.environ))
        temporal.log_path = logs / "temporal.log"
        temporal.start()
        fleet_ = Fleet(settings, logs)
        try:
            if not wait_for_port(temporal_port, 60):
                raise RuntimeError("the Temporal dev server did not start within 60 s")
            migrate(settings)
            print(f"fleet: {starts} starts of ten processes at once", flush=True)
            _starts(fleet_, starts, outcome)
            print(f"fleet: {nominations} nominations through two APIs, leaders killed, "
                  f"PostgreSQL stopped {outage:.0f} s; seed {seed}", flush=True)
            _run(settings, cluster, fleet_, outcome, nominations, outage, every,
                 random.Random(seed), within)  # noqa: S311 - faults, not secrets
        finally:
            fleet_.stop()
            temporal.stop()
            if outcome.mismatches or outcome.start_crashes or outcome.regressions:
                kept = Path(tempfile.gettempdir()) / f"laurel-fleet-logs-{seed}"
                shutil.copytree(logs, kept, dirs_exist_ok=True)
                print(f"fleet: the processes' logs are kept in {kept}", flush=True)
    return outcome


def _starts(fleet_: Fleet, rounds: int, outcome: FleetOutcome) -> None:
    for number in range(1, rounds + 1):
        fleet_.start()
        if not fleet_.ready(within=120):
            died = fleet_.dead()
            outcome.start_crashes += [
                f"start {number}: {c.name} exited {c.process.returncode if c.process else '?'}"
                for c in died] or [f"start {number}: not ready within 120 s"]
        fleet_.stop()
        outcome.starts += 1


def _run(settings: Settings, cluster: PrivateCluster, fleet_: Fleet, outcome: FleetOutcome,
         nominations: int, outage: float, every: float, rng: random.Random,
         within: float) -> None:
    fleet_.start()
    if not fleet_.ready(within=120):
        raise RuntimeError("the fleet did not start")
    watcher = threading.Thread(target=fleet_.watch, name="fleet-watch", daemon=True)
    watcher.start()
    sampling = threading.Event()
    sampler = threading.Thread(target=_sample_positions, args=(settings, outcome, sampling),
                               name="positions", daemon=True)
    sampler.start()
    with contextlib.closing(open_laurel(settings)) as laurel:
        scripts = scripts_for(laurel, nominations)
        province = next(u.id for u in laurel.policy.org.units.values() if u.parent_id is None)
    try:
        started = time.monotonic()
        asyncio.run(_drive(settings, cluster, fleet_, scripts, province, outcome, outage,
                           every, rng, within))
        outcome.seconds = time.monotonic() - started
        sampling.set()
        sampler.join(10)
        fleet_.stopping.set()  # no more restarts: the ten are up for the checks
        watcher.join(10)
        outcome.restarts = fleet_.restarted
        print("fleet: faults stopped; checking", flush=True)
        # Connections of this process made before the outage died with it: new ones.
        with contextlib.closing(open_laurel(settings)) as laurel:
            asyncio.run(_check(settings, laurel, scripts, outcome, within=300))
            asyncio.run(_signals(settings, laurel, scripts, outcome))
    finally:
        sampling.set()


async def _drive(settings: Settings, cluster: PrivateCluster, fleet_: Fleet,
                 scripts: list[Script], province: str, outcome: FleetOutcome, outage: float,
                 every: float, rng: random.Random, within: float) -> None:
    """The nominations proposed spread over the faults' plan (so that every fault strikes
    with work in flight), driven to their ends; done when both are."""
    plan = 2 + every * 2 * len(LEADERS) + outage
    stagger = max(0.05, plan / max(len(scripts), 1))
    async def count_unavailable(response: httpx.Response) -> None:
        outcome.unavailable_answers += response.status_code == 503

    clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10,
                                 limits=httpx.Limits(max_connections=20),
                                 event_hooks={"response": [count_unavailable]})
               for port in fleet_.api_ports]
    people = [People(settings, client, outcome, poll=0.3) for client in clients]
    gate = asyncio.Semaphore(30)

    async def one(script: Script) -> None:
        await asyncio.sleep(script.number * stagger)
        async with gate:
            await people[script.number % 2].follow(script, province)

    faults = asyncio.create_task(_faults(settings, cluster, fleet_, outcome, outage, every,
                                         rng))
    try:
        await asyncio.wait_for(asyncio.gather(*(one(s) for s in scripts), faults), within)
    except TimeoutError:
        outcome.mismatches += [f"nomination {s.number} ({s.path}) did not finish"
                               for s in scripts if not s.done]
        faults.cancel()
    finally:
        for client in clients:
            await client.aclose()


async def _faults(settings: Settings, cluster: PrivateCluster, fleet_: Fleet,
                  outcome: FleetOutcome, outage: float, every: float,
                  rng: random.Random) -> None:
    """The plan: SIGKILL the leading relay, then the leading projector, each time timing
    the standby's take-over; stop PostgreSQL for ``outage`` s; then kill both leaders
    again. About ``every`` s between steps."""
    await asyncio.sleep(2)
    for step, kind in enumerate((*LEADERS, "postgres", *LEADERS)):
        if step:
            await asyncio.sleep(rng.uniform(every * 0.7, every * 1.3))
        if kind == "postgres":
            await asyncio.to_thread(cluster.stop, "fast")
            log.info("PostgreSQL stopped")
            began = time.monotonic()
            await asyncio.sleep(outage)
            await asyncio.to_thread(cluster.start)
            outcome.outage_seconds = time.monotonic() - began
            for leading in LEADERS:  # each kind led again before its leader is killed
                if not await _led(settings, leading, None, within=60):
                    outcome.mismatches.append(f"no {leading} led within 60 s of "
                                              "PostgreSQL's return")
            continue
        await _kill_leader(settings, fleet_, outcome, kind)


async def _kill_leader(settings: Settings, fleet_: Fleet, outcome: FleetOutcome,
                       kind: str) -> None:
    pid = leader_of(settings.data_dir, kind)
    child = fleet_.by_pid(pid) if pid else None
    if child is None or child.process is None:
        outcome.mismatches.append(f"no {kind} was leading to be killed")
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.process.pid, signal.SIGKILL)
    outcome.kills[kind] += 1
    killed = time.monotonic()
    if await _led(settings, kind, pid, within=30):
        outcome.takeovers.append(time.monotonic() - killed)
    else:
        outcome.mismatches.append(f"no {kind} led within 30 s of its leader's death")


async def _led(settings: Settings, kind: str, not_by: int | None, within: float) -> bool:
    """Whether a process (another than ``not_by``) leads ``kind`` within ``within`` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        leading = leader_of(settings.data_dir, kind)
        if leading is not None and leading != not_by:
            return True
        await asyncio.sleep(0.1)
    return False


def _sample_positions(settings: Settings, outcome: FleetOutcome,
                      done: threading.Event) -> None:
    """Read the consumers' stored positions every 20 ms; each must never go backwards."""
    last: dict[str, int] = {}
    url = settings.database_url or ""
    while not done.is_set():
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                while not done.is_set():
                    for consumer, position in conn.execute(
                            "SELECT consumer, position FROM positions"):
                        if position < last.get(consumer, -1):
                            outcome.regressions.append(
                                f"{consumer}: {last[consumer]} then {position}")
                        last[consumer] = max(position, last.get(consumer, -1))
                    conn.commit()
                    time.sleep(0.02)
        except psycopg.Error:
            done.wait(0.5)  # the server is away; read again when it is back


async def _signals(settings: Settings, laurel: Any, scripts: list[Script],
                   outcome: FleetOutcome) -> None:
    """Every relayed event signalled to its workflow once: the signals' positions in
    Temporal's histories against the relayed events' positions in the log.

    A run looks at the event store on each signal, so one whose relay fell behind (its
    leader killed, the database away) can read the decision before its signal comes and
    close; the relay then drops the late signal (a closed run takes none). Such events
    are the nomination's last ones, after every signal its run took, and the run
    completed; an unsignalled event before a signal the run took is a lost one."""
    client: Client = await connect(settings)
    relayed: dict[str, list[int]] = defaultdict(list)
    for event in laurel.log.read(0, 10_000_000, RELAYED):
        relayed[event.nomination_id].append(event.position)
    for script in scripts:
        if not script.nomination_id:
            continue
        handle = client.get_workflow_handle(workflow_id(script.nomination_id))
        positions: Counter[int] = Counter()
        async for event in handle.fetch_history_events():
            if event.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
                continue
            for payload in event.workflow_execution_signaled_event_attributes.input.payloads:
                positions[int(json.loads(payload.data)["position"])] += 1
        logged = relayed[script.nomination_id]
        outcome.relayed_events += len(logged)
        outcome.signalled_twice += sum(n - 1 for n in positions.values() if n > 1)
        unsignalled = [p for p in logged if p not in positions]
        last_signal = max(positions, default=-1)
        lost = [p for p in unsignalled if p < last_signal]
        closed = (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
        if lost or (unsignalled and not closed):
            outcome.mismatches.append(
                f"nomination {script.number}: {len(logged)} events relayed, "
                f"{len(positions)} signalled; never signalled at "
                f"{', '.join(map(str, unsignalled))}")
        else:
            outcome.closed_before_signal += len(unsignalled)
    outcome.checks["signalled once each"] = (
        "yes" if not outcome.signalled_twice else f"{outcome.signalled_twice} repeated")
    outcome.checks["positions forward only"] = "yes" if not outcome.regressions else "NO"
