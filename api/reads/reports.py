"""The year's reports from the read models — the Ministry's statistical form, the list of
those awarded in the official layout, processing times per level, results by movement
and by cluster — for any unit subtree the user may see and any period of decision dates.

What counts, and how (every figure can be counted again from the events; the tests do):

- An award is a nomination whose decision is *awarded* and stands (not revoked), counted
  in the period its decision is **dated** (``Decided.decision_date``), never the day it was
  recorded or last changed; the form counted is the form granted (a lower one when the
  decider granted it instead), at the level whose authority decided (the route's
  decision step, ``Decided.level``).
- A nomination belongs to the unit that proposed it; a report of a unit counts its own
  and its units' below, among those the user may see (``access.visible_units``).
- Gender is the register's (``nominee.person_id``); a nominee named only has none known.
  A direct worker is what the proposal said (``nominee.direct_worker``), for individuals.
- Processing time is a council review's, from its task's opening to its closing by the
  council's ballot (approve, reject or return), for the reviews closed in the period, per
  level; on time when closed by its due time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from statistics import median
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.engine import Connection

from api import labels
from api.reads.access import visible_units
from domain.actor import Actor
from domain.errors import NotFound
from domain.policy import CENTRAL
from domain.vocabulary import ReviewOutcome, Status, TaskKind
from infrastructure.container import Laurel
from projections.cluster_tables import clusters
from projections.movements import movements
from projections.people_tables import people
from projections.tables import history, nominations, tasks

KIND_COLUMNS = ("collective", "individual", "household")
"""The nominee kinds the form counts, in its column order."""


FIRST_YEAR, LAST_YEAR = 1945, 9999
"""The years a period's dates may fall in (as ``api.deps.Year``)."""


class InvalidPeriod(ValueError):
    """A period that cannot be: which parameter, and why in both languages."""

    def __init__(self, parameter: str, detail: str, vi: str) -> None:
        super().__init__(detail)
        self.parameter, self.detail, self.detail_vi = parameter, detail, vi


@dataclass(frozen=True)
class Period:
    """Decision dates from ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def whole_year(self) -> int | None:
        same = self.start.year == self.end.year
        full = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        return self.start.year if same and full else None

    def label(self, language: str = "vi") -> str:
        year = self.whole_year
        if year is not None:
            return f"năm {year}" if language == "vi" else f"year {year}"
        a, b = (d.strftime("%d/%m/%Y") for d in (self.start, self.end))
        return f"từ ngày {a} đến ngày {b}" if language == "vi" else f"from {a} to {b}"

    def query(self) -> dict[str, str]:
        """The query parameters that name it again."""
        year = self.whole_year
        if year is not None:
            return {"year": str(year)}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def period_of(today_year: int, year: int | None, from_: date | None,
              to: date | None) -> Period:
    """``year``, or ``from``–``to`` (either alone: to the end, or from the start, of its
    year); neither: the calendar year it is. ``InvalidPeriod`` for both at once, or an end
    before the start."""
    if year is not None and (from_ is not None or to is not None):
        raise InvalidPeriod("year", "Give a year, or from and to, not both",
                            "Chọn năm, hoặc khoảng từ ngày – đến ngày, không chọn cả hai")
    if from_ is None and to is None:
        chosen = year or today_year
        return Period(date(chosen, 1, 1), date(chosen, 12, 31))
    for name, day in (("from", from_), ("to", to)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidPeriod(name, f"A decision date is in the years {FIRST_YEAR} to "
                                f"{LAST_YEAR}", f"Ngày quyết định trong khoảng năm {FIRST_YEAR} "
                                f"đến năm {LAST_YEAR}")
    start = from_ if from_ is not None else date(cast(date, to).year, 1, 1)
    end = to if to is not None else date(start.year, 12, 31)
    if end < start:
        raise InvalidPeriod("to", f"The period ends ({end}) before it starts ({start})",
                            f"Ngày kết thúc ({end:%d/%m/%Y}) trước ngày bắt đầu "
                            f"({start:%d/%m/%Y})")
    return Period(start, end)


@dataclass(frozen=True)
class Scope:
    """A report's unit (with the units below it the user may see) and its period."""

    unit_id: str
    unit_name: str
    units: tuple[str, ...]
    period: Period
    movement_id: str = ""
    """Only the awards proposed in this movement ("" = any)."""
    cluster_id: str = ""
    """Only the awards proposed on this cluster's ranking ("" = any)."""
    within: str = ""
    """The movement's or cluster's name, as the report's second line says it."""

    def query(self) -> dict[str, str]:
        return {"unit": self.unit_id, **self.period.query(),
                **({"movement": self.movement_id} if self.movement_id else {}),
                **({"cluster": self.cluster_id} if self.cluster_id else {})}


