"""Delegations: a person on leave gives the tasks they hold to another of their unit for
a period (``domain.delegation``)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import NewCommand
from api.problems import PROBLEM_RESPONSES
from api.schemas import DelegationCreate, DelegationPublic
from domain.commands import Delegate, DelegationRecorded

router = APIRouter(prefix="/delegations", tags=["tasks"], responses=PROBLEM_RESPONSES)


@router.post("")
async def delegate(body: DelegationCreate, command: NewCommand) -> DelegationPublic:
    """Delegate the tasks held by `from` (empty: yourself; the unit's head records it for
    someone) to `to`, a person of your unit, until `until`. While it is in force, those
    tasks show in the delegate's `GET /tasks?assignee=me`, and the delegate's acts on
    them record both names (`on_behalf_of`)."""
    recorded = await command.give(Delegate(body.to, body.until, body.from_))
    assert isinstance(recorded, DelegationRecorded)
    return DelegationPublic(id=recorded.delegation_id, unit_id=recorded.unit_id,
                            delegator=recorded.delegator, delegate=recorded.delegate,
                            since=recorded.since, until=recorded.until)
