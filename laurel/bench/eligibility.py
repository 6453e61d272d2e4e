"""Eligibility at scale: the award's rules worked out for one nominee with a ten-year
history, in an event store holding a register of 10⁴ (quick) or ``--people`` people.

What is timed is what a proposal or a review does before it decides
(``Candidates.person`` then ``Candidates.verdict``): read the person's events from the
event store (registered, then an award a year), rebuild the aggregate, and evaluate the
rules of *Chiến sĩ thi đua cấp tỉnh* (three consecutive titles, an unused initiative, no
disqualifier) for the year. Baseline in the same moments: the bare recorder reading the
same person's stored events (no decoding, no aggregate, no rules).

The register is written a thousand people to a transaction through the application's
own ``save`` (the hash chain included), before anything is timed.
"""

from __future__ import annotations

import contextlib
import random
import time
from datetime import UTC, date, datetime
from functools import partial
from uuid import UUID

from domain.actor import Actor
from domain.application import Nominations
from domain.person import Person, individual_id
from domain.vocabulary import Role
from laurel.bench.commands import Samples, _power
from laurel.bench.report import Figure
from laurel.bench.run import BenchContext
from laurel.system import open_laurel

AWARD = "chien-si-thi-dua-tinh"
TITLE = "chien-si-thi-dua-co-so"
HISTORY = range(2016, 2026)
YEAR = 2025
UNIT = "hg.so-gddt"
BATCH = 1_000
GOAL = "p99 ≤ 20 ms at 10⁶"
QUICK_PEOPLE = 10_000
FULL_PEOPLE = 100_000
"""Without ``--people``; ``--people 1000000`` is the issue's measure (11 million events)."""


def national_id(i: int) -> str:
    """A man born in 1980 in one of 96 provinces: 12 digits, unique for i < 96 × 10⁶."""
    return f"{1 + i // 1_000_000 % 96:03d}080{i % 1_000_000:06d}"


def fill(app: Nominations, count: int) -> float:
    """``count`` people with a title a year over ``HISTORY``; the seconds it took."""
    keeper = Actor("bench-keeper", frozenset({Role.PROPOSER}), UNIT)
    at = datetime.now(UTC)
    began = time.perf_counter()
    batch: list[Person] = []
    for i in range(count):
        number = national_id(i)
        person = Person.register(person_id=individual_id(number), actor=keeper,
                                 kind="individual", name=f"Nguyễn Văn Mẫu {i}", unit_id=UNIT,
                                 national_id=number, birth_date="1980-03-01", gender="male",
                                 at=at)
        for year in HISTORY:
            person.record_award(keeper, award_code=TITLE, year=year,
                                decision_number=f"{i}/{year}/QĐ-UBND",
                                decision_date=date(year, 12, 20), issuer="UBND huyện",
                                source="manual", at=at)
        batch.append(person)
        if len(batch) == BATCH:
            app.save(*batch)
            batch = []
    if batch:
        app.save(*batch)
    return time.perf_counter() - began


def run(context: BenchContext) -> list[Figure]:
    size = context.people or (QUICK_PEOPLE if context.quick else FULL_PEOPLE)
    requests = context.scale(300, 2_000)
    settings = context.fresh_settings("eligibility")
    rng = random.Random(21)  # noqa: S311 - sample choices, not secrets
    with contextlib.closing(open_laurel(settings)) as laurel:
        app = laurel.nominations
        seconds = fill(app, size)
        policy = laurel.policy
        on = datetime.now(UTC).date()
        verdicts, stored = Samples(), Samples()
        failed_checks = 0

        def judge(person_id: str) -> bool | str:
            nonlocal failed_checks
            person = app.candidates.person(person_id)
            if person is None:
                return "no such person"
            verdict = app.candidates.verdict(policy, AWARD, person, year=YEAR, on=on,
                                             unit_id=UNIT, nomination_id="", initiative=None)
            failed_checks += len(verdict.failed)
            return True

        def read_stored(person_id: str) -> bool | str:
            return bool(app.recorder.select_events(UUID(person_id)))

        def someone() -> str:
            return str(individual_id(national_id(rng.randrange(size))))

        for _ in range(20):  # warm the caches of the moment
            judge(someone())
        failed_checks = 0
        for _ in range(requests):
            person_id = someone()
            verdicts.time(partial(judge, person_id))
            stored.time(partial(read_stored, person_id))
    return [Figure(
        f"Eligibility of a nominee with a 10-year history, p99 at {_power(size)} people", "ms",
        verdicts.p99, stored.p99, "bare recorder select of the person's events", GOAL, {
            "people": size, "events": size * (1 + len(HISTORY)), "award": AWARD,
            "requests": requests, "p50_ms": verdicts.p50, "baseline_p50_ms": stored.p50,
            "failures": dict(verdicts.failures), "fill_seconds": round(seconds, 1),
            "checks_failed_per_verdict": round(failed_checks / max(requests, 1), 2)})]
