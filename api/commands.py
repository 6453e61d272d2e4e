"""The commands the JSON routes and the pages give, built from a checked request body.

A command on something the read models know of is built by a function of a read-model
connection: it checks what the caller may act on (their unit's task, a nomination they
can see) and names the nomination. ``CommandContext.give`` runs it on the command thread
and hands the command over; routes and pages render what it answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, tzinfo
from typing import Any
from uuid import UUID

from sqlalchemy.engine import Connection

from api.level_schemas import AppraisalCreate, ConsultationAnswerCreate, SignOffCreate
from api.movement_schemas import RegistrationCreate, RegistrationWithdrawal
from api.people_schemas import AwardCreate, CorrectionCreate, PersonCreate, TransferCreate
from api.problems import Unauthenticated
from api.reads.access import is_uuid, visible_units
from api.reads.nominations import visible_row
from api.reads.tasks import own_task
from api.schemas import (
    ActionResult,
    BulkReviewCreate,
    Confirmation,
    DecisionCreate,
    NominationCreate,
    NominationCreated,
    ObjectionConfirmationCreate,
    ObjectionCreate,
    ObjectionDismissalCreate,
    ObjectionResolutionCreate,
    ObjectionResult,
    ProposalCreate,
    ReviewCreate,
    RevocationCreate,
    SupplementCreate,
    TaskActionResult,
    TaskAssignmentCreate,
    WithdrawalCreate,
)
from domain.actor import PUBLIC, Actor
from domain.application import normalised_tracking_code
from domain.commands import (
    AssignTask,
    Changed,
    Command,
    ConfirmObjection,
    CorrectPerson,
    Decide,
    DismissObjections,
    LodgeObjection,
    NomineeItem,
    Objected,
    ObjectionItem,
    Proposal,
    Propose,
    ProposeList,
    RecordAward,
    RegisterPerson,
    ResolveObjection,
    Result,
    Review,
    ReviewItem,
    ReviewList,
    Revoke,
    Supplement,
    TransferPerson,
    Withdraw,
)
from domain.confirmation import CODE_ATTEMPTS
from domain.errors import BulkItemRefused, ConfirmationLocked, NotFound, WrongConfirmationCode
from domain.inside_level import AnswerConsultation, Appraise, CheckConfirmed, SignOffAppraisal
from domain.registrations import RegisterTitles, WithdrawRegistration
from domain.vocabulary import AppraisalConclusion, Status
from infrastructure.container import Laurel
from infrastructure.mail import Mailer, MailNotSent, Message
from projections import queries

log = logging.getLogger(__name__)

Build = Callable[[Connection], Command]
"""A command built once the read models said what the caller may act on."""


def propose(body: NominationCreate) -> Propose:
    return Propose(**_nominee_item(body))


def propose_list(body: ProposalCreate) -> ProposeList:
    return ProposeList(tuple(NomineeItem(**_nominee_item(i)) for i in body.items))


def _nominee_item(body: NominationCreate) -> dict[str, Any]:
    """A nominee's fields as the domain takes them (a nominee of the register without
    the name and kind the register gives)."""
    return dict(award_code=body.award_code, nominee=body.nominee.model_dump(exclude_none=True),
                achievements=body.achievements,
                documents=[d.model_dump(exclude_none=True) for d in body.documents],
                procedure=body.procedure,
                year=body.year or 0, initiative_id=body.initiative_id,
                override_reason=body.override_reason,
                commendation_type="" if body.commendation_type == "merit"
                else body.commendation_type,
                movement_id=body.movement_id,
                ceremony_date=body.ceremony_date.isoformat() if body.ceremony_date else "")


def supplement(user: Actor, laurel: Laurel, nomination_id: str,
               body: SupplementCreate) -> Build:
    def build(conn: Connection) -> Command:
        row = visible_row(user, laurel, conn, nomination_id)
        achievements = row["achievements"] if body.achievements is None else body.achievements
        return Supplement(UUID(nomination_id),
                          [d.model_dump(exclude_none=True) for d in body.documents],
                          achievements, body.note)

    return build


def withdraw(user: Actor, laurel: Laurel, nomination_id: str,
             body: WithdrawalCreate) -> Build:
    def build(conn: Connection) -> Command:
        visible_row(user, laurel, conn, nomination_id)
        return Withdraw(UUID(nomination_id), body.reason)

    return build


def lodge_objection(user: Actor, laurel: Laurel, nomination_id: str,
                    body: ObjectionCreate) -> Build:
    """By anyone signed in, or by anyone with the tracking code of the public notice. A
    nomination someone signed in may not see exists for them only while it is on public
    notice (as it is for everyone): otherwise it is not found, never a 409 that tells it
    exists."""

    def build(conn: Connection) -> Command:
        row = queries.nomination(conn, nomination_id) if is_uuid(nomination_id) else None
        if user is PUBLIC:
            code = normalised_tracking_code(body.tracking_code)
            if not code:
                raise Unauthenticated("Sign in, or give the tracking code of the public notice",
                                      vi="Hãy đăng nhập, hoặc nhập mã tra cứu của hồ sơ đang "
                                         "lấy ý kiến")
            if row is None or row["tracking_code"] != code:
                raise NotFound(f"No nomination {nomination_id} with that tracking code",
                               vi="Mã tra cứu không khớp với hồ sơ này")
        elif row is None or (row["status"] not in ON_NOTICE and row["unit_id"] not in
                             visible_units(user, laurel.policy.org)):
            raise NotFound(f"No nomination {nomination_id}", vi=f"Không có hồ sơ {nomination_id}")
        return LodgeObjection(UUID(nomination_id), body.text, body.contact)

    return build


ON_NOTICE = (Status.PUBLIC_NOTICE, Status.ON_HOLD)
"""A nomination in these is published for objections: anyone may know it exists."""


def confirm_objection(nomination_id: str, objection_id: str,
                      body: ObjectionConfirmationCreate) -> Build:
    """By whoever has the objection's id and the code sent with it (no account needed)."""

    def build(conn: Connection) -> Command:
        if not is_uuid(nomination_id) or queries.nomination(conn, nomination_id) is None:
            raise NotFound(f"No objection {objection_id}",
                           vi=f"Không có ý kiến phản ánh {objection_id}")
        return ConfirmObjection(UUID(nomination_id), objection_id, body.code)

    return build


