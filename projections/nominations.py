"""Read model ``nominations``: one row per nomination with where it is now (status and
tracking pages), and ``search_terms``: what it is found by (``projections.search``)."""

from __future__ import annotations

from typing import Any

from domain.nomination import Nomination
from domain.vocabulary import (
    ConsultationAnswer,
    DecisionOutcome,
    ObjectionOutcome,
    ReviewOutcome,
    Status,
)
from infrastructure.database import utc
from infrastructure.eventlog import LoggedEvent
from projections import search
from projections.pending import PendingRows, Row

_NO_TASK = {"open_task_id": None, "due_at": None, "reminded": False, "overdue": False,
            "escalated": False}


def _proposed(rows: PendingRows, logged: LoggedEvent, e: Nomination.Proposed) -> None:
    first = e.route["reviews"][0]
    rows.nominations.add(
        id=logged.nomination_id, tracking_code=e.tracking_code, unit_id=e.unit_id,
        proposer=e.actor, award_code=e.award_code, nominee_name=e.nominee["name"],
        nominee_kind=e.nominee["kind"], nominee=e.nominee, achievements=e.achievements,
        documents=e.documents, policy_version=e.policy_version, route=e.route,
        procedure=e.route.get("procedure", "standard"), proposal_id=e.proposal_id or None,
        dossier_version=1, status=Status.PROPOSED, current_level=first["level"],
        current_unit_id=first["unit_id"], reminded=False, overdue=False, escalated=False,
        objections_pending=0, proposed_at=utc(e.timestamp), updated_at=utc(e.timestamp),
        version=e.originator_version, year=e.year or None,
        person_id=e.nominee.get("person_id") or None, approvals=0,
        eligibility=e.eligibility, override_reason=e.override_reason,
        return_reason=None, granted_award=None, inside_level=None,
        commendation_type=e.commendation_type or "merit", movement_id=e.movement_id or None,
        decision_date=None, basis=e.basis,
    )
    rows.search_terms += search.term_rows(
        logged.nomination_id, e.unit_id, utc(e.timestamp),
        search.nomination_terms(e.nominee["name"], e.tracking_code))


def _decided(rows: PendingRows, row: Row, e: Nomination.Decided) -> None:
    """The decision number becomes a term of the nomination (its name and code are)."""
    terms = search.decision_terms(e.decision_number, row["nominee_name"], row["tracking_code"])
    rows.search_terms += search.term_rows(row["id"], row["unit_id"], utc(row["proposed_at"]),
                                          terms)


def changes(e: Nomination.Event, row: Row) -> dict[str, Any]:
    """The columns an event sets on the nomination's ``row``."""
    match e:
        case Nomination.ReviewOpened():
            return {**_NO_TASK, "status": Status.UNDER_REVIEW, "current_level": e.level,
                    "current_unit_id": e.unit_id, "open_task_id": e.task_id,
                    "due_at": utc(e.due_at)}
        case Nomination.DecisionOpened():
            return {**_NO_TASK,
                    "status": Status.AWAITING_CENTRAL if e.central else Status.AWAITING_DECISION,
                    "current_level": e.level, "current_unit_id": e.unit_id,
                    "open_task_id": e.task_id, "due_at": utc(e.due_at)}
        case Nomination.ReviewReminderSent():
            return {"reminded": True}
        case Nomination.ReviewOverdue():
            return {"overdue": True}
        case Nomination.ReviewEscalated():
            return {"escalated": True}
        case Nomination.Forwarded():
            return {"current_level": e.to_level, "current_unit_id": e.to_unit_id or None}
        case Nomination.ReviewedByCouncil(outcome=ReviewOutcome.APPROVE):
            return {**_NO_TASK, "approvals": row["approvals"] + 1, **_verdict(e, row)}
        case Nomination.ReviewedByCouncil():
            return {**_NO_TASK, "status": Status.REJECTED if e.outcome == ReviewOutcome.REJECT
                    else Status.RETURNED, **_verdict(e, row),
                    **({"return_reason": e.return_reason or None}
                       if e.outcome == ReviewOutcome.RETURN else {})}
        case Nomination.Supplemented():
            return {"status": Status.UNDER_REVIEW, "dossier_version": e.dossier_version,
                    "documents": e.documents, "achievements": e.achievements}
        case Nomination.PublicNoticeOpened():
            return {"status": Status.PUBLIC_NOTICE, "notice_until": utc(e.until),
                    "current_unit_id": e.unit_id}
        case Nomination.ObjectionLodged(confirmed=True) | Nomination.ObjectionConfirmed():
            # ``objections_pending`` counts those that hold it; an unconfirmed one holds
            # nothing (``domain.confirmation``).
            return {"status": Status.ON_HOLD,
                    "objections_pending": row["objections_pending"] + 1}
        case Nomination.ObjectionResolved(outcome=ObjectionOutcome.UPHELD):
            return {"status": Status.REJECTED,
                    "objections_pending": row["objections_pending"] - e.held}
        case Nomination.ObjectionResolved():
            return {"objections_pending": row["objections_pending"] - e.held}
        case Nomination.Decided():
            return {**_NO_TASK, "status": Status.AWARDED if e.outcome == DecisionOutcome.AWARDED
                    else Status.NOT_AWARDED,
                    "decision": {"outcome": e.outcome, "number": e.decision_number,
                                 "date": e.decision_date, "signer": e.signer,
                                 "authority": e.authority},
                    "granted_award": e.granted_award or None,
                    "decision_date": e.decision_date[:10] or None}
        case (Nomination.ConsultationOpened() | Nomination.ConsultationAnswered()
              | Nomination.ConsultationLapsed() | Nomination.AppraisalOpened()
              | Nomination.Appraised() | Nomination.AppraisalSignedOff()):
            return _inside(e, row)
        case Nomination.Withdrawn():
            return {**_NO_TASK, "status": Status.WITHDRAWN,
                    "withdrawal": {"reason": e.reason, "at": utc(e.timestamp).isoformat()}}
        case Nomination.Revoked():
            return {"status": Status.REVOKED,
                    "revocation": {"reason": e.reason, "number": e.decision_number,
                                   "date": e.decision_date}}
    return {}


