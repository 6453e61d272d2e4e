"""What a nominee brings to a nomination, gathered from the event store: who they are in
the register, the claim that keeps them from being proposed twice for one award and year,
the initiative the nomination rests on, and the verdict of the award's rules on all that.

The verdict is worked out at the proposal and again at each council's review (a history
can change in between), and recorded on the event it led to, with the policy version and
the day: an auditor reads what decided, never a recomputation. A nominee named only
(outside the register, where the policy allows it) gets each rule stated and none checked.

When a nomination ends, what it held is let go in the same transaction: a decision to
award joins the nominee's history (``Person.record_award``), a revocation marks it
revoked; a nomination that ends without an award releases its claim and its initiative.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.eligibility import (
    EligibilitySubject,
    InitiativeUse,
    Quota,
    QuotaCount,
    Registered,
    RegisteredTitle,
    Rule,
    Verdict,
    evaluate,
    unchecked,
)
from domain.errors import (
    ConcurrentChange,
    DuplicateNomination,
    InvalidYear,
    NomineeNotRegistered,
    NotEligible,
    NotFound,
)
from domain.initiative import Initiative
from domain.nomination import SYSTEM, Nomination
from domain.person import Person
from domain.policy import Award, Policy
from domain.registration import Registration, registration_id
from domain.vocabulary import DecisionOutcome, ObjectionOutcome, ReviewOutcome, Role

if TYPE_CHECKING:
    from domain.application import Nominations

_CANDIDACIES = UUID("9d7f2a61-3c0e-4b8e-a1f4-5e2b7c9d0a13")
"""Namespace of candidacies' ids: one per person, award and year, so that the event
store itself refuses a second one made at the same moment."""
EARLIEST_YEAR = 1945
A = TypeVar("A", bound=Aggregate)
PEOPLE_KEPT = 2_500
"""People a process keeps in memory for its proposals' verdicts (``KeptPeople``): about
10 KB each with a 12-award history, 25 MB in all at most."""


class QuotaCounter(Protocol):
    """How many of a unit's people hold (or are on their way to) ``title`` for ``year``,
    and how many hold ``base_title``: the read models count them (the API gives the
    nominations its counter). ``excluding``: nominations not to count (those being
    reviewed now, which the caller counts itself)."""

    def __call__(self, unit_id: str, year: int, title: str, base_title: str,
                 excluding: frozenset[str]) -> tuple[int, int]: ...


def candidacy_id(person_id: str, award_code: str, year: int) -> UUID:
    return uuid5(_CANDIDACIES, f"{person_id}:{award_code}:{year}")


class Candidacy(Aggregate):
    """One person proposed for one award for one year: held by the nomination in flight
    or awarded, released when it ends otherwise."""

    class Event(Aggregate.Event):
        actor: str
        actor_role: str
        actor_unit: str

    class Opened(Event, Aggregate.Created):
        person_id: str
        award_code: str
        year: int
        nomination_id: str
        tracking_code: str

        def apply(self, aggregate: Candidacy) -> None:
            aggregate.holder = (self.nomination_id, self.tracking_code)

    class Claimed(Event):
        nomination_id: str
        tracking_code: str

        def apply(self, aggregate: Candidacy) -> None:
            aggregate.holder = (self.nomination_id, self.tracking_code)

    class Released(Event):
        nomination_id: str
        reason: str

        def apply(self, aggregate: Candidacy) -> None:
            aggregate.holder = None

    def __init__(self) -> None:
        self.holder: tuple[str, str] | None = None

    def claim(self, actor: Actor, nomination_id: str, tracking_code: str, at: datetime) -> None:
        if self.holder is not None:
            raise _duplicate(*self.holder)
        self.trigger_event(self.Claimed, timestamp=at, actor=actor.id,
                           actor_role=Role.PROPOSER, actor_unit=actor.unit_id,
                           nomination_id=nomination_id, tracking_code=tracking_code)

    def release(self, nomination_id: str, reason: str, at: datetime) -> None:
        if self.holder is not None and self.holder[0] == nomination_id:
            self.trigger_event(self.Released, timestamp=at, actor=SYSTEM,
                               actor_role=Role.SYSTEM, actor_unit="",
                               nomination_id=nomination_id, reason=reason)


def _duplicate(nomination_id: str, tracking_code: str) -> DuplicateNomination:
    return DuplicateNomination(
        f"This nominee is already proposed for this award and year: nomination "
        f"{tracking_code} ({nomination_id}), in progress or awarded",
        vi=f"Người này đã được đề nghị hình thức khen thưởng này cho năm này: hồ sơ "
           f"{tracking_code} ({nomination_id}) đang được xét hoặc đã được khen thưởng",
        nomination_id=nomination_id, tracking_code=tracking_code)


@dataclass(frozen=True)
class Nominee:
    """A proposal's nominee, resolved: what the nomination records, and the register's
    entry when there is one."""

    recorded: dict[str, Any]
    person: Person | None


def recorded_verdict(verdict: Verdict, policy: Policy, on: date,
                     override_reason: str) -> dict[str, Any]:
    """A verdict as an event records it: every check in both languages, with the policy
    version whose rules gave it, the day, and the reason given to go on despite it."""
    return {**verdict.to_dict(), "policy_version": policy.version, "evaluated_on": on.isoformat(),
            "override_reason": override_reason}


class Candidates:
    """The nominations' side of the register: gathering, checking, claiming."""

    def __init__(self, app: Nominations) -> None:
        self.app = app
        self.kept = KeptPeople(self)
        """The people proposals read, kept between proposals (``KeptPeople``)."""
        self.quota_counter: QuotaCounter | None = None
        """Set by whoever can count (the API, over its read models). Without one, a quota
        rule cannot be checked and says so."""

    # -- at the proposal --------------------------------------------------------------

    def nominee(self, given: dict[str, Any], unit_id: str, policy: Policy) -> Nominee:
        """The nominee of a proposal from ``unit_id``: someone of the register belonging
        to the unit or a unit below it (their name and kind are the register's), or a
        nominee named only, where the policy allows that kind."""
        person_id = str(given.get("person_id") or "")
        if not person_id:
            kind = str(given.get("kind"))
            if kind not in policy.unregistered_nominees:
                raise NomineeNotRegistered(
                    f"A nominee of kind '{kind}' is chosen from the register "
                    "(nominee.person_id)",
                    vi="Đối tượng này phải được chọn từ danh sách cá nhân, tập thể "
                       "(nominee.person_id)")
            return Nominee(given, None)
        person = self.kept.person(person_id)
        if person is None or person.unit_id not in policy.org.subtree(unit_id):
            raise NotFound(f"No person {person_id} in your units",
                           vi=f"Không có người {person_id} thuộc đơn vị của bạn")
        recorded = {**given, "person_id": str(person.id), "name": person.name,
                    "kind": person.kind}
        return Nominee(recorded, person)

    @staticmethod
    def require_registrable(nominee: Nominee, award: Award) -> None:
        """An award given only to those registered for it (a ``registered`` rule) is never
        proposed for a nominee named only: a registration is of someone of the register,
        and the rule would pass such a nominee unchecked."""
        if nominee.person is None and any(isinstance(r, Registered) for r in award.eligibility):
            raise NomineeNotRegistered(
                f"The {award.name.en} goes only to those registered for it at the start of "
                "the year: choose the nominee from the register (nominee.person_id), where "
                "their registration is",
                vi=f"{award.name.vi} chỉ xét cho đối tượng đã đăng ký thi đua đầu năm: hãy "
                   "chọn người được đề nghị từ danh sách cá nhân, tập thể "
                   "(nominee.person_id), nơi ghi nhận đăng ký")

    def year(self, given: int, policy: Policy, at: datetime) -> int:
        this_year = at.astimezone(policy.calendar.zone).year
        if not given:
            return this_year
        if not EARLIEST_YEAR <= given <= this_year:
            raise InvalidYear(
                f"The year of the achievements is {EARLIEST_YEAR} to {this_year}, not {given}",
                vi=f"Năm thành tích phải từ {EARLIEST_YEAR} đến {this_year}, không phải {given}")
        return given

    def claim(self, person_id: str, award_code: str, year: int, nomination_id: str,
              tracking_code: str, actor: Actor, at: datetime,
              claimed_here: dict[UUID, Aggregate], *, look_up: bool = True) -> Candidacy:
        """The candidacy, claimed for the nomination; 409 naming the nomination that holds
        it. ``claimed_here``: the candidacies this command already claimed (a proposal
        listing one nominee twice). Without ``look_up``, opened as new: the event store
        refuses it if one exists (most candidacies are new; the look-up cost a select)."""
        key = candidacy_id(person_id, award_code, year)
        here = claimed_here.get(key)
        if isinstance(here, Candidacy) and here.holder is not None:
            raise _duplicate(*here.holder)
        candidacy = self._find(key, Candidacy) if look_up else None
        if candidacy is None:
            candidacy = Candidacy._create(
                Candidacy.Opened, id=key, timestamp=at, actor=actor.id,
                actor_role=Role.PROPOSER, actor_unit=actor.unit_id, person_id=person_id,
                award_code=award_code, year=year, nomination_id=nomination_id,
                tracking_code=tracking_code)
        else:
            candidacy.claim(actor, nomination_id, tracking_code, at)
        claimed_here[key] = candidacy
        return candidacy

    def initiative(self, initiative_id: str,
                   held: Mapping[UUID, Aggregate] | None = None) -> Initiative:
        """The initiative of the register; ``held``: those this command already uses
        (two nominees of one proposal citing one initiative, the second sees the first)."""
        try:
            key = UUID(initiative_id)
        except ValueError:
            key = None
        found = (held or {}).get(key) if key else None
        if not isinstance(found, Initiative):
            found = self._find(key, Initiative) if key else None
        if found is None:
            raise NotFound(f"No initiative {initiative_id} in the register",
                           vi=f"Không có sáng kiến {initiative_id} trong danh sách")
        return found

    # -- the verdict ------------------------------------------------------------------

    def verdict(self, policy: Policy, award_code: str, person: Person | None, *, year: int,
                on: date, unit_id: str, nomination_id: str,
                initiative: Initiative | None, counted: int = 0,
                excluding: Iterable[str] = ()) -> Verdict:
        """The award's rules on the nominee for ``year`` as things stand on ``on``.
        ``counted``: nominations of the same award, unit and year approved earlier in
        this meeting's list (``excluding`` names the list's nominations)."""
        award = policy.award(award_code)
        if person is None:
            return unchecked(award.eligibility, catalogue=policy.awards)
        subject = EligibilitySubject(
            awards=person.held_awards(), facts=person.recorded_facts(),
            service=person.service_started(),
            initiative=initiative.as_evidence() if initiative is not None else None,
            initiative_uses=tuple(
                InitiativeUse(initiative=str(initiative.id), award=award_code_used,
                              year=year_used, unit=_unit_name(policy, unit_used),
                              nomination_id=used_by)
                for used_by, award_code_used, year_used, unit_used in initiative.uses()
            ) if initiative is not None else (),
            quotas=self._quotas(policy, award_code, unit_id, year, counted,
                                nomination_id, excluding),
            nomination_id=nomination_id,
            registered=self._registered(award.eligibility, str(person.id), year))
        return evaluate(award.eligibility, subject, year, on, award=award_code,
                        catalogue=policy.awards)

    def _registered(self, rules: Iterable[Rule], person_id: str,
                    year: int) -> tuple[RegisteredTitle, ...]:
        """The titles the nominee registered for ``year``: read only for an award whose
        rules ask (``Registered``)."""
        if not any(isinstance(rule, Registered) for rule in rules):
            return ()
        try:
            found: object = self.app.repository.get(registration_id(person_id, year))
        except AggregateNotFoundError:
            return ()
        if not isinstance(found, Registration):
            return ()
        return tuple(RegisteredTitle(award=code, year=year, registered_on=at.date())
                     for code, at in found.titles.items())

    def _quotas(self, policy: Policy, award_code: str, unit_id: str, year: int, counted: int,
                nomination_id: str, excluding: Iterable[str]) -> tuple[QuotaCount, ...]:
        counter = self.quota_counter
        if counter is None:
            return ()
        found: list[QuotaCount] = []
        excluded: frozenset[str] | None = None  # made only for an award with a quota
        for rule in policy.award(award_code).eligibility:
            if isinstance(rule, Quota):
                if excluded is None:
                    excluded = frozenset({nomination_id, *excluding})
                holders, base = counter(unit_id, year, award_code, rule.of_title, excluded)
                found.append(QuotaCount(unit=_unit_name(policy, unit_id), year=year,
                                        title=award_code, holders=holders + counted,
                                        base_title=rule.of_title, base_holders=base))
        return tuple(found)

    # -- what a nomination's end lets go ----------------------------------------------

    def follow_ups(self, nomination: Nomination) -> list[Aggregate]:
        """The register's aggregates the nomination's new events change, changed: to be
        saved with it, in one transaction."""
        person_id = str(nomination.nominee.get("person_id") or "")
        if not person_id:
            return []
        changed: dict[UUID, Aggregate] = {}
        for event in nomination.pending_events:
            assert isinstance(event, Nomination.Event)
            if isinstance(event, Nomination.Decided) and event.outcome == DecisionOutcome.AWARDED:
                person = self._changing(changed, UUID(person_id), Person)
                if person is not None:
                    person.record_award(
                        Actor(event.actor, frozenset({event.actor_role}), event.actor_unit),
                        award_code=event.granted_award or nomination.award_code,
                        year=nomination.year,
                        decision_number=event.decision_number,
                        decision_date=date.fromisoformat(event.decision_date),
                        issuer=event.authority, source="laurel", at=event.timestamp,
                        nomination_id=str(nomination.id))
            elif isinstance(event, Nomination.Revoked):
                person = self._changing(changed, UUID(person_id), Person)
                if person is not None:
                    person.revoke_award(nomination_id=str(nomination.id),
                                        on=date.fromisoformat(event.decision_date),
                                        decision_number=event.decision_number,
                                        at=event.timestamp)
            if (reason := _ended_without_award(event)) is not None:
                self._release(changed, nomination, reason, event.timestamp)
        return list(changed.values())

    def _release(self, changed: dict[UUID, Aggregate], nomination: Nomination, reason: str,
                 at: datetime) -> None:
        nomination_id = str(nomination.id)
        key = candidacy_id(str(nomination.nominee["person_id"]), nomination.award_code,
                           nomination.year)
        candidacy = self._changing(changed, key, Candidacy)
        if candidacy is not None:
            candidacy.release(nomination_id, reason, at)
        if nomination.initiative_id:
            initiative = self._changing(changed, UUID(nomination.initiative_id), Initiative)
            if initiative is not None:
                initiative.release(nomination_id=nomination_id, reason=reason, at=at)

    # -- the event store --------------------------------------------------------------

    def person(self, person_id: str) -> Person | None:
        """The person, to read only (the verdict's subject): the repository's own copy,
        never changed here, not a deep copy of it (which cost 40 % of a proposal)."""
        try:
            return self._find(UUID(person_id), Person, to_change=False)
        except ValueError:
            return None

    def _changing(self, changed: dict[UUID, Aggregate], key: UUID,
                  kind: type[A]) -> A | None:
        if key in changed:
            found = changed[key]
            return found if isinstance(found, kind) else None
        loaded = self._find(key, kind)
        if loaded is not None:
            changed[key] = loaded
        return loaded

    def _find(self, key: UUID, kind: type[A], *, to_change: bool = True) -> A | None:
        """The aggregate of ``kind`` stored under ``key`` (None: none is), a copy of its
        own ``to_change``; asks for a save first when this thread holds it unsaved (group
        commit)."""
        self.app.require_saved(key)
        try:
            found: object = self.app.repository.get(key, projector_func=replay_events,
                                                    deepcopy_from_cache=to_change)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None