def scope_of(laurel: Laurel, user: Actor, unit: str | None, period: Period) -> Scope:
    """The unit named (the user's own by default) and those below it that the user may
    see; ``NotFound`` for a unit the user may not see."""
    allowed = visible_units(user, laurel.policy.org)
    root = unit or user.unit_id
    if root not in allowed:
        raise NotFound(f"No unit {root}", vi=f"Không có đơn vị {root}")
    seen = set(allowed)
    below = laurel.policy.org.subtree(root) or [root]
    return Scope(root, labels.unit_name(laurel.policy, root) or root,
                 tuple(u for u in below if u in seen), period)


def within(conn: Connection, scope: Scope, movement: str | None,
           cluster: str | None) -> Scope:
    """``scope`` narrowed to the awards of one movement or one cluster's ranking, named;
    ``NotFound`` for one the read models do not hold."""
    if movement:
        names = movement_names(conn, {movement})
        if movement not in names:
            raise NotFound(f"No movement {movement}", vi=f"Không có phong trào {movement}")
        scope = replace(scope, movement_id=movement,
                        within=f"Phong trào thi đua: {names[movement]}")
    if cluster:
        named = cluster_names(conn, {cluster})
        if cluster not in named:
            raise NotFound(f"No cluster {cluster}", vi=f"Không có cụm, khối {cluster}")
        scope = replace(scope, cluster_id=cluster, within=(
            f"{scope.within}; " if scope.within else "") + f"Cụm, khối thi đua: {named[cluster]}")
    return scope


# -- those awarded ---------------------------------------------------------------------

@dataclass(frozen=True)
class Awarded:
    """One award that stands, as the list and the form count it."""

    nomination_id: str
    name: str
    kind: str
    gender: str | None
    direct_worker: bool
    position: str
    unit_id: str
    unit_name: str
    award_code: str
    award_name: dict[str, str]
    level: str
    decision_number: str
    decision_date: date
    signer: str
    authority: str
    movement_id: str | None
    cluster_id: str | None
    rank: int = 0
    """The deciding level's rank (higher: above): the official lists put higher forms
    first."""


def awarded(conn: Connection, laurel: Laurel, scope: Scope) -> list[Awarded]:
    """The awards that stand whose decisions are dated in the period, of the scope's
    units: by decision date, number and name."""
    policy = laurel.policy
    dated = nominations.c.decision_date
    number = nominations.c.decision["number"].as_string()
    cluster = history.c.data[("basis", "cluster_id")].as_string()
    proposed = (history.c.nomination_id == nominations.c.id) & (history.c.type == "Proposed")
    query = (
        select(nominations.c.id, nominations.c.nominee_name, nominations.c.nominee_kind,
               nominations.c.nominee, nominations.c.unit_id, nominations.c.award_code,
               nominations.c.granted_award, nominations.c.decision, nominations.c.route,
               nominations.c.movement_id, people.c.gender, people.c.position,
               cluster.label("cluster_id"))
        .select_from(nominations
                     .outerjoin(people, people.c.id == nominations.c.person_id)
                     .outerjoin(history, proposed))
        .where(nominations.c.status == Status.AWARDED,
               nominations.c.unit_id.in_(scope.units),
               dated >= scope.period.start.isoformat(),
               dated <= scope.period.end.isoformat())
        .order_by(dated, number, nominations.c.nominee_name, nominations.c.id))
    if scope.movement_id:
        query = query.where(nominations.c.movement_id == scope.movement_id)
    if scope.cluster_id:
        query = query.where(cluster == scope.cluster_id)
    found = []
    for r in conn.execute(query).mappings():
        code = r["granted_award"] or r["award_code"]
        award = policy.awards.get(code)
        decision, nominee = r["decision"], r["nominee"] or {}
        unit_name = labels.unit_name(policy, r["unit_id"]) or r["unit_id"]
        level = _deciding_level(r["route"], award.deciding_level if award else "unit")
        found.append(Awarded(
            nomination_id=r["id"], name=r["nominee_name"], kind=r["nominee_kind"],
            gender=r["gender"] or None,
            direct_worker=r["nominee_kind"] == "individual" and bool(
                nominee.get("direct_worker")),
            position=str(nominee.get("title") or r["position"] or ""),
            unit_id=r["unit_id"], unit_name=unit_name, award_code=code,
            award_name=labels.award_name(policy, code),
            level=level, rank=_rank(policy.rank, level),
            decision_number=str(decision.get("number") or ""),
            decision_date=date.fromisoformat(str(decision["date"])[:10]),
            signer=str(decision.get("signer") or ""),
            authority=str(decision.get("authority") or ""),
            movement_id=r["movement_id"] or None, cluster_id=r["cluster_id"] or None))
    return found


