"""The inbox as a page shows it: a unit's open tasks, filtered by level, award, due state
and a search in the query itself (so that a page of 50 is 50 of the filtered tasks and
the total counts them all), the most urgent first, a page at a time. A search matches as
``tasks.inbox_page``'s does (``projections.search``: name or tracking code, accents and
case aside)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, false, func, not_, or_, select
from sqlalchemy.engine import Connection

from api.reads.access import kinds_acted_on, not_for_the_inbox
from api.reads.tasks import task_public
from api.schemas import TasksPublic
from domain.actor import Actor
from domain.vocabulary import TaskStatus
from infrastructure.container import Laurel
from infrastructure.database import utc
from projections.search import QueryForms
from projections.tables import tasks

DUE_SOON = timedelta(days=3)
DUE_STATES = ("overdue", "soon")


def due_state(due_at: datetime, overdue: bool, now: datetime) -> str:
    """``overdue`` (lapsed, or flagged by the workflow), ``soon`` (within three days)."""
    due = utc(due_at)
    if overdue or due < now:
        return "overdue"
    return "soon" if due - now < DUE_SOON else ""


def inbox_listing(
    user: Actor, laurel: Laurel, conn: Connection, limit: int, offset: int, *,
    now: datetime, level: str = "", award: str = "", due: str = "",
    hidden: Collection[str] = (), q: str | None = None,
    held_by: Collection[str | None] | None = None,
) -> TasksPublic:
    """Open tasks of the user's unit that their roles act on, earliest due first (which
    puts the overdue, then those due soon, first). ``hidden``: tasks to leave out, the
    total counting without them; ``q``: what the nominee's name or the tracking code
    starts a word with."""
    kinds = kinds_acted_on(user)
    if not kinds:
        raise not_for_the_inbox()
    where = [tasks.c.unit_id == user.unit_id, tasks.c.status == TaskStatus.OPEN,
             tasks.c.kind.in_(kinds)]
    if level:
        where.append(tasks.c.level == level)
    if award:
        where.append(tasks.c.award_code == award)
    if due == "overdue":
        where.append(or_(tasks.c.overdue.is_(True), tasks.c.due_at < now))
    elif due == "soon":
        where.append(and_(tasks.c.overdue.is_(False), tasks.c.due_at >= now,
                          tasks.c.due_at < now + DUE_SOON))
    elif due:
        where.append(false())
    if hidden:
        where.append(not_(tasks.c.id.in_(list(hidden))))
    if held_by is not None:  # ``api.reads.tasks.holders``
        people = [p for p in held_by if p is not None]
        where.append(or_(tasks.c.assignee.in_(people), *(
            [tasks.c.assignee.is_(None)] if None in held_by else [])))
    forms = QueryForms.of(q)
    if forms is not None:
        where.append(or_(*(tasks.c.search.like(pattern) for pattern in forms.patterns)))
    query: Select[tuple[object, ...]] = (
        select(tasks).where(*where).order_by(tasks.c.due_at, tasks.c.id))
    total = conn.execute(select(func.count()).select_from(tasks).where(*where)).scalar_one()
    rows = conn.execute(query.limit(limit).offset(offset)).mappings()
    items = [task_public(laurel.policy, {k: utc(v) if isinstance(v, datetime) else v
                                         for k, v in r.items()}) for r in rows]
    return TasksPublic(items=items, total=int(total), limit=limit, offset=offset)


def still_open(conn: Connection, task_ids: Collection[str]) -> list[str]:
    """Those of ``task_ids`` the read models still show open, in the order given."""
    if not task_ids:
        return []
    found = set(conn.scalars(select(tasks.c.id).where(
        tasks.c.id.in_(list(task_ids)), tasks.c.status == TaskStatus.OPEN)))
    return [t for t in task_ids if t in found]
