"""The year's reports (``api.reads.reports`` says what each figure counts): the
Ministry's statistical form, the list of those awarded in the official layout, the
processing times per level; as JSON, XLSX or CSV, for any unit the user may see (with the
units below it) and any period of decision dates. Read-only: every route is a GET."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from api import report_files
from api.deps import CurrentUser, LaurelDep, Year, read_models
from api.problems import PROBLEM_RESPONSES
from api.reads import dashboard
from api.reads import reports as reads
from domain.actor import Actor
from infrastructure.container import Laurel

router = APIRouter(prefix="/reports", tags=["reports"], responses=PROBLEM_RESPONSES)



def _written_day(value: Any) -> Any:
    """A day as written, "2026-03-02": not a number taken for seconds since 1970."""
    if value is not None and not (isinstance(value, str)
                                  and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        raise PydanticCustomError("date_type", "a date is written YYYY-MM-DD")
    return value


From = Annotated[date | None, BeforeValidator(_written_day),
                 Query(alias="from", description="first decision date (inclusive); with "
                                                 "`to`, instead of `year`")]
To = Annotated[date | None, BeforeValidator(_written_day),
               Query(description="last decision date (inclusive)")]
Unit = Annotated[str | None, Query(description="a unit you may see: it and the units below "
                                               "(default: your own)")]
Movement = Annotated[UUID | None, Query(description="only the awards proposed in this "
                                                 "emulation movement")]
Cluster = Annotated[UUID | None, Query(description="only the awards proposed on this "
                                               "cluster's (or block's) ranking")]
FILES: dict[int | str, dict[str, Any]] = {200: {"content": {
    "application/json": {}, report_files.XLSX: {}, "text/csv": {}}}}


def scope(laurel: Laurel, user: Actor, unit: str | None, year: int | None,
          from_: date | None, to: date | None) -> reads.Scope:
    """The report's unit and period; a bad period is 422 naming the parameter."""
    try:
        period = reads.period_of(dashboard.this_year(laurel), year, from_, to)
    except reads.InvalidPeriod as bad:
        raise RequestValidationError([{
            "type": "value_error", "loc": ("query", bad.parameter), "msg": bad.detail,
            "input": None}]) from None
    return reads.scope_of(laurel, user, unit, period)


async def narrowed(laurel: Laurel, where: reads.Scope, movement: UUID | None,
                   cluster: UUID | None) -> reads.Scope:
    """The scope, of one movement's or one cluster's awards when asked (404 for one the
    read models do not hold)."""
    if movement is None and cluster is None:
        return where
    return await read_models(laurel, lambda conn: reads.within(
        conn, where, str(movement) if movement else None, str(cluster) if cluster else None))


@router.get("/statistics", responses=FILES, response_model=None)
async def statistics(
    user: CurrentUser, laurel: LaurelDep, year: Year = None, from_: From = None,
    to: To = None, unit: Unit = None, movement: Movement = None, cluster: Cluster = None,
    format: Annotated[Literal["json", "xlsx", "csv"], Query()] = "json",
) -> dict[str, Any] | Response:
    """The statistical form: awards that stand, by form granted and deciding level —
    total, collectives, individuals, households; individuals by gender (the register's)
    and direct workers — counted by decision date; the awards by movement and by
    cluster. XLSX: the form, then a sheet per grouping; CSV: the form. With `movement`
    or `cluster`: the form of that movement's or cluster's awards only."""
    where = await narrowed(laurel, scope(laurel, user, unit, year, from_, to), movement,
                           cluster)
    stats = await read_models(laurel, lambda conn: reads.statistics(conn, laurel, where))
    if format == "json":
        return reads.statistics_json(stats)
    return report_files.download(where, report_files.statistics_sheets(stats), format,
                                 "thong-ke-khen-thuong")


@router.get("/awarded-list", responses=FILES, response_model=None)
async def awarded_list(
    user: CurrentUser, laurel: LaurelDep, year: Year = None, from_: From = None,
    to: To = None, unit: Unit = None, movement: Movement = None, cluster: Cluster = None,
    format: Annotated[Literal["json", "xlsx", "csv"], Query()] = "xlsx",
) -> dict[str, Any] | Response:
    """Those awarded, in the layout attached to a *tờ trình*: STT, Họ và tên, chức vụ
    and unit, the form granted, the decision's number and date; by decision date. With
    `movement` or `cluster`: those of that movement or that cluster's ranking only."""
    where = await narrowed(laurel, scope(laurel, user, unit, year, from_, to), movement,
                           cluster)
    found = await read_models(laurel, lambda conn: reads.awarded(conn, laurel, where))
    if format == "json":
        return reads.awarded_json(where, found)
    return report_files.download(where, [report_files.awarded_sheet(found)], format,
                                 "danh-sach-khen-thuong")


@router.get("/processing-times", responses=FILES, response_model=None)
async def processing_times(
    user: CurrentUser, laurel: LaurelDep, year: Year = None, from_: From = None,
    to: To = None, unit: Unit = None,
    format: Annotated[Literal["json", "xlsx", "csv"], Query()] = "json",
) -> dict[str, Any] | Response:
    """Per level, the councils' reviews of the unit's nominations closed by a ballot in
    the period: how many, median and 90th-percentile days from the task's opening to the
    ballot, how many and what share by the due time."""
    where = scope(laurel, user, unit, year, from_, to)
    times = await read_models(laurel, lambda conn: reads.processing_times(conn, laurel, where))
    if format == "json":
        return reads.times_json(where, times)
    return report_files.download(where, [report_files.times_sheet(times)], format,
                                 "thoi-gian-xu-ly")