def dismiss_objections(user: Actor, laurel: Laurel, body: ObjectionDismissalCreate) -> Build:
    """The board's list; an item of a nomination the board cannot see refuses the list,
    naming the item."""

    def build(conn: Connection) -> Command:
        items = []
        for i, item in enumerate(body.items):
            try:
                visible_row(user, laurel, conn, item.nomination_id)
            except NotFound as error:
                raise BulkItemRefused(i, error) from None
            items.append(ObjectionItem(UUID(item.nomination_id), item.objection_id))
        return DismissObjections(tuple(items), body.note, body.abuse)

    return build


def confirmation_message(objected: Objected, tracking_code: str, zone: tzinfo) -> Message:
    """The code to an objector, in Vietnamese, then English."""
    until = (objected.code_expires_at.astimezone(zone).strftime("%H:%M %d/%m/%Y")
             if objected.code_expires_at else "")
    text = (
        f"Mã xác nhận ý kiến phản ánh của bạn về hồ sơ {tracking_code}: {objected.code}\n\n"
        f"Hãy nhập mã này trên trang tra cứu hồ sơ, trước {until} (giờ Việt Nam). Ý kiến "
        f"phản ánh chỉ làm tạm dừng hồ sơ sau khi được xác nhận; nhập sai mã "
        f"{CODE_ATTEMPTS} lần thì không xác nhận được nữa. Nếu bạn không gửi ý kiến phản "
        f"ánh nào, hãy bỏ qua thư này.\n\n"
        f"---\n\n"
        f"Your confirmation code for the objection to nomination {tracking_code}: "
        f"{objected.code}\n\n"
        f"Type it on the nomination's tracking page before {until} (Vietnam time). The "
        f"objection holds the nomination only once it is confirmed; after {CODE_ATTEMPTS} "
        f"wrong codes it can no longer be. If you lodged no objection, ignore this message.\n")
    return Message(to=objected.send_to,
                   subject=f"Mã xác nhận ý kiến phản ánh / Objection confirmation code "
                           f"({tracking_code})",
                   text=text)


