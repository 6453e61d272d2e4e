"""The dashboard's figures from the read models, for a unit subtree and a period (the
calendar year by default): awards by deciding level and form, individuals and
collectives, gender, the share of direct workers, processing times per level, awards by
movement, overdue reviews by unit. An award counts in the period its decision is
**dated** (as the Ministry's forms count it), not when it was recorded or last changed:
the figures are the reports' own (``api.reads.reports``), so the page, the JSON and the
XLSX never disagree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from api import labels
from api.reads import reports
from domain.actor import Actor
from domain.vocabulary import TaskStatus
from infrastructure.container import Laurel
from projections.tables import tasks


@dataclass
class YearFigures:
    by_award: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    award_names: dict[str, dict[str, str]] = field(default_factory=dict)
    level_names: dict[str, dict[str, str]] = field(default_factory=dict)
    by_kind: Counter[str] = field(default_factory=Counter)
    by_gender: Counter[str] = field(default_factory=Counter)
    direct_workers: int = 0
    individuals: int = 0
    overdue_by_unit: Counter[str] = field(default_factory=Counter)
    unit_names: dict[str, str] = field(default_factory=dict)
    statistics: reports.Statistics | None = None
    times: list[reports.LevelTimes] = field(default_factory=list)


def this_year(laurel: Laurel) -> int:
    """The year it is in the province (the policy calendar's time), not in UTC."""
    return laurel.clock().astimezone(laurel.policy.calendar.zone).year


def figures(conn: Connection, laurel: Laurel, scope: reports.Scope) -> YearFigures:
    """Awards whose decisions are dated in the scope's period, of the scope's units; the
    reviews closed then; the reviews overdue now, by unit."""
    found = reports.awarded(conn, laurel, scope)
    shown = YearFigures(statistics=reports.statistics(conn, laurel, scope, found),
                        times=reports.processing_times(conn, laurel, scope))
    for a in found:
        shown.by_award[a.award_code] += 1
        shown.award_names[a.award_code] = a.award_name
        shown.by_level[a.level] += 1
        shown.by_kind[a.kind] += 1
        if a.kind == "individual":
            shown.individuals += 1
            shown.direct_workers += a.direct_worker
            shown.by_gender[a.gender or "unknown"] += 1
    shown.level_names = {lv: reports.level_name(laurel, lv) for lv in shown.by_level}
    overdue = (select(tasks.c.unit_id, func.count())
               .where(tasks.c.status == TaskStatus.OPEN, tasks.c.overdue.is_(True),
                      tasks.c.unit_id.in_(scope.units))
               .group_by(tasks.c.unit_id))
    for unit_id, count in conn.execute(overdue):
        shown.overdue_by_unit[unit_id] = count
        shown.unit_names[unit_id] = labels.unit_name(laurel.policy, unit_id) or unit_id
    return shown


def year_figures(conn: Connection, laurel: Laurel, user: Actor, year: int) -> YearFigures:
    """The figures of ``year`` for the user's own unit and those below it they may see."""
    period = reports.period_of(year, year, None, None)
    return figures(conn, laurel, reports.scope_of(laurel, user, None, period))
