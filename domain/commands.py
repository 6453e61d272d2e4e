"""What people ask of the nominations: one frozen dataclass per command, the context
it is given in, and what it leaves.

A command holds only what was asked; ``Context`` holds who asked, when, the version they
read (``If-Match``) and their idempotency key. ``Nominations.handle`` takes both and
answers with the state the command left, so no caller guesses it.

A keyed request's digest is recorded on what it changed, so the same request sent again
is known for a retry. It is computed from the command's own fields, in their order, under
the command's ``label``: a field added later is part of the digest unless it says
otherwise (``NOT_ASKED``: the nomination a task belongs to, found from the task, is not part
of what was asked). Labels and field orders are those of the digests already stored
(``tests/test_request_digests.py`` pins them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from domain.actor import Actor
from domain.policy import STANDARD

NOT_ASKED = {"digest": False}
"""Metadata of a field naming what the command acts on, found by the caller (the
nomination a task belongs to), not asked for: not part of the digest."""
LATER = {"digest_when_given": True}
"""Metadata of a field added after digests were stored: part of the digest only when it
is given (not its default), so a request made before it existed keeps its digest."""


@dataclass(frozen=True)
class Context:
    """Who gives the command, when, and on what terms."""

    actor: Actor
    at: datetime
    expected_version: int | None = None
    """The nomination version the caller read; another one is refused (``StaleVersion``)."""
    request_key: str = ""
    """The caller's idempotency key: the same request again records nothing new."""


@dataclass(frozen=True)
class Command:
    label: ClassVar[str]
    """The command's name in its request digest."""

    def asked(self) -> tuple[object, ...]:
        """What the request asked for, in the digest: the fields, in order."""
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self)
                     if f.metadata.get("digest", True) and not _left_default(self, f))

    def digest(self, context: Context) -> str:
        """What a keyed request asked for, and who asked, in short. Empty without a key."""
        if not context.request_key:
            return ""
        actor = context.actor
        said = json.dumps([actor.unit_id, actor.id, context.request_key, self.label,
                           *self.asked()],
                          sort_keys=True, ensure_ascii=False, default=_said_as)
        return hashlib.sha256(said.encode()).hexdigest()


