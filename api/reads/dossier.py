"""A dossier as a reviewer needs to read it: the nomination, then what each step of its
history says — each council's tally, rule and result, why it was returned and how it was
supplemented, the objections and their outcome, the decision.

Who may read what is ``access``'s: the dossier is the nomination's readers' (its unit and
the units above, for overseers). Who lodged an objection and how to reach them is the
board's alone, who verify it (reviewers of the unit that gave the public notice); what it
says, the board's and inspectors'. The proposing unit learns that an objection was lodged,
whether it held the nomination, and how it was resolved, not who lodged it or what it
said, so that an objector need not fear the unit they object to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from api import labels
from api.reads import access
from api.reads import nominations as nomination_reads
from api.reads.tasks import acting_task
from api.schemas import HistoryEntry, NominationPublic
from domain.actor import Actor
from domain.policy import Policy
from domain.vocabulary import CLOSED_STATUSES, Status
from infrastructure.container import Laurel
from projections import queries


@dataclass(frozen=True)
class CouncilReview:
    """One council's vote on one version of the dossier."""

    version: int
    at: datetime
    level: str | None
    unit_id: str | None
    unit_name: str | None
    outcome: str
    votes: dict[str, int]
    rule: dict[str, str]
    result: dict[str, Any]
    note: str
    policy_version: str
    reason: dict[str, str] | None = None
    """A return's reason from the policy's catalogue (both languages), if one was given."""
    council: dict[str, Any] | None = None
    """The roster the ballot's members came from, with who stepped aside (None: none)."""


@dataclass(frozen=True)
class Supplement:
    """A supplement against the version it answers: what a council reads to see what
    changed after its return."""

    at: datetime
    dossier_version: int
    added: list[dict[str, Any]]
    """The documents this version has that the one before did not."""
    note: str
    removed: list[dict[str, Any]] = field(default_factory=list)
    """The documents the version before had that this one has not."""
    replaced: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    """Files of one kind and name whose bytes changed: (before, after)."""
    achievements_before: str | None = None
    """The achievements of the version before, when this one changed them (else None)."""
    achievements_after: str = ""


@dataclass(frozen=True)
class ObjectionOnFile:
    id: str
    lodged_at: datetime
    open: bool
    """Still to be resolved."""
    text: str | None
    """None for a reader who may not see it (see the module's docstring)."""
    contact: str | None
    """None for a reader who may not see it; "" when none was given."""
    confirmed: bool = True
    """It holds (or held) the nomination: lodged by someone signed in, or confirmed."""
    awaits_code: bool = False
    """A code was sent to its author, who has not typed it back (yet)."""
    locked: bool = False
    """Too many wrong codes: it can no longer be confirmed."""
    outcome: str | None = None
    note: str = ""
    abuse: bool = False
    resolved_at: datetime | None = None
    can_resolve: bool = False
    """The reader is on the board that verifies it, and it is still open."""

    @property
    def holds(self) -> bool:
        return self.confirmed and self.open


@dataclass(frozen=True)
class DecisionOnFile:
    outcome: str
    number: str
    date: str
    signer: str
    authority: dict[str, str]
    """In both languages when it is the award's own authority (stored by its Vietnamese
    name), else as recorded."""
    at: datetime | None


def authority_names(policy: Policy, award_code: str, recorded: str) -> dict[str, str]:
    award = policy.awards.get(award_code)
    if award is not None and recorded.casefold() in (
            award.authority.vi.casefold(), award.authority.en.casefold()):
        return {"vi": award.authority.vi, "en": award.authority.en}
    return {"vi": recorded, "en": recorded}


@dataclass
class Dossier:
    nomination: NominationPublic
    history: list[HistoryEntry]
    reviews: list[CouncilReview] = field(default_factory=list)
    supplements: list[Supplement] = field(default_factory=list)
    objections: list[ObjectionOnFile] = field(default_factory=list)
    decision: DecisionOnFile | None = None
    task: dict[str, Any] | None = None
    """The open review or decision task the reader's unit holds and their role acts on."""

    @property
    def returns(self) -> list[CouncilReview]:
        return [r for r in self.reviews if r.outcome == "return"]


