"""The public register of results (*công khai kết quả khen thưởng*): decided awards by
year, unit and award, read from the nominations' read model.

Only what a province publishes leaves this query: the nominee's name, the unit, the award
and its decision's number and date, and whether it was revoked since (a revoked award is
listed, marked, as the record of an act that was taken back). Never the dossier, the
nominee's identifiers or birth date, actors or votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.vocabulary import Status
from projections.queries import _page
from projections.tables import nominations

PUBLISHED = (Status.AWARDED, Status.REVOKED)
"""What the register lists: awards given, and those given then revoked (marked)."""
_COLUMNS = (nominations.c.id, nominations.c.nominee_name, nominations.c.unit_id,
            nominations.c.award_code, nominations.c.policy_version, nominations.c.year,
            nominations.c.decision, nominations.c.revocation, nominations.c.status)


def decided_awards(conn: Connection, *, year: int | None, units: Sequence[str] | None,
                   award: str | None, limit: int, offset: int,
                   ) -> tuple[list[dict[str, Any]], int]:
    """A page of the awards decided (``year``: the year the achievements belong to;
    ``units``: the nominees' units, None for all), by unit, award and name; and how many
    there are in all."""
    query = select(*_COLUMNS).where(nominations.c.status.in_(PUBLISHED))
    if year is not None:
        query = query.where(nominations.c.year == year)
    if units is not None:
        query = query.where(nominations.c.unit_id.in_(list(units)))
    if award:
        query = query.where(nominations.c.award_code == award)
    query = query.order_by(nominations.c.year.desc(), nominations.c.unit_id,
                           nominations.c.award_code, nominations.c.nominee_name,
                           nominations.c.id)
    return _page(conn, query, nominations, limit, offset)
