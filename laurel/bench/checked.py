"""Proposals of people of the register, with the award's rules checked on their history:
what ``POST /nominations`` costs when the nominee is ``{"person_id"}``.

Each nominee holds a provincial Bằng khen for every one of the last twelve years, and is
proposed for the Prime Minister's (an earlier award within five years, no disqualifier):
each proposal reads the person with a 12-award history, finds no earlier candidacy,
evaluates two rules and saves the nomination with its candidacy, in one transaction. A
person is proposed once per year (a second time would be a duplicate), so the jobs walk
the people in blocks of ``BLOCK``: each year, then each person of the block. A person is
thus read again a block's length of proposals later (kept in memory by the API,
``domain.candidates.KeptPeople``), as a unit proposing its own people year after year
would; there are enough people that the jobs outlast the run (``nominees``). A person a
process has not read before costs it a read of the person's events (``WARM_UP``).

The register is filled in this process before the API starts, its aggregates saved a
hundred to a transaction: a bench's fill, not a clerk's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from domain.actor import Actor
from domain.person import Person, individual_id
from domain.vocabulary import Role
from infrastructure.settings import Settings
from laurel.system import open_laurel

AWARD = "bang-khen-thu-tuong"
HELD = "bang-khen-tinh"
YEARS = range(2016, 2026)
"""The years proposed: each earlier award lies within five years of every one."""
HISTORY = range(2014, 2026)
BATCH = 100
BLOCK = 2_000
"""People proposed year after year before the next ones are (no more than an API process
keeps, ``domain.candidates.PEOPLE_KEPT``)."""
WARM_UP = 3 * BLOCK
"""Proposals given untimed first: the first block's first three years, so that each API
process has read nearly every person of the block (each proposal goes to either)."""
RATE = 4_000
"""Proposals a second the jobs are made to last for, with room to spare."""


def nominees(seconds: float) -> int:
    """How many people to register for the warm-up and ``seconds`` of proposals: enough
    that the jobs do not run out (with 400, a quick run's last rounds once found none
    left)."""
    needed = -(-(WARM_UP + int(RATE * seconds)) // len(YEARS))
    return -(-needed // BLOCK) * BLOCK


def register_nominees(settings: Settings, unit: str, count: int) -> list[str]:
    """``count`` people of ``unit``, each with a Bằng khen for every year of ``HISTORY``;
    their ids."""
    keeper = Actor("bench-keeper", frozenset({Role.PROPOSER}), unit)
    at = datetime.now(UTC)
    ids: list[str] = []
    with contextlib.closing(open_laurel(settings)) as laurel:
        batch: list[Person] = []
        for i in range(count):
            national_id = f"0010{85:02d}{i:06d}"  # Hà Nội, a man born in 1985
            person_id = individual_id(national_id)
            person = Person.register(
                person_id=person_id, actor=keeper, kind="individual",
                name=f"Nguyễn Văn Thử {i}", unit_id=unit, national_id=national_id,
                birth_date="1985-06-01", gender="male", at=at)
            for year in HISTORY:
                person.record_award(keeper, award_code=HELD, year=year,
                                    decision_number=f"{i}-{year}/QĐ-UBND",
                                    decision_date=date(year, 12, 20),
                                    issuer="UBND tỉnh", source="manual", at=at)
            batch.append(person)
            ids.append(str(person_id))
            if len(batch) == BATCH:
                laurel.nominations.save(*batch)
                batch = []
        if batch:
            laurel.nominations.save(*batch)
    return ids


def checked_jobs(people: list[str], achievements: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``POST /nominations`` bodies, each nominee once a year, a block of people at a
    time."""
    for start in range(0, len(people), BLOCK):
        block = people[start:start + BLOCK]
        for year in YEARS:
            for person_id in block:
                yield "/nominations", {"award_code": AWARD, "year": year,
                                       "nominee": {"person_id": person_id},
                                       "achievements": achievements}
