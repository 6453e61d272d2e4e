"""The tasks a unit's council secretaries and deciders act on: the inbox, one task."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from api import labels
from api.reads.access import kinds_acted_on, not_for_the_inbox
from api.schemas import TaskPublic, TasksPublic
from domain.actor import ROLE_NAMES, Actor
from domain.errors import NotFound, WrongRole
from domain.policy import Policy
from domain.vocabulary import Role, TaskKind, TaskStatus
from infrastructure.container import Laurel
from infrastructure.database import utc
from projections import queries
from projections.search import MAX_QUERY, QueryForms
from projections.tables import tasks

QUERY_MAX_LENGTH = MAX_QUERY
"""The longest search query (``q``) the inbox takes."""


def own_task(user: Actor, conn: Connection, task_id: str) -> dict[str, Any]:
    """The task, if it is held by the caller's unit; otherwise it does not exist for them."""
    row = queries.task(conn, task_id)
    if row is None or row["unit_id"] != user.unit_id:
        raise NotFound(f"No task {task_id}", vi=f"Không có việc {task_id}")
    return row


def task_public(policy: Policy, row: dict[str, Any]) -> TaskPublic:
    award = labels.award_name(policy, row["award_code"])
    return TaskPublic.model_validate({**row, "award_name": award})


NO_ONE = "none"
ME = "me"


def holders(assignee: str, user: Actor, delegators: Collection[str]) -> list[str | None]:
    """Whose tasks ``GET /tasks?assignee=`` asks for: ``me`` (the user, and whoever
    delegated their tasks to them), ``none`` (no one: None) or someone by id."""
    if assignee == ME:
        return [user.id, *delegators]
    if assignee == NO_ONE:
        return [None]
    return [assignee]


def inbox_page(user: Actor, laurel: Laurel, conn: Connection, limit: int,
               offset: int, q: str | None = None,
               held_by: list[str | None] | None = None) -> TasksPublic:
    """Open tasks of the user's unit that their roles act on, the earliest due first;
    with ``q``, those of them it finds by nominee name or tracking code, accents and case
    aside (``projections.search``); with ``held_by``, those held by these people (None:
    by no one)."""
    kinds = kinds_acted_on(user)
    if not kinds:
        raise not_for_the_inbox()
    if held_by is not None:
        rows, total = _held_by(conn, user.unit_id, kinds, held_by, limit, offset, q)
    else:
        rows, total = queries.inbox(conn, user.unit_id, kinds, limit, offset, q=q)
    return TasksPublic(
        items=[task_public(laurel.policy, r) for r in rows], total=total, limit=limit,
        offset=offset,
    )


def task_to_act_on(task_id: str, user: Actor, laurel: Laurel, conn: Connection) -> TaskPublic:
    row = own_task(user, conn, task_id)
    if row["kind"] not in kinds_acted_on(user):
        acting = Role.DECIDER if row["kind"] == TaskKind.DECISION else Role.REVIEWER
        name = ROLE_NAMES[acting]
        raise WrongRole(f"This task is for the {name.en.lower()}",
                        vi=f"Việc này dành cho {name.vi_in_sentence}")
    return task_public(laurel.policy, row)


def acting_task(user: Actor, conn: Connection,
                open_task_id: str | None) -> dict[str, Any] | None:
    """A nomination's open task, if the user's unit holds it and their role acts on it."""
    task = queries.task(conn, open_task_id) if open_task_id else None
    if task is None or task["unit_id"] != user.unit_id or (
            task["kind"] not in kinds_acted_on(user)):
        return None
    return task


def _held_by(conn: Connection, unit_id: str, kinds: Collection[str],
             held_by: list[str | None], limit: int, offset: int,
             q: str | None) -> tuple[list[dict[str, Any]], int]:
    """The unit's open tasks of ``kinds`` held by ``held_by``, the earliest due first."""
    people = [p for p in held_by if p is not None]
    holding = [tasks.c.assignee.in_(people)] if people else []
    if None in held_by:
        holding.append(tasks.c.assignee.is_(None))
    where = [tasks.c.unit_id == unit_id, tasks.c.status == TaskStatus.OPEN,
             tasks.c.kind.in_(list(kinds)), or_(*holding)]
    forms = QueryForms.of(q)
    if forms is not None:
        where.append(queries.tasks_found_by(forms, conn.dialect.name))
    total = conn.execute(select(func.count()).select_from(tasks).where(*where)).scalar_one()
    rows = conn.execute(select(tasks).where(*where).order_by(tasks.c.due_at, tasks.c.id)
                        .limit(limit).offset(offset)).mappings()
    return [{k: utc(v) if isinstance(v, datetime) else v for k, v in r.items()}
            for r in rows], int(total)

