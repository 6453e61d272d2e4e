"""The register's commands, given through ``Nominations.handle`` like every other: people
are stored in the same event store as the nominations, so one hash chain covers both
(``infrastructure.audit_chain``) and one group commit saves them.

Who may act on whom is said here, from the policy in force: the register's keepers
(a unit's clerk, an administrator) act on the people of their unit, an administrator on
those of the units below too. Anyone else's entry is not found, never a hint it exists.
A list of awards imported is checked row by row, every refusal named by its row, and
saved in one transaction or not at all.

The keepers also record what eligibility is decided on (``domain.eligibility``): a
person's facts (discipline, investigation…) and start of service, and the unit's
recognised initiatives (``domain.initiative``), whose authors are people of the register.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.commands import (
    AwardHeld,
    AwardItem,
    Context,
    CorrectPerson,
    DocumentStored,
    EndFact,
    ImportAwards,
    Imported,
    InitiativeChanged,
    PersonChanged,
    PersonCommand,
    RecordAward,
    RecordFact,
    RecordService,
    RegisterInitiative,
    RegisterPerson,
    TransferPerson,
    UploadDocument,
)
from domain.document import upload
from domain.errors import (
    ConcurrentChange,
    DomainError,
    IdempotencyKeyReused,
    ImportRefused,
    InvalidAwardRecord,
    InvalidFact,
    InvalidInitiative,
    InvalidService,
    NotFound,
    PersonAlreadyRegistered,
    UnknownAward,
)
from domain.initiative import Initiative, initiative_id
from domain.person import COLLECTIVE, Person, collective_id, individual_id
from domain.policy import Policy
from domain.vocabulary import Role

if TYPE_CHECKING:
    from domain.application import Nominations


class Register:
    """The register's side of ``Nominations``: its event store, its saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    def handle(self, command: PersonCommand,
               context: Context
               ) -> PersonChanged | Imported | InitiativeChanged | DocumentStored:
        request = command.digest(context)
        policy = self.app.policies.active(context.at.date())
        actor = context.actor
        change = self._change
        match command:
            case RegisterPerson():
                return self._register(command, context, policy, request)
            case CorrectPerson():
                return change(command.person_id, actor, policy, request, lambda p: p.correct(
                    actor, changes=dict(command.changes), reason=command.reason,
                    at=context.at, request=request))
            case TransferPerson():
                to_unit = policy.org.get(command.to_unit).id
                return change(command.person_id, actor, policy, request, lambda p: p.transfer(
                    actor, to_unit=to_unit, on=_day(command.on, "on"), position=command.position,
                    at=context.at, request=request))
            case RecordAward():
                return change(command.person_id, actor, policy, request, lambda p: _record(
                    p, command, context, policy, "manual", request))
            case ImportAwards(items=items):
                return self._import(items, context, policy, request)
            case RecordFact():
                return self._record_fact(command, context, policy, request)
            case EndFact():
                return change(command.person_id, actor, policy, request, lambda p: p.end_fact(
                    actor, fact_id=command.fact_id, end=_day(command.end, "end", InvalidFact),
                    evidence=command.evidence, at=context.at, request=request))
            case RecordService():
                return change(command.person_id, actor, policy, request,
                              lambda p: p.record_service(
                                  actor, start=_day(command.start, "start", InvalidService),
                                  evidence=command.evidence, at=context.at, request=request))
            case RegisterInitiative():
                return self._register_initiative(command, context, policy, request)
            case UploadDocument():
                return upload(self.app, command, context, request)
        raise TypeError(f"{type(command).__name__} is not a command of the register")

    def _register(self, command: RegisterPerson, context: Context, policy: Policy,
                  request: str) -> PersonChanged:
        actor = context.actor
        unit_id = policy.org.current(command.unit_id or actor.unit_id).id
        _require_reach(actor, policy, unit_id, f"unit {unit_id}", f"đơn vị {unit_id}")
        person_id = (collective_id(unit_id, command.team) if command.kind == COLLECTIVE
                     else individual_id(command.national_id))
        person = Person.register(
            person_id=person_id, actor=actor, kind=command.kind, name=command.name,
            unit_id=unit_id, national_id=command.national_id,
            civil_servant_code=command.civil_servant_code, birth_date=command.birth_date,
            gender=command.gender, position=command.position, team=command.team,
            at=context.at, request=request)
        earlier = self._find(person_id)
        if earlier is not None:
            if request and request in earlier.requests:
                return _changed(earlier)  # the same keyed request again
            raise PersonAlreadyRegistered(
                "This person or collective is in the register already: find them by the "
                "national ID, or ask the unit they belong to",
                vi="Người hoặc tập thể này đã có trong danh sách: hãy tìm theo số CCCD, hoặc "
                   "liên hệ đơn vị đang quản lý")
        self._save(person)
        return _changed(person)

    def _record_fact(self, command: RecordFact, context: Context, policy: Policy,
                     request: str) -> PersonChanged:
        """The fact recorded, and its id (a keyed retry: the fact the first one made)."""
        person = self._get(command.person_id, context.actor, policy)
        if request and request in person.requests:
            return _changed(person, person.fact_requests.get(request, ""))
        fact_id = person.record_fact(
            context.actor, fact=command.fact, start=_day(command.start, "start", InvalidFact),
            end=_day(command.end, "end", InvalidFact) if command.end else None,
            evidence=command.evidence, at=context.at, request=request)
        self._save(person)
        return _changed(person, fact_id)

    def _register_initiative(self, command: RegisterInitiative, context: Context,
                             policy: Policy, request: str) -> InitiativeChanged:
        """An initiative of a unit the keeper reaches, whose authors are people of the
        register, one of them at least of the keeper's units (co-authors may be of
        others). A keyed request again finds the initiative it registered."""
        actor = context.actor
        unit_id = policy.org.current(command.unit_id or actor.unit_id).id
        _require_reach(actor, policy, unit_id, f"unit {unit_id}", f"đơn vị {unit_id}")
        new_id = initiative_id(actor, context.request_key)
        earlier = self.initiative(new_id) if context.request_key else None
        if earlier is not None:
            if request in earlier.requests:
                return InitiativeChanged(earlier.id, earlier.version)
            raise IdempotencyKeyReused(
                "This Idempotency-Key was sent before with another request; use a new key "
                "for a new request",
                vi="Khóa Idempotency-Key này đã được gửi kèm một yêu cầu khác; hãy dùng khóa "
                   "mới cho yêu cầu mới")
        authors = [self._find(author) for author in command.authors]
        for author_id, author in zip(command.authors, authors, strict=True):
            if author is None:
                raise InvalidInitiative(
                    f"No person {author_id} in the register: register the author first",
                    vi=f"Không có người {author_id} trong danh sách cá nhân: hãy đăng ký tác "
                       f"giả trước")
        if command.authors and not any(
                a is not None and reaches(actor, policy, a.unit_id) for a in authors):
            raise InvalidInitiative(
                "At least one author belongs to a unit whose register you keep",
                vi="Ít nhất một tác giả phải thuộc đơn vị do bạn quản lý")
        initiative = Initiative.register(
            initiative_id=new_id, actor=actor, title=command.title,
            authors=[str(a) for a in command.authors], unit_id=unit_id,
            recognised_on=_day(command.recognised_on, "recognised_on", InvalidInitiative),
            recognition=command.recognition, scope=command.scope, at=context.at,
            request=request)
        self._save(initiative)
        return InitiativeChanged(initiative.id, initiative.version)

    def _change(self, person_id: UUID, actor: Actor, policy: Policy, request: str,
                change: Callable[[Person], object]) -> PersonChanged:
        person = self._get(person_id, actor, policy)
        if request and request in person.requests:
            return _changed(person)
        change(person)
        self._save(person)
        return _changed(person)

    def _import(self, items: tuple[AwardItem, ...], context: Context, policy: Policy,
                request: str) -> Imported:
        """Every row checked, every refusal named by its row; saved together or not."""
        loaded: dict[UUID, Person] = {}
        refused: list[tuple[int, DomainError]] = []
        for item in items:
            try:
                person = loaded.get(item.person_id)
                if person is None:
                    person = self._get(item.person_id, context.actor, policy)
                    if request and request in person.requests:
                        # The same keyed sheet again: saved together, all its rows were.
                        return Imported(len(items), already=True)
                _record(person, item, context, policy, "import", request)
                loaded[item.person_id] = person
            except DomainError as error:
                refused.append((item.row, error))
        if refused:
            raise ImportRefused(refused)
        self._save(*loaded.values())
        return Imported(len(items))

    def unit_of(self, person_id: UUID) -> str | None:
        """The unit a person of the event store belongs to now (None: no such person)."""
        try:
            person: object = self.app.repository.get(person_id)
        except AggregateNotFoundError:
            return None
        return person.unit_id if isinstance(person, Person) else None

    # -- the event store ---------------------------------------------------------

    def _find(self, person_id: UUID) -> Person | None:
        found = self._load(person_id)
        return found if isinstance(found, Person) else None

    def initiative(self, initiative_id: UUID) -> Initiative | None:
        """An initiative of the register as the event store holds it (None: none such)."""
        found = self._load(initiative_id)
        return found if isinstance(found, Initiative) else None

    def _load(self, aggregate_id: UUID) -> Any:
        self._not_collected(aggregate_id)
        try:
            return self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _get(self, person_id: UUID, actor: Actor, policy: Policy) -> Person:
        person = self._find(person_id)
        if person is None or not isinstance(person, Person) or not reaches(
                actor, policy, person.unit_id):
            raise NotFound(f"No person {person_id}", vi=f"Không có người {person_id}")
        return person

    def _not_collected(self, person_id: UUID) -> None:
        from domain.application import SaveFirst

        collected = self.app.collected()
        if collected and any(a.id == person_id for a in collected):
            raise SaveFirst(person_id)

    def save(self, *aggregates: Person | Initiative) -> None:
        """Store people's and initiatives' new events as a nomination's are: collected
        within ``collecting_saves`` (group commit), else now, in one transaction."""
        collected = self.app.collected()
        if collected is not None:
            collected.extend(aggregates)
            return
        self.app.save(*aggregates)

    def _save(self, *aggregates: Person | Initiative) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConcurrentChange(
                "The register changed while this command was given; reload and retry",
                vi="Danh sách vừa thay đổi trong lúc thực hiện; hãy tải lại rồi thử lại",
            ) from None


