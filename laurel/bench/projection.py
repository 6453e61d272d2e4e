"""Projections: rebuilding every read model beside reading the log alone, the lag a reader
sees under a steady load, and the projector's memory.

The store is filled with the real event types by driving nominations along the paths
people and the workflow take (reviews with reminders and escalations, returns and
supplements, rejections, withdrawals, public notices with objections, central awards,
decisions, revocations). Each command is given to the aggregate as the application gives
it, and many nominations advance side by side, each round of commands saved in one
transaction, so the log interleaves nominations as a busy service's log does.

Then, on that store:

- **rebuild**: ``Projector.rebuild`` (drop every read model, apply the whole log) beside
  reading and decoding the same log in the same batches with ``EventLog.read``; the
  median of three runs each, interleaved.
- **lag**: the projector (``laurel projector``) and the API (``laurel api``) as processes
  of their own; this process proposes nominations at a fixed rate, one event each, and
  for each measures from the save's return to the first 200 of ``GET /nominations/{id}``.
  The projector process first catches up the whole log from position 0, so its peak
  memory covers a full catch-up as well as the steady load.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from api.auth import issue_token
from domain.actor import PUBLIC, Actor
from domain.application import new_tracking_code
from domain.commands import Context, Proposal, Propose
from domain.errors import DomainError
from domain.nomination import Nomination
from domain.policy import Policy, Route
from domain.vocabulary import DecisionOutcome, ObjectionOutcome, ReviewOutcome, Role
from infrastructure.container import Laurel
from infrastructure.positions import PROJECTOR as CONSUMER
from infrastructure.positions import lock_position, reset_position
from infrastructure.settings import Settings
from laurel.bench.http import TRANSPORT_ERRORS, BlockingConnection
from laurel.bench.report import Figure, median, peak_rss_mib, percentile
from laurel.bench.run import BenchContext
from laurel.rebuild import BATCH as REBUILD_BATCH
from laurel.rebuild import processes_for, rebuild_read_models
from laurel.supervisor import free_port
from laurel.system import open_laurel
from projections.database import drop_read_models
from projections.projector import Projector

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
APPROVE = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
AGAINST = {"members": 9, "present": 9, "for": 1, "against": 8, "abstain": 0}
BATCH_SIZE = 5000
"""The projector's batch (``Projector``'s default, what ``laurel projector`` runs with)."""
SIDE_BY_SIDE = 250
"""Nominations advancing together while the store is filled: one save per round."""
RUNS = 3

# (award, path): a deterministic mix, cycled. Most nominations reach a decision; some
# are rejected, returned, withdrawn or revoked; some are still in review.
PLAN: tuple[tuple[str, str], ...] = (
    ("bang-khen-tinh", "awarded"),
    ("giay-khen", "awarded"),
    ("bang-khen-tinh", "rejected"),
    ("lao-dong-tien-tien", "returned"),
    ("bang-khen-tinh", "withdrawn"),
    ("bang-khen-thu-tuong", "objection"),
    ("bang-khen-tinh", "revoked"),
    ("chien-si-thi-dua-tinh", "not_awarded"),
    ("giay-khen", "in_review"),
    ("bang-khen-thu-tuong", "awarded"),
    ("lao-dong-tien-tien", "awarded"),
    ("bang-khen-tinh", "returned"),
)


def person(role: Role, unit: str) -> Actor:
    return Actor(f"{role}@{unit}", frozenset({role}), unit)


@dataclass
class Journey:
    """One nomination driven along one path; ``steps`` yields it after each command."""

    policy: Policy
    award: str
    unit: str
    path: str
    number: int
    at: datetime
    nomination: Nomination = field(init=False)
    route: Route = field(init=False)

    def steps(self) -> Iterator[Nomination]:
        self.route = self.policy.plan_route(self.award, self.unit, "individual")
        proposer = person(Role.PROPOSER, self.unit)
        self.nomination = n = Nomination.propose(
            nomination_id=uuid4(), tracking_code=new_tracking_code(), actor=proposer,
            award_code=self.award,
            nominee={"name": f"Nguyễn Thị Hoa {self.number}", "kind": "individual",
                     "direct_worker": self.number % 2 == 0},
            achievements="Hoàn thành xuất sắc nhiệm vụ năm 2025",
            documents=[{"title": f"Tờ trình số {self.number}/TTr-UBND", "kind": "proposal"}],
            policy_version=self.policy.version, route=self.route, at=self.at,
        )
        yield n
        last = len(self.route.reviews) - 1
        if self.path == "in_review":
            yield from self._open_review(0, late=True, review=None)
            return
        if self.path == "returned":
            yield from self._open_review(0, late=False, review=ReviewOutcome.RETURN)
            self.at += timedelta(days=5)
            n.supplement(proposer, documents=[{"title": "Bổ sung hồ sơ", "kind": "annex"}],
                         achievements="Bổ sung thành tích", note="", at=self.at)
            yield n
        if self.path == "rejected":
            for step in range(last):
                yield from self._open_review(step, late=step == 0,
                                             review=ReviewOutcome.APPROVE)
            yield from self._open_review(last, late=False, review=ReviewOutcome.REJECT)
            return
        if self.path == "withdrawn":
            yield from self._open_review(0, late=True, review=ReviewOutcome.APPROVE)
            if last > 0:
                yield from self._open_review(1, late=False, review=None)
            n.withdraw(proposer, reason="Đơn vị rút đề nghị", at=self.at)
            yield n
            return
        for step in range(last + 1):
            yield from self._open_review(step, late=step == 0 and self.number % 3 != 0,
                                         review=ReviewOutcome.APPROVE)
        if self.route.public_notice_days:
            self.at += timedelta(days=1)
            n.open_public_notice(self.at,
                                 self.at + timedelta(days=self.route.public_notice_days))
            yield n
            if self.path == "objection":
                objection = str(uuid4())
                n.lodge_objection(PUBLIC, objection_id=objection, text="Thành tích chưa đúng",
                                  contact="", at=self.at + timedelta(days=2))
                yield n
                board = person(Role.REVIEWER, self.route.reviews[-1].unit_id)
                n.resolve_objection(objection, actor=board, outcome=ObjectionOutcome.DISMISSED,
                                    note="Đã xác minh", at=self.at + timedelta(days=4))
                yield n
            self.at += timedelta(days=self.route.public_notice_days + 1)
            n.close_public_notice(self.at)
            yield n
        self.at += timedelta(days=1)
        due = self.policy.calendar.add_working_days(self.at, self.policy.decision_days)
        task = n.open_decision(self.at, due)
        yield n
        decider = person(Role.DECIDER, self.route.decision.unit_id)
        self.at += timedelta(days=3)
        n.decide(task, actor=decider,
                 outcome=(DecisionOutcome.NOT_AWARDED if self.path == "not_awarded"
                          else DecisionOutcome.AWARDED),
                 decision_number=f"{self.number}/QĐ-UBND", decision_date=self.at.date().isoformat(),
                 signer="Chủ tịch UBND tỉnh", at=self.at)
        yield n
        if self.path == "revoked":
            self.at += timedelta(days=60)
            n.revoke(decider, reason="Hồ sơ không trung thực",
                     decision_number=f"{self.number}/QĐ-TH",
                     decision_date=self.at.date().isoformat(), at=self.at)
            yield n

    def _open_review(self, step: int, *, late: bool,
                     review: ReviewOutcome | None) -> Iterator[Nomination]:
        """Open the review of ``step`` (forwarding first, above the proposing level); if
        ``late``, its reminder and escalation; then the council's ``review`` if any."""
        n, policy = self.nomination, self.policy
        self.at += timedelta(days=1)
        opened = self.at
        due = policy.calendar.add_working_days(opened, self.route.reviews[step].review_days)
        remind = opened + (due - opened) * policy.reminder_share
        task = n.open_review(step, opened, due, remind)
        yield n
        if late:
            n.remind(task, remind)
            yield n
            n.escalate(task, due)
            yield n
        if review is None:
            return
        self.at = (due if late else opened) + timedelta(days=2)
        council = person(Role.REVIEWER, self.route.reviews[step].unit_id)
        n.review(task, actor=council, outcome=review,
                 votes=APPROVE if review == ReviewOutcome.APPROVE else AGAINST, note="",
                 at=self.at)
        yield n


