"""Recording a decision (``RecordDecision``), given through ``Nominations.handle`` like
every other command: the decider's open decision tasks decided by one numbered document.

Everything is checked before anything is saved: each item as ``Nomination.decide`` checks
a single decision (the decider's own open decision task, the date, the authority), a
refusal naming its item; the items share one deciding authority, which the document is
issued under; the number is free in the unit's register. Then each nomination's
``Decided`` (carrying the decision's id) and the decision's own ``Recorded`` are saved in
one transaction, with what the decisions change in the register (the nominees' awards),
or none of them. A number taken meanwhile by another request is caught by the store
itself (``domain.decision``) and refused as the number it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.acting import act_on_read, changed
from domain.commands import Context, DecisionRecorded, RecordDecision
from domain.decision import Decision, Item, decision_id
from domain.errors import (
    BulkItemRefused,
    ConcurrentChange,
    DecisionNumberUsed,
    DomainError,
    MixedAuthorities,
    StaleVersion,
)
from domain.nomination import Nomination
from domain.vocabulary import Role

if TYPE_CHECKING:
    from domain.application import Nominations


class Decisions:
    """The decisions' side of ``Nominations``: same event store, same saves."""

    def __init__(self, app: Nominations) -> None:
        self.app = app

    def record(self, command: RecordDecision, context: Context) -> DecisionRecorded:
        """Record ``command``'s decision; a keyed request already recorded is answered as
        it stands and records nothing."""
        request = command.digest(context)
        actor = context.actor
        role = actor.acting_as(Role.DECIDER)
        number = " ".join(command.decision_number.split())
        new_id = decision_id(actor.unit_id, number)
        self.app.require_saved(new_id)  # the same number given a moment ago, in this group
        if (earlier := self._earlier(new_id, request)) is not None:
            return earlier
        loaded: dict[UUID, Nomination] = {}
        authority = ""
        single = len(command.items) == 1
        for i, item in enumerate(command.items):
            with _naming_item(i, single):
                nomination = loaded.get(item.nomination_id) or self.app._get(item.nomination_id)
                self._decide(nomination, item.task_id, item.outcome, command, context,
                             number, request, new_id, single, item.granted_award)
                own = nomination.route.decision.authority.vi
                if authority and own != authority:
                    raise MixedAuthorities(
                        f"Its award is decided by {nomination.route.decision.authority.en}, "
                        f"the decision's first item's by another authority ({authority})",
                        vi=f"Hình thức khen thưởng này thuộc thẩm quyền {own}, khác với mục "
                           f"đầu của quyết định ({authority})")
                authority = own
            loaded[item.nomination_id] = nomination
        decision = Decision.record(
            actor=actor, role=role, number=number, decision_date=command.decision_date,
            signer=" ".join(command.signer.split()), authority=authority,
            items=[Item(str(i.nomination_id), i.task_id, i.outcome) for i in command.items],
            at=context.at, request=request)
        try:
            self.app._save(*loaded.values(), decision)
        except ConcurrentChange:
            # The number may have been taken meanwhile: the store refused its creation.
            if (earlier := self._earlier(new_id, request)) is not None:
                return earlier
            raise
        return DecisionRecorded(decision.id, [changed(loaded[i.nomination_id])
                                              for i in command.items])

    def _decide(self, nomination: Nomination, task_id: str, outcome: str,
                command: RecordDecision, context: Context, number: str, request: str,
                new_id: UUID, single: bool, granted_award: str = "") -> None:
        """One item decided as ``Nomination.decide`` decides. A decision of one item (the
        single-task route) honours the version its caller read (``If-Match``), as any
        command on one nomination: asked after who may act, and before any other
        refusal, which a stale read explains better."""
        policy = self.app.policy_of(nomination)
        act_on_read(nomination, lambda n: n.decide(
            task_id, actor=context.actor, outcome=outcome, decision_number=number,
            decision_date=command.decision_date, signer=" ".join(command.signer.split()),
            at=context.at, authority=command.authority, request=request,
            zone=policy.calendar.zone, decision_id=str(new_id),
            granted_award=granted_award, awards=policy.award),
            context.expected_version if single else None)

    def _earlier(self, new_id: UUID, request: str) -> DecisionRecorded | None:
        """The decision of this number, if it is recorded: answered when this same keyed
        request recorded it, refused otherwise (the number is taken)."""
        decision = self.find(new_id)
        if decision is None:
            return None
        if not request or request not in decision.requests:
            raise DecisionNumberUsed(
                f"Decision number {decision.number} of {decision.decision_date} is already "
                f"in the register of unit {decision.unit_id}; nothing was recorded",
                vi=f"Số quyết định {decision.number} đã được dùng cho quyết định ngày "
                   f"{decision.decision_date} trong sổ của đơn vị; chưa ghi nhận gì")
        return DecisionRecorded(decision.id, [
            changed(self.app._get(UUID(item.nomination_id))) for item in decision.items])

    def find(self, decision_id: UUID) -> Decision | None:
        """The decision as the event store holds it (None: no such decision)."""
        try:
            found: object = self.app.repository.get(decision_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Decision) else None


@contextmanager
def _naming_item(index: int, single: bool) -> Iterator[None]:
    """A refusal of one item of a list names it; a single item's is its own (the
    single-task route answers as it always did)."""
    try:
        yield
    except DomainError as error:
        if single or isinstance(error, StaleVersion):
            raise
        raise BulkItemRefused(index, error) from None

