"""Request and response bodies. Field names here are the public contract."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from domain.confirmation import email_address

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
"""Embeddings, overrides and isolates: they reorder what is shown after them."""
LINE_BREAKS = frozenset("\t\n\r")
WITHOUT_LINE_BREAKS = str.maketrans(dict.fromkeys(LINE_BREAKS))


def _checked(value: Any, *, required: bool, lines: bool) -> Any:
    """Text as people mean it, or refused with a clear message.

    Vietnamese arrives composed (NFC) or decomposed (NFD, as some keyboards and systems
    send it); it is kept composed, so that the same name is always the same text. It is
    trimmed; required text must hold more than spaces. Short text (a name, a number, a
    signer: one line) holds no control or invisible formatting character (bidi
    overrides, zero-width spaces and joiners, byte-order marks, soft hyphens, line
    separators); long text (``lines``) may hold tabs and line breaks, but no other control
    character and no bidi override. Anything else is left to the type's constraints."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise PydanticCustomError("blank_text", "must not be blank")
    if (text.translate(WITHOUT_LINE_BREAKS) if lines else text).isprintable():
        return text  # no character of a refused category (each is unprintable), at C speed
    for character in text:
        category = unicodedata.category(character)
        if lines:
            refused = ((category == "Cc" and character not in LINE_BREAKS)
                       or category == "Cs" or character in BIDI_CONTROLS)
        else:
            refused = category in ("Cc", "Cf", "Cs", "Zl", "Zp")
        if refused:
            named = " ".join([f"U+{ord(character):04X}", unicodedata.name(character, "")])
            raise PydanticCustomError(
                "forbidden_character",
                "holds {character}: control and invisible characters are not taken here",
                {"character": named.strip()})
    return text


LINE = BeforeValidator(partial(_checked, required=False, lines=False))
REQUIRED_LINE = BeforeValidator(partial(_checked, required=True, lines=False))
LINES = BeforeValidator(partial(_checked, required=False, lines=True))
REQUIRED_LINES = BeforeValidator(partial(_checked, required=True, lines=True))

def _written_day(value: Any) -> Any:
    """A day as written, "2026-03-02", not a number taken for seconds since 1970."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", "a date is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_written_day)]
"""A calendar day, as the API documents it: ISO 8601 text."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=300), REQUIRED_LINE]
"""Required short text: a name, a reason, a decision number, a signer."""
OptionalText = Annotated[str, StringConstraints(max_length=300), LINE]
LongText = Annotated[str, StringConstraints(max_length=20_000), LINES]
RequiredLongText = Annotated[str, StringConstraints(min_length=1, max_length=20_000),
                             REQUIRED_LINES]


class Label(BaseModel):
    vi: str
    en: str


NomineeKind = Literal["individual", "collective", "household"]
DocumentKind = Literal["proposal", "achievement_report", "meeting_minutes",
                       "initiative_certification", "other"]


PersonId = Annotated[str, StringConstraints(min_length=1, max_length=36), REQUIRED_LINE]


