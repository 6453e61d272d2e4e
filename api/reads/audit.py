"""The auditors' reads: a nomination as of any moment, decision steps that explain
themselves, and every event of a unit's nominations in a date range."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, Literal
from urllib.parse import quote
from uuid import UUID

from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.engine import Connection

from api import labels
from api.reads.access import as_seen_by, visible_units
from api.reads.nominations import visible_row
from domain.actor import Actor
from domain.errors import NotFound
from infrastructure.container import Laurel
from infrastructure.database import utc
from projections import notifications, queries
from projections.tables import history, nominations

EXPORT_COLUMNS = ("position", "nomination_id", "tracking_code", "proposing_unit_id",
                  "award_code", "version", "type", "occurred_at", "actor", "actor_role",
                  "actor_unit", "level", "unit_id", "outcome", "members", "present", "for",
                  "against", "abstain", "rule", "policy_version", "data")


def state_as_of(
    nomination_id: str, user: Actor, laurel: Laurel, conn: Connection,
    as_of: datetime | None, version: int | None,
) -> dict[str, Any]:
    visible_row(user, laurel, conn, nomination_id)
    moment = utc(as_of) if as_of else None
    state = laurel.nominations.state_as_of(UUID(nomination_id), version=version, at=moment)
    return {**state, "as_of": moment, "status_label": labels.label(labels.STATUS,
                                                                    state["status"])}


def decision_steps(
    nomination_id: str, user: Actor, laurel: Laurel, conn: Connection
) -> dict[str, Any]:
    row = visible_row(user, laurel, conn, nomination_id)
    return {"nomination_id": nomination_id, "policy_version": row["policy_version"],
            "items": [_step(as_seen_by(user, row["route"], h), row["policy_version"])
                      for h in sorted([*queries.history_of(conn, nomination_id),
                                       *notifications.history_of(conn, nomination_id)],
                                      key=lambda h: int(h["position"]))]}


def _step(h: dict[str, Any], policy_version: str) -> dict[str, Any]:
    data = h["data"]
    return {
        "position": h["position"], "version": h["version"], "type": h["type"],
        "label": labels.label(labels.EVENT, h["type"]), "occurred_at": h["occurred_at"],
        "actor": h["actor"], "actor_role": h["actor_role"], "actor_unit": h["actor_unit"],
        "level": h["level"], "unit_id": h["unit_id"], "outcome": data.get("outcome"),
        "votes": data.get("votes"), "rule": data.get("rule"), "result": data.get("result"),
        "policy_version": data.get("policy_version", policy_version), "data": data,
    }


def export_scope(user: Actor, laurel: Laurel, unit: str | None) -> tuple[str, list[str]]:
    """The unit an export is of (the user's own, unless named) and the units below it;
    ``NotFound`` if the user may not see it."""
    allowed = visible_units(user, laurel.policy.org)
    root = unit or user.unit_id
    if root not in allowed:
        raise NotFound(f"No unit {root}", vi=f"Không có đơn vị {root}")
    return root, laurel.policy.org.subtree(root) if root in laurel.policy.org.units else [root]


def export_rows(laurel: Laurel, units: list[str], from_: date,
                to: date, user: Actor) -> Iterator[dict[str, Any]]:
    """Every event of the nominations of ``units`` in the range, oldest first, read row
    by row as the iterator is (constant memory, however large the range), as ``user`` may
    see it (an objector is the board's to know: ``access.as_seen_by``)."""
    query = (
        select(history, nominations.c.tracking_code, nominations.c.award_code,
               nominations.c.unit_id.label("proposing_unit_id"),
               nominations.c.policy_version.label("nomination_policy"),
               nominations.c.route.label("nomination_route"))
        .join(nominations, nominations.c.id == history.c.nomination_id)
        .where(nominations.c.unit_id.in_(units),
               history.c.occurred_at >= datetime.combine(from_, time.min),
               history.c.occurred_at <= datetime.combine(to, time.max))
        .order_by(history.c.position)
    )
    return _rows(laurel, query, user)


def _rows(laurel: Laurel, query: Any, user: Actor) -> Iterator[dict[str, Any]]:
    with laurel.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=500).execute(query)
        for found in result.mappings():
            r = as_seen_by(user, found["nomination_route"], dict(found))
            data = r["data"]
            votes = data.get("votes") or {}
            yield {
                "position": r["position"], "nomination_id": r["nomination_id"],
                "tracking_code": r["tracking_code"],
                "proposing_unit_id": r["proposing_unit_id"],
                "award_code": r["award_code"], "version": r["version"], "type": r["type"],
                "occurred_at": utc(r["occurred_at"]).isoformat(), "actor": r["actor"],
                "actor_role": r["actor_role"], "actor_unit": r["actor_unit"],
                "level": r["level"], "unit_id": r["unit_id"],
                "outcome": data.get("outcome"), **{k: votes.get(k) for k in (
                    "members", "present", "for", "against", "abstain")},
                "rule": json.dumps(data["rule"]) if data.get("rule") else None,
                "policy_version": data.get("policy_version", r["nomination_policy"]),
                "data": json.dumps(data, ensure_ascii=False, sort_keys=True),
            }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_in_a_spreadsheet(value: object) -> object:
    """Text a spreadsheet would take for a formula (OWASP's CSV injection: ``=HYPERLINK(…``
    typed as a nominee's name or a note) is kept as text behind a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: inert_in_a_spreadsheet(v) for k, v in row.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, written one element at a time."""
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


def export_download(user: Actor, laurel: Laurel, from_: date, to: date, unit: str | None,
                    format: Literal["csv", "json"]) -> StreamingResponse:
    """The export as a file to download, streamed."""
    root, units = export_scope(user, laurel, unit)
    rows = export_rows(laurel, units, from_, to, user)
    name = f"laurel-audit-{root}-{from_.isoformat()}-{to.isoformat()}"
    if format == "json":
        return StreamingResponse(json_lines(rows), media_type="application/json",
                                 headers={"Content-Disposition": attachment(f"{name}.json")})
    return StreamingResponse(csv_lines(rows), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": attachment(f"{name}.csv")})


def attachment(filename: str) -> str:
    """A download's name in a header (RFC 6266): any text as UTF-8, and an ASCII form
    for clients that know no other; a header cannot carry other bytes raw."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
