"""What the public tracking page adds to ``tracking``: each step's outcome, the decision
as it is published, when it was returned and by which council, and whether the public
notice takes objections now.

Nothing personal beyond the nominee's name, as ``tracking`` promises: never actors,
votes or signers. Why a council returned the dossier is shown, since the nominee who
follows it needs to know what is missing: the council's note on a return is its reason,
and the review form says, where it is written, that it is shown publicly (so it names no
one). A decision is a public act: its number, date and issuing authority are shown, not
the person who signed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Connection

from api import labels
from api.reads import tracking as tracking_reads
from api.reads.dossier import authority_names, return_reason_label
from api.schemas import TrackingPublic
from domain.vocabulary import Status
from infrastructure.container import Laurel
from projections import queries


@dataclass(frozen=True)
class PublicDecision:
    outcome: str
    number: str
    date: str
    authority: dict[str, str]


@dataclass(frozen=True)
class PublicReturn:
    at: datetime
    level: str | None
    unit_name: str | None
    reason: str
    reason_label: dict[str, str] | None = None
    """The reason from the policy's catalogue, in both languages (None: none given)."""


@dataclass
class PublicRecord:
    tracking: TrackingPublic
    nomination_id: str
    outcomes: list[str | None] = field(default_factory=list)
    """Each timeline step's outcome (a council's, the decision's, an objection's), if any."""
    returns: list[PublicReturn] = field(default_factory=list)
    decision: PublicDecision | None = None
    notice_until: datetime | None = None
    takes_objections: bool = False


def public_record(tracking_code: str, laurel: Laurel, conn: Connection) -> PublicRecord:
    """``NotFound`` for a code no nomination has."""
    tracking = tracking_reads.tracking(tracking_code, laurel, conn)
    row = queries.nomination_by_tracking_code(conn, tracking.tracking_code)
    assert row is not None
    policy = laurel.policies.version(row["policy_version"])
    record = PublicRecord(tracking=tracking, nomination_id=str(row["id"]),
                          notice_until=row["notice_until"])
    for h in tracking_reads.public_steps(conn, row["id"]):
        data = h["data"]
        outcome = data.get("outcome") if h["type"] in (
            "ReviewedByCouncil", "Decided", "ObjectionResolved") else None
        record.outcomes.append(outcome)
        if h["type"] == "ReviewedByCouncil" and outcome == "return":
            record.returns.append(PublicReturn(h["occurred_at"], h["level"],
                                               labels.unit_name(policy, h["unit_id"]),
                                               data.get("note", ""), return_reason_label(
                                                   policy, data.get("return_reason", ""))))
        elif h["type"] == "Decided":
            record.decision = PublicDecision(
                data["outcome"], data["decision_number"], data["decision_date"],
                authority_names(policy, row["award_code"], data.get("authority", "")))
    record.takes_objections = row["status"] in (Status.PUBLIC_NOTICE, Status.ON_HOLD) and not any(
        h == "PublicNoticeClosed" for h in (t.type for t in tracking.timeline))
    return record