def eligible_units(policy: Policy, award: str) -> list[str]:
    units = []
    for unit in sorted(policy.org.units):
        try:
            policy.plan_route(award, unit, "individual")
        except DomainError:
            continue
        units.append(unit)
    return units


def fill(laurel: Laurel, nominations: int) -> int:
    """Drive ``nominations`` through the mix of paths; return how many were driven."""
    policy = laurel.policies.active(START.date())
    units = {award: eligible_units(policy, award) for award, _ in PLAN}
    journeys = []
    for i in range(nominations):
        award, path = PLAN[i % len(PLAN)]
        choices = units[award]
        journeys.append(Journey(policy, award, choices[(i * 7) % len(choices)], path, i,
                                START + timedelta(minutes=i)))
    for first in range(0, len(journeys), SIDE_BY_SIDE):
        running = [j.steps() for j in journeys[first:first + SIDE_BY_SIDE]]
        while running:
            advanced, still = [], []
            for steps in running:
                nomination = next(steps, None)
                if nomination is not None:
                    advanced.append(nomination)
                    still.append(steps)
            if advanced:
                laurel.nominations.save(*advanced)
            running = still
    return len(journeys)


def read_whole_log(laurel: Laurel, head: int) -> tuple[int, Counter[str]]:
    """The baseline: read and decode every notification, in the projector's batches."""
    count, kinds, after = 0, Counter[str](), 0
    while after < head:
        events = laurel.log.read(after, BATCH_SIZE, through=head)
        if not events:
            break
        count += len(events)
        kinds.update(type(e.event).__name__ for e in events)
        after = events[-1].position
    return count, kinds


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def reset_projector(laurel: Laurel) -> None:
    """Empty read models at position 0: what ``rebuild`` does before it catches up."""
    with laurel.engine.begin() as conn:
        lock_position(conn, CONSUMER)
        drop_read_models(conn)
        reset_position(conn, CONSUMER, 0)