class Nominee(BaseModel):
    """Someone of the register, by `person_id` (their name and kind are the register's),
    or — where the policy allows that kind (a household, say) — a `name` and `kind`."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId | None = Field(
        None, description="the nominee's id in the register (`POST /people`): their history "
        "is checked against the award's rules")
    name: Text | None = Field(None, description="without `person_id`: the nominee's name")
    kind: NomineeKind | None = Field(None, description="without `person_id`: the kind of nominee")
    direct_worker: StrictBool = False  # true or false, not "yes" or 1: as documented
    title: OptionalText = ""
    notify_email: Annotated[str, StringConstraints(max_length=254)] | None = Field(
        None, description="the nominee's own e-mail address, given with their consent to be "
        "told of the decision: they are e-mailed when it is recorded. Personal data: no "
        "reader of the nomination sees it but its own unit and inspectors")

    @model_validator(mode="after")
    def _named_or_registered(self) -> Nominee:
        if self.person_id is None and (self.name is None or self.kind is None):
            raise PydanticCustomError(
                "nominee_unnamed", "give person_id, or a name and a kind")
        if self.notify_email is not None and email_address(self.notify_email) is None:
            raise PydanticCustomError("nominee_email", "notify_email is no e-mail address")
        return self


class Document(BaseModel):
    """A file uploaded with `POST /documents`, by its `document_id` (its SHA-256 is
    recorded with the dossier), or a title and a link."""

    model_config = ConfigDict(extra="forbid")

    document_id: Annotated[str, StringConstraints(min_length=1, max_length=36),
                           REQUIRED_LINE] | None = Field(
        None, description="a file of your unit (`POST /documents`); the award's required "
        "documents must be files")
    title: Text | None = Field(None, description="without `document_id`: the document's "
                               "title; with it, a title shown instead of the file's name")
    kind: DocumentKind = "other"
    url: Annotated[str, StringConstraints(max_length=2000), LINE] = ""

    @model_validator(mode="after")
    def _a_file_or_a_title(self) -> Document:
        if self.document_id is None and self.title is None:
            raise PydanticCustomError("document_unnamed", "give document_id, or a title")
        return self


class NomineeRecord(BaseModel):
    """A nominee as recorded: read back as it was stored, whatever the rules for input
    were then (a record that no longer passes them is still shown, never a 500)."""

    person_id: str | None = None
    name: str
    kind: NomineeKind
    direct_worker: bool = False
    title: str = ""


class DocumentRecord(BaseModel):
    """A dossier document as recorded: a file (its id, hash, size and type; download it
    at `GET /documents/{document_id}`) or a link."""

    title: str
    kind: DocumentKind = "other"
    url: str = ""
    document_id: str | None = None
    sha256: str | None = None
    size: int | None = None
    media_type: str | None = None


Procedure = Literal["standard", "adhoc", "simplified"]


class NominationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    award_code: Text
    nominee: Nominee
    achievements: LongText = ""
    documents: list[Document] = Field(default_factory=list, max_length=50)
    procedure: Procedure = Field(
        "standard", description="`adhoc`: fast track for a sudden deed (khen thưởng đột xuất); "
        "`simplified`: shorter chain (thủ tục đơn giản), where the award offers it")
    year: int | None = Field(
        None, ge=1945, le=2200, description="the year the achievements belong to (default: "
        "this year, in the policy's calendar); the award's rules are checked for it")
    initiative_id: Annotated[str, StringConstraints(max_length=36), LINE] = Field(
        "", description="the initiative of the register (`POST /initiatives`) the "
        "nomination rests on")
    override_reason: LongText = Field(
        "", description="why the nominee is proposed although they fail a rule of the "
        "award: recorded and shown to every later reviewer and auditor. Without it, a "
        "failed rule refuses the proposal (`/problems/not-eligible`)")
    commendation_type: Literal["merit", "adhoc", "topical", "contribution", "external"] = Field(
        "merit", description="the kind of commendation (Law 2022 Art. 8): for achievements "
        "over a period, an exceptional deed, a movement's topic, a working life's "
        "contribution, or abroad. Each kind is taken within the award's intake window the "
        "policy gives (`/problems/outside-intake-window`)")
    movement_id: Annotated[str, StringConstraints(max_length=36), LINE] = Field(
        "", description="the emulation movement (`POST /movements`) it is proposed in: "
        "within the movement's dossier window, scope and award forms")
    ceremony_date: Day | None = Field(
        None, description="an ad-hoc commendation's ceremony: the proposal comes the "
        "policy's lead days before it at least")


class ProposalCreate(BaseModel):
    """A proposal (tờ trình) listing many nominees: one nomination each, all or none."""

    model_config = ConfigDict(extra="forbid")

    items: list[NominationCreate] = Field(min_length=1, max_length=500)


class SupplementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[Document] = Field(min_length=1, max_length=50)
    achievements: RequiredLongText | None = Field(None, description="unchanged when left out")
    note: LongText = ""


class WithdrawalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text


class ObjectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: RequiredLongText
    contact: OptionalText = Field(
        "", description="How the board may reach the objector; only the board that "
        "verifies the objection sees it. Without an account, an e-mail address: a 6-digit "
        "code is sent there, and the objection holds the nomination once it is confirmed "
        "with it (`POST …/objections/{objection_id}/confirmation`). Without one, the "
        "board reads the objection, but it holds nothing.")
    tracking_code: Annotated[str, StringConstraints(max_length=20), LINE] = Field(
        "", description="required without an account: the code published in the notice")


class ObjectionConfirmationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(min_length=1, max_length=20), REQUIRED_LINE] = Field(
        description="the 6-digit code sent to the objector's e-mail address",
        examples=["123456"])


class ObjectionItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nomination_id: str = Field(max_length=36)
    objection_id: str = Field(max_length=36)


class ObjectionDismissalCreate(BaseModel):
    """Pending objections of one nomination or several, dismissed in one act."""

    model_config = ConfigDict(extra="forbid")

    items: list[ObjectionItemCreate] = Field(min_length=1, max_length=500)
    note: LongText = ""
    abuse: StrictBool = Field(False, description="dismissed as abuse (a flood, say)")


class ObjectionResolutionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["dismissed", "upheld"]
    note: LongText = ""


class RevocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text
    decision_number: Text
    decision_date: Day


class NominationCreated(BaseModel):
    id: str
    tracking_code: str
    status: str
    links: dict[str, str]


class ProposalCreated(BaseModel):
    proposal_id: str
    nominations: list[NominationCreated]


class ActionResult(BaseModel):
    nomination_id: str
    status: str
    links: dict[str, str]
    objection_id: str | None = None
    dossier_version: int | None = None


Confirmation = Literal["not_needed", "code_sent", "code_not_sent", "no_email_address",
                       "confirmed"]


class ObjectionResult(ActionResult):
    """An objection lodged or confirmed, and what it does now."""

    objection_id: str | None = None
    holds: bool = Field(description="it holds the nomination (status on_hold) until the "
                        "board resolves it")
    confirmation: Confirmation = Field(
        description="not_needed: lodged by someone signed in, it holds at once; code_sent: "
        "a code went to the e-mail address given, confirm with it; code_not_sent: the mail "
        "could not be sent, lodge it again later; no_email_address: it holds nothing (the "
        "board reads it all the same); confirmed: it holds now")
    code_expires_at: datetime | None = None


class DismissalResult(BaseModel):
    nominations: list[ActionResult]


class RouteStep(BaseModel):
    kind: Literal["review", "decision"]
    level: str
    unit_id: str
    unit_name: str


class Decision(BaseModel):
    outcome: str
    number: str
    date: str
    signer: str
    authority: str = ""


class EligibilityCheck(BaseModel):
    rule: str = Field(description="the rule's kind: consecutive_titles, earlier_award, "
                      "minimum_service, no_disqualifier, unused_initiative, quota, "
                      "registered")
    passed: bool | None = Field(description="null: not checked (a nominee outside the "
                                "register; the council checks it from the dossier)")
    explanation: str = Field(description="in the request's language")
    evidence: list[dict[str, Any]] = Field(
        description="the awards, facts, service, initiative or counts the rule used, each "
        "with its `kind`")
    legal_basis: str


class Eligibility(BaseModel):
    """The verdict of the award's rules on the nominee."""

    eligible: bool | None = Field(description="every check passed; null when none failed "
                                  "but some could not be checked")
    checks: list[EligibilityCheck]
    policy_version: str = Field(description="the policy version whose rules gave it")
    evaluated_on: date
    override_reason: str = Field("", description="why the nominee went on although a rule "
                                 "failed (recorded by the proposer or a council)")


