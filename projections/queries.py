"""Questions the read models answer, returning plain dicts (times in UTC)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, func, or_, select, text, union
from sqlalchemy.engine import Connection
from sqlalchemy.sql.base import ColumnCollection
from sqlalchemy.sql.elements import ColumnElement

from domain.vocabulary import Status, TaskStatus
from infrastructure.database import utc
from projections.search import QueryForms, after_prefix
from projections.tables import history, nominations, search_terms, task_terms, tasks


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {k: utc(v) if isinstance(v, datetime) else v for k, v in row.items()}


def _page(
    conn: Connection, query: Select[Any], table: Table, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    # Counted from the table itself, not from the ordered query: the count then runs
    # on an index alone (no sort, no row lookups).
    counting = query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    total = conn.execute(counting).scalar_one()
    rows = conn.execute(query.limit(limit).offset(offset)).mappings()
    return [_plain(r) for r in rows], int(total)


# Lookups by key, built once: SQLAlchemy then reuses their compiled form and cache key
# (building a statement per request cost more than running it).
_NOMINATION = select(nominations).where(nominations.c.id == bindparam("key"))
_NOMINATION_BY_CODE = select(nominations).where(nominations.c.tracking_code == bindparam("key"))
_TASK = select(tasks).where(tasks.c.id == bindparam("key"))


def _one(conn: Connection, statement: Select[Any], key: str) -> dict[str, Any] | None:
    found = conn.execute(statement, {"key": key}).mappings().first()
    return _plain(found) if found else None


def nomination(conn: Connection, nomination_id: str) -> dict[str, Any] | None:
    return _one(conn, _NOMINATION, nomination_id)


def nomination_by_tracking_code(conn: Connection, code: str) -> dict[str, Any] | None:
    return _one(conn, _NOMINATION_BY_CODE, code)


_NEWEST_FIRST = [nominations.c.proposed_at.desc(), nominations.c.id]
"""The nominations listing's order."""
LISTED = tuple(nominations.c[name] for name in (
    "id", "tracking_code", "status", "award_code", "nominee_name", "unit_id",
    "current_level", "due_at", "overdue", "escalated", "proposed_at"))
"""A nomination as a listing shows it (``api.schemas.NominationSummary``): without the
dossier, whose JSON (nominee, documents, route, decision…) decoded for each of a page's
rows was most of a search's time at 10⁶ nominations."""