# -- the processes ----------------------------------------------------------------------


def process_env(settings: Settings, api_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    env.update({
        "LAUREL_DATA_DIR": str(settings.data_dir.resolve()),
        "LAUREL_JWT_SECRET": settings.signing_key(),
        "LAUREL_JWT_ISSUER": settings.jwt_issuer,
        "LAUREL_TEMPORAL_ADDRESS": settings.temporal_address,
        "LAUREL_TASK_QUEUE": settings.task_queue,
        "LAUREL_POLICY_FILE": str(settings.policy_file),
        "LAUREL_API_HOST": "127.0.0.1",
        "LAUREL_API_PORT": str(api_port),
    })
    if settings.database_url:
        env["LAUREL_DATABASE_URL"] = settings.database_url
    return env


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def check(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"laurel {self.name} exited ({self.process.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


FLOOR = """
from laurel import cli, processes
from laurel.bench.report import peak_rss_mib
from laurel.system import open_laurel
from infrastructure.settings import Settings
open_laurel(Settings()).close()
print(peak_rss_mib())
"""
"""What ``laurel projector`` holds before it reads an event: its imports, the container
and its read models checked."""


def floor_mib(env: dict[str, str]) -> float:
    done = subprocess.run([sys.executable, "-c", FLOOR], env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=120, check=True)
    return float(done.stdout.split()[-1])


def start(name: str, env: dict[str, str], data_dir: Path) -> Child:
    log = data_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "laurel", name], env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
    return Child(name, process, log)


def wait_until(probe: Callable[[], bool], within: float, children: list[Child],
               what: str) -> None:
    deadline = time.monotonic() + within
    while not probe():
        for child in children:
            child.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {within:.0f} s")
        time.sleep(0.01)


def status_of(reader: BlockingConnection, path: str) -> int:
    """The answer's status; 0 if the API does not answer (yet)."""
    try:
        return reader.get(path).status
    except TRANSPORT_ERRORS:
        return 0


def first_seen(reader: BlockingConnection, nomination_id: str, poll: float,
               children: list[Child]) -> tuple[float, int]:
    """Poll ``GET /nominations/{id}`` until 200; the moment of that answer, and the
    number of requests it took."""
    requests, give_up = 0, time.monotonic() + 60
    while True:
        requests += 1
        status = status_of(reader, f"/nominations/{nomination_id}")
        if status == 200:
            return time.perf_counter(), requests
        if status != 404:
            raise RuntimeError(f"GET /nominations/{nomination_id}: {status}")
        if requests % 100 == 0:
            for child in children:
                child.check()
            if time.monotonic() > give_up:
                raise RuntimeError(f"nomination {nomination_id} not visible after 60 s")
        time.sleep(poll)


@dataclass
class LagRun:
    lags_ms: list[float]
    """Of the measured proposals, after the warm-up."""
    warmup_lags_ms: list[float]
    rate: float
    requests: int
    save_ms: list[float]
    get_ms: list[float]


def steady_load(laurel: Laurel, reader: BlockingConnection, rate: float, seconds: float,
                warmup: float, children: list[Child]) -> LagRun:
    """Propose at ``rate`` per second for ``warmup`` + ``seconds``, from a thread of its
    own; meanwhile poll each proposal until it is visible. The warm-up's proposals are
    not counted: an idle projector polls the log ever more slowly (up to every 0.2 s),
    so the first events of a load wait longer than those of a steady one.

    The projector applies the log in order, so a proposal visible means every one saved
    before it is visible too: the reader polls the newest proposal saved, and when it
    appears, counts that moment for it and for every earlier one still waiting (for
    those an upper bound, by at most one poll). Polling each in turn would fall behind
    whenever a GET takes longer than the time between two proposals. One request
    stream, every 5 ms, keeps the API's own load (and so its answer time) small."""
    policy = laurel.policies.active(datetime.now(UTC).date())
    units = eligible_units(policy, "giay-khen")
    skip, total = int(rate * warmup), int(rate * (warmup + seconds))
    saved: queue.Queue[tuple[str, float] | None] = queue.Queue()
    save_ms: list[float] = []
    failure: list[BaseException] = []
    halt = threading.Event()

    def propose() -> None:
        try:
            began = time.perf_counter()
            for i in range(total):
                if halt.is_set():
                    return
                pause = began + i / rate - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                unit = units[i % len(units)]
                before = time.perf_counter()
                proposal = laurel.nominations.handle(
                    Propose("giay-khen", {"name": f"Trần Văn Bình {i}", "kind": "individual"},
                            "Hoàn thành tốt nhiệm vụ", []),
                    Context(person(Role.PROPOSER, unit), datetime.now(UTC)))
                after = time.perf_counter()
                save_ms.append((after - before) * 1000)
                assert isinstance(proposal, Proposal)
                saved.put((str(proposal.id), after))
        except BaseException as error:
            failure.append(error)
        finally:
            saved.put(None)

    proposer = threading.Thread(target=propose, name="bench-proposer", daemon=True)
    proposer.start()
    lags: list[float] = []
    saved_at: list[float] = []
    requests, nomination_id = 0, ""
    ended = False
    try:
        while not ended:
            waiting, ended = _saved_by_now(saved, timeout=warmup + seconds + 60)
            if not waiting:
                continue
            nomination_id = waiting[-1][0]
            seen, tries = first_seen(reader, nomination_id, 0.005, children)
            requests += tries
            lags += [(seen - at) * 1000 for _, at in waiting]
            saved_at += [at for _, at in waiting]
    finally:
        halt.set()
        proposer.join(warmup + seconds + 60)
    if failure:
        raise RuntimeError("proposing failed") from failure[0]
    # The floor of the measurement: reading a nomination that is already visible.
    get_ms = []
    for _ in range(50):
        began_get = time.perf_counter()
        if status_of(reader, f"/nominations/{nomination_id}") != 200:
            raise RuntimeError(f"GET /nominations/{nomination_id} failed")
        get_ms.append((time.perf_counter() - began_get) * 1000)
    measured = saved_at[skip:]
    span = measured[-1] - measured[0] if len(measured) > 1 else 0.0
    return LagRun(lags[skip:], lags[:skip], (len(measured) - 1) / span if span else float("nan"),
                  requests, save_ms[skip:], get_ms)


def _saved_by_now(saved: queue.Queue[tuple[str, float] | None],
                  timeout: float) -> tuple[list[tuple[str, float]], bool]:
    """Every proposal saved by now (waiting for the first), and whether the proposer
    has finished (its ``None``)."""
    items = [saved.get(timeout=timeout)]
    with contextlib.suppress(queue.Empty):
        while items[-1] is not None:
            items.append(saved.get_nowait())
    return [item for item in items if item is not None], items[-1] is None


# -- the suite --------------------------------------------------------------------------


def run(context: BenchContext) -> list[Figure]:
    settings = context.fresh_settings("projection")
    laurel = open_laurel(settings)
    try:
        return measure(context, settings, laurel)
    finally:
        laurel.close()


def measure(context: BenchContext, settings: Settings, laurel: Laurel) -> list[Figure]:
    nominations = context.scale(300, 5000)
    fill_s, _ = timed(lambda: fill(laurel, nominations))
    head = laurel.log.last_position()

    read_s: list[float] = []
    rebuild_s: list[float] = []
    alone_s: list[float] = []
    processes = processes_for(head)  # as `laurel projections rebuild` chooses
    projector = Projector(laurel.engine, laurel.log, batch_size=BATCH_SIZE)
    events, kinds = 0, Counter[str]()
    applied = alone = 0
    for _ in range(RUNS):  # interleaved, so drift on the machine touches all alike
        seconds, (events, kinds) = timed(lambda: read_whole_log(laurel, head))
        read_s.append(seconds)
        seconds, applied = timed(lambda: rebuild_read_models(laurel, processes=processes))
        rebuild_s.append(seconds)
        seconds, alone = timed(projector.rebuild)
        alone_s.append(seconds)
    assert applied == alone == events, (applied, alone, events)
    read_rate, rebuild_rate = events / median(read_s), events / median(rebuild_s)
    backend = "PostgreSQL" if settings.uses_postgres else "SQLite files"
    figures = [Figure(
        "projection rebuild, every read model from zero", "events/s", rebuild_rate,
        baseline=read_rate, baseline_name="reading + decoding the log alone",
        goal="≥ 20,000 events/s",
        details={
            "events": events, "nominations": nominations, "rebuild_batch": REBUILD_BATCH,
            "one_process_batch": BATCH_SIZE,
            "runs": RUNS, "rebuild_s": [round(s, 3) for s in rebuild_s],
            "read_s": [round(s, 3) for s in read_s], "fill_s": round(fill_s, 2),
            "event_types": dict(kinds.most_common()), "store": backend,
            "processes": processes,
            "one_process_events_per_s": round(events / median(alone_s)),
            "one_process_s": [round(s, 3) for s in alone_s],
            "how": "laurel projections rebuild (drop every read model, then one process "
                   "per core, each folding its share of the nominations from the whole log "
                   "in batches of rows) beside EventLog.read over the same log in the "
                   f"same batches, in this process; median of {RUNS} interleaved runs; "
                   "also Projector.rebuild(), all in this process",
        },
    )]
    figures += lag_and_memory(context, settings, laurel, head)
    return figures


def lag_and_memory(context: BenchContext, settings: Settings, laurel: Laurel,
                   head: int) -> list[Figure]:
    rate, seconds, warmup = 100.0, float(context.scale(5, 30)), 1.0
    reset_projector(laurel)  # the projector process catches up the whole log from zero
    port = free_port()
    env = process_env(settings, port)
    token = issue_token(settings.signing_key(), settings.jwt_issuer, sub="bench",
                        roles=[Role.ADMIN], unit="hg", minutes=60)
    floor = floor_mib(env)
    children: list[Child] = []
    try:
        began = time.perf_counter()
        children.append(start("projector", env, settings.data_dir))
        children.append(start("api", env, settings.data_dir))
        projector = Projector(laurel.engine, laurel.log)
        wait_until(lambda: projector.position() >= head, 120 + head / 500, children,
                   "the projector's catch-up")
        catch_up_s = time.perf_counter() - began
        reader = BlockingConnection(f"http://127.0.0.1:{port}",
                                    {"Authorization": f"Bearer {token}"})
        try:
            wait_until(lambda: status_of(reader, "/healthz") == 200, 60, children,
                       "the API's start")
            lag = steady_load(laurel, reader, rate, seconds, warmup, children)
        finally:
            reader.close()
        peak = peak_rss_mib(children[0].process.pid)
        children[0].check()
    finally:
        for child in reversed(children):
            with contextlib.suppress(Exception):
                child.stop()
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait()
    how = ("this process proposes nominations (one Proposed event each) at a fixed rate "
           "from a thread; the projector and the API run as `python -m laurel projector` "
           "and `python -m laurel api`; lag = from the save's return to the first 200 of "
           "GET /nominations/{id} (admin token), polling the newest proposal saved every "
           "5 ms; the projector applies the log in order, so that moment is counted for "
           "every earlier proposal still waiting too (an upper bound); the load's first "
           f"{warmup:.0f} s is not counted (an idle projector polls every 0.2 s at most)")
    details = {
        "measured": len(lag.lags_ms), "duration_s": seconds, "target_rate": rate,
        "warmup_s": warmup, "warmup_lag_ms_max": round(max(lag.warmup_lags_ms), 1),
        "achieved_rate": round(lag.rate, 1), "get_requests": lag.requests,
        "lag_ms_max": round(max(lag.lags_ms), 1),
        "get_visible_ms_p50": round(percentile(lag.get_ms, 0.5), 2),
        "save_ms_p50": round(percentile(lag.save_ms, 0.5), 2),
        "save_ms_p99": round(percentile(lag.save_ms, 0.99), 2),
        "projector_batch_size": BATCH_SIZE, "how": how,
    }
    return [
        Figure("projection lag p50, commit → GET /nominations/{id}", "ms",
               percentile(lag.lags_ms, 0.5), details=details),
        Figure("projection lag p99, commit → GET /nominations/{id}", "ms",
               percentile(lag.lags_ms, 0.99), goal="≤ 250 ms at 100 events/s",
               details=details),
        Figure("projector process peak RSS", "MiB", peak, baseline=floor,
               baseline_name="same process, bootstrapped, no event read", details={
            "events_caught_up_from_zero": head,
            "catch_up_s_including_start": round(catch_up_s, 2),
            "then": f"{len(lag.lags_ms) + len(lag.warmup_lags_ms)} events at "
                    f"{lag.rate:.0f}/s",
            "how": "VmHWM of the `laurel projector` process just before SIGINT; it caught "
                   "up the whole log from position 0 in batches of "
                   f"{BATCH_SIZE}, then followed the steady load",
        }),
    ]