class RecordedEligibility(Eligibility):
    """A verdict as recorded with the proposal or a council's ballot: what decided."""

    recorded_at: datetime
    version: int = Field(description="the nomination's version the event made")
    step: Literal["proposal", "review"]
    level: str
    outcome: str
    actor: str
    actor_role: str
    actor_unit: str


class NominationEligibility(Eligibility):
    """`GET /nominations/{id}/eligibility`: the verdict as things stand (or, with `at`,
    the one recorded in force then), and every verdict recorded."""

    as_of: datetime
    recorded: list[RecordedEligibility]


class NominationPublic(BaseModel):
    id: str
    tracking_code: str
    status: str
    status_label: Label
    award_code: str
    award_name: Label
    nominee: NomineeRecord
    unit_id: str
    unit_name: str
    proposer: str
    achievements: str
    documents: list[DocumentRecord]
    current_level: str | None
    current_unit_id: str | None
    current_unit_name: str | None
    open_task_id: str | None
    due_at: datetime | None
    reminded: bool
    overdue: bool
    escalated: bool
    notice_until: datetime | None
    objections_pending: int
    decision: Decision | None
    withdrawal: dict[str, str] | None
    revocation: dict[str, str] | None
    route: list[RouteStep]
    procedure: str
    proposal_id: str | None
    dossier_version: int
    policy_version: str
    proposed_at: datetime
    updated_at: datetime
    version: int
    year: int | None = Field(None, description="the year the achievements belong to")
    eligibility: Eligibility | None = Field(
        None, description="the latest verdict recorded (at the proposal or a council's "
        "review); null for an award without rules or a nomination older than verdicts")
    override_reason: str = Field("", description="set when the nominee went on although a "
                                 "rule failed: every reviewer sees why")
    return_reason: str | None = Field(None, description="the latest return's reason, a code "
                                      "of the policy's `return_reasons` (null: none given)")
    return_reason_label: Label | None = None
    granted_award: str | None = Field(None, description="the lower form the decider granted "
                                      "instead of the award proposed (null: as proposed)")
    granted_award_name: Label | None = None
    consultation: ConsultationPublic | None = Field(
        None, description="the agencies consulted before a council (*hiệp y*), each with "
        "its answer (`agrees`, `objects`, `lapsed`; \"\" while awaited)")
    appraisal: AppraisalPublic | None = Field(
        None, description="the board's latest appraisal (*thẩm định*) and its sign-off")
    commendation_type: str = Field("merit", description="the kind of commendation "
                                   "(Law 2022 Art. 8)")
    movement_id: str | None = Field(None, description="the emulation movement it was "
                                    "proposed in")
    basis: dict[str, Any] | None = Field(
        None, description="what it rests on beyond its dossier: for a flag proposed from a "
        "cluster's ranking, `cluster_id`, `year`, `rank` and `score`")


