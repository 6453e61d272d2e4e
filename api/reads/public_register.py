"""The public register of results, as anyone reads it (``GET /public/awards``,
``/ui/register``): decided awards by year, unit (and the units below it) and award, with
the nominee's name, unit, award and decision; revoked ones listed and marked. Nothing
else about the nominee leaves here (``projections.public_register``)."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from api import labels
from api.certificates.schemas import (
    AwardNamed,
    DecisionPublic,
    Named,
    PublicAward,
    PublicAwards,
    RevocationPublic,
)
from api.schemas import Label
from infrastructure.container import Laurel
from projections.public_register import decided_awards


def public_awards(laurel: Laurel, conn: Connection, *, year: int | None, unit: str | None,
                  award: str | None, limit: int, offset: int) -> PublicAwards:
    units = None
    if unit:
        units = laurel.policy.org.subtree(unit) or [unit]  # a unit merged since: its own
    rows, total = decided_awards(conn, year=year, units=units, award=award or None,
                                 limit=limit, offset=offset)
    items = []
    for r in rows:
        policy = laurel.policies.version(r["policy_version"])
        decision, revocation = r["decision"] or {}, r["revocation"]
        items.append(PublicAward(
            nominee_name=r["nominee_name"],
            unit=Named(id=r["unit_id"], name=labels.unit_name(policy, r["unit_id"]) or ""),
            award=AwardNamed(code=r["award_code"], name=Label.model_validate(
                labels.award_name(policy, r["award_code"]))),
            year=r["year"],
            decision=DecisionPublic(number=decision.get("number", ""),
                                    date=decision.get("date", ""),
                                    authority=decision.get("authority", "")),
            revoked=revocation is not None,
            revocation=RevocationPublic(number=revocation.get("number", ""),
                                        date=revocation.get("date", ""))
            if revocation else None))
    return PublicAwards(items=items, total=total, limit=limit, offset=offset)