def _found_page(
    conn: Connection, ids: Select[Any], table: Table, order: list[Any], limit: int,
    offset: int, columns: Collection[Any] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """``ids`` selects the ids of the matching rows in ``order``, from an index alone: the
    page's ids, then their rows (their ``columns``: all by default), and the total,
    counted only when the page does not tell it (a page short of ``limit`` is the last
    one). The ids are a statement of their own: as a subquery joined to its rows, SQLite
    sorted every match, not just a page. PostgreSQL takes the page's rows and the total
    in one statement (``_found_page_at_once``)."""
    listed = select(*columns) if columns else select(table)
    if conn.dialect.name == "postgresql":
        return _found_page_at_once(conn, ids, table, listed, order, limit, offset)
    page = list(conn.scalars(ids.limit(limit).offset(offset)))
    rows = [_plain(r) for r in conn.execute(
        listed.where(table.c.id.in_(page)).order_by(*order)).mappings()] if page else []
    if len(page) < limit and (page or offset == 0):
        return rows, offset + len(page)
    return rows, _count(conn, ids.order_by(None))


_TOTAL = "total_found_"


def _found_page_at_once(
    conn: Connection, ids: Select[Any], table: Table, listed: Select[Any], order: list[Any],
    limit: int, offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """``_found_page`` in one round trip: the page's ids with the count of them all (a
    window over the matches, which PostgreSQL reads whole anyway to sort them), joined to
    their rows. Each statement of a search waited ~0.9 ms for its answer at 10⁶
    nominations, and a search took five. Counted apart only for a page past the end."""
    page = ids.add_columns(func.count().over().label(_TOTAL)).limit(limit).offset(
        offset).subquery("page")
    found = conn.execute(listed.add_columns(page.c[_TOTAL]).join_from(
        table, page, table.c.id == page.c[0]).order_by(*order)).mappings()
    rows, total = [], 0
    for row in found:
        plain = _plain(row)
        total = plain.pop(_TOTAL)
        rows.append(plain)
    if rows or offset == 0:
        return rows, int(total)
    return rows, _count(conn, ids.order_by(None))


def _count(conn: Connection, query: Select[Any]) -> int:
    counting = query.with_only_columns(func.count(), maintain_column_froms=True)
    return int(conn.execute(counting).scalar_one())


def nominations_of_units(
    conn: Connection, unit_ids: Collection[str] | None, status: str | None,
    limit: int, offset: int, *, q: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Nominations proposed by any of ``unit_ids`` (all when None), newest first, as a
    listing shows them (``LISTED``); with ``q``, those it finds by name, tracking code or
    decision number (``projections.search``)."""
    forms = QueryForms.of(q)
    if forms is not None:
        return _found_nominations(conn, unit_ids, status, forms, limit, offset)
    query = select(*LISTED).order_by(*_NEWEST_FIRST)
    if unit_ids is not None:
        query = query.where(nominations.c.unit_id.in_(list(unit_ids)))
    if status:
        query = query.where(nominations.c.status == status)
    return _page(conn, query, nominations, limit, offset)


_UNITS_WITH_TERMS = text("""
    WITH RECURSIVE units(unit_id) AS (
        SELECT (SELECT unit_id FROM search_terms ORDER BY unit_id LIMIT 1)
        UNION ALL
        SELECT (SELECT s.unit_id FROM search_terms s WHERE s.unit_id > units.unit_id
                ORDER BY s.unit_id LIMIT 1)
        FROM units WHERE units.unit_id IS NOT NULL
    )
    SELECT unit_id FROM units WHERE unit_id IS NOT NULL
""")
"""Every unit that has nominations, one seek of the index each (a full scan otherwise)."""


def _found_nominations(
    conn: Connection, unit_ids: Collection[str] | None, status: str | None,
    forms: QueryForms, limit: int, offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """The nominations of ``unit_ids`` that ``forms`` finds, newest first.

    Each form is a range of terms looked up in each unit, counted and paged from the
    index alone, each nomination once (``projections.search._shared``). A status to
    match is read from the nominations themselves."""
    st = search_terms
    units = sorted(set(unit_ids)) if unit_ids is not None else list(
        conn.scalars(_UNITS_WITH_TERMS))
    if not units:
        return [], 0
    finding = []
    for form in forms.forms:
        query = select(st.c.nomination_id, st.c.proposed_at).where(
            st.c.unit_id.in_(units), *_starting(st.c.term, form),
            st.c.shared_prefix < len(form))
        if status:
            query = query.join(nominations, nominations.c.id == st.c.nomination_id).where(
                nominations.c.status == status)
        finding.append(query)
    ids = _found_once(conn, finding, lambda hits: [hits.proposed_at.desc(), hits[0]])
    if ids is None:
        return [], 0
    return _found_page(conn, ids, nominations, _NEWEST_FIRST, limit, offset, LISTED)


def _starting(term: ColumnElement[str], form: str) -> list[ColumnElement[bool]]:
    """The terms that start with ``form``: a range of their index."""
    high = after_prefix(form)
    return [term >= form, *([term < high] if high is not None else [])]


def _found_once(
    conn: Connection, finding: list[Select[Any]],
    order: Callable[[ColumnCollection[str, Any]], list[Any]],
) -> Select[Any] | None:
    """The ids (first column) of the rows any of ``finding`` (one for each form of a
    query) finds, each once, in ``order`` (of the columns found); None if none finds any.

    Two forms (several words, run together too): a row is found by one of them, hardly
    ever by both; those that find nothing are left out, asked in one query."""
    found = finding
    if len(finding) > 1:
        some = conn.execute(select(*(query.exists() for query in finding))).one()
        found = [query for query, any_found in zip(finding, some, strict=True) if any_found]
    if not found:
        return None
    if len(found) == 1:
        columns = found[0].selected_columns
        return found[0].with_only_columns(columns[0]).order_by(*order(columns))
    hits = union(*found).subquery("hits")  # found both ways: once
    return select(hits.c[0]).order_by(*order(hits.c))


def in_public_notice(
    conn: Connection, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Nominations in their comment period (or held by an objection), ending soonest first."""
    query = (
        select(nominations)
        .where(nominations.c.status.in_([Status.PUBLIC_NOTICE, Status.ON_HOLD]))
        .order_by(nominations.c.notice_until, nominations.c.id)
    )
    return _page(conn, query, nominations, limit, offset)


def history_of(conn: Connection, nomination_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(history).where(history.c.nomination_id == nomination_id).order_by(history.c.version)
    ).mappings()
    return [_plain(r) for r in rows]


def task(conn: Connection, task_id: str) -> dict[str, Any] | None:
    return _one(conn, _TASK, task_id)


_MOST_URGENT_FIRST = [tasks.c.due_at, tasks.c.id]
"""The inbox's order."""


def inbox(
    conn: Connection, unit_id: str, kinds: Collection[str], limit: int, offset: int,
    *, q: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A unit's open tasks of the given kinds, the most urgent first; with ``q``, those
    it finds by name or tracking code (``projections.search``)."""
    forms = QueryForms.of(q)
    if forms is not None:
        return _found_tasks(conn, unit_id, kinds, forms, limit, offset)
    query = (
        select(tasks)
        .where(tasks.c.unit_id == unit_id, tasks.c.status == TaskStatus.OPEN,
               tasks.c.kind.in_(kinds))
        .order_by(*_MOST_URGENT_FIRST)
    )
    return _page(conn, query, tasks, limit, offset)


def _found_tasks(
    conn: Connection, unit_id: str, kinds: Collection[str], forms: QueryForms, limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """The open tasks of ``kinds`` in the unit that ``forms`` finds, the most urgent
    first: each form a range of the unit's ``task_terms``, counted and paged from the
    index alone, each task once, as nominations are found."""
    tt = task_terms
    finding = [select(tt.c.task_id, tt.c.due_at).where(
        tt.c.unit_id == unit_id, *_starting(tt.c.term, form), tt.c.shared_prefix < len(form),
        tt.c.kind.in_(list(kinds))) for form in forms.forms]
    ids = _found_once(conn, finding, lambda hits: [hits.due_at, hits[0]])
    if ids is None:
        return [], 0
    return _found_page(conn, ids, tasks, _MOST_URGENT_FIRST, limit, offset)


def tasks_found_by(forms: QueryForms, dialect: str) -> ColumnElement[bool]:
    """The tasks a search finds (``projections.search``) by their text, on the database
    ``dialect``: for a listing of tasks filtered otherwise than an inbox (an inbox's
    search reads ``task_terms``).
    A substring, not ``LIKE``: SQLite's ``instr`` compares bytes, its ``LIKE`` folds the
    case of each character (a fifth more time over a busy unit's 30,000 open tasks)."""
    contains = func.instr if dialect == "sqlite" else func.strpos
    return or_(*(contains(tasks.c.search, needle) > 0 for needle in forms.needles))
