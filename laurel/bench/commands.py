"""Commands and reads through the real API, beside the parts it is built on.

- **Commands**: ``POST /nominations`` and ``POST /tasks/{id}/review`` against the API run
  as its own process (``python -m laurel api``), at a fixed concurrency; throughput and
  p50/p99 latency. Baseline in the same run: the bare ``eventsourcing`` library (its own
  recorder, no hash chain) saving an aggregate with the same fields, on the same backend.
- **Reads at scale**: ``GET /nominations/{id}`` and ``GET /tasks`` with the read models
  filled by bulk INSERTs to 10⁴ (quick) or 10⁵ and 10⁶ rows, one request at a time over
  a keep-alive connection of the bench's light client (``laurel.bench.http``: httpx's own
  time, ~1.5 ms a request on a slow machine, was counted in the latency); baseline: a bare
  ``SELECT`` by primary key through SQLAlchemy Core on the same engine.
- **Search at scale**, in the same rounds: ``GET /nominations?q=`` as an admin (every
  unit) and as a clerk (one unit), and ``GET /tasks?q=`` as the busiest unit's reviewer,
  with what a clerk types: full names and family-and-middle names, accented or not,
  tracking codes in three forms, decision numbers (``search_query``); a single family
  name, the widest common query, measured apart.
- The API process's peak resident memory in each run.

``laurel bench --only reads`` runs the reads and searches at scale alone (``run_reads``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import math
import os
import random
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from sqlalchemy import Engine, insert, select, text

from api.auth import issue_token
from domain.actor import Actor
from domain.commands import Context, NomineeItem, Proposal, Propose, Proposed, ProposeList
from domain.errors import DomainError
from domain.policy import Policy
from domain.vocabulary import (
    DecisionOutcome,
    ReviewOutcome,
    Role,
    Status,
    TaskClosure,
    TaskKind,
    TaskStatus,
)
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY, Settings
from laurel.api_process import api_process, process_tree
from laurel.bench import checked
from laurel.bench.http import TRANSPORT_ERRORS, BlockingConnection, Http11Connection
from laurel.bench.report import Figure, median, percentile
from laurel.bench.run import BenchContext
from laurel.system import open_laurel
from projections import queries, search
from projections.pending import prepare_insert
from projections.projector import Projector
from projections.tables import nominations, search_terms, task_terms, tasks

CONCURRENCY = 48
"""Requests in flight against the API. With 16 the API processes were latency-bound (the
machine 20–50 % idle during Laurel's rounds): the figure is the API's capacity, measured
as a saturating load, with the latency it then has."""
BARE_THREADS = 16
"""The bare baseline is also timed on this many threads; the better of that and one
thread is its figure."""
API_WORKERS = min(os.cpu_count() or 1, 4)
ROUNDS = 3
"""Laurel's commands and their baseline are measured in turn this many times; the
figures are the medians."""
UNIT = "hg.so-yte"  # Sở Y tế: proposes and reviews its own Giấy khen
AWARD = "giay-khen"
TALLY = {"members": 9, "present": 9, "for": 9, "against": 0, "abstain": 0}
NOMINEE = {"name": "Nguyễn Thị Hoa", "kind": "individual"}
ACHIEVEMENTS = "Hoàn thành xuất sắc nhiệm vụ năm 2025, có sáng kiến được công nhận cấp cơ sở"
DOCUMENTS = [{"title": "Tờ trình số 12/TTr-SYT", "kind": "proposal"}]
COMMANDS_GOAL = "≥ 70 % of bare saves"
READS_GOAL = "status p99 ≤ 10 ms at 10⁶"
SEARCH_GOAL = "p99 ≤ 50 ms at 10⁶"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _power(n: int) -> str:
    """10⁴ for 10000; other numbers with thousands separators."""
    exponent = round(math.log10(n)) if n > 0 else 0
    if 10 ** exponent == n:
        return "10" + str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{n:,}"


# -- the API as its own process (laurel.api_process starts it) --------------------------


def _bearer(settings: Settings, role: Role, unit: str) -> dict[str, str]:
    token = issue_token(settings.signing_key(), settings.jwt_issuer, sub=f"bench-{role}",
                        roles=[role], unit=unit, minutes=120)
    return {"Authorization": f"Bearer {token}"}


# -- driving the API at a fixed concurrency ---------------------------------------------


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)  # seconds, accepted requests only
    failures: Counter[str] = field(default_factory=Counter)
    first_failure: str = ""
    elapsed: float = 0.0
    api_cpu: float = 0.0
    """CPU seconds the API's processes spent meanwhile (``measured``): a figure a busy
    machine moves less than the rate."""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def api_cpu_us(self) -> float:
        """The API's CPU per accepted request, µs."""
        return self.api_cpu / len(self.latencies) * 1e6 if self.latencies else 0.0

    @classmethod
    def pooled(cls, loads: Sequence[Load]) -> Load:
        """Several runs as one: every latency, every failure, the time of all."""
        return cls(latencies=[t for load in loads for t in load.latencies],
                   failures=sum((load.failures for load in loads), Counter()),
                   first_failure=next((x.first_failure for x in loads if x.first_failure), ""),
                   elapsed=sum(load.elapsed for load in loads),
                   api_cpu=sum(load.api_cpu for load in loads))

    def details(self) -> dict[str, Any]:
        return {
            "p50_ms": _ms(median(self.latencies)), "p99_ms": _ms(percentile(self.latencies, 0.99)),
            "accepted": len(self.latencies), "refused_or_failed": sum(self.failures.values()),
            "failures": dict(self.failures), **(
                {"first_failure": self.first_failure[:300]} if self.first_failure else {}),
            "seconds": round(self.elapsed, 2), "concurrency": CONCURRENCY,
            "api_processes": API_WORKERS,
        }


Job = tuple[str, dict[str, Any]]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its descendants so far."""
    total = 0
    for each in process_tree(pid):
        try:
            fields_ = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields_[11]) + int(fields_[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(pid: int, load: Coroutine[Any, Any, Load]) -> Load:
    """``load`` run, with the CPU the API's processes (``pid`` and its children) spent."""
    before = cpu_seconds(pid)
    done = asyncio.run(load)
    done.api_cpu = cpu_seconds(pid) - before
    return done


async def drive(
    url: str, headers: dict[str, str], jobs: Iterator[Job], expected: int,
    seconds: float | None = None, concurrency: int = CONCURRENCY,
) -> Load:
    """POST the jobs with ``concurrency`` requests in flight (one keep-alive connection
    each) until they run out or the time is up; a response other than ``expected`` is
    counted apart, not timed."""
    load = Load()
    start = time.perf_counter()
    deadline = start + seconds if seconds else math.inf

    async def worker() -> None:
        connection = Http11Connection(url, headers)
        try:
            for path, body in jobs:  # shared: each job is taken by one worker
                if time.perf_counter() >= deadline:
                    return
                began = time.perf_counter()
                try:
                    status, answer = await connection.post(path, body)
                except TRANSPORT_ERRORS as error:
                    load.failures[type(error).__name__] += 1
                    load.first_failure = load.first_failure or repr(error)
                    continue
                if status == expected:
                    load.latencies.append(time.perf_counter() - began)
                else:
                    load.failures[str(status)] += 1
                    load.first_failure = load.first_failure or answer.decode(errors="replace")
        finally:
            connection.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    load.elapsed = time.perf_counter() - start
    return load


def nomination_jobs() -> Iterator[Job]:
    for i in range(10**9):
        yield "/nominations", {
            "award_code": AWARD, "nominee": {**NOMINEE, "name": f"{NOMINEE['name']} {i}"},
            "achievements": ACHIEVEMENTS, "documents": DOCUMENTS,
        }


def review_jobs(task_ids: Sequence[str]) -> Iterator[Job]:
    for task_id in task_ids:
        yield f"/tasks/{task_id}/review", {"outcome": ReviewOutcome.APPROVE, "votes": TALLY}


@dataclass
class Prepared:
    task_ids: list[str]
    propose_rate: float  # Nominations.propose in this process, sequential
    open_review_rate: float
    seconds: float


def open_reviews(settings: Settings, count: int, timed: int = 150) -> Prepared:
    """``count`` nominations of the unit with their review open, in the read models.
    On the way, the same commands are timed in this process (domain and store, no API):
    ``timed`` proposals one by one, the rest proposed in lists to save time."""
    began = time.perf_counter()
    laurel = open_laurel(settings)
    try:
        actor = Actor("bench-proposer", frozenset({Role.PROPOSER}), UNIT)
        now = datetime.now(UTC)
        ids: list[UUID] = []
        task_ids: list[str] = []

        def nominee(i: int) -> dict[str, Any]:
            return {**NOMINEE, "name": f"Trần Văn Bình {i}"}

        def propose(i: int) -> None:
            proposal = laurel.nominations.handle(
                Propose(AWARD, nominee(i), ACHIEVEMENTS, DOCUMENTS), Context(actor, now))
            assert isinstance(proposal, Proposal)
            ids.append(proposal.id)

        def open_review(i: int) -> None:
            opened = laurel.nominations.open_review(ids[i], 0, now)
            assert opened is not None
            task_ids.append(opened.task_id)

        timed = min(timed, count)
        propose_rate = _timed(timed, propose, 1)
        for start in range(timed, count, 50):
            items = [NomineeItem(AWARD, nominee(i), ACHIEVEMENTS, DOCUMENTS)
                     for i in range(start, min(start + 50, count))]
            proposed = laurel.nominations.handle(ProposeList(tuple(items)), Context(actor, now))
            assert isinstance(proposed, Proposed)
            ids += [p.id for p in proposed.nominations]
        open_review_rate = _timed(count, open_review, 1)
        Projector(laurel.engine, laurel.log).catch_up()
    finally:
        laurel.close()
    return Prepared(task_ids, propose_rate, open_review_rate, time.perf_counter() - began)


# -- the bare library, same backend -----------------------------------------------------


class Commendation(Aggregate):
    """As big as a nomination's first event, with none of its rules."""

    class Proposed(Aggregate.Created):
        actor: str
        actor_role: str
        actor_unit: str
        tracking_code: str
        unit_id: str
        award_code: str
        nominee: dict[str, Any]
        achievements: str
        documents: list[dict[str, Any]]
        policy_version: str
        route: dict[str, Any]
        proposal_id: str

    class Reviewed(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str
        task_id: str
        outcome: str
        votes: dict[str, int]
        note: str

    def __init__(self) -> None:
        self.reviews = 0


class Commendations(Application[UUID]):
    name = "commendations"


@dataclass
class BareRate:
    rate: float
    mode: str
    sequential: float
    threaded: float


def _best(sequential: float, threaded: float) -> BareRate:
    if threaded > sequential:
        return BareRate(threaded, f"{BARE_THREADS} threads", sequential, threaded)
    return BareRate(sequential, "sequential", sequential, threaded)


def _timed(count: int, action: Callable[[int], object], threads: int) -> float:
    """Operations per second of ``action(i)`` for i < count, alone or on threads."""
    start = time.perf_counter()
    if threads <= 1:
        for i in range(count):
            action(i)
    else:
        with ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(action, range(count)):
                pass
    return count / (time.perf_counter() - start)


def bare_library(settings: Settings, policy: Policy, count: int,
                 events_before: int = 0) -> tuple[BareRate, BareRate]:
    """Bare ``eventsourcing`` on the backend: (create+save)/s and (load+event+save)/s.
    ``events_before``: first grow the store, untimed, to hold this many events (Laurel's
    store at the time): saves slow as a store's indexes outgrow the page cache."""
    env = {k: v for k, v in settings.event_store_env().items()
           if k != "APPLICATION_RECORDER_TOPIC"}
    if not settings.uses_postgres:  # the library's own connections (Laurel's cache more)
        env = {**env, **{k: "eventsourcing.sqlite" for k in env
                         if k.endswith("PERSISTENCE_MODULE")}}
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Commendations(env)
    route = policy.plan_route(AWARD, UNIT, "individual").to_dict()
    nominee = {**NOMINEE, "direct_worker": False, "title": ""}
    documents = [{**d, "url": ""} for d in DOCUMENTS]
    ids: list[list[UUID]] = [[uuid4() for _ in range(count)] for _ in range(3)]

    def commendation(id_: UUID, i: int, batch: int | str) -> Commendation:
        return Commendation._create(
            Commendation.Proposed, id=id_, actor="bench-proposer",
            actor_role=Role.PROPOSER, actor_unit=UNIT, tracking_code=f"BNCH-{i:04d}-{batch}X",
            unit_id=UNIT, award_code=AWARD, nominee={**nominee, "name": f"Lê Thị Mai {i}"},
            achievements=ACHIEVEMENTS, documents=documents, policy_version=policy.version,
            route=route, proposal_id="")

    def create(batch: int) -> Callable[[int], object]:
        def save(i: int) -> None:
            app.save(commendation(ids[batch][i], i, batch))
        return save

    def review(batch: int) -> Callable[[int], object]:
        def save(i: int) -> None:
            aggregate: Commendation = app.repository.get(ids[batch][i])
            aggregate.trigger_event(
                Commendation.Reviewed, actor="bench-reviewer", actor_role=Role.REVIEWER,
                actor_unit=UNIT, task_id=str(uuid4()), outcome=ReviewOutcome.APPROVE,
                votes=TALLY, note="")
            app.save(aggregate)
        return save

    try:
        missing = events_before - (app.recorder.max_notification_id() or 0)
        for start in range(0, max(0, missing), 1000):
            app.save(*(commendation(uuid4(), i, "fill")
                       for i in range(start, min(start + 1000, missing))))
        _timed(min(20, count), create(2), 1)  # warm-up: connections, tables
        saves = _best(_timed(count, create(0), 1), _timed(count, create(1), BARE_THREADS))
        reviews = _best(_timed(count, review(0), 1), _timed(count, review(1), BARE_THREADS))
    finally:
        app.close()
    return saves, reviews


# -- read models filled in bulk ---------------------------------------------------------

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi"]
_MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Quốc", "Thu", "Hoàng", "Kim"]
_GIVEN = ["An", "Bình", "Cường", "Dung", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phương",
          "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Vy"]
_COLLECTIVES = ["Tổ Y tế dự phòng", "Khoa Nhi", "Phòng Kế hoạch", "Tổ Văn phòng", "Đội Thuế"]
OPEN_SHARE = 0.10
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def row_id(kind: str, i: int) -> str:
    """The id of the i-th filled row: random-looking (version 4), yet found again from i
    alone, so a million ids need not be held to pick some at random."""
    digest = hashlib.sha256(f"laurel-bench-{kind}-{i}".encode()).digest()
    return str(UUID(bytes=digest[:16], version=4))


def _tracking_code(i: int) -> str:
    """Distinct for every i (a bijection of the 32¹⁰ codes), random-looking."""
    n = (i * 1_000_003 + 0x5DEECE66D) % 32**10
    raw = "".join(_ALPHABET[(n >> (5 * k)) & 31] for k in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass
class Catalogue:
    """What the bundled policy lets units propose: (unit, award, kind, route)."""

    policy: Policy
    choices: list[tuple[str, str, str, dict[str, Any]]]

    @classmethod
    def load(cls) -> Catalogue:
        policy = load_policy_book(BUNDLED_POLICY).latest
        choices = []
        for unit_id in policy.org.units:
            for code in policy.awards:
                for kind in ("individual", "collective"):
                    try:
                        route = policy.plan_route(code, unit_id, kind)
                    except DomainError:
                        continue
                    choices.append((unit_id, code, kind, route.to_dict()))
        return cls(policy, choices)


def _decision_number(i: int) -> str:
    return f"{i % 9000 + 1}/QĐ-UBND"


Rows = list[dict[str, Any]]


def fake_rows(
    catalogue: Catalogue, start: int, count: int, rng: random.Random, now: datetime
) -> tuple[Rows, Rows, Rows, Rows]:
    """Nominations and their latest task: a tenth under review (the task open), the
    rest closed — awarded, rejected or withdrawn — proposed over the past year; and the
    search terms the projector would make of them and of their open tasks
    (``projections.search``)."""
    noms: Rows = []
    tsks: Rows = []
    terms: Rows = []
    task_found_by: Rows = []
    for i in range(start, start + count):
        unit_id, code, kind, route = rng.choice(catalogue.choices)
        reviews = route["reviews"]
        if kind == "individual":
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        else:
            name = f"{rng.choice(_COLLECTIVES)} {i % 97 + 1}"
        proposed = now - timedelta(days=rng.uniform(0, 365))
        step = rng.randrange(len(reviews))
        opened = proposed + timedelta(days=2 * step + rng.uniform(0, 2))
        due = opened + timedelta(days=reviews[step]["review_days"] * 1.4)
        roll = rng.random()
        status = (Status.UNDER_REVIEW if roll < OPEN_SHARE else Status.AWARDED if roll < 0.75
                  else Status.REJECTED if roll < 0.90 else Status.WITHDRAWN)
        is_open = status == Status.UNDER_REVIEW
        if not is_open and status != Status.WITHDRAWN:
            step = len(reviews) - 1
        nomination_id, task_id = row_id("nomination", i), row_id("task", i)
        at = reviews[step]
        decided = status == Status.AWARDED
        tracking = _tracking_code(i)
        found_by = search.nomination_terms(name, tracking)
        if decided:
            found_by += search.decision_terms(_decision_number(i), name, tracking)
        terms += search.term_rows(nomination_id, unit_id, proposed, found_by)
        if is_open:
            task_found_by += [{"unit_id": at["unit_id"], "term": term, "task_id": task_id,
                               "kind": TaskKind.REVIEW, "due_at": due, "shared_prefix": shared}
                              for term, shared in search.task_terms(name, tracking)]
        noms.append({
            "id": nomination_id, "tracking_code": tracking, "unit_id": unit_id,
            "proposer": f"clerk-{unit_id}", "award_code": code, "nominee_name": name,
            "nominee_kind": kind,
            "nominee": {"name": name, "kind": kind, "direct_worker": rng.random() < 0.3,
                        "title": ""},
            "achievements": ACHIEVEMENTS,
            "documents": [{"title": f"Tờ trình số {i % 500 + 1}/TTr", "kind": "proposal",
                           "url": ""}],
            "policy_version": catalogue.policy.version, "route": route,
            "procedure": route["procedure"], "proposal_id": None, "dossier_version": 1,
            "status": status, "current_level": at["level"], "current_unit_id": at["unit_id"],
            "open_task_id": task_id if is_open else None, "due_at": due if is_open else None,
            "reminded": False, "overdue": False, "escalated": False, "notice_until": None,
            "objections_pending": 0,
            "decision": {"outcome": DecisionOutcome.AWARDED, "number": _decision_number(i),
                         "date": opened.date().isoformat(), "signer": "Chủ tịch",
                         "authority": route["decision"]["authority_vi"]} if decided else None,
            "withdrawal": None, "revocation": None, "proposed_at": proposed,
            "updated_at": opened, "version": 2 + 2 * step + (0 if is_open else 2),
        })
        tsks.append({
            "id": task_id, "nomination_id": nomination_id, "kind": TaskKind.REVIEW,
            "level": at["level"], "unit_id": at["unit_id"], "award_code": code,
            "nominee_name": name, "opened_at": opened, "due_at": due, "reminded": False,
            "overdue": False, "escalated": False,
            "status": TaskStatus.OPEN if is_open else TaskStatus.CLOSED,
            "outcome": (None if is_open
                        else ReviewOutcome.REJECT if status == Status.REJECTED
                        else TaskClosure.WITHDRAWN if status == Status.WITHDRAWN
                        else ReviewOutcome.APPROVE),
            "closed_at": None if is_open else opened + timedelta(days=3),
            "closed_by": None if is_open else "bench-reviewer",
            "search": search.task_search_text(name, tracking),
        })
    return noms, tsks, terms, task_found_by


@dataclass
class Filled:
    rows: int = 0  # nominations, and as many tasks (each nomination's latest)
    open_tasks: Counter[str] = field(default_factory=Counter)
    proposed: Counter[str] = field(default_factory=Counter)  # nominations by unit
    terms: int = 0
    task_terms: int = 0
    seconds: float = 0.0


def fill(engine: Engine, catalogue: Catalogue, filled: Filled, target: int,
         rng: random.Random, batch: int = 5_000) -> None:
    """Bulk-insert nominations, tasks and search terms until there are ``target``
    nominations and tasks."""
    now = datetime.now(UTC)
    start = time.perf_counter()
    while filled.rows < target:
        count = min(batch, target - filled.rows)
        noms, tsks, terms, task_found_by = fake_rows(catalogue, filled.rows, count, rng, now)
        with engine.begin() as conn:
            conn.execute(insert(nominations), noms)
            conn.execute(insert(tasks), tsks)
            prepare_insert(conn, search_terms, terms)()  # the projector's own bulk insert
            if task_found_by:
                prepare_insert(conn, task_terms, task_found_by)()
        filled.rows += count
        filled.terms += len(terms)
        filled.task_terms += len(task_found_by)
        filled.open_tasks.update(t["unit_id"] for t in tsks if t["status"] == TaskStatus.OPEN)
        filled.proposed.update(n["unit_id"] for n in noms)
    # What autovacuum does after such a load: statistics, and on PostgreSQL the
    # visibility map too, without which a count cannot be answered from an index alone.
    analyze = "VACUUM (ANALYZE)" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(analyze))
    filled.seconds += time.perf_counter() - start


@dataclass
class Samples:
    """Latencies (s) of one kind of read; failed requests counted apart, not timed."""

    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    def time(self, call: Callable[[], bool | str]) -> None:
        began = time.perf_counter()
        try:
            outcome = call()
        except TRANSPORT_ERRORS as error:
            outcome = type(error).__name__
        elapsed = time.perf_counter() - began
        if outcome is True:
            self.latencies.append(elapsed)
        else:
            self.failures[str(outcome)] += 1

    @property
    def p50(self) -> float:
        return _ms(median(self.latencies))

    @property
    def p99(self) -> float:
        return _ms(percentile(self.latencies, 0.99))


def _get(client: BlockingConnection, path: str,
         headers: dict[str, str]) -> Callable[[], bool | str]:
    def call() -> bool | str:
        status = client.get(path, headers).status
        return True if status == 200 else str(status)
    return call


def _pk_select(engine: Engine, table: Any, key: str) -> Callable[[], bool | str]:
    def call() -> bool | str:
        with engine.connect() as conn:
            found = conn.execute(select(table).where(table.c.id == key)).first()
        return True if found is not None else "missing"
    return call


def _inbox_query(engine: Engine, unit_id: str) -> Callable[[], bool | str]:
    def call() -> bool | str:
        with engine.connect() as conn:
            queries.inbox(conn, unit_id, [TaskKind.REVIEW, TaskKind.OBJECTION], 50, 0)
        return True
    return call


def _search_query(engine: Engine, q: str) -> Callable[[], bool | str]:
    """The admin's search, the query alone (no HTTP, no rendering)."""
    def call() -> bool | str:
        with engine.connect() as conn:
            queries.nominations_of_units(conn, None, None, 50, 0, q=q)
        return True
    return call


def search_query(rng: random.Random, rows: int, decisions: bool = True) -> tuple[str, str]:
    """(kind, query): what a clerk types to find a nomination. Names as people type them,
    accented or not; a code as printed, run together in lower case, or spaced; a
    decision number as written on the decision."""
    roll = rng.random()
    family, middle, given = rng.choice(_FAMILY), rng.choice(_MIDDLE), rng.choice(_GIVEN)
    plain = rng.random() < 0.5
    if roll < 0.4:
        name = f"{family} {middle} {given}"
        return "full name", search.phrase(name) if plain else name
    if roll < 0.6 or (roll >= 0.8 and not decisions):
        name = f"{family} {middle}"
        return "family and middle name", search.phrase(name) if plain else name
    if roll < 0.8:
        code = _tracking_code(rng.randrange(rows))
        form = rng.randrange(3)
        return "tracking code", (code if form == 0 else code.replace("-", "").lower()
                                 if form == 1 else code.replace("-", " "))
    return "decision number", _decision_number(rng.randrange(rows))


def _searched(path: str, q: str) -> str:
    return f"{path}?{urllib.parse.urlencode({'q': q, 'limit': 50})}"


@dataclass
class ReadRound:
    status: Samples = field(default_factory=Samples)
    status_base: Samples = field(default_factory=Samples)
    inbox: Samples = field(default_factory=Samples)
    inbox_base: Samples = field(default_factory=Samples)
    inbox_query: Samples = field(default_factory=Samples)
    search: Samples = field(default_factory=Samples)
    search_by_kind: dict[str, Samples] = field(default_factory=dict)
    search_query: Samples = field(default_factory=Samples)
    search_clerk: Samples = field(default_factory=Samples)
    search_tasks: Samples = field(default_factory=Samples)
    search_one_word: Samples = field(default_factory=Samples)


def measure_reads(
    http: BlockingConnection, engine: Engine, rows: int, busy_unit: str, admin: dict[str, str],
    reviewer: dict[str, str], clerk: dict[str, str], requests: int, rng: random.Random,
) -> ReadRound:
    """Sequential reads, the API's and the baselines' interleaved so that both meet the
    same moments of a busy machine."""
    measured = ReadRound()
    for turn in range(requests):
        nomination = row_id("nomination", rng.randrange(rows))
        task = row_id("task", rng.randrange(rows))
        measured.status.time(_get(http, f"/nominations/{nomination}", admin))
        measured.status_base.time(_pk_select(engine, nominations, nomination))
        measured.inbox.time(_get(http, "/tasks?limit=50", reviewer))
        measured.inbox_base.time(_pk_select(engine, tasks, task))
        measured.inbox_query.time(_inbox_query(engine, busy_unit))
        kind, q = search_query(rng, rows)
        began = len(measured.search.latencies)
        measured.search.time(_get(http, _searched("/nominations", q), admin))
        by_kind = measured.search_by_kind.setdefault(kind, Samples())
        by_kind.latencies += measured.search.latencies[began:]
        measured.search_query.time(_search_query(engine, q))
        measured.search_clerk.time(_get(http, _searched("/nominations", search_query(
            rng, rows)[1]), clerk))
        measured.search_tasks.time(_get(http, _searched("/tasks", search_query(
            rng, rows, decisions=False)[1]), reviewer))
        if turn % 10 == 0:  # the widest common query: every Nguyễn, say
            measured.search_one_word.time(_get(http, _searched(
                "/nominations", search.phrase(rng.choice(_FAMILY))), admin))
    return measured


def read_figures(
    context: BenchContext, catalogue: Catalogue, scales: Sequence[int], requests: int,
) -> tuple[list[Figure], dict[str, Any]]:
    settings = context.fresh_settings("reads")
    laurel = open_laurel(settings)
    engine = laurel.engine
    rng = random.Random(2025)  # noqa: S311 - sample data, not secrets
    filled = Filled()
    figures: list[Figure] = []
    try:
        admin = _bearer(settings, Role.ADMIN, "hg")
        with api_process(settings) as api, contextlib.closing(BlockingConnection(api.url)) as http:
            for scale in scales:
                fill(engine, catalogue, filled, scale, rng)
                busy_unit, busy_open = filled.open_tasks.most_common(1)[0]
                reviewer = _bearer(settings, Role.REVIEWER, busy_unit)
                clerk_unit, clerk_rows = filled.proposed.most_common(1)[0]
                clerk = _bearer(settings, Role.PROPOSER, clerk_unit)
                measure_reads(http, engine, filled.rows, busy_unit, admin, reviewer, clerk, 20,
                              rng)
                m = measure_reads(http, engine, filled.rows, busy_unit, admin, reviewer, clerk,
                                  requests, rng)
                common = {"nominations": filled.rows, "tasks": filled.rows,
                          "requests": requests, "sequential": True,
                          "fill_seconds": round(filled.seconds, 1)}
                figures.append(Figure(
                    f"GET /nominations/{{id}} p99 at {_power(scale)} nominations", "ms",
                    m.status.p99, m.status_base.p99, "bare SELECT by primary key",
                    READS_GOAL, {
                        **common, "p50_ms": m.status.p50, "failures": dict(m.status.failures),
                        "baseline_p50_ms": m.status_base.p50,
                        "baseline_p99_ms": m.status_base.p99,
                        "baseline_failures": dict(m.status_base.failures),
                    }))
                figures.append(Figure(
                    f"GET /tasks p99 at {_power(scale)} nominations", "ms",
                    m.inbox.p99, m.inbox_base.p99, "bare SELECT by primary key", "", {
                        **common, "p50_ms": m.inbox.p50, "failures": dict(m.inbox.failures),
                        "unit": busy_unit, "open_tasks_of_unit": busy_open, "limit": 50,
                        "baseline_p50_ms": m.inbox_base.p50,
                        "baseline_p99_ms": m.inbox_base.p99,
                        "baseline_failures": dict(m.inbox_base.failures),
                        "inbox_query_p50_ms": m.inbox_query.p50,
                        "inbox_query_p99_ms": m.inbox_query.p99,
                    }))
                figures += search_figures(m, scale, common, filled, busy_unit, busy_open,
                                          clerk_unit, clerk_rows)
            memory = {"idle_mib": api.idle_rss_mib, "peak_mib": api.peak_rss_mib(),
                      "at_nominations": filled.rows}
    finally:
        laurel.close()
    return figures, memory


def search_figures(
    m: ReadRound, scale: int, common: dict[str, Any], filled: Filled, busy_unit: str,
    busy_open: int, clerk_unit: str, clerk_rows: int,
) -> list[Figure]:
    """``GET /nominations?q=`` and ``GET /tasks?q=`` beside the bare primary-key SELECT."""
    baseline = {"baseline_p50_ms": m.status_base.p50, "baseline_p99_ms": m.status_base.p99}
    return [
        Figure(
            f"GET /nominations?q= p99 at {_power(scale)} nominations", "ms", m.search.p99,
            m.status_base.p99, "bare SELECT by primary key", SEARCH_GOAL, {
                **common, **baseline, "caller": "admin (every unit)", "limit": 50,
                "p50_ms": m.search.p50, "failures": dict(m.search.failures),
                "search_terms": filled.terms,
                "by_kind_p50_p99_ms": {kind: [s.p50, s.p99, len(s.latencies)]
                                       for kind, s in sorted(m.search_by_kind.items())},
                "query_alone_p50_ms": m.search_query.p50,
                "query_alone_p99_ms": m.search_query.p99,
                "clerk_unit": clerk_unit, "clerk_unit_nominations": clerk_rows,
                "clerk_p50_ms": m.search_clerk.p50, "clerk_p99_ms": m.search_clerk.p99,
                "clerk_failures": dict(m.search_clerk.failures),
                "one_family_name_p50_ms": m.search_one_word.p50,
                "one_family_name_p99_ms": m.search_one_word.p99,
                "one_family_name_requests": len(m.search_one_word.latencies),
            }),
        Figure(
            f"GET /tasks?q= p99 at {_power(scale)} nominations", "ms", m.search_tasks.p99,
            m.status_base.p99, "bare SELECT by primary key", SEARCH_GOAL, {
                **common, **baseline, "unit": busy_unit, "open_tasks_of_unit": busy_open,
                "task_terms": filled.task_terms, "limit": 50, "p50_ms": m.search_tasks.p50,
                "failures": dict(m.search_tasks.failures),
            }),
    ]


# -- the suite --------------------------------------------------------------------------


def run(context: BenchContext) -> list[Figure]:
    catalogue = Catalogue.load()
    seconds = context.scale(5, 30)
    review_count = context.scale(1_500, 15_000)
    bare_count = context.scale(1_000, 10_000)

    # Commands through the API as production runs it (LAUREL_API_WORKERS: one process per
    # core), on a store holding open reviews; the bare library on fresh stores of the same
    # backend. In turn, ROUNDS times, so that a busy moment of the machine touches both.
    settings = context.fresh_settings("commands").model_copy(
        update={"api_workers": API_WORKERS})
    prepared = open_reviews(settings, review_count)
    nominees = checked.register_nominees(settings, UNIT, checked.nominees(seconds))
    proposer = _bearer(settings, Role.PROPOSER, UNIT)
    reviewer = _bearer(settings, Role.REVIEWER, UNIT)
    bare_settings = context.fresh_settings("bare")  # one store, growing round by round
    proposals: list[Load] = []
    checked_proposals: list[Load] = []
    reviews: list[Load] = []
    saves: list[BareRate] = []
    loaded_saves: list[BareRate] = []
    store = open_laurel(settings)  # reads how large Laurel's store has grown
    store_events: list[int] = []
    with api_process(settings) as api, contextlib.closing(store):
        jobs = nomination_jobs()
        registered = checked.checked_jobs(nominees, ACHIEVEMENTS)
        asyncio.run(drive(api.url, proposer, jobs, 201, seconds=1))  # warm-up
        # and the registered nominees' first years: each API process reads the people
        # of the first block (they are kept; checked.WARM_UP).
        asyncio.run(drive(api.url, proposer, itertools.islice(registered, checked.WARM_UP),
                          201))
        for turn in range(ROUNDS):
            proposals.append(measured(api.pid, drive(
                api.url, proposer, jobs, 201, seconds=seconds / ROUNDS)))
            checked_proposals.append(measured(api.pid, drive(
                api.url, proposer, registered, 201, seconds=seconds / ROUNDS)))
            reviews.append(measured(api.pid, drive(
                api.url, reviewer, review_jobs(prepared.task_ids[turn::ROUNDS]), 200,
                seconds=seconds / ROUNDS)))
            # The bare store as large as Laurel's now is: Laurel's grows by every
            # proposal the API took, the bare one only by its timed saves.
            store_events.append(store.log.last_position())
            bare_saves, bare_loaded = bare_library(bare_settings, catalogue.policy,
                                                   bare_count // ROUNDS, store_events[-1])
            saves.append(bare_saves)
            loaded_saves.append(bare_loaded)
        command_memory = {"idle_mib": api.idle_rss_mib, "peak_mib": api.peak_rss_mib()}

    def bare(rates: list[BareRate]) -> dict[str, Any]:
        return {"baseline_rounds": [{"mode": r.mode, "sequential": round(r.sequential),
                                     f"{BARE_THREADS}_threads": round(r.threaded)}
                                    for r in rates],
                "baseline_operations_per_round": bare_count // ROUNDS,
                "baseline_store_grown_to_events": store_events}

    def laurel(loads: list[Load]) -> dict[str, Any]:
        return {**Load.pooled(loads).details(),
                "rounds_ops_per_s": [round(load.rate, 1) for load in loads],
                "rounds_api_cpu_us_per_request": [round(load.api_cpu_us) for load in loads],
                "api_cpu_us_per_request": round(median([load.api_cpu_us for load in loads]))}

    figures = [
        Figure("POST /nominations through the API", "ops/s",
               round(median([load.rate for load in proposals]), 1),
               round(median([r.rate for r in saves]), 1), "bare eventsourcing saves/s",
               COMMANDS_GOAL,
               {**laurel(proposals), **bare(saves), "median_of": ROUNDS,
                "in_process_propose_per_s": round(prepared.propose_rate)}),
        Figure("POST /nominations of registered nominees, rules checked", "ops/s",
               round(median([load.rate for load in checked_proposals]), 1),
               round(median([r.rate for r in saves]), 1), "bare eventsourcing saves/s",
               COMMANDS_GOAL,
               {**laurel(checked_proposals), **bare(saves), "median_of": ROUNDS,
                "nominees_registered": len(nominees), "award": checked.AWARD,
                "history_per_nominee": len(checked.HISTORY)}),
        Figure("POST /tasks/{id}/review through the API", "ops/s",
               round(median([load.rate for load in reviews]), 1),
               round(median([r.rate for r in loaded_saves]), 1),
               "bare eventsourcing load+save/s", "≥ 70 % of bare load+save",
               {**laurel(reviews), **bare(loaded_saves), "median_of": ROUNDS,
                "open_tasks_prepared": len(prepared.task_ids),
                "prepare_seconds": round(prepared.seconds, 1),
                "in_process_open_review_per_s": round(prepared.open_review_rate)}),
    ]

    reads, read_memory = reads_at_scale(context, catalogue)
    figures += reads
    figures.append(Figure(
        "API process peak memory", "MiB",
        max(command_memory["peak_mib"], read_memory["peak_mib"]), None, "", "",
        {"commands": command_memory, "reads": read_memory}))
    return figures


def reads_at_scale(context: BenchContext,
                   catalogue: Catalogue) -> tuple[list[Figure], dict[str, Any]]:
    """Reads and searches at scale: read models filled in bulk, a fresh store."""
    scales = [10_000] if context.quick else [100_000, 1_000_000]
    return read_figures(context, catalogue, scales, context.scale(300, 1_000))


def run_reads(context: BenchContext) -> list[Figure]:
    """The reads and searches at scale alone (``laurel bench --only reads``)."""
    figures, memory = reads_at_scale(context, Catalogue.load())
    return [*figures, Figure("API process peak memory, reads", "MiB", memory["peak_mib"],
                             None, "", "", {"reads": memory})]