def _inside(e: Nomination.Event, row: Row) -> dict[str, Any]:
    """The consultation and the appraisal of the current level, as its readers see them:
    each agency with its answer ("" while awaited, or "lapsed"), and the appraisal with
    its sign-off (replaced each time a new one is recorded; a sent-back one is kept
    with the head's note until the next)."""
    inside = dict(row.get("inside_level") or {})
    match e:
        case Nomination.ConsultationOpened():
            inside["consultation"] = {"task_id": e.task_id, "agencies": [
                {**a, "answer": "", "note": "", "document_id": ""} for a in e.agencies]}
            return {**_task_opened(e), "inside_level": inside}
        case Nomination.ConsultationAnswered() | Nomination.ConsultationLapsed():
            said = ({e.agency: (e.answer, e.note, e.document_id)}
                    if isinstance(e, Nomination.ConsultationAnswered)
                    else dict.fromkeys(e.agencies, (ConsultationAnswer.LAPSED, "", "")))
            consultation = dict(inside.get("consultation") or {"agencies": []})
            consultation["agencies"] = [
                {**a, **dict(zip(("answer", "note", "document_id"), said[a["code"]],
                                 strict=True))} if a["code"] in said else a
                for a in consultation["agencies"]]
            inside["consultation"] = consultation
            return {"inside_level": inside, **(_NO_TASK if e.settled else {})}
        case Nomination.AppraisalOpened():
            inside["appraisal"] = {"task_id": e.task_id, "conclusion": None}
            return {**_task_opened(e), "inside_level": inside}
        case Nomination.Appraised():
            inside["appraisal"] = {
                "task_id": e.task_id, "by": e.actor, "conclusion": e.conclusion,
                "lower_award": e.lower_award or None,
                "documents_complete": e.documents_complete, "checks": e.checks,
                "note": e.note, "signed_off_by": None, "sent_back": None}
            return {"inside_level": inside}
        case Nomination.AppraisalSignedOff():
            appraisal = dict(inside.get("appraisal") or {})
            if e.agreed:
                appraisal.update(signed_off_by=e.actor, head_note=e.note)
                inside["appraisal"] = appraisal
                return {"inside_level": inside, **_NO_TASK}
            appraisal.update(sent_back={"by": e.actor, "note": e.note})
            inside["appraisal"] = appraisal
            return {"inside_level": inside}
    return {}


def _task_opened(e: Nomination.ConsultationOpened | Nomination.AppraisalOpened
                 ) -> dict[str, Any]:
    return {**_NO_TASK, "status": Status.UNDER_REVIEW, "current_level": e.level,
            "current_unit_id": e.unit_id, "open_task_id": e.task_id, "due_at": utc(e.due_at)}


def _verdict(e: Nomination.ReviewedByCouncil, row: Row) -> dict[str, Any]:
    """A verdict recorded with a council's ballot replaces the one shown; a reason given
    to go on despite a failed rule stays shown until another is given."""
    if e.eligibility is None:
        return {}
    return {"eligibility": e.eligibility,
            "override_reason": e.override_reason or row["override_reason"]}


def apply(rows: PendingRows, logged: LoggedEvent) -> None:
    e = logged.event
    if isinstance(e, Nomination.Proposed):
        _proposed(rows, logged, e)
        return
    row = rows.nominations.get(logged.nomination_id)
    if row is None:  # an event of a nomination this read model never saw proposed
        return
    rows.nominations.change(row, **changes(e, row), updated_at=utc(e.timestamp),
                            version=e.originator_version)
    if isinstance(e, Nomination.Decided):
        _decided(rows, row, e)
    if (isinstance(e, Nomination.ObjectionResolved) and row["objections_pending"] == 0
            and row["status"] == Status.ON_HOLD):
        # The hold lifts when the last pending objection is dismissed.
        rows.nominations.change(row, status=Status.PUBLIC_NOTICE)