async def objection_answer(mailer: Mailer, laurel: Laurel, result: Result,
                           tracking_code: str) -> ObjectionResult:
    """An objection just lodged: its code sent to the objector, if one was made, and what
    it does now."""
    assert isinstance(result, Objected)
    confirmation: Confirmation
    if result.holds:
        confirmation = "not_needed"
    elif not result.send_to:
        confirmation = "no_email_address"
    elif not result.code:
        confirmation = "code_sent"  # a retry: the code went with the first answer
    else:
        try:
            await mailer.deliver(confirmation_message(result, tracking_code,
                                                      laurel.policy.calendar.zone))
            confirmation = "code_sent"
        except MailNotSent:
            log.exception("the confirmation code of objection %s was not sent",
                          result.objection_id)
            confirmation = "code_not_sent"
    return ObjectionResult(**action_result(result).model_dump(exclude={"objection_id"}),
                           objection_id=result.objection_id, holds=result.holds,
                           confirmation=confirmation,
                           code_expires_at=None if result.holds else result.code_expires_at)


def confirmed_answer(result: Result) -> ObjectionResult:
    """A code typed back: the objection holds now, or the refusal (the wrong code is
    recorded all the same, so it is refused only once stored)."""
    assert isinstance(result, Objected)
    if not result.holds:
        if result.attempts_left == 0:
            raise ConfirmationLocked(
                f"That was the {CODE_ATTEMPTS}th wrong code: the objection can no longer be "
                f"confirmed", vi=f"Đã nhập sai mã {CODE_ATTEMPTS} lần: ý kiến phản ánh này "
                                 f"không xác nhận được nữa")
        raise WrongConfirmationCode(
            f"That is not the code sent; {result.attempts_left} tries are left",
            vi=f"Mã không đúng; còn {result.attempts_left} lần nhập")
    return ObjectionResult(**action_result(result).model_dump(exclude={"objection_id"}),
                           objection_id=result.objection_id, holds=True,
                           confirmation="confirmed")


def resolve_objection(user: Actor, laurel: Laurel, nomination_id: str, objection_id: str,
                      body: ObjectionResolutionCreate) -> Build:
    def build(conn: Connection) -> Command:
        visible_row(user, laurel, conn, nomination_id)
        return ResolveObjection(UUID(nomination_id), objection_id, body.outcome, body.note)

    return build


def revoke(user: Actor, laurel: Laurel, nomination_id: str, body: RevocationCreate) -> Build:
    def build(conn: Connection) -> Command:
        visible_row(user, laurel, conn, nomination_id)
        return Revoke(UUID(nomination_id), body.reason, body.decision_number,
                      body.decision_date.isoformat())

    return build


def review(user: Actor, task_id: str, body: ReviewCreate) -> Build:
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return Review(UUID(task["nomination_id"]), task_id, body.outcome,
                      body.votes.tally(), body.note,
                      override_reason=body.override_reason, return_reason=body.return_reason)

    return build


def decide(user: Actor, task_id: str, body: DecisionCreate) -> Build:
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return Decide(UUID(task["nomination_id"]), task_id, body.outcome,
                      body.decision_number, body.decision_date.isoformat(), body.signer,
                      body.authority, granted_award=body.granted_award)

    return build


def review_list(user: Actor, body: BulkReviewCreate) -> Build:
    """One council meeting's outcomes; an item whose task the unit does not hold refuses
    the list, naming the item."""

    def build(conn: Connection) -> Command:
        return ReviewList(tuple(
            ReviewItem(nomination_id, item.task_id, item.outcome,
                       item.votes.tally(), item.note,
                       override_reason=item.override_reason, return_reason=item.return_reason)
            for nomination_id, item in zip(own_tasks(user, conn, [i.task_id for i in body.items]),
                                           body.items, strict=True)))

    return build


def own_tasks(user: Actor, conn: Connection, task_ids: list[str]) -> list[UUID]:
    """The nominations of a list's tasks, each held by the caller's unit; the first that is
    not refuses the list, naming the item."""
    found = []
    for i, task_id in enumerate(task_ids):
        try:
            found.append(UUID(own_task(user, conn, task_id)["nomination_id"]))
        except NotFound as error:
            raise BulkItemRefused(i, error) from None
    return found