class RegisterChanged(ConcurrentChange):
    """A person whose history a proposal's verdict read changed before the proposal was
    stored: nothing was stored; the proposal is given again on the person as they are."""


@dataclass(frozen=True)
class PersonRead:
    """A proposal read ``person_id`` at ``version``."""

    person_id: UUID
    version: int


class KeptPeople:
    """The people this process's proposals read, kept in memory between proposals, and
    checked when the proposals are stored rather than each brought forward first.

    Bringing a person forward costs a select of the event store per proposal (the
    largest part of a proposal of someone of the register). Instead, each proposal notes
    whom it read and at which version, and the save that stores the proposals (one for a
    whole group commit) stores them only if each of those people is still at that
    version (``Nominations._store``: inside the insert's transaction, where Laurel runs
    it). A person changed since fails the save with ``RegisterChanged`` (a
    ``ConcurrentChange``) and is let go; the proposal is given again on the person as
    they are. A verdict is thus worked out on the person as the event store holds them
    when the proposal is stored.
    """

    def __init__(self, candidates: Candidates, size: int = PEOPLE_KEPT) -> None:
        self.candidates = candidates
        self.size = size
        self._kept: OrderedDict[UUID, Person] = OrderedDict()
        self._lock = threading.Lock()
        self._reads = threading.local()

    def person(self, person_id: str) -> Person | None:
        """The person, to read only (the repository's own copy, never changed here);
        noted for the save. None: no person ``person_id``."""
        try:
            key = UUID(person_id)
        except ValueError:
            return None
        app = self.candidates.app
        collected = app.collected()  # a group commit's: nominations and candidacies, mostly
        if collected and Person in map(type, collected) and any(
                a.id == key for a in collected if isinstance(a, Person)):
            app.require_saved(key)  # raises SaveFirst
        with self._lock:
            person = self._kept.get(key)
            if person is not None:
                self._kept.move_to_end(key)
        if person is None:
            try:  # the repository's own copy, brought forward (collected: checked above)
                found: object = app.repository.get(key, projector_func=replay_events,
                                                   deepcopy_from_cache=False)
            except AggregateNotFoundError:
                return None
            if not isinstance(found, Person):
                return None
            person = found
            with self._lock:
                self._kept[key] = person
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        self._pending().append(PersonRead(key, person.version))
        return person

    def take(self) -> dict[UUID, int]:
        """The versions of the people this thread's proposals read since the last save
        (the lowest, for someone read twice), which the save must find unchanged."""
        reads: list[PersonRead] = self._pending()
        self._reads.pending = []
        versions: dict[UUID, int] = {}
        for read in reads:
            versions[read.person_id] = min(read.version,
                                           versions.get(read.person_id, read.version))
        return versions

    def changed(self, person_ids: Iterable[UUID]) -> RegisterChanged:
        """The people a save found changed, let go (the next proposal reads them again);
        the error to fail the save with."""
        with self._lock:
            for person_id in person_ids:
                self._kept.pop(person_id, None)
        return RegisterChanged(
            "A nominee's record in the register changed while the proposal was made; "
            "propose again",
            vi="Hồ sơ của người được đề nghị vừa thay đổi trong lúc lập đề nghị; hãy "
               "đề nghị lại")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Within, this thread's reads are a command's: if it raises, they are let go (it
        stores nothing), and those of the commands before it, collected, are kept."""
        mark = len(self._pending())
        try:
            yield
        except BaseException:
            del self._pending()[mark:]
            raise

    def _pending(self) -> list[PersonRead]:
        pending: list[PersonRead] | None = getattr(self._reads, "pending", None)
        if pending is None:
            pending = self._reads.pending = []
        return pending


def replay_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply stored events in turn: the library's projector less its per-event
    ``isinstance`` against a typing Protocol, which on Python 3.11 cost more than applying
    the event (a person of twelve awards read afresh took twice as long with it)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def _ended_without_award(event: Nomination.Event) -> str | None:
    """Why the nomination ended without an award (or was revoked), if this event ended it."""
    match event:
        case Nomination.Withdrawn():
            return "withdrawn"
        case Nomination.ReviewedByCouncil(outcome=ReviewOutcome.REJECT):
            return "rejected"
        case Nomination.ObjectionResolved(outcome=ObjectionOutcome.UPHELD):
            return "rejected"
        case Nomination.Decided() if event.outcome != DecisionOutcome.AWARDED:
            return "not awarded"
        case Nomination.Revoked():
            return "revoked"
    return None


def _unit_name(policy: Policy, unit_id: str) -> str:
    unit = policy.org.units.get(unit_id)
    return unit.name if unit is not None else unit_id  # another version's unit: its id


def not_eligible(verdict: Verdict) -> NotEligible:
    failed = verdict.failed
    return NotEligible(
        "The nominee does not meet the award's conditions: "
        + "; ".join(check.explanation.en for check in failed)
        + ". Give an override_reason to propose them all the same",
        vi="Người được đề nghị chưa đủ điều kiện: "
           + "; ".join(check.explanation.vi for check in failed)
           + ". Nếu vẫn đề nghị, hãy nêu lý do (override_reason)",
        failed=[check.to_dict() for check in failed])