def _record(person: Person, held: AwardHeld, context: Context, policy: Policy, source: str,
            request: str) -> None:
    person.record_award(
        context.actor, award_code=_award_code(policy, held.award_code), year=held.year,
        decision_number=held.decision_number,
        decision_date=_day(held.decision_date, "decision_date"), issuer=held.issuer,
        source=source, at=context.at, request=request)


def reaches(actor: Actor, policy: Policy, unit_id: str) -> bool:
    """Whether ``actor`` keeps the register of ``unit_id``: their own unit, and for an
    administrator the units below it."""
    if Role.ADMIN in actor.roles:
        return unit_id in policy.org.subtree(actor.unit_id)
    return unit_id == actor.unit_id


def _require_reach(actor: Actor, policy: Policy, unit_id: str, what: str, what_vi: str) -> None:
    if not actor.roles & {Role.PROPOSER, Role.ADMIN}:
        actor.acting_as(Role.PROPOSER)
    if not reaches(actor, policy, unit_id):
        raise NotFound(f"No {what} of yours", vi=f"Không có {what_vi} thuộc quyền của bạn")


def _award_code(policy: Policy, code: str) -> str:
    if code not in policy.awards:
        raise UnknownAward(f"No award '{code}' in the catalogue",
                           vi=f"Danh mục khen thưởng không có '{code}'")
    return code


def _day(text: str, field: str, error: type[DomainError] = InvalidAwardRecord) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise error(f"{field} is a date, YYYY-MM-DD, not {text!r}",
                    vi=f"{field} phải là một ngày, dạng YYYY-MM-DD") from None


def _changed(person: Person, fact_id: str = "") -> PersonChanged:
    return PersonChanged(person.id, person.version, person.unit_id, fact_id)