def _said_as(value: object) -> object:
    """A listed item (a dataclass) by its fields, anything else (ids) as text. Converted
    here, so a request without a key copies nothing."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        said = dataclasses.asdict(value)
        for f in dataclasses.fields(value):
            if _left_default(value, f):
                del said[f.name]
        return said
    return str(value)


def _left_default(value: object, f: dataclasses.Field[Any]) -> bool:
    """A field added later (``LATER``) that the request did not give."""
    return bool(f.metadata.get("digest_when_given")) and getattr(value, f.name) == f.default


@dataclass(frozen=True)
class OpenedTask:
    """What a workflow step that opens a task leaves: the task, when it is due, when to
    remind; ``closed``: nothing is left to wait for (it closed at once)."""

    task_id: str
    due_at: datetime
    remind_at: datetime
    closed: bool = False


# -- proposing ----------------------------------------------------------------------


@dataclass(frozen=True)
class NomineeItem:
    """One nominee of a proposal (tờ trình)."""

    award_code: str
    nominee: dict[str, Any]
    """``{"person_id"}`` for someone of the register (their name and kind are the
    register's), or ``{"name", "kind"}`` where the policy allows a nominee named only."""
    achievements: str = ""
    documents: list[dict[str, Any]] = field(default_factory=list)
    procedure: str = STANDARD
    year: int = field(default=0, metadata=LATER)
    """The year the achievements belong to; 0: the year of the proposal."""
    initiative_id: str = field(default="", metadata=LATER)
    """The initiative of the register the nomination rests on, if any."""
    override_reason: str = field(default="", metadata=LATER)
    """Why the unit proposes a nominee who fails an eligibility rule; recorded and shown
    to every later reviewer and auditor. Without it, a failed rule refuses the proposal."""
    commendation_type: str = field(default="", metadata=LATER)
    """A ``CommendationType`` ("": merit)."""
    movement_id: str = field(default="", metadata=LATER)
    """The emulation movement it is proposed in ("": none)."""
    ceremony_date: str = field(default="", metadata=LATER)
    """An ad-hoc commendation's ceremony (ISO date): the policy's lead time counts to it."""
    basis: dict[str, Any] | None = field(default=None, metadata=LATER)
    """A cluster's ranking a flag is proposed from (``Nomination.Proposed.basis``)."""


@dataclass(frozen=True)
class Propose(Command, NomineeItem):
    """Nominate someone of the actor's unit for an award."""

    label = "nomination"

    def asked(self) -> tuple[object, ...]:
        return ([self],)  # stored digests list the nominee as a proposal of one


@dataclass(frozen=True)
class ProposeList(Command):
    """One proposal listing many nominees: one nomination each, all or none."""

    label = "proposal"
    items: tuple[NomineeItem, ...]


# -- the proposing unit -------------------------------------------------------------


@dataclass(frozen=True)
class Supplement(Command):
    """Answer a return with a new dossier version."""

    label = "supplement"
    nomination_id: UUID
    documents: list[dict[str, Any]]
    achievements: str
    note: str = ""


@dataclass(frozen=True)
class Withdraw(Command):
    label = "withdraw"
    nomination_id: UUID
    reason: str


# -- councils and deciders ----------------------------------------------------------


@dataclass(frozen=True)
class Review(Command):
    """A council's ballot on the review it was given."""

    label = "review"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    outcome: str
    votes: dict[str, int]
    note: str = ""
    override_reason: str = field(default="", metadata=LATER)
    """Why the council approves a nominee who fails an eligibility rule (recorded)."""
    return_reason: str = field(default="", metadata=LATER)
    """A return's reason, a code of the policy's catalogue (``Policy.return_reasons``)."""


@dataclass(frozen=True)
class ReviewItem:
    """One nomination's outcome in a council meeting's list."""

    nomination_id: UUID
    task_id: str
    outcome: str
    votes: dict[str, int]
    note: str = ""
    override_reason: str = field(default="", metadata=LATER)
    return_reason: str = field(default="", metadata=LATER)


@dataclass(frozen=True)
class ReviewList(Command):
    """A council meeting's outcomes over a list: each its own event, all or none."""

    label = "bulk review"
    items: tuple[ReviewItem, ...]


@dataclass(frozen=True)
class Decide(Command):
    """The authority's decision on the decision task."""

    label = "decision"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    outcome: str
    decision_number: str
    decision_date: str
    signer: str
    authority: str = ""
    granted_award: str = field(default="", metadata=LATER)
    """A lower form granted instead of the award proposed ("" = as proposed)."""


@dataclass(frozen=True)
class LodgeObjection(Command):
    """An objection during the public notice. Without an account, it holds the nomination
    only once its author confirms the e-mail address given as ``contact``
    (``ConfirmObjection``): a code is made for it and sent there."""

    label = "objection"
    nomination_id: UUID
    text: str
    contact: str = ""


@dataclass(frozen=True)
class ConfirmObjection(Command):
    """The objector types back the code sent to their e-mail address. No digest is kept
    (a code confirms once; a wrong one is counted each time it is sent)."""

    label = "objection confirmation"
    nomination_id: UUID
    objection_id: str
    code: str

    def digest(self, context: Context) -> str:
        return ""


@dataclass(frozen=True)
class ObjectionItem:
    """One objection of a list the board dismisses together."""

    nomination_id: UUID
    objection_id: str


@dataclass(frozen=True)
class DismissObjections(Command):
    """The board dismisses many pending objections, of one nomination or several, in one
    act (a flood, say, with ``abuse``): each its own event, all or none."""

    label = "objection dismissal"
    items: tuple[ObjectionItem, ...]
    note: str = ""
    abuse: bool = False


@dataclass(frozen=True)
class ResolveObjection(Command):
    label = "objection resolution"
    nomination_id: UUID
    objection_id: str
    outcome: str
    note: str = ""


@dataclass(frozen=True)
class Revoke(Command):
    label = "revoke"
    nomination_id: UUID
    reason: str
    decision_number: str
    decision_date: str


# -- what a command leaves ----------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    """A nomination as the command left it (or, for a retry, as it is now)."""

    nomination_id: UUID
    status: str
    version: int
    dossier_version: int
    objection_id: str = ""


@dataclass(frozen=True)
class Objected(Changed):
    """An objection lodged or confirmed, and what it does now."""

    holds: bool = False
    """It holds the nomination (lodged by someone signed in, or confirmed)."""
    code: str = field(default="", repr=False)
    """A confirmation code just made, for the caller to send to ``send_to``; never
    recorded (a retry of the same request has none)."""
    send_to: str = ""
    code_expires_at: datetime | None = None
    attempts_left: int = 0
    """After a wrong code: the tries left before the objection locks."""


@dataclass(frozen=True)
class Proposal:
    """A nomination just proposed."""

    id: UUID
    tracking_code: str
    status: str
    version: int


@dataclass(frozen=True)
class Proposed:
    """What a proposal of many nominees made: its id and each nomination."""

    proposal_id: str
    nominations: list[Proposal]


@dataclass(frozen=True)
class Reviewed:
    """Each nomination of a meeting's list, as the list left it."""

    nominations: list[Changed]


@dataclass(frozen=True)
class Dismissed:
    """Each nomination of the board's list, as the dismissals left it."""

    nominations: list[Changed]


# -- the register of people and collectives (``domain.people``) -----------------------


@dataclass(frozen=True)
class PersonCommand(Command):
    """A command on the register, given through ``Nominations.handle`` too."""


@dataclass(frozen=True)
class RegisterPerson(PersonCommand):
    label = "person"
    kind: str
    name: str
    unit_id: str = ""
    """The unit they belong to; "" for the actor's own."""
    national_id: str = ""
    civil_servant_code: str = ""
    birth_date: str = ""
    gender: str = ""
    position: str = ""
    team: str = ""


@dataclass(frozen=True)
class CorrectPerson(PersonCommand):
    label = "person correction"
    person_id: UUID
    changes: tuple[tuple[str, str], ...]
    reason: str


@dataclass(frozen=True)
class TransferPerson(PersonCommand):
    label = "transfer"
    person_id: UUID
    to_unit: str
    on: str
    position: str = ""


@dataclass(frozen=True)
class AwardHeld:
    """A title or award a person holds from before Laurel or from elsewhere."""

    person_id: UUID
    award_code: str
    year: int
    decision_number: str
    decision_date: str
    issuer: str


@dataclass(frozen=True)
class RecordAward(PersonCommand, AwardHeld):
    """One award held, entered by hand."""

    label = "award"


@dataclass(frozen=True)
class AwardItem(AwardHeld):
    """One row of an award history sheet, matched to its person."""

    row: int


@dataclass(frozen=True)
class ImportAwards(PersonCommand):
    """Awards of many people: every row recorded, or none."""

    label = "award import"
    items: tuple[AwardItem, ...]


@dataclass(frozen=True)
class RecordFact(PersonCommand):
    """A discipline, investigation, inspection or unresolved complaint (``FACT_KINDS``),
    from the document it is recorded from."""

    label = "fact"
    person_id: UUID
    fact: str
    start: str
    end: str
    """ISO date; "" while it lasts."""
    evidence: str


@dataclass(frozen=True)
class EndFact(PersonCommand):
    label = "fact end"
    person_id: UUID
    fact_id: str
    end: str
    evidence: str


@dataclass(frozen=True)
class RecordService(PersonCommand):
    """When the person started in the public service or the unit that counts."""

    label = "service"
    person_id: UUID
    start: str
    evidence: str


@dataclass(frozen=True)
class RegisterInitiative(PersonCommand):
    """A recognised initiative (sáng kiến), by the keepers of the unit's register."""

    label = "initiative"
    title: str
    authors: tuple[UUID, ...]
    recognised_on: str
    recognition: str
    scope: str = ""
    unit_id: str = ""
    """The unit whose initiative it is; "" for the actor's own."""


@dataclass(frozen=True)
class PersonChanged:
    """A person or collective as the command left them."""

    person_id: UUID
    version: int
    unit_id: str
    fact_id: str = ""
    """The fact a ``RecordFact`` recorded (its retry: the same one)."""


@dataclass(frozen=True)
class InitiativeChanged:
    """An initiative of the register as the command left it."""

    initiative_id: UUID
    version: int


@dataclass(frozen=True)
class Imported:
    count: int
    already: bool = False
    """A keyed request answered before: nothing recorded this time."""


# -- decisions as records (``domain.decisions``) --------------------------------------


@dataclass(frozen=True)
class DecisionItem:
    """One nomination a decision decides: its decision task, and the outcome."""

    nomination_id: UUID
    task_id: str
    outcome: str
    granted_award: str = field(default="", metadata=LATER)
    """A lower form granted instead of the award proposed ("" = as proposed)."""


@dataclass(frozen=True)
class RecordDecision(Command):
    """One decision document over the decider's open decision tasks: numbered in the
    unit's register (a number once), each nomination's ``Decided`` and the decision's
    own event saved together, or none."""

    label = "decision record"
    items: tuple[DecisionItem, ...]
    decision_number: str
    decision_date: str
    signer: str
    authority: str = ""


@dataclass(frozen=True)
class DecisionRecorded:
    """The decision recorded (or, for a retry, found), and each nomination it left."""

    decision_id: UUID
    nominations: list[Changed]


# -- documents of the dossier (``domain.document``) ------------------------------------


@dataclass(frozen=True)
class UploadDocument(PersonCommand):
    """A file received and stored by its hash (``infrastructure.files``), recorded as a
    document of the actor's unit. Given through the register's ``handle``."""

    label = "document"
    sha256: str
    size: int
    media_type: str
    """Recognised from the content (``api.uploads``), never from the name."""
    filename: str


@dataclass(frozen=True)
class DocumentStored:
    document_id: UUID
    version: int
    sha256: str
    size: int
    media_type: str


# -- certificates (``domain.certificates``) ---------------------------------------------


@dataclass(frozen=True)
class CertificateCommand(Command):
    """A command on an awarded nomination's certificate."""

    nomination_id: UUID


@dataclass(frozen=True)
class IssueCertificate(CertificateCommand):
    """The nomination's certificate: issued the first time, the same one after."""

    label = "certificate"


@dataclass(frozen=True)
class ReissueCertificate(CertificateCommand):
    """A new certificate for a lost one, with a new number and code; the old one
    verifies as replaced."""

    label = "certificate reissue"
    reason: str


@dataclass(frozen=True)
class CertificateIssued:
    certificate_id: UUID
    nomination_id: UUID
    code: str
    number: str
    issued: bool
    """Whether this command issued it (False: it was issued before)."""


# -- who holds a task, and delegations (``domain.delegation``) -------------------------


@dataclass(frozen=True)
class AssignTask(Command):
    """Claim a task for oneself (``assignee`` "" or one's own id), or, as the unit's head,
    assign or reassign it to someone of the unit."""

    label = "task assignment"
    nomination_id: UUID = field(metadata=NOT_ASKED)
    task_id: str
    assignee: str = ""


@dataclass(frozen=True)
class Delegate(Command):
    """A person on leave delegates their tasks to another of their unit until a moment:
    while it is in force, the tasks they hold show for the delegate and the delegate's
    acts on them name both."""

    label = "delegation"
    delegate: str
    until: datetime
    delegator: str = ""
    """"" for the actor themselves; the unit's head may record it for someone."""


@dataclass(frozen=True)
class DelegationRecorded:
    delegation_id: str
    unit_id: str
    delegator: str
    delegate: str
    since: datetime
    until: datetime


@dataclass(frozen=True)
class RegistrationChanged:
    """A registration for a year's titles as the command left it
    (``domain.registrations``): the titles now registered."""

    registration_id: UUID
    version: int
    titles: list[str]


@dataclass(frozen=True)
class MovementChanged:
    """An emulation movement as the command left it (``domain.movements``)."""

    movement_id: UUID
    version: int


@dataclass(frozen=True)
class ClusterChanged:
    """An emulation cluster as the command left it (``domain.clusters``); the flag's
    nomination once proposed."""

    cluster_id: UUID
    status: str
    version: int
    nomination_id: str = ""


Result = (Changed | Proposal | Proposed | Reviewed | Dismissed | PersonChanged | Imported
          | InitiativeChanged | DecisionRecorded
          | DocumentStored | CertificateIssued | DelegationRecorded | MovementChanged
          | RegistrationChanged
          | ClusterChanged)
