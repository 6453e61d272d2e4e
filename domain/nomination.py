"""The nomination aggregate: one nominee proposed for one award, and its journey.

Command methods decide (check the process rules, raise named errors) and trigger
events; each event's ``apply`` only copies its facts onto the state. Every event
carries who caused it (actor id, the role they acted in, their unit) and the time the
command was given, so replays never read the clock. Times and ids that a command needs
(due dates, objection ids) are given to it, never made here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.ballot import BallotOf
from domain.calendar import WorkingCalendar
from domain.confirmation import CODE_ATTEMPTS, ConfirmationCodes, SealedCode
from domain.errors import (
    ConfirmationExpired,
    ConfirmationLocked,
    IdempotencyKeyReused,
    InvalidDecisionDate,
    InvalidTransition,
    NotALowerForm,
    NotFound,
    NotInPublicNotice,
    TaskAlreadyClaimed,
    TaskClosed,
    UnknownAgency,
    UnknownReturnReason,
    WrongAuthority,
    WrongRole,
    WrongTaskKind,
)
from domain.policy import Award, Route
from domain.vocabulary import (
    CLOSED_STATUSES,
    CONSULTED,
    AppraisalConclusion,
    ConsultationAnswer,
    DecisionOutcome,
    ObjectionOutcome,
    ReviewOutcome,
    Role,
    Status,
    TaskClosure,
    TaskKind,
)
from domain.voting import require_consistent

REVIEW_OUTCOMES: tuple[ReviewOutcome, ...] = tuple(ReviewOutcome)
DECISION_OUTCOMES: tuple[DecisionOutcome, ...] = tuple(DecisionOutcome)
OBJECTION_OUTCOMES: tuple[ObjectionOutcome, ...] = tuple(ObjectionOutcome)
"""What a command may record, in order (a plain string is looked up among these)."""
SYSTEM = "laurel"
"""The actor id of steps the workflow takes on its own (opening tasks, deadlines)."""
DEFAULT_ZONE = WorkingCalendar().zone
"""The calendar's default zone (Vietnam's), for dating a decision when no policy's
calendar is given; ``Nominations`` gives the zone of the nomination's own policy."""



@dataclass
class Task:
    """A review or decision waiting at one unit."""

    id: str
    kind: TaskKind  # a review or the decision (objections are no tasks here)
    step: int
    level: str
    unit_id: str
    opened_at: datetime
    due_at: datetime
    remind_at: datetime
    open: bool = True
    reminded: bool = False
    overdue: bool = False
    escalated: bool = False
    outcome: str | None = None
    assignee: str = ""
    """Who holds it ("" while no one does): claimed, or assigned by the unit's head."""
    assigned_at: datetime | None = None


@dataclass
class Objection:
    id: str
    lodged_at: datetime
    outcome: str | None = None  # None while pending
    confirmed: bool = True
    """It holds the nomination (while pending): lodged by someone signed in, or by someone
    without an account who confirmed their e-mail address (``domain.confirmation``)."""
    code_salt: str = ""
    code_digest: str = ""
    """The seal of the code sent to the objector ("" when none was sent)."""
    code_expires_at: datetime | None = None
    wrong_codes: int = 0

    @property
    def holds(self) -> bool:
        return self.confirmed and self.outcome is None

    @property
    def awaiting_confirmation(self) -> bool:
        return not self.confirmed and self.outcome is None


@dataclass(frozen=True)
class CodeCheck:
    """What a code typed back did: confirmed the objection, or how many tries are left."""

    confirmed: bool
    attempts_left: int


def derived_id(nomination_id: UUID, *parts: object) -> str:
    """Deterministic ids: a retried activity opens the same task, never a second one."""
    return str(uuid5(nomination_id, "-".join(map(str, parts))))