# -- the register of people and collectives --------------------------------------------


def register_person(body: PersonCreate) -> RegisterPerson:
    return RegisterPerson(
        body.kind, body.name, body.unit_id or "", body.national_id, body.civil_servant_code,
        body.birth_date.isoformat() if body.birth_date else "", body.gender or "",
        body.position, body.team)


def transfer_person(person_id: str, body: TransferCreate) -> TransferPerson:
    return TransferPerson(_person(person_id), body.to_unit, body.on.isoformat(), body.position)


def correct_person(person_id: str, body: CorrectionCreate) -> CorrectPerson:
    given = body.changes.model_dump(exclude_none=True)
    return CorrectPerson(_person(person_id), tuple(
        (name, value.isoformat() if isinstance(value, date) else value)
        for name, value in given.items()), body.reason)


def record_award(person_id: str, body: AwardCreate) -> RecordAward:
    return RecordAward(_person(person_id), body.award_code, body.year, body.decision_number,
                       body.decision_date.isoformat(), body.issuer)


def register_titles(body: RegistrationCreate) -> RegisterTitles:
    return RegisterTitles(_person(body.person_id), body.year, tuple(body.award_codes))


def withdraw_registration(body: RegistrationWithdrawal) -> WithdrawRegistration:
    return WithdrawRegistration(_person(body.person_id), body.year, body.award_code,
                                body.reason)


def _person(person_id: str) -> UUID:
    if not is_uuid(person_id):
        raise NotFound(f"No person {person_id}", vi=f"Không có người {person_id}")
    return UUID(person_id)


# -- what the routes answer -----------------------------------------------------------


def _links(nomination_id: object) -> dict[str, str]:
    path = f"/nominations/{nomination_id}"
    return {"nomination": path, "history": f"{path}/history"}


def created_public(proposal: Proposal) -> NominationCreated:
    location = f"/nominations/{proposal.id}"
    return NominationCreated(
        id=str(proposal.id), tracking_code=proposal.tracking_code, status=proposal.status,
        links={"self": location, "history": f"{location}/history",
               "tracking": f"/track/{proposal.tracking_code}"},
    )


def action_result(result: Result, *, dossier: bool = False) -> ActionResult:
    """A command on a nomination, answered with the state it left (``dossier``: with the
    dossier version, for a supplement)."""
    assert isinstance(result, Changed)
    return ActionResult(
        nomination_id=str(result.nomination_id), status=result.status,
        links=_links(result.nomination_id), objection_id=result.objection_id or None,
        dossier_version=result.dossier_version if dossier else None)


def task_action_result(task_id: str, nomination_id: object, outcome: str) -> TaskActionResult:
    return TaskActionResult(task_id=task_id, nomination_id=str(nomination_id), outcome=outcome,
                            links=_links(nomination_id))


def appraise(user: Actor, task_id: str, body: AppraisalCreate) -> Build:
    """The specialist's appraisal of a dossier of the caller's unit."""
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return Appraise(UUID(task["nomination_id"]), task_id,
                        AppraisalConclusion(body.conclusion), body.documents_complete,
                        tuple(CheckConfirmed(c.rule, c.confirmed, c.note) for c in body.checks),
                        body.lower_award, body.note)

    return build


def sign_off(user: Actor, task_id: str, body: SignOffCreate) -> Build:
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return SignOffAppraisal(UUID(task["nomination_id"]), task_id, body.agreed, body.note)

    return build


def answer_consultation(user: Actor, task_id: str, agency: str,
                        body: ConsultationAnswerCreate) -> Build:
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return AnswerConsultation(UUID(task["nomination_id"]), task_id, agency, body.answer,
                                  body.note, body.document_id)

    return build


def assign(user: Actor, task_id: str, body: TaskAssignmentCreate) -> Build:
    """A claim (no assignee, or one's own id) or the head's assignment of a task of the
    caller's unit."""
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return AssignTask(UUID(task["nomination_id"]), task_id, body.assignee or "")

    return build