def _difference(entry: dict[str, Any], before: list[dict[str, Any]],
                after: list[dict[str, Any]], achievements: str) -> Supplement:
    """A supplement against the version before: documents added, removed, or the same
    document (kind and title) with other bytes; the achievements if they changed."""
    def same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return (a.get("kind"), a.get("title")) == (b.get("kind"), b.get("title"))

    added = [d for d in after if d not in before]
    removed = [d for d in before if d not in after]
    replaced = [(old, new) for old in removed for new in added if same_place(old, new)]
    data = entry["data"]
    now = data.get("achievements") or ""
    return Supplement(
        at=entry["occurred_at"], dossier_version=data["dossier_version"],
        added=[d for d in added if all(d is not new for _, new in replaced)],
        removed=[d for d in removed if all(d is not old for old, _ in replaced)],
        replaced=replaced, note=data.get("note", ""),
        achievements_before=achievements if now != achievements else None,
        achievements_after=now)


def dossier(user: Actor, laurel: Laurel, conn: Connection, nomination_id: str) -> Dossier:
    """The dossier of a nomination the user may see (else ``NotFound``)."""
    row = nomination_reads.visible_row(user, laurel, conn, nomination_id)
    public = nomination_reads.nomination_public(laurel, row)
    policy = laurel.policies.version(row["policy_version"])
    steps = [access.as_seen_by(user, row["route"], h)
             for h in queries.history_of(conn, nomination_id)]
    found = Dossier(
        nomination=public,
        history=[HistoryEntry.model_validate(
            {**h, "label": labels.label(labels.EVENT, h["type"])}) for h in steps],
        task=acting_task(user, conn, row["open_task_id"]))
    board = access.sees_objectors(user, row["route"])
    objections: dict[str, dict[str, Any]] = {}
    documents: list[dict[str, Any]] = []
    achievements = ""
    for h in steps:
        data = h["data"]
        match h["type"]:
            case "Proposed":
                documents = data.get("documents") or []
                achievements = data.get("achievements") or ""
            case "ReviewedByCouncil":
                found.reviews.append(CouncilReview(
                    version=h["version"], at=h["occurred_at"], level=h["level"],
                    unit_id=h["unit_id"], unit_name=labels.unit_name(policy, h["unit_id"]),
                    outcome=data["outcome"], votes=data.get("votes") or {},
                    rule=data.get("rule") or {}, result=data.get("result") or {},
                    note=data.get("note", ""),
                    policy_version=data.get("policy_version", row["policy_version"]),
                    reason=return_reason_label(policy, data.get("return_reason", "")),
                    council=data.get("council")))
            case "Supplemented":
                now = data.get("documents") or []
                found.supplements.append(_difference(h, documents, now, achievements))
                documents, achievements = now, data.get("achievements") or ""
            case "ObjectionLodged":
                confirmed = data.get("confirmed", True)
                objections[data["objection_id"]] = {
                    "id": data["objection_id"], "lodged_at": h["occurred_at"],
                    "text": data.get("text"), "contact": data.get("contact"),
                    "confirmed": confirmed, "open": True,
                    "awaits_code": not confirmed and bool(data.get("code_expires_at"))}
            case "ObjectionConfirmed" if data["objection_id"] in objections:
                objections[data["objection_id"]].update(confirmed=True, awaits_code=False)
            case "ObjectionCodeRejected" if data["objection_id"] in objections:
                objections[data["objection_id"]].update(locked=bool(data.get("locked")))
            case "ObjectionResolved" if data["objection_id"] in objections:
                objections[data["objection_id"]].update(
                    outcome=data["outcome"], note=data.get("note", ""),
                    abuse=bool(data.get("abuse")), resolved_at=h["occurred_at"], open=False,
                    awaits_code=False)
            case "Decided":
                found.decision = DecisionOnFile(
                    outcome=data["outcome"], number=data["decision_number"],
                    date=data["decision_date"], signer=data["signer"],
                    authority=authority_names(policy, row["award_code"],
                                              data.get("authority", "")),
                    at=h["occurred_at"])
    on_notice = row["status"] in (Status.PUBLIC_NOTICE, Status.ON_HOLD)
    closed = row["status"] in CLOSED_STATUSES  # e.g. another objection was upheld
    found.objections = []
    for o in objections.values():
        o["open"] = o["open"] and not closed
        found.objections.append(ObjectionOnFile(
            **o, can_resolve=board and o["open"] and (o["confirmed"] or on_notice)))
    return found


def return_reason_label(policy: Policy, code: str) -> dict[str, str] | None:
    """A return reason's name in both languages (its code, if the policy has no such)."""
    if not code:
        return None
    label = policy.return_reasons.get(code)
    return {"vi": label.vi, "en": label.en} if label else {"vi": code, "en": code}

