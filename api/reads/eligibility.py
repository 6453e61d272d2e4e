"""A nomination's eligibility as its readers see it: the award's rules worked out on the
nominee as things stand (the council's checklist), and every verdict recorded with the
proposal and the councils' ballots, read from the events (what decided, never worked out
again). Explanations are given in the reader's language."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.engine import Connection

from api.reads.nominations import in_language, visible_row
from api.schemas import NominationEligibility
from domain.actor import Actor
from domain.errors import NotFound
from infrastructure.container import Laurel


def nomination_eligibility(user: Actor, laurel: Laurel, conn: Connection, nomination_id: str,
                           at: datetime | None, language: str) -> NominationEligibility:
    """As things stand now or, with ``at``, the verdict recorded in force at that moment
    (an auditor's question); every verdict recorded up to then."""
    visible_row(user, laurel, conn, nomination_id)
    key = UUID(nomination_id)
    recorded = [in_language(r, language) for r in laurel.nominations.recorded_verdicts(key)]
    if at is not None:
        recorded = [r for r in recorded if r["recorded_at"] <= at]
        if not recorded:
            raise NotFound(f"No verdict was recorded on nomination {nomination_id} by "
                           f"{at.isoformat()}",
                           vi=f"Đến thời điểm {at.isoformat()} chưa ghi nhận kết quả kiểm tra "
                              f"điều kiện nào của hồ sơ {nomination_id}")
        return NominationEligibility.model_validate(
            {**recorded[-1], "as_of": at, "recorded": recorded})
    now = laurel.clock()
    verdict = laurel.nominations.eligibility_now(key, now)
    if verdict is None:  # an award without rules: open to anyone it is given to
        verdict = {"eligible": True, "checks": [], "evaluated_on": now.date(),
                   "policy_version": visible_row(user, laurel, conn,
                                                 nomination_id)["policy_version"]}
    return NominationEligibility.model_validate(
        {**in_language(verdict, language), "as_of": now, "recorded": recorded})
