"""``laurel bench --only people``: finding a person in a province's register, and reading
one person's ten years of awards, with the register filled in bulk to N people
(``--people N``; 10⁴ by default, CI's size; ``--people 1000000`` for the issue's goal).

- **Person search**: ``GET /people?q=`` through the API as its own process, one request
  at a time over a keep-alive connection, as an administrator of the province (every
  unit) and as a clerk of the largest unit, with what a clerk types
  (``person_query``): full names and the family and middle name with a given name's
  first letter ("nguyen thi h"), accented or not, civil-servant codes, CCCDs; one family
  name alone ("nguyen", two in five people) measured apart. Baseline: a bare ``SELECT``
  of ``people`` by primary key, interleaved.
- **Eligibility history read** (``eligibility_p99``): what judging a person's
  eligibility reads, today one person's awards of ten years from ``person_awards``.
"""

from __future__ import annotations

import contextlib
import random
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection

from domain.vocabulary import Role
from laurel.api_process import api_process
from laurel.bench.commands import SEARCH_GOAL, Samples, _bearer, _get, _pk_select, _power
from laurel.bench.http import BlockingConnection
from laurel.bench.register import (
    Names,
    Register,
    civil_servant_code,
    fill,
    person_id,
)
from laurel.bench.report import Figure, wait_until_quiet
from laurel.bench.run import BenchContext
from laurel.system import open_laurel
from projections import search
from projections.people_tables import people, person_awards
from projections.person_search import found_people
from projections.search import QueryForms

DEFAULT_PEOPLE = 10_000
ELIGIBILITY_GOAL = "p99 ≤ 50 ms at 10⁶ (with the evaluation, to come)"


def person_query(rng: random.Random, names: Names, register: Register) -> tuple[str, str]:
    """(kind, query): what a clerk types to find a person. Names as people type them,
    accented or not; a civil-servant code as printed; a CCCD whole (one the fill kept
    aside: its year and sex digits are drawn)."""
    roll = rng.random()
    sex = "female" if rng.random() < 0.5 else "male"
    plain = rng.random() < 0.5
    if roll < 0.4:
        name = names.name(rng, sex)
        return "full name", search.phrase(name) if plain else name
    if roll < 0.7:
        words = names.name(rng, sex).split()
        name = f"{words[0]} {words[1]} {words[-1][0]}"
        return "name prefix", search.phrase(name) if plain else name
    if roll < 0.85:
        return "civil-servant code", civil_servant_code(rng.randrange(register.people))
    return "CCCD", rng.choice(register.cccds)


def _people_path(q: str) -> str:
    return f"/people?{urllib.parse.urlencode({'q': q, 'limit': 50})}"


def _query_alone(engine: Engine, units: list[str], q: str) -> Callable[[], bool | str]:
    """The administrator's search, the query alone (no HTTP, no masking)."""
    forms = QueryForms.of(q)
    assert forms is not None

    def call() -> bool | str:
        with engine.connect() as conn:
            found_people(conn, units, forms, 50, 0)
        return True
    return call


@dataclass
class SearchRound:
    search: Samples = field(default_factory=Samples)
    by_kind: dict[str, Samples] = field(default_factory=dict)
    query_alone: Samples = field(default_factory=Samples)
    clerk: Samples = field(default_factory=Samples)
    one_family_name: Samples = field(default_factory=Samples)
    base: Samples = field(default_factory=Samples)


def measure_search(http: BlockingConnection, engine: Engine, register: Register,
                   admin: dict[str, str], clerk: dict[str, str], requests: int,
                   rng: random.Random) -> SearchRound:
    """Sequential searches, the API's and the baseline's interleaved."""
    names, measured = Names.vietnamese(), SearchRound()
    for turn in range(requests):
        measured.base.time(_pk_select(engine, people, person_id(rng.randrange(register.people))))
        kind, q = person_query(rng, names, register)
        began = len(measured.search.latencies)
        measured.search.time(_get(http, _people_path(q), admin))
        by_kind = measured.by_kind.setdefault(kind, Samples())
        by_kind.latencies += measured.search.latencies[began:]
        measured.query_alone.time(_query_alone(engine, register.units, q))
        measured.clerk.time(_get(http, _people_path(person_query(rng, names, register)[1]),
                                 clerk))
        if turn % 10 == 0:  # the widest common query: every Nguyễn
            measured.one_family_name.time(_get(http, _people_path(
                search.phrase(names.family(rng))), admin))
    return measured


_AWARDS_OF = (select(person_awards).where(person_awards.c.person_id == bindparam("person"))
              .order_by(person_awards.c.year, person_awards.c.decision_date,
                        person_awards.c.id))