class AgencyAnswer(BaseModel):
    code: str
    vi: str
    en: str
    due_at: datetime
    answer: str
    note: str = ""
    document_id: str = ""


class ConsultationPublic(BaseModel):
    task_id: str
    agencies: list[AgencyAnswer]


class AppraisalPublic(BaseModel):
    task_id: str
    conclusion: Literal["eligible", "not_eligible", "lower_form"] | None = Field(
        None, description="null while the specialist has recorded none")
    lower_award: str | None = None
    lower_award_name: Label | None = None
    documents_complete: bool | None = None
    checks: list[dict[str, Any]] = Field(default_factory=list)
    note: str = ""
    by: str | None = None
    signed_off_by: str | None = Field(None, description="the board's head who agreed")
    head_note: str = ""
    sent_back: dict[str, str] | None = Field(
        None, description="the head sent it back to the specialist: by whom, with which note")


class NominationSummary(BaseModel):
    id: str
    tracking_code: str
    status: str
    status_label: Label
    award_code: str
    nominee_name: str
    unit_id: str
    current_level: str | None
    due_at: datetime | None
    overdue: bool
    escalated: bool
    proposed_at: datetime


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class NominationsPublic(Page):
    items: list[NominationSummary]


class HistoryEntry(BaseModel):
    position: int
    version: int
    type: str
    label: Label
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_unit: str
    level: str | None
    unit_id: str | None
    data: dict[str, Any]


