"""What a quota counts, from the read models: a unit's holders of a title for a year, and
those on their way to it (``domain.candidates.QuotaCounter``).

Holders are the register's awards of the unit for the year, not revoked (decided in
Laurel or before it); on their way are the unit's nominations of the award for the year
that a council has approved and that have not ended. The meeting that approves a list
counts its own approvals itself, so its nominations are left out here.
"""

from __future__ import annotations

from sqlalchemy import Engine, and_, func, select

from domain.vocabulary import CLOSED_STATUSES
from projections.people_tables import person_awards
from projections.tables import nominations


class QuotaCounts:
    """The counter the API gives the nominations (``Candidates.quota_counter``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, unit_id: str, year: int, title: str, base_title: str,
                 excluding: frozenset[str]) -> tuple[int, int]:
        held = (select(person_awards.c.award_code, func.count())
                .where(person_awards.c.unit_id == unit_id, person_awards.c.year == year,
                       person_awards.c.award_code.in_([title, base_title]),
                       person_awards.c.revoked.is_(False))
                .group_by(person_awards.c.award_code))
        coming = select(func.count()).where(and_(
            nominations.c.unit_id == unit_id, nominations.c.award_code == title,
            nominations.c.year == year, nominations.c.approvals > 0,
            nominations.c.status.not_in(list(CLOSED_STATUSES)),
            nominations.c.id.not_in(list(excluding))))
        with self.engine.connect() as conn:
            counts = {code: n for code, n in conn.execute(held)}
            approved = conn.execute(coming).scalar_one()
        return counts.get(title, 0) + approved, counts.get(base_title, 0)