def _deciding_level(route: dict[str, Any] | None, otherwise: str) -> str:
    """The level whose authority decided (the route's decision step: a lower form granted
    is granted by the same authority)."""
    return str(((route or {}).get("decision") or {}).get("level") or otherwise)


# -- the Ministry's form ---------------------------------------------------------------

@dataclass
class FormRow:
    """One line of the form: an award form at its deciding level."""

    award_code: str
    award_name: dict[str, str]
    level: str
    level_name: dict[str, str]
    total: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    male: int = 0
    female: int = 0
    gender_unknown: int = 0
    direct_workers: int = 0

    def add(self, a: Awarded) -> None:
        self.total += 1
        self.kinds[a.kind] += 1
        if a.kind == "individual":
            if a.gender == "male":
                self.male += 1
            elif a.gender == "female":
                self.female += 1
            else:
                self.gender_unknown += 1
            self.direct_workers += a.direct_worker

    def figures(self) -> dict[str, int]:
        return {"total": self.total, **{f"{k}s": self.kinds[k] for k in KIND_COLUMNS},
                "male": self.male, "female": self.female,
                "gender_unknown": self.gender_unknown, "direct_workers": self.direct_workers}


@dataclass
class Statistics:
    scope: Scope
    rows: list[FormRow]
    totals: FormRow
    by_movement: list[Group]
    by_cluster: list[Group]


@dataclass
class Group:
    """Awards of one movement or cluster (``key`` None: proposed in none)."""

    key: str | None
    name: str
    total: int = 0
    individuals: int = 0
    collectives: int = 0


CENTRAL_NAME = {"vi": "Trung ương", "en": "Central"}
"""The level above the province's policy: the Prime Minister's, the President's."""


def level_name(laurel: Laurel, level: str) -> dict[str, str]:
    named = laurel.policy.level_names.get(level)
    if named is not None:
        return {"vi": named.vi, "en": named.en}
    return dict(CENTRAL_NAME) if level == CENTRAL else {"vi": level, "en": level}


def statistics(conn: Connection, laurel: Laurel, scope: Scope,
               found: list[Awarded] | None = None) -> Statistics:
    """The form: one row per form granted and deciding level, highest level first."""
    found = awarded(conn, laurel, scope) if found is None else found
    rows: dict[tuple[str, str], FormRow] = {}
    totals = FormRow("", {"vi": "Tổng cộng", "en": "Total"}, "", {"vi": "", "en": ""})
    for a in found:
        row = rows.get((a.level, a.award_code))
        if row is None:
            row = rows[(a.level, a.award_code)] = FormRow(
                a.award_code, a.award_name, a.level, level_name(laurel, a.level))
        row.add(a)
        totals.add(a)
    policy = laurel.policy
    ranked = sorted(rows.values(), key=lambda r: (
        -_rank(policy.rank, r.level), r.award_name["vi"]))
    return Statistics(scope, ranked, totals, by_movement(conn, found),
                      by_cluster(conn, found))


def _rank(rank: Any, level: str) -> int:
    try:
        return int(rank(level))
    except ValueError:
        return -1


def _grouped(found: list[Awarded], key_of: Any, names: dict[str, str]) -> list[Group]:
    groups: dict[str | None, Group] = {}
    for a in found:
        key = key_of(a)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, names.get(key or "", key or ""))
        group.total += 1
        group.individuals += a.kind == "individual"
        group.collectives += a.kind == "collective"
    return sorted(groups.values(), key=lambda g: (g.key is None, -g.total, g.name))


def by_movement(conn: Connection, found: list[Awarded]) -> list[Group]:
    """Awards per movement they were proposed in, each named as the movements' read
    model names it."""
    ids = {a.movement_id for a in found if a.movement_id}
    return _grouped(found, lambda a: a.movement_id, movement_names(conn, ids))


def movement_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = conn.execute(select(movements.c.id, movements.c.name)
                        .where(movements.c.id.in_(ids)))
    return {str(i): str(n) for i, n in rows}


def by_cluster(conn: Connection, found: list[Awarded]) -> list[Group]:
    """Awards per emulation cluster (or block) whose ranking they were proposed on (the
    Proposed event's ``basis.cluster_id``, as the history read model keeps it), named as
    the clusters' read model names them."""
    ids = {a.cluster_id for a in found if a.cluster_id}
    return _grouped(found, lambda a: a.cluster_id, cluster_names(conn, ids))


