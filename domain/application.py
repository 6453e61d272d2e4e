"""The nominations application: load a nomination, give it a command, save its events.

People's commands come in one way: ``handle(command, context)``, a command of
``domain.commands`` and who gives it when, answered with the state it left. The
workflow's steps (opening reviews, deadlines, the public notice) are methods taking the
time. Both return plain data; the aggregate never leaves this module. Due dates are
computed here from the calendar of the policy version the nomination was proposed under.
A save that lost an optimistic-concurrency race raises ``ConcurrentChange`` and stores
nothing; a list command (many nominees, a meeting's decisions) saves all its events in
one transaction or none. Inside ``collecting_saves`` a thread's saves are collected
instead, for its caller to save together (group commit).
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.acting import act_on_read, changed
from domain.actor import Actor
from domain.ballot import BallotOf, ballots, proposer_of
from domain.candidates import Candidates, not_eligible, recorded_verdict
from domain.certificates import Certificates
from domain.clusters import ClusterCommand, Clusters
from domain.commands import (
    AssignTask,
    CertificateCommand,
    Changed,
    Command,
    ConfirmObjection,
    Context,
    Decide,
    Delegate,
    DelegationRecorded,
    Dismissed,
    DismissObjections,
    LodgeObjection,
    NomineeItem,
    Objected,
    ObjectionItem,
    OpenedTask,
    PersonCommand,
    Proposal,
    Propose,
    Proposed,
    ProposeList,
    RecordDecision,
    ResolveObjection,
    Result,
    Review,
    Reviewed,
    ReviewItem,
    ReviewList,
    Revoke,
    Supplement,
    Withdraw,
)
from domain.confirmation import ConfirmationCodes, email_address
from domain.decisions import Decisions
from domain.delegation import Delegations, delegations_id
from domain.dossier import recorded_documents, require_documents
from domain.errors import (
    BulkItemRefused,
    ConcurrentChange,
    DomainError,
    IdempotencyKeyReused,
    InvalidTransition,
    NotFound,
    TaskClosed,
)
from domain.inside_level import AnswerConsultation, Appraise, LevelWork, SignOffAppraisal
from domain.intake import ceremony_day, check_intake
from domain.movements import CloseMovement, LaunchMovement, Movements
from domain.nomination import CodeCheck, Nomination
from domain.people import Register
from domain.person import Person
from domain.policy import Policy, PolicyBook
from domain.randomness import random_bytes, random_id, time_ordered_id
from domain.registrations import RegisterTitles, Registrations, WithdrawRegistration
from domain.vocabulary import CLOSED_STATUSES, ObjectionOutcome, ReviewOutcome, Role

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


def new_tracking_code() -> str:
    # 32 letters: a random byte modulo 32 picks each one evenly.
    raw = "".join(_CODE_ALPHABET[byte % 32] for byte in random_bytes(10))
    return _tracking_code_form(raw)


def normalised_tracking_code(typed: str) -> str:
    """A tracking code as people type it — spaces anywhere, lower case, dashes missing or
    elsewhere, full-width letters — in the form it was given (``K7M2-QX9P-4R``). Text that
    cannot be a code comes back as its letters and digits, which name no nomination."""
    letters = "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c.isalnum())
    return _tracking_code_form(letters) if len(letters) == 10 else letters


def _tracking_code_form(letters: str) -> str:
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


@dataclass(frozen=True)
class Standing:
    """Where a nomination stands on its route, as its events say: what its workflow acts
    on (a signal only tells it to look), and what ``laurel audit workflows`` compares the
    workflow with."""

    status: str
    review_steps: int
    public_notice: bool
    outcomes: dict[str, str]
    """Each closed task's outcome, by task id."""
    supplements: int
    objections: dict[str, str]
    """Each objection's outcome by id; "" while it is pending and holds the nomination.
    One that holds nothing (lodged without an account and not confirmed) is left out
    until it is resolved: nothing waits for it."""
    open_task_id: str
    """The task open now; "" when none is."""
    modified_at: datetime
    """The time of its last event."""

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class Nominations(Application[UUID]):
    name = "laurel"

    def __init__(self, policies: PolicyBook, env: dict[str, str] | None = None,
                 codes: ConfirmationCodes | None = None) -> None:
        super().__init__(env)
        self.policies = policies
        self.codes = codes or ConfirmationCodes(secrets.token_bytes(32))
        """Objections' confirmation codes: with the service's key, so that every process
        checks a code any of them made (a key of its own only checks its own codes)."""
        self._collecting = threading.local()
        self.register = Register(self)
        """The register of people and collectives, in the same event store."""
        self.candidates = Candidates(self)
        """What nominees bring: their history checked, their candidacy claimed."""

    # -- saving many commands together ----------------------------------------------

    @contextmanager
    def collecting_saves(self) -> Iterator[list[Nomination]]:
        """Within, this thread's commands do not save: their nominations are collected
        in the list given, for ``save_collected`` to store in one transaction. A command
        that asks for a nomination collected and not yet saved raises ``SaveFirst``."""
        collected: list[Nomination] = []
        self._collecting.nominations = collected
        try:
            yield collected
        finally:
            self._collecting.nominations = None

    def require_saved(self, aggregate_id: UUID) -> None:
        """Raise ``SaveFirst`` when this thread's commands hold ``aggregate_id`` collected
        and unsaved (its stored state is not the one to act on)."""
        collected = self.collected()
        if collected and any(a.id == aggregate_id for a in collected):
            raise SaveFirst(aggregate_id)

    def collected(self) -> list[Any] | None:
        """What this thread's commands have collected and not saved (None: they save)."""
        found: list[Any] | None = getattr(self._collecting, "nominations", None)
        return found

    def save_people(self, *people: Person) -> None:
        """Store people's new events as a nomination's are: collected within
        ``collecting_saves`` (group commit), else now, in one transaction."""
        collected = self.collected()
        if collected is not None:
            collected.extend(people)
            return
        self.save(*people)

    def save_collected(self, nominations: Sequence[Nomination]) -> None:
        """Store the collected nominations' events in one transaction, or none of them."""
        self._save(*nominations, collect=False)

    # -- people's commands ----------------------------------------------------------

    def handle(self, command: Command, context: Context) -> Result:
        """Give ``command``; the state it left. A keyed request already recorded is
        answered as it stands and records nothing."""
        request = command.digest(context)
        match command:
            case Propose():
                return self._propose(context, [command], request, listed=False).nominations[0]
            case ProposeList(items=items):
                return self._propose(context, items, request, listed=True)
            case ReviewList(items=items):
                return self._review_list(context, items, request)
            case LodgeObjection():
                return self._lodge_objection(command, context, request)
            case ConfirmObjection():
                checked: list[CodeCheck] = []
                changed = self._command(command.nomination_id, lambda n: checked.append(
                    n.confirm_objection(command.objection_id, actor=context.actor,
                                        code=command.code, codes=self.codes,
                                        at=context.at)), context)
                check = checked[0] if checked else CodeCheck(True, 0)
                return Objected(**_fields(changed), objection_id=command.objection_id,
                                holds=check.confirmed, attempts_left=check.attempts_left)
            case DismissObjections(items=objections):
                return self._dismiss(context, objections, command, request)
            case PersonCommand():
                return self.register.handle(command, context)
            case RecordDecision():
                return Decisions(self).record(command, context)
            case CertificateCommand():
                return Certificates(self).handle(command, context)
            case ClusterCommand():
                return Clusters(self).handle(command, context)
            case AssignTask():
                return self._command(command.nomination_id, lambda n: n.assign(
                    command.task_id, actor=context.actor, assignee=command.assignee,
                    at=context.at), context)
            case Delegate():
                return self._delegate(command, context)
            case Appraise() | SignOffAppraisal() | AnswerConsultation():
                return LevelWork(self).handle(command, context, request)
            case LaunchMovement() | CloseMovement():
                return Movements(self).handle(command, context)
            case RegisterTitles() | WithdrawRegistration():
                return Registrations(self).handle(command, context)
            case Supplement() | Withdraw() | Review() | Decide() | ResolveObjection() | Revoke():
                return self._command(command.nomination_id,
                                     _given(command, context, request, self.policy_of,
                                            self._verdict_for_review, self._dossier,
                                            self.delegators_of, self._ballots),
                                     context, request)
        raise TypeError(f"{type(command).__name__} is not a command of the nominations")

    def delegations(self, unit_id: str) -> Delegations | None:
        """The unit's delegations as the event store holds them (None: never any)."""
        try:
            found: object = self.repository.get(delegations_id(unit_id))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Delegations) else None

    def delegators_of(self, actor: Actor, at: datetime) -> list[str]:
        """Who of the actor's unit delegated their tasks to the actor, in force at ``at``."""
        delegations = self.delegations(actor.unit_id)
        return delegations.delegators_of(actor.id, at) if delegations else []

    def _delegate(self, command: Delegate, context: Context) -> DelegationRecorded:
        actor = context.actor
        delegations = self.delegations(actor.unit_id) or Delegations.start(
            actor.unit_id, actor, context.at)
        given = delegations.delegate(actor, delegator=command.delegator,
                                     delegate=command.delegate, until=command.until,
                                     at=context.at)
        self._save(delegations)
        return DelegationRecorded(str(delegations.id), actor.unit_id, given.delegator,
                                  given.delegate, given.since, given.until)

    def _propose(self, context: Context, items: Sequence[NomineeItem], request: str,
                 listed: bool, look_up: bool = False) -> Proposed:
        """``look_up``: find each nominee's candidacy before claiming it. Without, a
        candidacy is opened as new and the event store refuses it if it exists (a
        nominee proposed before for that award and year, a duplicate racing in): the
        proposal is then given again, looking up."""
        actor, request_key = context.actor, context.request_key
        ids = [_keyed_id(actor, request_key, i) if request_key else time_ordered_id(context.at)
               for i in range(len(items))]
        proposal_id = ""  # a single proposal is listed in no tờ trình
        if listed:
            proposal_id = str(_keyed_id(actor, request_key, "proposal") if request_key
                              else random_id())
        if request_key and (earlier := self._proposed_earlier(ids, request)) is not None:
            return Proposed(proposal_id, earlier)
        nominations: list[Nomination] = []
        held: dict[UUID, Aggregate] = {}
        """What the nominations claim (candidacies, initiatives), saved with them."""
        with self.candidates.kept.reading():  # a refused proposal's reads are not checked
            for i, (item, nomination_id) in enumerate(zip(items, ids, strict=True)):
                with _naming_item(i) if listed else contextlib.nullcontext():
                    nominations.append(self._new_nomination(
                        actor, item, context.at, proposal_id, nomination_id, request, held,
                        look_up))
        try:
            self._save(*nominations, *held.values())
        except ConcurrentChange:
            # The same key raced this request in; the first to be stored is the answer.
            if request_key and (earlier := self._proposed_earlier(ids, request)) is not None:
                return Proposed(proposal_id, earlier)
            if not look_up:  # a candidacy there already: find it (a duplicate is named)
                return self._propose(context, items, request, listed, look_up=True)
            raise
        return Proposed(proposal_id, [_proposal(n) for n in nominations])

    def _proposed_earlier(self, ids: Sequence[UUID], request: str) -> list[Proposal] | None:
        """The nominations an earlier request with this key proposed, if there was one."""
        try:
            first = self._get(ids[0])
        except NotFound:
            return None
        if request not in first.requests:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was sent before with another request; use a new key "
                "for a new request",
                vi="Khóa Idempotency-Key này đã được gửi kèm một yêu cầu khác; hãy dùng khóa "
                   "mới cho yêu cầu mới")
        return [_proposal(n) for n in [first, *map(self._get, ids[1:])]]

    def _lodge_objection(self, command: LodgeObjection, context: Context,
                         request: str) -> Objected:
        """Without an account, a code is made for the e-mail address given (none for a
        contact that is no e-mail address): the caller sends it; only its seal is
        recorded."""
        objection_id = str(
            _keyed_id(context.actor, context.request_key, f"objection {command.nomination_id}")
            if context.request_key else random_id())
        address = email_address(command.contact) if Role.PUBLIC in context.actor.roles else None
        code, sealed = self.codes.new(context.at) if address else ("", None)
        changed, nomination, given = self._command_on(
            command.nomination_id, lambda n: n.lodge_objection(
                context.actor, objection_id=objection_id, text=command.text,
                contact=command.contact, at=context.at, request=request, code=sealed),
            context, request)
        lodged = nomination.objections.get(objection_id)
        return Objected(**_fields(changed), objection_id=objection_id,
                        holds=lodged is not None and lodged.holds,
                        code=code if given else "", send_to=address or "",
                        code_expires_at=lodged.code_expires_at if lodged else None)

    def _dismiss(self, context: Context, items: Sequence[ObjectionItem],
                 command: DismissObjections, request: str) -> Dismissed:
        """As a meeting's list: every event carries the list's digest, saved together."""
        loaded: dict[UUID, Nomination] = {}
        for i, item in enumerate(items):
            with _naming_item(i):
                nomination = loaded.get(item.nomination_id)
                if nomination is None:
                    nomination = self._get(item.nomination_id)
                    if request and request in nomination.requests:
                        # Saved together, so every item was recorded the first time.
                        return Dismissed([changed(self._get(n)) for n in
                                          dict.fromkeys(i.nomination_id for i in items)])
                nomination.resolve_objection(
                    item.objection_id, actor=context.actor,
                    outcome=ObjectionOutcome.DISMISSED, note=command.note, at=context.at,
                    request=request, abuse=command.abuse)
            loaded[item.nomination_id] = nomination
        self._save(*loaded.values())
        return Dismissed([changed(n) for n in loaded.values()])

    def _review_list(self, context: Context, items: Sequence[ReviewItem],
                     request: str) -> Reviewed:
        """With a key, every event carries the digest of the whole list; the list sent
        again finds it on its first nomination and records nothing."""
        loaded: dict[UUID, Nomination] = {}
        meeting = Meeting(frozenset(str(item.nomination_id) for item in items))
        for i, item in enumerate(items):
            with _naming_item(i):
                nomination = loaded.get(item.nomination_id) or self._get(item.nomination_id)
                if request and request in nomination.requests:
                    # Saved together, so every item was recorded the first time.
                    return Reviewed([changed(self._get(item.nomination_id))
                                     for item in items])
                nomination.review(item.task_id, actor=context.actor, outcome=item.outcome,
                                  votes=item.votes, note=item.note, at=context.at,
                                  request=request, override_reason=item.override_reason,
                                  return_reason=item.return_reason,
                                  return_reasons=self.policy_of(nomination).return_reasons,
                                  delegators=lambda: self.delegators_of(context.actor,
                                                                        context.at),
                                  eligibility=self._verdict_for_review(
                                      nomination, item.outcome, item.override_reason,
                                      context.at, meeting),
                                  ballot=self._ballots(nomination, context.at))
            loaded[item.nomination_id] = nomination
        self._save(*loaded.values())
        return Reviewed([changed(loaded[item.nomination_id]) for item in items])

    def _ballots(self, nomination: Nomination, at: datetime) -> BallotOf:
        """The roster's ballot on ``nomination`` of a unit's council sitting on ``at``'s
        day (``domain.ballot``), as the policy in force that day lists it (a roster is
        today's fact, unlike the vote rule of the nomination's route); its proposer is
        read from its first event."""
        zone = self.policy_of(nomination).calendar.zone
        policy = self.policies.active(at.astimezone(zone).date())
        return ballots(policy.inside_levels, zone, at, nomination.nominee,
                       lambda: proposer_of(self.events.get, nomination.id))

    # -- the workflow's steps -----------------------------------------------------

    def open_review(self, nomination_id: UUID, step: int, at: datetime,
                    review_round: int | None = None) -> OpenedTask | None:
        """Open the review of ``step``; None if the nomination has closed meanwhile.
        With ``review_round``, a review opened before is answered with its task (see
        ``Nomination.open_review``)."""
        nomination = self._get(nomination_id)
        if review_round is not None and (
                task := nomination.review_task(step, review_round)) is not None:
            return OpenedTask(task.id, task.due_at, task.remind_at)
        if nomination.status in CLOSED_STATUSES:
            return None
        if not 0 <= step < len(nomination.route.reviews):
            raise InvalidTransition(f"The route has no review step {step}",
                                    vi=f"Tuyến xét duyệt không có bước {step}")
        policy = self.policy_of(nomination)
        due_at = policy.calendar.add_working_days(at, nomination.route.reviews[step].review_days)
        remind_at = at + (due_at - at) * policy.reminder_share
        task_id = nomination.open_review(step, at, due_at, remind_at, review_round)
        self._save(nomination)
        task = nomination.tasks[task_id]
        return OpenedTask(task_id, task.due_at, task.remind_at)

    def remind(self, nomination_id: UUID, task_id: str, at: datetime) -> bool:
        """Remind the reviewers; False when the council acted first."""
        return self._deadline_step(nomination_id, lambda n: n.remind(task_id, at))

    def escalate(self, nomination_id: UUID, task_id: str, at: datetime) -> bool:
        """Record the review overdue and escalated to the head of its level the policy
        names; False when the council acted first."""
        def escalate(n: Nomination) -> None:
            task = n.tasks.get(task_id)
            n.escalate(task_id, at, head=LevelWork(self).head_of(n, task.unit_id)
                       if task is not None else "")
        return self._deadline_step(nomination_id, escalate)

    def open_public_notice(self, nomination_id: UUID, at: datetime) -> datetime | None:
        """Open the comment period; its end, or None if the nomination has closed."""
        nomination = self._get(nomination_id)
        if nomination.status in CLOSED_STATUSES:
            return None
        nomination.open_public_notice(at, at + timedelta(days=nomination.route.public_notice_days))
        self._save(nomination)
        assert nomination.notice_until is not None
        return nomination.notice_until

    def close_public_notice(self, nomination_id: UUID, at: datetime) -> bool:
        """Close the comment period; False while an objection is pending (or closed)."""
        nomination = self._get(nomination_id)
        if nomination.status in CLOSED_STATUSES or nomination.pending_objections:
            return False
        nomination.close_public_notice(at)
        self._save(nomination)
        return True

    def open_decision(self, nomination_id: UUID, at: datetime) -> OpenedTask | None:
        """The decision task, opened once; None if the nomination closed before it."""
        nomination = self._get(nomination_id)
        if (task := nomination.decision_task) is not None:
            return OpenedTask(task.id, task.due_at, task.remind_at)
        if nomination.status in CLOSED_STATUSES:
            return None
        policy = self.policy_of(nomination)
        due_at = policy.calendar.add_working_days(at, policy.decision_days)
        task_id = nomination.open_decision(at, due_at)
        self._save(nomination)
        task = nomination.tasks[task_id]
        return OpenedTask(task_id, task.due_at, task.remind_at)

    # -- reading ------------------------------------------------------------------

    def status(self, nomination_id: UUID) -> str:
        return self._get(nomination_id).status

    def standing(self, nomination_id: UUID) -> Standing:
        """Where the nomination stands, read from its events; changes nothing."""
        n = self._get(nomination_id)
        return Standing(
            status=n.status, review_steps=len(n.route.reviews),
            public_notice=bool(n.route.public_notice_days),
            outcomes={t.id: t.outcome for t in n.tasks.values() if t.outcome is not None},
            supplements=n.dossier_version - 1,
            objections={o.id: o.outcome or "" for o in n.objections.values()
                        if o.confirmed or o.outcome},
            open_task_id=n.current_task_id or "", modified_at=n.modified_on)

    def event_types(self, nomination_id: UUID) -> list[str]:
        """The names of a nomination's events, oldest first."""
        return [type(e).__name__ for e in self.events.get(nomination_id)]

    def state_as_of(
        self, nomination_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> dict[str, Any]:
        """The nomination as it was after event ``version``, or at the moment ``at``,
        rebuilt from its events."""
        if at is not None:
            versions = [e.originator_version for e in self.events.get(nomination_id)
                        if isinstance(e, Nomination.Event) and e.timestamp <= at]
            if not versions:
                raise NotFound(f"Nomination {nomination_id} did not exist at {at.isoformat()}",
                               vi=f"Hồ sơ đề nghị {nomination_id} chưa có vào thời điểm "
                                  f"{at.isoformat()}")
            version = versions[-1]
        try:
            nomination: Nomination = self.repository.get(nomination_id, version=version,
                                                          projector_func=replay)
        except AggregateNotFoundError:
            raise NotFound(f"No nomination {nomination_id}",
                           vi=f"Không có hồ sơ đề nghị {nomination_id}") from None
        if not isinstance(nomination, Nomination):  # a person of the register
            raise NotFound(f"No nomination {nomination_id}",
                           vi=f"Không có hồ sơ đề nghị {nomination_id}")
        if version is not None and nomination.version != version:
            raise NotFound(f"Nomination {nomination_id} has no version {version}",
                           vi=f"Hồ sơ đề nghị {nomination_id} không có phiên bản {version}")
        return nomination.snapshot_of_state()

    def eligibility_now(self, nomination_id: UUID, at: datetime) -> dict[str, Any] | None:
        """The verdict of the award's rules on the nomination's nominee as things stand
        at ``at`` (the council's checklist, worked out afresh: nothing is recorded); None
        for an award without rules."""
        nomination = self._get(nomination_id)
        policy = self.policy_of(nomination)
        if not policy.award(nomination.award_code).eligibility:
            return None
        candidates = self.candidates
        person = candidates.person(str(nomination.nominee.get("person_id") or ""))
        on = at.astimezone(policy.calendar.zone).date()
        verdict = candidates.verdict(
            policy, nomination.award_code, person, year=nomination.year, on=on,
            unit_id=nomination.unit_id, nomination_id=str(nomination.id),
            initiative=candidates.initiative(nomination.initiative_id)
            if nomination.initiative_id else None)
        return recorded_verdict(verdict, policy, on, "")

    def recorded_verdicts(self, nomination_id: UUID) -> list[dict[str, Any]]:
        """Every verdict recorded on the nomination, oldest first: at its proposal and at
        each council's review, with who acted, when, at which level, and any reason given
        to go on despite a failed rule. Read from the events, never worked out again."""
        self._get(nomination_id)
        found = []
        for event in self.events.get(nomination_id):
            if isinstance(event, Nomination.Proposed | Nomination.ReviewedByCouncil) and \
                    event.eligibility is not None:
                found.append({
                    **event.eligibility, "recorded_at": event.timestamp,
                    "version": event.originator_version, "actor": event.actor,
                    "actor_role": event.actor_role, "actor_unit": event.actor_unit,
                    "step": "proposal" if isinstance(event, Nomination.Proposed) else "review",
                    "level": getattr(event, "level", ""),
                    "outcome": getattr(event, "outcome", ""),
                })
        return found

    def policy_of(self, nomination: Nomination) -> Policy:
        return self.policies.version(nomination.policy_version)

    # -- helpers ------------------------------------------------------------------

    def _new_nomination(
        self, actor: Actor, item: NomineeItem, at: datetime, proposal_id: str,
        nomination_id: UUID, request: str, held: dict[UUID, Aggregate], look_up: bool = True,
    ) -> Nomination:
        """The nomination of ``item``, its nominee checked against the award's rules (a
        failed rule refuses it unless ``override_reason`` is given) and their candidacy
        and initiative claimed in ``held``."""
        policy = self.policies.active(at.date())
        unit = policy.org.current(actor.unit_id)  # a renamed or merged unit acts as its heir
        actor = Actor(actor.id, actor.roles, unit.id)
        actor.acting_as(Role.PROPOSER)
        candidates = self.candidates
        # A flag proposed from a cluster's ranking names the unit ranked first, which the
        # leader unit's clerk proposes though it is not theirs.
        flagged = str((item.basis or {}).get("unit_id") or "")
        nominee = candidates.nominee(item.nominee, flagged or unit.id, policy)
        route = policy.plan_route(item.award_code, unit.id, str(nominee.recorded.get("kind")),
                                  item.procedure)
        candidates.require_registrable(nominee, policy.award(item.award_code))
        documents = recorded_documents(self, item.documents, unit.id, policy)
        require_documents(policy.award(item.award_code), documents)
        year = candidates.year(item.year, policy, at)
        today = at.astimezone(policy.calendar.zone).date()
        check_intake(policy.intake, award_code=item.award_code,
                     commendation_type=item.commendation_type, year=year, on=today,
                     ceremony=ceremony_day(item.ceremony_date))
        if item.movement_id:
            Movements(self).admit(item.movement_id, award_code=item.award_code,
                                  unit_id=unit.id, policy=policy, on=today)
        initiative = candidates.initiative(item.initiative_id, held) if item.initiative_id else None
        verdict = candidates.verdict(
            policy, item.award_code, nominee.person, year=year,
            on=at.astimezone(policy.calendar.zone).date(), unit_id=unit.id,
            nomination_id=str(nomination_id), initiative=initiative)
        override = " ".join(item.override_reason.split())
        if verdict.failed and not override:
            raise not_eligible(verdict)
        tracking_code = new_tracking_code()
        if nominee.person is not None:
            candidacy = candidates.claim(str(nominee.person.id), item.award_code, year,
                                         str(nomination_id), tracking_code, actor, at, held,
                                         look_up=look_up)
            held[candidacy.id] = candidacy
        if initiative is not None:
            initiative.use(nomination_id=str(nomination_id), award_code=item.award_code,
                           year=year, unit_id=unit.id, at=at)
            held[initiative.id] = initiative
        return Nomination.propose(
            nomination_id=nomination_id, tracking_code=tracking_code, actor=actor,
            award_code=item.award_code, nominee=nominee.recorded,
            achievements=item.achievements, documents=documents,
            policy_version=policy.version, route=route, at=at, proposal_id=proposal_id,
            request=request, year=year, initiative_id=str(initiative.id) if initiative else "",
            eligibility=recorded_verdict(verdict, policy, at.astimezone(
                policy.calendar.zone).date(), override) if verdict.checks else None,
            override_reason=override if verdict.failed else "",
            commendation_type=item.commendation_type, movement_id=item.movement_id,
            basis=item.basis,
        )

    def _command(self, nomination_id: UUID, command: Callable[[Nomination], object],
                 context: Context | None = None, request: str = "") -> Changed:
        """Give ``command`` to the nomination and save what it records; the state it left.
        ``request``: the digest of a keyed request; one that already changed the
        nomination is a retry, answered with the nomination as it is, without a second
        change (its If-Match named the version before it)."""
        return self._command_on(nomination_id, command, context, request)[0]

    def _command_on(self, nomination_id: UUID, command: Callable[[Nomination], object],
                    context: Context | None = None,
                    request: str = "") -> tuple[Changed, Nomination, bool]:
        """``_command``, also answering the nomination as the command left it, and
        whether the command was given (False: a retry, answered as it stands)."""
        nomination = self._get(nomination_id)
        if request and request in nomination.requests:
            made = (e.dossier_version for e in self.events.get(nomination_id)
                    if isinstance(e, Nomination.Supplemented) and e.request == request)
            return dataclasses.replace(changed(nomination), dossier_version=next(
                made, nomination.dossier_version)), nomination, False
        act_on_read(nomination, command, context.expected_version if context else None)
        self._save(nomination)
        return changed(nomination), nomination, True

    def _dossier(self, nomination: Nomination,
                 given: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A supplement's documents as recorded: the dossier's new version, checked like
        the proposal's against the award's required documents."""
        policy = self.policy_of(nomination)
        documents = recorded_documents(self, given, nomination.unit_id, policy)
        require_documents(policy.award(nomination.award_code), documents)
        return documents

    def _verdict_for_review(self, nomination: Nomination, outcome: str, override_reason: str,
                            at: datetime, meeting: Meeting) -> Callable[[], dict[str, Any] | None]:
        """What ``Nomination.review`` asks once the ballot is in order: the verdict on the
        nominee now, recorded with it (None for an award without rules or a nominee
        outside the register, whose verdict cannot change). An approval of one who fails
        is refused without an ``override_reason``; each approval counts in ``meeting``
        towards the quotas of the rest of its list."""
        def verdict() -> dict[str, Any] | None:
            person = self.candidates.person(str(nomination.nominee.get("person_id") or ""))
            policy = self.policy_of(nomination)
            if person is None or not policy.award(nomination.award_code).eligibility:
                return None
            initiative = (self.candidates.initiative(nomination.initiative_id)
                          if nomination.initiative_id else None)
            key = (nomination.unit_id, nomination.year, nomination.award_code)
            on = at.astimezone(policy.calendar.zone).date()
            found = self.candidates.verdict(
                policy, nomination.award_code, person, year=nomination.year, on=on,
                unit_id=nomination.unit_id, nomination_id=str(nomination.id),
                initiative=initiative, counted=meeting.approved[key],
                excluding=meeting.nominations)
            override = " ".join(override_reason.split())
            if outcome == ReviewOutcome.APPROVE:
                if found.failed and not override:
                    raise not_eligible(found)
                meeting.approved[key] += 1
            return recorded_verdict(found, policy, on, override if found.failed else "")
        return verdict

    def _deadline_step(self, nomination_id: UUID, step: Callable[[Nomination], None]) -> bool:
        try:
            self._command(nomination_id, step)
        except TaskClosed:
            return False
        return True

    def _get(self, nomination_id: UUID) -> Nomination:
        collected = getattr(self._collecting, "nominations", None)
        if collected and any(n.id == nomination_id for n in collected):
            raise SaveFirst(nomination_id)
        try:
            return self._load(nomination_id)
        except AggregateNotFoundError:
            raise NotFound(f"No nomination {nomination_id}",
                           vi=f"Không có hồ sơ đề nghị {nomination_id}") from None

    def _load(self, nomination_id: UUID) -> Nomination:
        """The nomination, a copy of its own for one command: the repository keeps
        recently used nominations in memory and hands out deep copies of them.
        (``FastNominations`` copies only what an event changes.)"""
        nomination: Nomination = self.repository.get(nomination_id, projector_func=replay)
        if not isinstance(nomination, Nomination):  # a person of the register
            raise AggregateNotFoundError(nomination_id)
        return nomination

    def _save(self, *nominations: Aggregate, collect: bool = True) -> None:
        """Save the nominations (and what they hold) with what their new events change in
        the register (``Candidates.follow_ups``), in one transaction; within
        ``collecting_saves``, collected instead (``collect=False``: the collected list)."""
        if collect:
            nominations = (*nominations, *(
                follow for n in nominations if isinstance(n, Nomination)
                for follow in self.candidates.follow_ups(n)))
        collected = getattr(self._collecting, "nominations", None) if collect else None
        if collected is not None:
            collected.extend(nominations)
            return
        try:
            self._store(nominations, self.candidates.kept.take())
        except IntegrityError:
            raise ConcurrentChange(
                "The nomination changed while this command was given; reload and retry",
                vi="Hồ sơ đề nghị vừa thay đổi trong lúc thực hiện; hãy tải lại rồi thử lại",
            ) from None

    def _store(self, nominations: Iterable[Aggregate], unchanged: Mapping[UUID, int]) -> None:
        """Save the nominations' new events in one transaction if the people their
        verdicts read are still at the versions ``unchanged`` gives (else
        ``RegisterChanged``): the library's public ``save``, the people looked up just
        before it. (``infrastructure.eventsourcing_internals.FastNominations``, which
        Laurel runs, looks them up inside the insert's transaction, and saves less the
        library's per-aggregate type checks.)"""
        moved = [person_id for person_id, version in unchanged.items()
                 if (latest := self.recorder.select_events(person_id, desc=True, limit=1))
                 and latest[0].originator_version > version]
        if moved:
            raise self.candidates.kept.changed(moved)
        self.save(*nominations)


_REQUESTS = UUID("5b1f3f4e-8f43-4c36-9a4e-3f1f6c2d7a10")
"""Namespace of the ids derived from idempotency keys."""


def _keyed_id(actor: Actor, request_key: str, part: object) -> UUID:
    """The id a keyed request gives what it creates: the same key from the same person
    gives the same ids, so the event store itself refuses a second creation."""
    return uuid5(_REQUESTS, f"{actor.unit_id}\n{actor.id}\n{request_key}\n{part}")


def _given(command: Command, context: Context, request: str,
           policy_of: Callable[[Nomination], Policy],
           verdict_for_review: VerdictForReview,
           dossier: Callable[[Nomination, list[dict[str, Any]]], list[dict[str, Any]]],
           delegators_of: Callable[[Actor, datetime], list[str]] = lambda a, t: [],
           ballots: Callable[[Nomination, datetime], BallotOf] = lambda n, t: lambda u: None,
           ) -> Callable[[Nomination], object]:
    """The aggregate's method for a command on one nomination, with its arguments (a
    decision is dated in the calendar of the nomination's policy)."""
    actor, at = context.actor, context.at
    match command:
        case Supplement():
            return lambda n: n.supplement(actor, documents=dossier(n, command.documents),
                                          achievements=command.achievements,
                                          note=command.note, at=at, request=request)
        case Withdraw():
            return lambda n: n.withdraw(actor, reason=command.reason, at=at, request=request)
        case Review():
            return lambda n: n.review(command.task_id, actor=actor, outcome=command.outcome,
                                      votes=command.votes, note=command.note, at=at,
                                      request=request, override_reason=command.override_reason,
                                      return_reason=command.return_reason,
                                      return_reasons=policy_of(n).return_reasons,
                                      delegators=lambda: delegators_of(actor, at),
                                      eligibility=verdict_for_review(
                                          n, command.outcome, command.override_reason, at,
                                          Meeting(frozenset({str(n.id)}))),
                                      ballot=ballots(n, at))
        case Decide():
            return lambda n: n.decide(
                command.task_id, actor=actor, outcome=command.outcome,
                decision_number=command.decision_number, decision_date=command.decision_date,
                signer=command.signer, at=at, authority=command.authority, request=request,
                zone=policy_of(n).calendar.zone, granted_award=command.granted_award,
                awards=policy_of(n).award)
        case ResolveObjection():
            return lambda n: n.resolve_objection(command.objection_id, actor=actor,
                                                 outcome=command.outcome, note=command.note,
                                                 at=at, request=request)
        case Revoke():
            return lambda n: n.revoke(actor, reason=command.reason,
                                      decision_number=command.decision_number,
                                      decision_date=command.decision_date, at=at,
                                      request=request, zone=policy_of(n).calendar.zone,
                                      administered=policy_of(n).org.subtree(actor.unit_id)
                                      if Role.ADMIN in actor.roles else ())
    raise TypeError(f"{type(command).__name__} is given to no single nomination")


def _fields(changed: Changed) -> dict[str, Any]:
    """What a ``Changed`` says but the objection's id (each objection result names its)."""
    return {f.name: getattr(changed, f.name) for f in dataclasses.fields(Changed)
            if f.name != "objection_id"}


def _proposal(nomination: Nomination) -> Proposal:
    return Proposal(nomination.id, nomination.tracking_code, nomination.status,
                    nomination.version)


def replay(nomination: Nomination | None, events: Iterable[Any]) -> Nomination | None:
    """Apply stored events in turn: the library's own projector less its per-event
    ``isinstance`` against a typing Protocol, which on Python 3.11 cost more than
    applying the event."""
    for event in events:
        nomination = event.mutate(nomination)
    return nomination


@dataclass
class Meeting:
    """A council meeting's list: its nominations, and the approvals given so far in it
    by unit, year and award (each counts towards the quota of the next)."""

    nominations: frozenset[str]
    approved: Counter[tuple[str, int, str]] = dataclasses.field(default_factory=Counter)


VerdictForReview = Callable[[Nomination, str, str, datetime, Meeting],
                            Callable[[], dict[str, Any] | None]]


class SaveFirst(Exception):
    """The nomination has unsaved events collected: save them, then give the command."""


@contextmanager
def _naming_item(index: int) -> Iterator[None]:
    """A refusal of one item of a list command names the item."""
    try:
        yield
    except DomainError as error:
        raise BulkItemRefused(index, error) from None
