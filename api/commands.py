"""The commands the JSON routes and the pages give, built from a checked request body.

A command on something the read models know of is built by a function of a read-model
connection: it checks what the caller may act on (their unit's task, a nomination they
can see) and names the nomination. ``CommandContext.give`` runs it on the command thread
and hands the command over; routes and pages render what it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from sqlalchemy.engine import Connection

from api.problems import Unauthenticated
from api.reads.nominations import visible_row
from api.reads.tasks import own_task
from api.schemas import (
    ActionResult,
    BulkReviewCreate,
    DecisionCreate,
    NominationCreate,
    NominationCreated,
    ObjectionCreate,
    ObjectionResolutionCreate,
    ProposalCreate,
    ReviewCreate,
    RevocationCreate,
    SupplementCreate,
    TaskActionResult,
    WithdrawalCreate,
)
from domain.actor import PUBLIC, Actor
from domain.application import normalised_tracking_code
from domain.commands import (
    Changed,
    Command,
    Decide,
    LodgeObjection,
    NomineeItem,
    Proposal,
    Propose,
    ProposeList,
    ResolveObjection,
    Result,
    Review,
    ReviewItem,
    ReviewList,
    Revoke,
    Supplement,
    Withdraw,
)
from domain.errors import BulkItemRefused, NotFound
from infrastructure.container import Laurel
from projections import queries

Build = Callable[[Connection], Command]
"""A command built once the read models said what the caller may act on."""


def propose(body: NominationCreate) -> Propose:
    return Propose(body.award_code, body.nominee.model_dump(), body.achievements,
                   [d.model_dump() for d in body.documents], body.procedure)


def propose_list(body: ProposalCreate) -> ProposeList:
    return ProposeList(tuple(
        NomineeItem(i.award_code, i.nominee.model_dump(), i.achievements,
                    [d.model_dump() for d in i.documents], i.procedure)
        for i in body.items))


def supplement(user: Actor, laurel: Laurel, nomination_id: str,
               body: SupplementCreate) -> Build:
    def build(conn: Connection) -> Command:
        row = visible_row(user, laurel, conn, nomination_id)
        achievements = row["achievements"] if body.achievements is None else body.achievements
        return Supplement(UUID(nomination_id), [d.model_dump() for d in body.documents],
                          achievements, body.note)

    return build


def withdraw(user: Actor, laurel: Laurel, nomination_id: str,
             body: WithdrawalCreate) -> Build:
    def build(conn: Connection) -> Command:
        visible_row(user, laurel, conn, nomination_id)
        return Withdraw(UUID(nomination_id), body.reason)

    return build


def lodge_objection(user: Actor, nomination_id: str, body: ObjectionCreate) -> Build:
    """By anyone signed in, or by anyone with the tracking code of the public notice."""

    def build(conn: Connection) -> Command:
        row = queries.nomination(conn, nomination_id) if _is_uuid(nomination_id) else None
        if user is PUBLIC:
            code = normalised_tracking_code(body.tracking_code)
            if not code:
                raise Unauthenticated("Sign in, or give the tracking code of the public notice",
                                      vi="Hãy đăng nhập, hoặc nhập mã tra cứu của hồ sơ đang "
                                         "lấy ý kiến")
            if row is None or row["tracking_code"] != code:
                raise NotFound(f"No nomination {nomination_id} with that tracking code",
                               vi="Mã tra cứu không khớp với hồ sơ này")
        elif row is None:
            raise NotFound(f"No nomination {nomination_id}", vi=f"Không có hồ sơ {nomination_id}")
        return LodgeObjection(UUID(nomination_id), body.text, body.contact)

    return build


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
                      body.votes.model_dump(by_alias=True), body.note)

    return build


def decide(user: Actor, task_id: str, body: DecisionCreate) -> Build:
    def build(conn: Connection) -> Command:
        task = own_task(user, conn, task_id)
        return Decide(UUID(task["nomination_id"]), task_id, body.outcome,
                      body.decision_number, body.decision_date.isoformat(), body.signer,
                      body.authority)

    return build


def review_list(user: Actor, body: BulkReviewCreate) -> Build:
    """One council meeting's outcomes; an item whose task the unit does not hold refuses
    the list, naming the item."""

    def build(conn: Connection) -> Command:
        items = []
        for i, item in enumerate(body.items):
            try:
                task = own_task(user, conn, item.task_id)
            except NotFound as error:
                raise BulkItemRefused(i, error) from None
            items.append(ReviewItem(UUID(task["nomination_id"]), item.task_id, item.outcome,
                                    item.votes.model_dump(by_alias=True), item.note))
        return ReviewList(tuple(items))

    return build


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


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