def cluster_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return {str(i): f"{n} ({y})" for i, n, y in conn.execute(
        select(clusters.c.id, clusters.c.name, clusters.c.year).where(clusters.c.id.in_(ids)))}


# -- processing times ------------------------------------------------------------------

@dataclass(frozen=True)
class LevelTimes:
    level: str
    level_name: dict[str, str]
    count: int
    median_days: float
    p90_days: float
    on_time: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.count if self.count else 0.0


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank: the smallest value that at least 90 % of the
    values do not exceed."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def bounds(laurel: Laurel, period: Period) -> tuple[datetime, datetime]:
    """The period's first and last moments in the province's time, in UTC."""
    zone = laurel.policy.calendar.zone
    start = datetime.combine(period.start, time(), tzinfo=zone).astimezone(UTC)
    return start, datetime.combine(period.end, time.max, tzinfo=zone).astimezone(UTC)


def processing_times(conn: Connection, laurel: Laurel, scope: Scope) -> list[LevelTimes]:
    """Per level, the council reviews of the scope's nominations closed by a ballot in
    the period: how many, the median and 90th percentile of their days open, and how many
    closed by their due time. Lowest level first."""
    start, end = bounds(laurel, scope.period)
    query = (
        select(tasks.c.level, tasks.c.opened_at, tasks.c.closed_at, tasks.c.due_at)
        .join(nominations, nominations.c.id == tasks.c.nomination_id)
        .where(tasks.c.kind == TaskKind.REVIEW,
               tasks.c.outcome.in_([o.value for o in ReviewOutcome]),
               tasks.c.closed_at >= start, tasks.c.closed_at <= end,
               nominations.c.unit_id.in_(scope.units)))
    days: dict[str, list[float]] = {}
    on_time: Counter[str] = Counter()
    for level, opened, closed, due in conn.execute(query):
        opened, closed, due = (_aware(t) for t in (opened, closed, due))
        days.setdefault(level, []).append((closed - opened).total_seconds() / 86400)
        on_time[level] += closed <= due
    policy = laurel.policy
    return [LevelTimes(level, level_name(laurel, level), len(values),
                       round(median(values), 1), round(p90(values), 1), on_time[level])
            for level, values in sorted(days.items(),
                                        key=lambda kv: _rank(policy.rank, kv[0]))]


def _aware(moment: datetime) -> datetime:
    """A time as UTC (SQLite hands them back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- as JSON ---------------------------------------------------------------------------

def scope_json(scope: Scope) -> dict[str, Any]:
    return {"unit": {"id": scope.unit_id, "name": scope.unit_name},
            "period": {"from": scope.period.start.isoformat(),
                       "to": scope.period.end.isoformat()},
            **({"movement_id": scope.movement_id} if scope.movement_id else {}),
            **({"cluster_id": scope.cluster_id} if scope.cluster_id else {}),
            **({"within": scope.within} if scope.within else {})}


def statistics_json(stats: Statistics) -> dict[str, Any]:
    def group(g: Group) -> dict[str, Any]:
        return {"id": g.key, "name": g.name, "total": g.total,
                "individuals": g.individuals, "collectives": g.collectives}

    return {**scope_json(stats.scope),
            "rows": [{"award_code": r.award_code, "award_name": r.award_name,
                      "level": r.level, "level_name": r.level_name, **r.figures()}
                     for r in stats.rows],
            "totals": stats.totals.figures(),
            "by_movement": [group(g) for g in stats.by_movement],
            "by_cluster": [group(g) for g in stats.by_cluster]}


def awarded_json(scope: Scope, found: list[Awarded]) -> dict[str, Any]:
    return {**scope_json(scope), "items": [
        {"nomination_id": a.nomination_id, "name": a.name, "kind": a.kind,
         "position": a.position, "unit": {"id": a.unit_id, "name": a.unit_name},
         "award_code": a.award_code, "award_name": a.award_name, "level": a.level,
         "decision": {"number": a.decision_number, "date": a.decision_date.isoformat(),
                      "signer": a.signer, "authority": a.authority},
         "movement_id": a.movement_id, "cluster_id": a.cluster_id} for a in found]}


def times_json(scope: Scope, times: list[LevelTimes]) -> dict[str, Any]:
    return {**scope_json(scope), "levels": [
        {"level": t.level, "level_name": t.level_name, "count": t.count,
         "median_days": t.median_days, "p90_days": t.p90_days, "on_time": t.on_time,
         "on_time_share": round(t.on_time_share, 4)} for t in times]}
