"""The year's figures from the read models: awards decided by level and form,
individuals and collectives, the share of direct workers, overdue reviews by unit. An
award counts in the year its decision is dated (as the Ministry's forms count it), not the
year it was recorded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection

from api import labels
from api.reads.access import visible_units
from domain.actor import Actor
from domain.vocabulary import Status, TaskStatus
from infrastructure.container import Laurel
from projections.tables import nominations, tasks


@dataclass
class YearFigures:
    by_award: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    award_names: dict[str, dict[str, str]] = field(default_factory=dict)
    by_kind: Counter[str] = field(default_factory=Counter)
    direct_workers: int = 0
    individuals: int = 0
    overdue_by_unit: Counter[str] = field(default_factory=Counter)
    unit_names: dict[str, str] = field(default_factory=dict)


def this_year(laurel: Laurel) -> int:
    """The year it is in the province (the policy calendar's time), not in UTC."""
    return laurel.clock().astimezone(laurel.policy.calendar.zone).year


def year_figures(conn: Connection, laurel: Laurel, user: Actor, year: int) -> YearFigures:
    """Awards whose decision is dated in ``year`` among the nominations the user may see,
    and the reviews overdue now, by unit."""
    # A decision is dated neither before its proposal nor after it was recorded (both
    # refused), so the year's decisions lie among these rows; the date itself decides.
    zone = laurel.policy.calendar.zone  # bounds in UTC, as the read models keep times
    start, end = (datetime(y, 1, 1, tzinfo=zone).astimezone(UTC) for y in (year, year + 1))
    units = visible_units(user, laurel.policy.org)
    awarded = and_(nominations.c.status == Status.AWARDED, nominations.c.updated_at >= start,
                   nominations.c.proposed_at < end, nominations.c.unit_id.in_(units))
    figures = YearFigures()
    # The form granted counts: a lower one when the decider granted it instead.
    granted = func.coalesce(nominations.c.granted_award, nominations.c.award_code)
    rows = conn.execute(select(granted, nominations.c.nominee_kind,
                               nominations.c.nominee, nominations.c.decision).where(awarded))
    for award_code, kind, nominee, decision in rows:
        if not str(decision["date"]).startswith(f"{year}-"):
            continue
        figures.by_award[award_code] += 1
        figures.by_kind[kind] += 1
        if kind == "individual":
            figures.individuals += 1
            figures.direct_workers += bool(nominee.get("direct_worker"))
    policy = laurel.policy
    figures.award_names = {code: labels.award_name(policy, code) for code in figures.by_award}
    for code, count in figures.by_award.items():
        award = policy.awards.get(code)
        figures.by_level[award.deciding_level if award else "unit"] += count
    overdue = select(tasks.c.unit_id, func.count()).where(
        tasks.c.status == TaskStatus.OPEN, tasks.c.overdue.is_(True)).group_by(tasks.c.unit_id)
    seen = set(units)
    for unit_id, count in conn.execute(overdue):
        if unit_id in seen:
            figures.overdue_by_unit[unit_id] = count
            figures.unit_names[unit_id] = labels.unit_name(policy, unit_id) or unit_id
    return figures