class HistoryPublic(BaseModel):
    nomination_id: str
    items: list[HistoryEntry]


class TaskPublic(BaseModel):
    id: str
    nomination_id: str
    kind: Literal["review", "decision", "objection", "appraisal", "consultation"]
    level: str
    unit_id: str
    award_code: str
    award_name: Label
    nominee_name: str
    opened_at: datetime
    due_at: datetime
    reminded: bool
    overdue: bool
    escalated: bool
    status: Literal["open", "closed"]
    outcome: str | None
    assignee: str | None = Field(None, description="who holds it (null: no one)")
    assigned_at: datetime | None = Field(None, description="since when they hold it")


class TasksPublic(Page):
    items: list[TaskPublic]


class VoteTally(BaseModel):
    """A council's tally. Where the policy gives the reviewing unit's council a roster
    (`GET /councils/{unit_id}`), `members` comes from it: the roster's count less the
    members who step aside from the nomination (its nominee or proposer); leave it out,
    or give that count (another is refused: 422 `ballot-not-the-roster`). Without a
    roster, `members` is required. `written_for` / `written_against`: absent members'
    written opinions (at most the members absent), counted towards the approval share
    (for + written_for over all members) where the roster says `counted`, recorded only
    where it says `not_counted` or there is no roster; the quorum is of members present."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    members: int | None = Field(None, ge=1, le=10_000)
    present: int = Field(ge=0, le=10_000)
    for_: int = Field(alias="for", ge=0, le=10_000)
    against: int = Field(ge=0, le=10_000)
    abstain: int = Field(ge=0, le=10_000)
    written_for: int | None = Field(None, ge=0, le=10_000)
    written_against: int | None = Field(None, ge=0, le=10_000)

    def tally(self) -> dict[str, int]:
        """The tally as the domain takes it: what was not given is left out."""
        return self.model_dump(by_alias=True, exclude_none=True)


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["approve", "reject", "return"]
    votes: VoteTally
    note: LongText = ""
    override_reason: LongText = Field(
        "", description="why the council approves a nominee who fails a rule of the award "
        "(checked again now): recorded and shown to every later reviewer and auditor")
    return_reason: Annotated[str, StringConstraints(max_length=60)] = Field(
        "", description="with a return: a code of the policy's `return_reasons`"
        ", shown to the proposer with the note; an unknown code is refused (422)")


class BulkReviewItem(ReviewCreate):
    task_id: Annotated[str, StringConstraints(min_length=1, max_length=64), REQUIRED_LINE]


class BulkReviewCreate(BaseModel):
    """One council meeting's outcomes for a list of tasks: all recorded, or none."""

    model_config = ConfigDict(extra="forbid")

    items: list[BulkReviewItem] = Field(min_length=1, max_length=500)


class BulkReviewResult(BaseModel):
    recorded: int
    items: list[TaskActionResult]


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["awarded", "not_awarded"]
    decision_number: Text
    decision_date: Day
    signer: Text
    authority: OptionalText = Field(
        "", description="for a central award: the authority whose decision came back "
        "(empty: the award's own; another than the award's is refused)")
    granted_award: Annotated[str, StringConstraints(max_length=80)] = Field(
        "", description="awarding a lower form than proposed: one of the award's "
        "`lower_forms` in the policy, for the nominee's kind (empty: as proposed)")


class TaskActionResult(BaseModel):
    task_id: str
    nomination_id: str
    outcome: str
    links: dict[str, str]


class TrackingStep(BaseModel):
    type: str
    label: Label
    occurred_at: datetime
    level: str | None
    unit_name: str | None