class Nomination(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Proposed(Event, Aggregate.Created):
        tracking_code: str
        unit_id: str
        award_code: str
        nominee: dict[str, Any]
        achievements: str
        documents: list[dict[str, Any]]
        policy_version: str
        route: dict[str, Any]
        proposal_id: str
        request: str = ""
        """A digest of the request that proposed it, when it came with an idempotency
        key: the same key again with another request is refused (events stored before
        this field read it as empty)."""
        year: int = 0
        """The year the achievements belong to (0: recorded before nominations had one)."""
        initiative_id: str = ""
        eligibility: dict[str, Any] | None = None
        """The verdict of the award's rules at the proposal, as recorded
        (``domain.candidates.recorded_verdict``); None before verdicts were recorded."""
        override_reason: str = ""
        """Why the unit proposed a nominee who failed a rule ("" when none failed)."""
        commendation_type: str = ""
        """What kind of commendation it is (Law Art. 8: ``CommendationType``; "": merit,
        as every nomination recorded before types were)."""
        movement_id: str = ""
        """The emulation movement it was proposed in ("" for none)."""
        basis: dict[str, Any] | None = None
        """What it rests on beyond its dossier: a cluster's ranking ({"cluster_id",
        "year", "rank", "score"}) for a flag proposed from one; None otherwise."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            aggregate.tracking_code = self.tracking_code
            aggregate.unit_id = self.unit_id
            aggregate.award_code = self.award_code
            aggregate.nominee = self.nominee
            aggregate.policy_version = self.policy_version
            aggregate.route = Route.from_dict(self.route)
            aggregate.year = self.year or self.timestamp.year
            aggregate.initiative_id = self.initiative_id
            aggregate.eligibility = self.eligibility

    class ReviewOpened(Event):
        task_id: str
        step: int
        level: str
        unit_id: str
        due_at: datetime
        remind_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = Status.UNDER_REVIEW
            aggregate.rounds[self.step] = aggregate.rounds.get(self.step, 0) + 1
            aggregate._add_task(Task(self.task_id, TaskKind.REVIEW, self.step, self.level,
                                     self.unit_id, self.timestamp, self.due_at, self.remind_at))

    class Forwarded(Event):
        from_level: str
        from_unit_id: str
        to_level: str
        to_unit_id: str

        def apply(self, aggregate: Nomination) -> None:
            aggregate.arrived.add(self.to_level)

    class ReviewReminderSent(Event):
        task_id: str
        level: str
        unit_id: str
        due_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.tasks[self.task_id].reminded = True

    class ReviewOverdue(Event):
        task_id: str
        level: str
        unit_id: str

        def apply(self, aggregate: Nomination) -> None:
            aggregate.tasks[self.task_id].overdue = True

    class ReviewEscalated(Event):
        task_id: str
        level: str
        unit_id: str
        escalated_to: str

        def apply(self, aggregate: Nomination) -> None:
            aggregate.tasks[self.task_id].escalated = True

    class ReviewedByCouncil(Event):
        task_id: str
        level: str
        unit_id: str
        outcome: str
        votes: dict[str, int]
        note: str
        rule: dict[str, str]
        result: dict[str, Any]
        policy_version: str
        request: str = ""
        """A digest of the keyed request that recorded it (empty without a key)."""
        eligibility: dict[str, Any] | None = None
        """The verdict of the award's rules the council acted on, as recorded."""
        override_reason: str = ""
        """Why the council approved a nominee who failed a rule."""
        return_reason: str = ""
        """A return's reason, a code of the policy's ``return_reasons`` ("" when none was
        given, and for every return recorded before reasons had codes)."""
        on_behalf_of: str = ""
        """The holder of the task the actor acted for, by their delegation ("" if none)."""
        council: dict[str, Any] | None = None
        """The council's roster the ballot came from (``domain.ballot.Ballot.to_dict``:
        its term, the roster's count, the ballot's members, how written opinions count,
        and who stepped aside and why); None where the policy gives no roster."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate._close_task(self.task_id, self.outcome)
            aggregate.requests.add(self.request)
            if self.eligibility is not None:
                aggregate.eligibility = self.eligibility
            if self.outcome == ReviewOutcome.APPROVE:
                aggregate.approvals += 1
            elif self.outcome == ReviewOutcome.REJECT:
                aggregate.status = Status.REJECTED
            else:
                aggregate.status = Status.RETURNED

    class Supplemented(Event):
        documents: list[dict[str, Any]]
        achievements: str
        note: str
        dossier_version: int
        request: str = ""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            aggregate.status = Status.UNDER_REVIEW
            aggregate.dossier_version = self.dossier_version

    class PublicNoticeOpened(Event):
        unit_id: str
        until: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = Status.PUBLIC_NOTICE
            aggregate.notice_until = self.until

    class ObjectionLodged(Event):
        objection_id: str
        text: str
        contact: str
        request: str = ""
        confirmed: bool = True
        """It holds the nomination at once (someone signed in lodged it; so did every
        objection recorded before confirmations). False: it holds nothing until its
        author confirms their e-mail address (``ObjectionConfirmed``)."""
        code_salt: str = ""
        code_digest: str = ""
        """The seal of the code sent to the objector's address; "" if none was sent."""
        code_expires_at: datetime | None = None

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            aggregate.objections[self.objection_id] = Objection(
                self.objection_id, self.timestamp, confirmed=self.confirmed,
                code_salt=self.code_salt, code_digest=self.code_digest,
                code_expires_at=self.code_expires_at)
            if self.confirmed:
                aggregate.status = Status.ON_HOLD

    class ObjectionCodeRejected(Event):
        """A wrong code was typed back; the ``CODE_ATTEMPTS``-th locks the objection."""

        objection_id: str
        wrong_codes: int
        locked: bool

        def apply(self, aggregate: Nomination) -> None:
            aggregate.objections[self.objection_id].wrong_codes = self.wrong_codes

    class ObjectionConfirmed(Event):
        """Its author confirmed their e-mail address: the objection holds the nomination."""

        objection_id: str

        def apply(self, aggregate: Nomination) -> None:
            aggregate.objections[self.objection_id].confirmed = True
            aggregate.status = Status.ON_HOLD

    class ObjectionResolved(Event):
        objection_id: str
        outcome: str
        note: str
        request: str = ""
        held: bool = True
        """The objection held the nomination when it was resolved (an unconfirmed one
        held nothing; every one recorded before confirmations held)."""
        abuse: bool = False
        """Dismissed as abuse (part of a flood, say), with others in one act."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            aggregate.objections[self.objection_id].outcome = self.outcome
            if self.outcome == ObjectionOutcome.UPHELD:
                aggregate.status = Status.REJECTED
            elif not aggregate.pending_objections and aggregate.status == Status.ON_HOLD:
                aggregate.status = Status.PUBLIC_NOTICE

    class PublicNoticeClosed(Event):
        objections: int

        def apply(self, aggregate: Nomination) -> None:
            aggregate.notice_closed = True

    class DecisionOpened(Event):
        task_id: str
        level: str
        unit_id: str
        authority: str
        central: bool
        due_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = (Status.AWAITING_CENTRAL if self.central
                                else Status.AWAITING_DECISION)
            aggregate._add_task(Task(self.task_id, TaskKind.DECISION, len(aggregate.route.reviews),
                                     self.level, self.unit_id, self.timestamp, self.due_at,
                                     self.due_at))

    class Decided(Event):
        task_id: str
        level: str
        unit_id: str
        outcome: str
        decision_number: str
        decision_date: str
        signer: str
        authority: str
        request: str = ""
        """A digest of the keyed request that recorded it (empty without a key)."""
        decision_id: str = ""
        """The decision record it belongs to (``domain.decision``); "" for one recorded
        before decisions were records, or without one."""
        granted_award: str = ""
        """The award granted when it is a lower form than proposed ("" = as proposed)."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate._close_task(self.task_id, self.outcome)
            aggregate.requests.add(self.request)
            aggregate.decision_date = self.decision_date
            aggregate.granted_award = self.granted_award
            aggregate.status = (Status.AWARDED if self.outcome == DecisionOutcome.AWARDED
                                else Status.NOT_AWARDED)

    class TaskClaimed(Event):
        """Someone of the task's unit took it for themselves (no one held it)."""

        task_id: str
        assignee: str

        def apply(self, aggregate: Nomination) -> None:
            task = aggregate.tasks[self.task_id]
            task.assignee, task.assigned_at = self.assignee, self.timestamp

    class TaskAssigned(Event):
        """The unit's head gave the task to someone, taking it from ``previous`` when
        someone held it (a reassignment, recorded as such)."""

        task_id: str
        assignee: str
        previous: str = ""

        def apply(self, aggregate: Nomination) -> None:
            task = aggregate.tasks[self.task_id]
            task.assignee, task.assigned_at = self.assignee, self.timestamp

    class Withdrawn(Event):
        reason: str
        closed_task_ids: list[str]
        request: str = ""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            for task_id in self.closed_task_ids:
                aggregate._close_task(task_id, TaskClosure.WITHDRAWN)
            aggregate.status = Status.WITHDRAWN

    class Revoked(Event):
        reason: str
        decision_number: str
        decision_date: str
        request: str = ""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.requests.add(self.request)
            aggregate.status = Status.REVOKED

    # -- inside a level, before its council (``domain.level_steps``) ------------------

    class ConsultationOpened(Event):
        """The level asks the agencies the route lists (*hiệp y*), each to answer by its
        ``due_at`` (ISO text); the council's task waits for them all."""

        task_id: str
        step: int
        level: str
        unit_id: str
        due_at: datetime
        """The last agency's deadline."""
        agencies: list[dict[str, Any]]

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = Status.UNDER_REVIEW
            aggregate._add_task(Task(self.task_id, TaskKind.CONSULTATION, self.step,
                                     self.level, self.unit_id, self.timestamp, self.due_at,
                                     self.due_at))
            aggregate.agencies = {a["code"]: dict(a) for a in self.agencies}
            aggregate.answers = dict.fromkeys(aggregate.agencies, "")

    class ConsultationAnswered(Event):
        """An agency's written answer, recorded by someone of the consulting level."""

        task_id: str
        agency: str
        answer: str
        note: str
        document_id: str = ""
        settled: bool = False
        """The last answer awaited: the consultation closes with it."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.answers[self.agency] = self.answer
            aggregate._settle_consultation(self.task_id)

    class ConsultationLapsed(Event):
        """Agencies that did not answer by their deadline: recorded as lapsed."""

        task_id: str
        agencies: list[str]
        settled: bool = False
        """No answer is awaited any more: the consultation closes."""

        def apply(self, aggregate: Nomination) -> None:
            for code in self.agencies:
                aggregate.answers[code] = ConsultationAnswer.LAPSED
            aggregate._settle_consultation(self.task_id)

    class AppraisalOpened(Event):
        """The board's appraisal of the dossier opens (*thẩm định*), before the council."""

        task_id: str
        step: int
        level: str
        unit_id: str
        due_at: datetime
        remind_at: datetime

        def apply(self, aggregate: Nomination) -> None:
            aggregate.status = Status.UNDER_REVIEW
            aggregate._add_task(Task(self.task_id, TaskKind.APPRAISAL, self.step, self.level,
                                     self.unit_id, self.timestamp, self.due_at,
                                     self.remind_at))
            aggregate.appraisal = None

    class Appraised(Event):
        """The specialist's verdict: documents complete or not, each rule of the award
        confirmed or disputed, and the conclusion (with the lower form it proposes)."""

        task_id: str
        documents_complete: bool
        checks: list[dict[str, Any]]
        conclusion: str
        lower_award: str
        note: str
        on_behalf_of: str = ""
        unit_id: str = ""
        """The level's unit, whose board's head signs it off."""

        def apply(self, aggregate: Nomination) -> None:
            aggregate.appraisal = {
                "task_id": self.task_id, "by": self.actor,
                "documents_complete": self.documents_complete, "checks": self.checks,
                "conclusion": self.conclusion, "lower_award": self.lower_award,
                "note": self.note, "signed_off": False}

    class AppraisalSignedOff(Event):
        """The board's head agrees with the appraisal (it goes to the council) or sends it
        back to the specialist with a note."""

        task_id: str
        agreed: bool
        note: str
        conclusion: str

        def apply(self, aggregate: Nomination) -> None:
            if self.agreed and aggregate.appraisal is not None:
                aggregate.appraisal = {**aggregate.appraisal, "signed_off": True,
                                       "signed_off_by": self.actor}
                aggregate._close_task(self.task_id, self.conclusion)
            else:
                aggregate.appraisal = None

    def __init__(self) -> None:
        self.status = Status.PROPOSED
        self.tasks: dict[str, Task] = {}
        self.current_task_id: str | None = None
        self.approvals = 0
        self.rounds: dict[int, int] = {}
        self.dossier_version = 1
        self.notice_until: datetime | None = None
        self.notice_closed = False
        self.objections: dict[str, Objection] = {}
        self.decision_date = ""
        """The date of the decision on it, as recorded ("" before one)."""
        self.granted_award = ""
        """A lower form the decider granted ("" = the award proposed)."""
        self.requests: set[str] = {""}
        """Digests of the keyed requests that changed it ("" stands for none): the same
        request again is a retry, answered without a second change."""
        self.eligibility: dict[str, Any] | None = None
        """The latest verdict recorded on it (at the proposal, then each review)."""
        self.arrived: set[str] = set()
        """The levels it was forwarded to."""
        self.agencies: dict[str, dict[str, Any]] = {}
        """The agencies consulted, by code ({code, vi, en, due_at})."""
        self.answers: dict[str, str] = {}
        """Each consulted agency's answer ("" while awaited)."""
        self.appraisal: dict[str, Any] | None = None
        """The appraisal recorded at the current level (None: none, or sent back)."""
        # Set by Proposed.apply:
        self.tracking_code: str
        self.unit_id: str
        self.award_code: str
        self.nominee: dict[str, Any]
        self.policy_version: str
        self.route: Route
        self.year: int
        self.initiative_id: str

    # -- proposing ----------------------------------------------------------------

    @classmethod
    def propose(
        cls, *, nomination_id: UUID, tracking_code: str, actor: Actor, award_code: str,
        nominee: dict[str, Any], achievements: str, documents: list[dict[str, Any]],
        policy_version: str, route: Route, at: datetime, proposal_id: str = "",
        request: str = "", year: int = 0, initiative_id: str = "",
        eligibility: dict[str, Any] | None = None, override_reason: str = "",
        commendation_type: str = "", movement_id: str = "",
        basis: dict[str, Any] | None = None,
    ) -> Nomination:
        """``eligibility``: the verdict on the nominee, recorded with the proposal; one
        that failed is proposed only with an ``override_reason`` (the caller refuses it
        otherwise, naming each failed check)."""
        return cls._create(
            cls.Proposed, id=nomination_id, timestamp=at, actor=actor.id,
            actor_role=actor.acting_as(Role.PROPOSER), actor_unit=actor.unit_id,
            tracking_code=tracking_code, unit_id=actor.unit_id, award_code=award_code,
            nominee=nominee, achievements=achievements, documents=documents,
            policy_version=policy_version, route=route.to_dict(), proposal_id=proposal_id,
            request=request, year=year, initiative_id=initiative_id,
            eligibility=eligibility, override_reason=override_reason,
            **({"commendation_type": commendation_type} if commendation_type else {}),
            **({"movement_id": movement_id} if movement_id else {}),
            **({"basis": basis} if basis else {}),
        )

    def supplement(
        self, actor: Actor, *, documents: list[dict[str, Any]], achievements: str, note: str,
        at: datetime, request: str = "",
    ) -> None:
        """The proposing unit answers a return with a new version of the dossier."""
        role = self._as_proposer(actor)
        if self.status != Status.RETURNED:
            raise InvalidTransition(f"Only a returned nomination is supplemented; it is "
                                    f"{self.status}",
                                    vi="Chỉ bổ sung hồ sơ khi hồ sơ đã bị trả lại để bổ sung")
        self.trigger_event(
            self.Supplemented, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, documents=documents, achievements=achievements,
            note=note, dossier_version=self.dossier_version + 1, request=request,
        )

    def withdraw(self, actor: Actor, *, reason: str, at: datetime, request: str = "") -> None:
        role = self._as_proposer(actor)
        if self.status in CLOSED_STATUSES:
            raise InvalidTransition(f"A nomination that is {self.status} cannot be withdrawn",
                                    vi="Hồ sơ đề nghị đã kết thúc nên không rút được nữa")
        self.trigger_event(
            self.Withdrawn, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, reason=reason,
            closed_task_ids=[t.id for t in self.tasks.values() if t.open], request=request,
        )

    # -- council reviews ----------------------------------------------------------

    def open_review(self, step: int, at: datetime, due_at: datetime, remind_at: datetime,
                    review_round: int | None = None) -> str:
        """Open the council review of ``step``, forwarding first when it is a new level.
        ``review_round``: which review of the step this is (0, and one more after each
        return); one already opened is answered with its task, even if the council has
        acted on it since: the workflow retrying a step it did not hear back from."""
        if review_round is not None:
            if (opened := self.review_task(step, review_round)) is not None:
                return opened.id
            if review_round != self.rounds.get(step, 0):
                raise InvalidTransition(
                    f"Review round {review_round} of step {step} cannot open; the next is "
                    f"{self.rounds.get(step, 0)}",
                    vi=f"Không mở được lượt xét {review_round} ở bước {step}; lượt tiếp theo "
                       f"là {self.rounds.get(step, 0)}")
        current = self.current_task
        if current is not None and current.kind == TaskKind.REVIEW and current.step == step:
            return current.id  # already open: a retried activity
        if self.status not in (Status.PROPOSED, Status.UNDER_REVIEW) or current is not None:
            raise InvalidTransition(f"No review can open while the nomination is {self.status}",
                                    vi="Hồ sơ đề nghị đang ở bước không mở xét duyệt được")
        if step != self.approvals or step >= len(self.route.reviews):
            raise InvalidTransition(f"Step {step} cannot open; the next is {self.approvals}",
                                    vi=f"Không mở được bước {step}; bước tiếp theo là "
                                       f"{self.approvals}")
        review = self.route.reviews[step]
        if step not in self.rounds:
            self._arrive(step, at)
        task_id = derived_id(self.id, TaskKind.REVIEW, step, self.rounds.get(step, 0))
        self._system(self.ReviewOpened, at, task_id=task_id, step=step, level=review.level,
                     unit_id=review.unit_id, due_at=due_at, remind_at=remind_at)
        return task_id

    def remind(self, task_id: str, at: datetime) -> None:
        task = self._open_review(task_id)
        if not task.reminded:
            self._system(self.ReviewReminderSent, at, task_id=task_id, level=task.level,
                         unit_id=task.unit_id, due_at=task.due_at)

    def escalate(self, task_id: str, at: datetime, head: str = "") -> None:
        """The review's time lapsed: it is overdue, and the level's head is told
        (``head``: the account the policy names, "" when it names none)."""
        task = self._open_review(task_id)
        if task.escalated:
            return
        self._system(self.ReviewOverdue, at, task_id=task_id, level=task.level,
                     unit_id=task.unit_id)
        self._system(self.ReviewEscalated, at, task_id=task_id, level=task.level,
                     unit_id=task.unit_id, escalated_to=head or f"head of {task.unit_id}")

    def review(
        self, task_id: str, *, actor: Actor, outcome: str, votes: dict[str, int], note: str,
        at: datetime, request: str = "",
        eligibility: Callable[[], dict[str, Any] | None] = lambda: None,
        override_reason: str = "", return_reason: str = "",
        return_reasons: Collection[str] = (),
        delegators: Callable[[], Collection[str]] = lambda: (),
        ballot: BallotOf = lambda unit_id: None,
    ) -> None:
        """``eligibility``: the verdict the council acts on, worked out again once the
        ballot is found in order (a history can change after the proposal) and recorded
        with it; it refuses an approval of a nominee who fails a rule unless the council
        gives an ``override_reason``. ``ballot``: the roster's ballot of the task's unit
        (``domain.ballot``), which gives the tally its members, less those who step
        aside, and says whether absent members' written opinions count."""
        task = self._task_for(actor, task_id)
        role = actor.acting_as(Role.REVIEWER)
        if task.kind != TaskKind.REVIEW:
            raise WrongTaskKind("This task awaits a decision, not a council review",
                                vi="Việc này chờ quyết định khen thưởng, không phải xét duyệt "
                                   "của Hội đồng")
        self._require_open(task)
        if outcome not in REVIEW_OUTCOMES:
            raise InvalidTransition(f"Outcome must be one of {', '.join(REVIEW_OUTCOMES)}",
                                    vi=f"Kết quả phải là một trong: {', '.join(REVIEW_OUTCOMES)}")
        if return_reason and (outcome != ReviewOutcome.RETURN
                              or return_reason not in return_reasons):
            raise UnknownReturnReason(
                f"'{return_reason}' is not a return reason of policy {self.policy_version}"
                f" (one of: {', '.join(return_reasons)}), or the outcome is no return",
                vi=f"'{return_reason}' không có trong danh mục lý do trả lại của quy định "
                   f"{self.policy_version} ({', '.join(return_reasons)}), hoặc kết quả không "
                   f"phải là trả lại")
        roster = ballot(task.unit_id)
        if roster is not None:
            votes = roster.complete(votes)
        result = require_consistent(outcome, votes, self.route.vote,
                                    roster.written_opinions if roster else "")
        self.trigger_event(
            self.ReviewedByCouncil, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, task_id=task_id, level=task.level, unit_id=task.unit_id,
            outcome=outcome, votes=dict(votes), note=note, rule=self.route.vote.to_dict(),
            **({"council": roster.to_dict()} if roster else {}),
            result=result.to_dict(), policy_version=self.policy_version, request=request,
            eligibility=eligibility(), override_reason=override_reason,
            **({"return_reason": return_reason} if return_reason else {}),
            **self._on_behalf_of(task, actor, delegators),
        )

    # -- who holds a task ---------------------------------------------------------

    def assign(self, task_id: str, *, actor: Actor, assignee: str, at: datetime) -> None:
        """``assignee`` ("" for oneself) takes the task. Someone of the unit in the role
        that acts on it claims it for themselves, unless another holds it
        (``TaskAlreadyClaimed``, naming them and since when); the unit's head (its
        decider, or an administrator) assigns it to anyone, taking it from its holder as
        a reassignment recorded as such. The holder again is no change."""
        task = self._task_for(actor, task_id)
        acting = Role.DECIDER if task.kind == TaskKind.DECISION else Role.REVIEWER
        head = next((r for r in (Role.DECIDER, Role.ADMIN) if r in actor.roles), None)
        role = head if head is not None and acting not in actor.roles else None
        role = role or actor.acting_as(acting)
        self._require_open(task)
        assignee = assignee.strip() or actor.id
        if task.assignee == assignee:
            return
        if head is None and assignee != actor.id:
            raise WrongRole("Only the unit's head assigns a task to someone else",
                            vi="Chỉ lãnh đạo đơn vị mới giao việc cho người khác")
        if task.assignee and head is None:
            since = task.assigned_at.isoformat() if task.assigned_at else ""
            raise TaskAlreadyClaimed(
                f"{task.assignee} holds this task since {since}",
                vi=f"{task.assignee} đang giữ việc này từ {since}")
        fields: dict[str, Any] = dict(timestamp=at, actor=actor.id, actor_role=role,
                                      actor_unit=actor.unit_id, task_id=task_id,
                                      assignee=assignee)
        if assignee == actor.id and not task.assignee:
            self.trigger_event(self.TaskClaimed, **fields)
        else:
            self.trigger_event(self.TaskAssigned, **fields, previous=task.assignee)

    # -- inside a level, before its council -----------------------------------------

    def open_consultation(self, step: int, at: datetime,
                          deadlines: list[tuple[dict[str, Any], datetime]]) -> Task | None:
        """Ask the agencies (``deadlines``: each agency as the route records it, with the
        moment its answer is due) once per level; the task, or None if none is asked."""
        task_id = derived_id(self.id, TaskKind.CONSULTATION, step)
        if task_id in self.tasks or not deadlines:
            return self.tasks.get(task_id)
        self._require_next_level(step)
        self._arrive(step, at)
        self._system(self.ConsultationOpened, at, task_id=task_id, step=step,
                     level=self.route.reviews[step].level,
                     unit_id=self.route.reviews[step].unit_id,
                     due_at=max(due for _, due in deadlines),
                     agencies=[{**agency, "due_at": due.isoformat()}
                               for agency, due in deadlines])
        return self.tasks[task_id]

    def answer_consultation(self, task_id: str, *, actor: Actor, agency: str, answer: str,
                            note: str, at: datetime, document_id: str = "") -> None:
        task = self._task_for(actor, task_id)
        role = actor.acting_as(Role.REVIEWER)
        self._require_kind(task, TaskKind.CONSULTATION)
        self._require_open(task)
        if self.answers.get(agency) != "" or answer not in (ConsultationAnswer.AGREES,
                                                             ConsultationAnswer.OBJECTS):
            asked = ", ".join(code for code, said in self.answers.items() if not said)
            raise UnknownAgency(
                f"'{agency}' is not an agency awaited here (awaited: {asked or 'none'}), or "
                f"'{answer}' is no answer (agrees, objects)",
                vi=f"'{agency}' không phải cơ quan đang chờ ý kiến (đang chờ: "
                   f"{asked or 'không còn'}), hoặc '{answer}' không phải ý kiến hợp lệ "
                   f"(agrees: đồng ý, objects: không đồng ý)")
        self.trigger_event(self.ConsultationAnswered, timestamp=at, actor=actor.id,
                           actor_role=role, actor_unit=actor.unit_id, task_id=task_id,
                           agency=agency, answer=answer, note=note, document_id=document_id,
                           settled=set(self._awaited()) == {agency})

    def lapse_consultation(self, task_id: str, at: datetime) -> None:
        """Record as lapsed every agency whose time is up (``consultation_due``: when the
        next answer is due)."""
        if not self._task(task_id).open:
            return
        lapsed = [code for code, when in self._awaited().items() if when <= at]
        if lapsed:
            self._system(self.ConsultationLapsed, at, task_id=task_id, agencies=lapsed,
                         settled=len(lapsed) == len(self._awaited()))

    @property
    def consultation_due(self) -> datetime | None:
        """When the first answer still awaited is due (None: none is awaited, or the
        consultation closed, its nomination withdrawn say)."""
        if not any(t.open for t in self.tasks.values() if t.kind == TaskKind.CONSULTATION):
            return None
        return min(self._awaited().values(), default=None)

    def _awaited(self) -> dict[str, datetime]:
        return {code: datetime.fromisoformat(a["due_at"]) for code, a in self.agencies.items()
                if not self.answers.get(code)}

    def open_appraisal(self, step: int, review_round: int, at: datetime, due_at: datetime,
                       remind_at: datetime) -> Task:
        """Open the board's appraisal of ``step``'s ``review_round`` (once)."""
        task_id = derived_id(self.id, TaskKind.APPRAISAL, step, review_round)
        if task_id in self.tasks:
            return self.tasks[task_id]
        self._require_next_level(step)
        if step not in self.rounds:
            self._arrive(step, at)
        review = self.route.reviews[step]
        self._system(self.AppraisalOpened, at, task_id=task_id, step=step, level=review.level,
                     unit_id=review.unit_id, due_at=due_at, remind_at=remind_at)
        return self.tasks[task_id]

    def appraise(
        self, task_id: str, *, actor: Actor, documents_complete: bool,
        checks: list[dict[str, Any]], conclusion: str, lower_award: str, note: str,
        at: datetime, lower_forms: Collection[str],
        delegators: Callable[[], Collection[str]] = lambda: (),
    ) -> None:
        """The specialist's verdict. Recording it claims the file when no one holds it;
        a file someone else holds is theirs (``TaskAlreadyClaimed``) unless they delegated
        it to the actor. A verdict already awaiting the head's sign-off is not replaced."""
        task = self._task_for(actor, task_id)
        role = actor.acting_as(Role.REVIEWER)
        self._require_kind(task, TaskKind.APPRAISAL)
        self._require_open(task)
        if self.appraisal is not None:
            raise InvalidTransition("The appraisal awaits the head's sign-off",
                                    vi="Kết quả thẩm định đang chờ lãnh đạo Ban cho ý kiến")
        behalf = self._on_behalf_of(task, actor, delegators)
        if task.assignee and task.assignee != actor.id and not behalf:
            since = task.assigned_at.isoformat() if task.assigned_at else ""
            raise TaskAlreadyClaimed(f"{task.assignee} holds this file since {since}",
                                     vi=f"{task.assignee} đang giữ hồ sơ này từ {since}")
        if conclusion not in tuple(AppraisalConclusion):
            raise InvalidTransition(
                f"The conclusion is one of {', '.join(AppraisalConclusion)}",
                vi=f"Kết luận thẩm định là một trong: {', '.join(AppraisalConclusion)}")
        lower = lower_award if conclusion == AppraisalConclusion.LOWER_FORM else ""
        if (conclusion == AppraisalConclusion.LOWER_FORM) and lower not in lower_forms:
            raise NotALowerForm(
                f"'{lower_award}' is not a lower form of {self.award_code} for this nominee "
                f"(one of: {', '.join(lower_forms) or 'none'})",
                vi=f"'{lower_award}' không phải hình thức thấp hơn của {self.award_code} cho "
                   f"đối tượng này ({', '.join(lower_forms) or 'không có'})")
        if not task.assignee:
            self.trigger_event(self.TaskClaimed, timestamp=at, actor=actor.id,
                               actor_role=role, actor_unit=actor.unit_id, task_id=task_id,
                               assignee=actor.id)
        self.trigger_event(self.Appraised, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, task_id=task_id,
                           documents_complete=documents_complete, checks=checks,
                           conclusion=conclusion, lower_award=lower, note=note,
                           unit_id=task.unit_id, **behalf)

    def sign_off(self, task_id: str, *, actor: Actor, agreed: bool, note: str, at: datetime,
                 head: str) -> None:
        """The board's head (``head``: the policy's, "" for the unit's deciders) agrees
        with the appraisal, closing it, or sends it back. Not the specialist themselves."""
        task = self._task_for(actor, task_id)
        self._require_kind(task, TaskKind.APPRAISAL)
        self._require_open(task)
        if actor.id != head and (head or Role.DECIDER not in actor.roles):
            who = head or "a decider of the unit"
            raise WrongRole(f"The head of the board signs an appraisal off ({who})",
                            vi=f"Lãnh đạo Ban cho ý kiến về kết quả thẩm định "
                               f"({head or 'lãnh đạo đơn vị'})")
        role = Role.REVIEWER if Role.REVIEWER in actor.roles else actor.acting_as(Role.DECIDER)
        if self.appraisal is None:
            raise InvalidTransition("No appraisal awaits a sign-off",
                                    vi="Chưa có kết quả thẩm định để cho ý kiến")
        if self.appraisal["by"] == actor.id:
            raise WrongRole("The specialist who appraised does not sign their own appraisal off",
                            vi="Người thẩm định không tự cho ý kiến về kết quả của mình")
        self.trigger_event(self.AppraisalSignedOff, timestamp=at, actor=actor.id,
                           actor_role=role, actor_unit=actor.unit_id, task_id=task_id,
                           agreed=agreed, note=note,
                           conclusion=str(self.appraisal["conclusion"]))

    def _arrive(self, step: int, at: datetime) -> None:
        """Forwarded up to ``step``'s level, once (the first level is where it starts)."""
        review = self.route.reviews[step]
        if step > 0 and review.level not in self.arrived:
            below = self.route.reviews[step - 1]
            self._system(self.Forwarded, at, from_level=below.level, from_unit_id=below.unit_id,
                         to_level=review.level, to_unit_id=review.unit_id)

    def _require_next_level(self, step: int) -> None:
        if self.status in CLOSED_STATUSES or self.current_task is not None:
            raise InvalidTransition(f"Nothing can open while the nomination is {self.status}",
                                    vi="Hồ sơ đề nghị đang ở bước không mở việc mới được")
        if step != self.approvals or step >= len(self.route.reviews):
            raise InvalidTransition(f"Step {step} cannot open; the next is {self.approvals}",
                                    vi=f"Không mở được bước {step}; bước tiếp theo là "
                                       f"{self.approvals}")

    def _settle_consultation(self, task_id: str) -> None:
        if all(self.answers.values()):
            self._close_task(task_id, CONSULTED)

    @staticmethod
    def _require_kind(task: Task, kind: TaskKind) -> None:
        if task.kind != kind:
            raise WrongTaskKind(f"This task is a {task.kind}, not a {kind}",
                                vi=f"Việc này là {task.kind}, không phải {kind}")

    # -- public notice ------------------------------------------------------------

    def open_public_notice(self, at: datetime, until: datetime) -> None:
        if self.notice_until is not None:
            return  # already open: a retried activity
        self._require_reviews_done()
        if not self.route.public_notice_days:
            raise InvalidTransition("This award needs no public notice",
                                    vi="Hình thức khen thưởng này không cần công khai, "
                                       "lấy ý kiến")
        self._system(self.PublicNoticeOpened, at, unit_id=self.route.reviews[-1].unit_id,
                     until=until)

    def lodge_objection(
        self, actor: Actor, *, objection_id: str, text: str, contact: str, at: datetime,
        request: str = "", code: SealedCode | None = None,
    ) -> None:
        """Someone signed in is accountable for what they say: their objection holds the
        nomination at once. Anyone else's holds nothing until they confirm the e-mail
        address ``code`` was sent to (``confirm_objection``); without a code (no e-mail
        address given), it never holds anything, but the board reads it all the same."""
        self._require_notice_open()
        if objection_id in self.objections:
            # Ids come from idempotency keys: a retry of the same request is answered
            # before it gets here (its digest is known), so this is another request.
            raise IdempotencyKeyReused("This Idempotency-Key lodged another objection; "
                                       "use a new key",
                                       vi="Khóa Idempotency-Key này đã dùng cho một ý kiến "
                                          "phản ánh khác; hãy dùng khóa mới")
        public = Role.PUBLIC in actor.roles
        sealed = code if public else None
        self.trigger_event(self.ObjectionLodged, timestamp=at, actor=actor.id,
                           actor_role=_objector_role(actor),
                           actor_unit=actor.unit_id, objection_id=objection_id, text=text,
                           contact=contact, request=request, confirmed=not public,
                           code_salt=sealed.salt if sealed else "",
                           code_digest=sealed.digest if sealed else "",
                           code_expires_at=sealed.expires_at if sealed else None)

    def confirm_objection(
        self, objection_id: str, *, actor: Actor, code: str, codes: ConfirmationCodes,
        at: datetime,
    ) -> CodeCheck:
        """The objector types back the code sent to them: the right one, before it
        expires, makes the objection hold the nomination; a wrong one is recorded, and
        the ``CODE_ATTEMPTS``-th locks it. One already confirmed is left as it is."""
        objection = self.objections.get(objection_id)
        if objection is None:
            raise NotFound(f"No objection {objection_id}",
                           vi=f"Không có ý kiến phản ánh {objection_id}")
        if objection.confirmed:
            return CodeCheck(True, 0)
        if objection.outcome is not None:
            raise TaskClosed(f"Objection {objection_id} was already {objection.outcome}",
                             vi=f"Ý kiến phản ánh {objection_id} đã được xử lý "
                                f"({objection.outcome})")
        self._require_notice_open()
        if not objection.code_digest:
            raise ConfirmationExpired(
                "No code was sent for this objection: it gave no e-mail address",
                vi="Chưa gửi mã xác nhận nào cho ý kiến phản ánh này vì không có địa chỉ "
                   "e-mail")
        if objection.wrong_codes >= CODE_ATTEMPTS:
            raise ConfirmationLocked(
                f"{objection.wrong_codes} wrong codes were typed for this objection",
                vi=f"Đã nhập sai mã {objection.wrong_codes} lần cho ý kiến phản ánh này")
        if objection.code_expires_at is not None and at > objection.code_expires_at:
            raise ConfirmationExpired(
                "The code has expired; lodge the objection again for a new one",
                vi="Mã xác nhận đã hết hạn; hãy gửi lại ý kiến phản ánh để nhận mã mới")
        fields: dict[str, Any] = dict(timestamp=at, actor=actor.id,
                                      actor_role=_objector_role(actor),
                                      actor_unit=actor.unit_id, objection_id=objection_id)
        if codes.matches(objection.code_salt, objection.code_digest, code):
            self.trigger_event(self.ObjectionConfirmed, **fields)
            return CodeCheck(True, 0)
        wrong = objection.wrong_codes + 1
        self.trigger_event(self.ObjectionCodeRejected, **fields, wrong_codes=wrong,
                           locked=wrong >= CODE_ATTEMPTS)
        return CodeCheck(False, max(CODE_ATTEMPTS - wrong, 0))

    def resolve_objection(
        self, objection_id: str, *, actor: Actor, outcome: str, note: str, at: datetime,
        request: str = "", abuse: bool = False,
    ) -> None:
        """The board verifies an objection: dismissed, the notice goes on; upheld,
        rejected. One that holds nothing yet (unconfirmed) is resolved only while the
        notice takes objections."""
        notice_unit = self.route.reviews[-1].unit_id
        objection = self.objections.get(objection_id)
        if objection is None or actor.unit_id != notice_unit:
            raise NotFound(f"No objection {objection_id}",
                           vi=f"Không có ý kiến phản ánh {objection_id}")
        role = actor.acting_as(Role.REVIEWER)
        if objection.outcome is not None:
            raise TaskClosed(f"Objection {objection_id} was already {objection.outcome}",
                             vi=f"Ý kiến phản ánh {objection_id} đã được xử lý "
                                f"({objection.outcome})")
        if self.status in CLOSED_STATUSES:
            raise InvalidTransition(f"The nomination is {self.status}; nothing to resolve",
                                    vi="Hồ sơ đề nghị đã kết thúc; không còn gì để xử lý")
        if not objection.confirmed:
            self._require_notice_open()
        if outcome not in OBJECTION_OUTCOMES:
            raise InvalidTransition(
                f"Outcome must be one of {', '.join(OBJECTION_OUTCOMES)}",
                vi=f"Kết quả phải là một trong: {', '.join(OBJECTION_OUTCOMES)}")
        if abuse and outcome != ObjectionOutcome.DISMISSED:
            raise InvalidTransition("Only a dismissal is made as abuse",
                                    vi="Chỉ bác bỏ ý kiến phản ánh mới ghi là lạm dụng")
        self.trigger_event(self.ObjectionResolved, timestamp=at, actor=actor.id,
                           actor_role=role, actor_unit=actor.unit_id,
                           objection_id=objection_id, outcome=outcome, note=note,
                           request=request, held=objection.confirmed, abuse=abuse)

    def close_public_notice(self, at: datetime) -> None:
        if self.notice_closed:
            return
        if self.status != Status.PUBLIC_NOTICE:
            raise InvalidTransition(f"The public notice cannot close while {self.status}",
                                    vi="Chưa kết thúc công khai được ở bước này")
        self._system(self.PublicNoticeClosed, at, objections=len(self.objections))

    # -- the decision -------------------------------------------------------------

    def open_decision(self, at: datetime, due_at: datetime) -> str:
        if self.decision_task is not None:
            return self.decision_task.id  # a retried activity
        task_id = derived_id(self.id, TaskKind.DECISION, 0)
        self._require_reviews_done()
        if self.route.public_notice_days and not self.notice_closed:
            raise InvalidTransition("The public notice has not closed",
                                    vi="Chưa hết thời gian công khai, lấy ý kiến")
        if self.status not in (Status.UNDER_REVIEW, Status.PUBLIC_NOTICE):
            raise InvalidTransition(f"No decision can open while the nomination is "
                                    f"{self.status}",
                                    vi="Hồ sơ đề nghị đang ở bước chưa trình quyết định được")
        decision, last = self.route.decision, self.route.reviews[-1]
        if decision.central:
            self._system(self.Forwarded, at, from_level=last.level, from_unit_id=last.unit_id,
                         to_level=decision.level, to_unit_id="")
        self._system(self.DecisionOpened, at, task_id=task_id, level=decision.level,
                     unit_id=decision.unit_id, authority=decision.authority.vi,
                     central=decision.central, due_at=due_at)
        return task_id

    def decide(
        self, task_id: str, *, actor: Actor, outcome: str, decision_number: str,
        decision_date: str, signer: str, at: datetime, authority: str = "", request: str = "",
        zone: tzinfo = DEFAULT_ZONE, decision_id: str = "", granted_award: str = "",
        awards: Callable[[str], Award] | None = None,
    ) -> None:
        """The authority's decision, dated no later than today in ``zone`` (the policy
        calendar's) and no earlier than the proposal; ``authority`` is the award's own, by
        its Vietnamese or English name (empty: the award's own)."""
        task = self._task_for(actor, task_id)
        role = actor.acting_as(Role.DECIDER)
        if task.kind != TaskKind.DECISION:
            raise WrongTaskKind("This task awaits a council review, not a decision",
                                vi="Việc này chờ Hội đồng xét duyệt, không phải quyết định "
                                   "khen thưởng")
        self._require_open(task)
        if outcome not in DECISION_OUTCOMES:
            raise InvalidTransition(
                f"Outcome must be one of {', '.join(DECISION_OUTCOMES)}",
                vi=f"Kết quả phải là một trong: {', '.join(DECISION_OUTCOMES)}")
        proposed_on = self.created_on.astimezone(zone).date()
        _require_date_between(decision_date, proposed_on, at.astimezone(zone).date(),
                              "the nomination was proposed", "ngày đề nghị")
        authority = self._deciding_authority(authority)
        if granted_award == self.award_code:
            granted_award = ""
        if granted_award:
            self._require_lower_form(granted_award, outcome, awards)
        self.trigger_event(
            self.Decided, timestamp=at, actor=actor.id, actor_role=role,
            actor_unit=actor.unit_id, task_id=task_id, level=task.level, unit_id=task.unit_id,
            outcome=outcome, decision_number=decision_number, decision_date=decision_date,
            signer=signer, authority=authority, request=request,
            **({"decision_id": decision_id} if decision_id else {}),
            **({"granted_award": granted_award} if granted_award else {}),
        )

    def _require_lower_form(self, granted: str, outcome: str,
                            awards: Callable[[str], Award] | None) -> None:
        """A form granted instead of the one proposed: one the policy lists among the
        proposed award's ``lower_forms``, for the nominee's kind, when awarding."""
        proposed = awards(self.award_code) if awards else None
        kind = str(self.nominee.get("kind", ""))
        if (outcome != DecisionOutcome.AWARDED or proposed is None
                or granted not in proposed.lower_forms
                or (awards is not None and kind not in awards(granted).nominee_kinds)):
            lower = ", ".join(proposed.lower_forms) if proposed else ""
            raise NotALowerForm(
                f"'{granted}' is not a lower form of {self.award_code} for this nominee "
                f"(the policy lists: {lower or 'none'})",
                vi=f"'{granted}' không phải là hình thức thấp hơn của {self.award_code} cho "
                   f"đối tượng này (quy định liệt kê: {lower or 'không có'})")

    def revoke(
        self, actor: Actor, *, reason: str, decision_number: str, decision_date: str,
        at: datetime, request: str = "", zone: tzinfo = DEFAULT_ZONE,
        administered: Collection[str] = (),
    ) -> None:
        """An award is revoked by a decision of the deciding unit, or by an administrator
        of a unit at or above it (``administered``: the units below the actor's); it is
        never deleted. The revocation is dated no later than today in ``zone`` and no
        earlier than the award's decision."""
        deciding_unit = self.route.decision.unit_id
        if Role.ADMIN in actor.roles and deciding_unit in administered:
            role = Role.ADMIN
        elif actor.unit_id == deciding_unit:
            role = actor.acting_as(Role.DECIDER)
        else:
            raise NotFound("No such nomination", vi="Không có hồ sơ đề nghị này")
        if self.status != Status.AWARDED:
            raise InvalidTransition(f"Only an award can be revoked; this is {self.status}",
                                    vi="Chỉ thu hồi được khen thưởng đã có quyết định "
                                       "khen thưởng")
        awarded_on = _date_or_none(self.decision_date) or self.created_on.astimezone(zone).date()
        _require_date_between(decision_date, awarded_on, at.astimezone(zone).date(),
                              "the award's decision", "ngày quyết định khen thưởng")
        self.trigger_event(self.Revoked, timestamp=at, actor=actor.id, actor_role=role,
                           actor_unit=actor.unit_id, reason=reason,
                           decision_number=decision_number, decision_date=decision_date,
                           request=request)

    # -- state --------------------------------------------------------------------

    def snapshot_of_state(self) -> dict[str, Any]:
        """Plain data describing the nomination now (for auditors' as-of queries)."""
        task = self.current_task
        return {
            "id": str(self.id), "version": self.version, "status": self.status,
            "modified_at": self.modified_on, "policy_version": self.policy_version,
            "award_code": self.award_code, "unit_id": self.unit_id, "nominee": self.nominee,
            "procedure": self.route.procedure, "approvals": self.approvals,
            "reviews_on_route": len(self.route.reviews), "dossier_version": self.dossier_version,
            "open_task": None if task is None else {
                "id": task.id, "kind": task.kind, "level": task.level, "unit_id": task.unit_id,
                "due_at": task.due_at, "overdue": task.overdue, "escalated": task.escalated},
            "tasks": [{"id": t.id, "kind": t.kind, "level": t.level, "unit_id": t.unit_id,
                       "open": t.open, "outcome": t.outcome} for t in self.tasks.values()],
            "notice_until": self.notice_until,
            "objections": {o.id: o.outcome or ("pending" if o.confirmed else "unconfirmed")
                           for o in self.objections.values()},
            "appraisal": self.appraisal, "consultation": dict(self.answers),
        }

    def review_task(self, step: int, review_round: int) -> Task | None:
        return self.tasks.get(derived_id(self.id, TaskKind.REVIEW, step, review_round))

    @property
    def decision_task(self) -> Task | None:
        return self.tasks.get(derived_id(self.id, TaskKind.DECISION, 0))

    @property
    def current_task(self) -> Task | None:
        return self.tasks[self.current_task_id] if self.current_task_id else None

    @property
    def pending_objections(self) -> list[str]:
        """The objections that hold the nomination: confirmed, and not yet resolved."""
        return [o.id for o in self.objections.values() if o.holds]

    @property
    def unconfirmed_objections(self) -> list[str]:
        """Objections lodged without an account whose author has not confirmed them: they
        hold nothing (``domain.confirmation``)."""
        return [o.id for o in self.objections.values() if o.awaiting_confirmation]

    def _add_task(self, task: Task) -> None:
        self.tasks[task.id] = task
        self.current_task_id = task.id

    def _close_task(self, task_id: str, outcome: str) -> None:
        task = self.tasks[task_id]
        task.open, task.outcome = False, outcome
        if self.current_task_id == task_id:
            self.current_task_id = None

    # -- rules shared by the commands ---------------------------------------------

    def _system(self, event_class: type[Event], at: datetime, **fields: Any) -> None:
        self.trigger_event(event_class, timestamp=at, actor=SYSTEM, actor_role=Role.SYSTEM,
                           actor_unit="", **fields)

    @staticmethod
    def _on_behalf_of(task: Task, actor: Actor,
                      delegators: Callable[[], Collection[str]]) -> dict[str, str]:
        """The holder the actor acts for, by a delegation in force (``delegators``: who
        delegated their tasks to the actor, asked only of a task someone else holds), as
        the event's ``on_behalf_of``."""
        if task.assignee and task.assignee != actor.id and task.assignee in delegators():
            return {"on_behalf_of": task.assignee}
        return {}

    def _require_notice_open(self) -> None:
        if self.status not in (Status.PUBLIC_NOTICE, Status.ON_HOLD) or self.notice_closed:
            raise NotInPublicNotice("Objections are taken during the public notice only",
                                    vi="Chỉ nhận ý kiến phản ánh trong thời gian công khai, "
                                       "lấy ý kiến")

    def _as_proposer(self, actor: Actor) -> str:
        if actor.unit_id != self.unit_id:
            # another unit's: it does not exist for them
            raise NotFound("No such nomination", vi="Không có hồ sơ đề nghị này")
        return actor.acting_as(Role.PROPOSER)

    def _task(self, task_id: str) -> Task:
        try:
            return self.tasks[task_id]
        except KeyError:
            raise NotFound(f"No task {task_id}", vi=f"Không có việc {task_id}") from None

    def _open_review(self, task_id: str) -> Task:
        task = self._task(task_id)
        if task.kind not in (TaskKind.REVIEW, TaskKind.APPRAISAL):
            raise WrongTaskKind("Deadlines are kept for council reviews",
                                vi="Chỉ theo dõi hạn xử lý với việc xét duyệt của Hội đồng")
        self._require_open(task)
        return task

    def _task_for(self, actor: Actor, task_id: str) -> Task:
        """A task is visible only to its own unit: anyone else is told it does not exist."""
        task = self._task(task_id)
        if task.unit_id != actor.unit_id:
            raise NotFound(f"No task {task_id}", vi=f"Không có việc {task_id}")
        return task

    def _require_open(self, task: Task) -> None:
        if not task.open:
            raise TaskClosed(f"Task {task.id} was already {task.outcome}",
                             vi=f"Việc {task.id} đã được xử lý ({task.outcome})")

    def _deciding_authority(self, given: str) -> str:
        """The award's deciding authority, by its Vietnamese name; ``given`` must name it
        (in either language, whatever the case and spacing) or be empty."""
        own = self.route.decision.authority
        if not given.strip() or _same_name(given, own.vi) or _same_name(given, own.en):
            return own.vi
        raise WrongAuthority(
            f"'{given}' does not decide this award: its decision is the {own.en}'s "
            f"({own.vi}); leave the authority empty or name that one",
            vi=f"'{given}' không có thẩm quyền quyết định hình thức khen thưởng này; người "
               f"có thẩm quyền là {own.vi}. Hãy để trống hoặc ghi đúng người có thẩm quyền")

    def _require_reviews_done(self) -> None:
        if self.status in CLOSED_STATUSES:
            raise InvalidTransition(f"The nomination is {self.status}",
                                    vi="Hồ sơ đề nghị đã kết thúc")
        if self.approvals < len(self.route.reviews) or self.current_task is not None:
            raise InvalidTransition("Every level's council must approve first",
                                    vi="Hội đồng của mọi cấp phải thông qua trước")


def _objector_role(actor: Actor) -> str:
    """Anyone may object: the public, or someone signed in, in whatever roles they hold."""
    return Role.PUBLIC if Role.PUBLIC in actor.roles else ",".join(sorted(actor.roles))


def _same_name(a: str, b: str) -> bool:
    """The same name, whatever its composition, case and spacing."""
    def key(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return key(a) == key(b)


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _require_date_between(decision_date: str, earliest: date, today: date, earliest_en: str,
                          earliest_vi: str) -> None:
    """A decision's date: a day of the calendar, not after ``today`` (the day it is
    recorded, in the policy's calendar) and not before ``earliest``."""
    day = _date_or_none(decision_date)
    if day is None:
        raise InvalidDecisionDate(
            f"The decision date '{decision_date}' is not a date such as 2026-01-15",
            vi=f"Ngày quyết định '{decision_date}' không phải là ngày hợp lệ (ví dụ 2026-01-15)")
    if day > today:
        raise InvalidDecisionDate(
            f"The decision date {day.isoformat()} is later than today ({today.isoformat()} "
            f"in the policy's calendar)",
            vi=f"Ngày quyết định {day:%d/%m/%Y} sau ngày hôm nay ({today:%d/%m/%Y})")
    if day < earliest:
        raise InvalidDecisionDate(
            f"The decision date {day.isoformat()} is before {earliest_en} "
            f"({earliest.isoformat()})",
            vi=f"Ngày quyết định {day:%d/%m/%Y} trước {earliest_vi} ({earliest:%d/%m/%Y})")