def read_history(conn: Connection, person: str) -> list[dict[str, Any]]:
    """One person's awards of ten years, as ``GET /people/{id}/awards`` reads them."""
    return [dict(r) for r in conn.execute(_AWARDS_OF, {"person": person}).mappings()]


EligibilityStep = Callable[[Connection, str], object]
ELIGIBILITY_STEPS: list[EligibilityStep] = [read_history]
"""What judging one person's eligibility does, timed as one: the history read today;
the evaluation is to be appended (a step given the connection and the person's id)."""


def eligibility_p99(engine: Engine, register: Register, requests: int, rng: random.Random,
                    steps: Sequence[EligibilityStep] = ELIGIBILITY_STEPS,
                    baseline: Samples | None = None) -> Samples:
    """Random people judged by ``steps``, each person's steps timed together on one
    connection (the figure: their p99, and p50); with ``baseline``, a bare primary-key
    SELECT of another person interleaved, so both meet the same moments of the machine."""
    samples = Samples()
    for _ in range(requests):
        person = person_id(rng.randrange(register.people))

        def call(person: str = person) -> bool | str:
            with engine.connect() as conn:
                for step in steps:
                    step(conn, person)
            return True
        samples.time(call)
        if baseline is not None:
            baseline.time(_pk_select(engine, people, person_id(rng.randrange(register.people))))
    return samples


def run(context: BenchContext) -> list[Figure]:
    """Fill the register, then measure search and the eligibility read on it."""
    size = context.people or DEFAULT_PEOPLE
    requests = context.scale(300, 1_000)
    settings = context.fresh_settings("people")
    laurel = open_laurel(settings)
    engine = laurel.engine
    rng = random.Random(2026)  # noqa: S311 - sample data, not secrets
    register = Register(units=sorted(laurel.policy.org.units))
    try:
        fill(engine, register, size, rng)
        clerk_unit, clerk_people = register.by_unit.most_common(1)[0]
        admin = _bearer(settings, Role.ADMIN, "hg")
        clerk = _bearer(settings, Role.PROPOSER, clerk_unit)
        with api_process(settings) as api, contextlib.closing(
                BlockingConnection(api.url)) as http:
            wait_until_quiet()
            measure_search(http, engine, register, admin, clerk, 20, rng)  # warm-up
            m = measure_search(http, engine, register, admin, clerk, requests, rng)
            eligibility_p99(engine, register, 20, rng)
            base = Samples()
            history = eligibility_p99(engine, register, requests, rng, baseline=base)
            peak = api.peak_rss_mib()
    finally:
        laurel.close()
    return figures(m, history, base, register, size, requests, clerk_unit, clerk_people, peak)


def figures(m: SearchRound, history: Samples, base: Samples, register: Register, size: int,
            requests: int, clerk_unit: str, clerk_people: int, peak: float) -> list[Figure]:
    common = {"people": register.people, "units": len(register.units),
              "person_terms": register.terms, "person_awards": register.awards,
              "requests": requests, "sequential": True,
              "fill_seconds": round(register.seconds, 1)}
    return [
        Figure(f"GET /people?q= p99 at {_power(size)} people", "ms", m.search.p99,
               m.base.p99, "bare SELECT by primary key", SEARCH_GOAL, {
                   **common, "caller": "admin (every unit)", "limit": 50,
                   "p50_ms": m.search.p50, "failures": dict(m.search.failures),
                   "baseline_p50_ms": m.base.p50, "baseline_p99_ms": m.base.p99,
                   "by_kind_p50_p99_ms": {kind: [s.p50, s.p99, len(s.latencies)]
                                          for kind, s in sorted(m.by_kind.items())},
                   "query_alone_p50_ms": m.query_alone.p50,
                   "query_alone_p99_ms": m.query_alone.p99,
                   "clerk_unit": clerk_unit, "clerk_unit_people": clerk_people,
                   "clerk_p50_ms": m.clerk.p50, "clerk_p99_ms": m.clerk.p99,
                   "clerk_failures": dict(m.clerk.failures),
                   "one_family_name_p50_ms": m.one_family_name.p50,
                   "one_family_name_p99_ms": m.one_family_name.p99,
                   "one_family_name_requests": len(m.one_family_name.latencies),
                   "api_peak_mib": peak,
               }),
        Figure(f"eligibility history read p99 at {_power(size)} people", "ms", history.p99,
               base.p99, "bare SELECT by primary key", ELIGIBILITY_GOAL, {
                   **common, "p50_ms": history.p50, "failures": dict(history.failures),
                   "reads": "one person's awards of ten years (person_awards by person_id)",
                   "steps": [step.__name__ for step in ELIGIBILITY_STEPS],
                   "awards_per_person": round(register.awards / max(register.people, 1), 2),
                   "baseline_p50_ms": base.p50, "baseline_p99_ms": base.p99,
               }),
    ]