class PublicNotice(BaseModel):
    nomination_id: str
    """Object at ``POST /nominations/{nomination_id}/objections`` with the tracking code."""
    tracking_code: str
    nominee_name: str
    award_name: Label
    unit_name: str
    notice_until: datetime | None
    status: str


class PublicNoticesPublic(Page):
    items: list[PublicNotice]


class TrackingPublic(BaseModel):
    tracking_code: str
    status: str
    status_label: Label
    award_name: Label
    nominee_name: str
    current_level: str | None
    current_unit_name: str | None
    due_at: datetime | None
    next_step: Label
    proposed_at: datetime
    timeline: list[TrackingStep]


class OrgUnitPublic(BaseModel):
    id: str
    name: str
    level: str
    kind: str
    parent_id: str | None
    formerly: list[str]


class OrgUnitsPublic(BaseModel):
    policy_version: str
    items: list[OrgUnitPublic]


class ProcedurePublic(BaseModel):
    chain: list[str]
    review_days: dict[str, int]


class EligibilityRulePublic(BaseModel):
    """One rule of an award's eligibility, as the policy states it."""

    kind: str
    """consecutive_titles, earlier_award, minimum_service, no_disqualifier,
    unused_initiative, quota or registered."""
    parameters: dict[str, Any]
    legal_basis: str
    description: Label


class AwardPublic(BaseModel):
    code: str
    name: Label
    nominee_kinds: list[str]
    chain: list[str]
    deciding_level: str
    authority: Label
    review_days: dict[str, int]
    vote: dict[str, str]
    public_notice: bool
    procedures: dict[str, ProcedurePublic]
    eligibility: list[EligibilityRulePublic]
    lower_forms: list[str] = Field(default_factory=list, description="awards a decider may "
                                   "grant instead of this one")
    required_documents: list[str] = Field(default_factory=list, description="the kinds of "
                                          "document a proposal's dossier must hold as files")


class PolicyVersionPublic(BaseModel):
    version: str
    effective_from: date
    active: bool
    levels: list[str]
    awards: int
    org_units: int


class PolicyPublic(PolicyVersionPublic):
    level_names: dict[str, Label]
    vote: dict[str, str]
    calendar: dict[str, Any]
    deadlines: dict[str, float]
    return_reasons: dict[str, Label] = Field(
        default_factory=dict, description="the catalogue a council's return names, by code")
    unregistered_nominees: list[str] = Field(
        default_factory=list, description="kinds of nominee proposed by name only, outside "
        "the register")
    appraisal: dict[str, Any] | None = Field(
        None, description="where the board appraises a dossier before the council "
        "(*thẩm định*): levels, awards (null: all), working days")
    consultation: dict[str, Any] | None = Field(
        None, description="the agencies consulted before the council (*hiệp y*): level, "
        "awards (null: every award decided centrally), agencies with their working days")


class PolicyVersionsPublic(BaseModel):
    items: list[PolicyVersionPublic]


class AwardsPublic(BaseModel):
    policy_version: str
    items: list[AwardPublic]


class TaskAssignmentCreate(BaseModel):
    """Claim the task (``assignee`` omitted, null or your own id), or, as the unit's head
    (its decider, or an administrator), assign or reassign it to someone of the unit."""

    model_config = ConfigDict(extra="forbid")

    assignee: Annotated[str, StringConstraints(max_length=120)] | None = None


class TaskAssignmentResult(BaseModel):
    task_id: str
    nomination_id: str
    assignee: str
    version: int


class DelegationCreate(BaseModel):
    """A person on leave gives their tasks to another of the unit until a moment."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    to: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    from_: Annotated[str, StringConstraints(max_length=120)] = Field(
        "", alias="from", description="the delegator (empty: yourself; the unit's head "
        "records it for someone else)")
    until: datetime


class DelegationPublic(BaseModel):
    id: str
    unit_id: str
    delegator: str
    delegate: str
    since: datetime
    until: datetime

