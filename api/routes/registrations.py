"""Registrations for the year's titles (*đăng ký thi đua*): people and collectives of the
register say, through their unit's clerk, which titles they aim at; where an award's
rules include `registered`, a nominee without the title registered for the nomination's
year fails it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import commands
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.movement_schemas import (
    RegisteredTitles,
    RegistrationCreate,
    RegistrationRecorded,
    RegistrationWithdrawal,
)
from api.problems import PROBLEM_RESPONSES
from api.reads import movements as reads
from domain.commands import RegistrationChanged

router = APIRouter(prefix="/registrations", tags=["movements"], responses=PROBLEM_RESPONSES)

Year = Annotated[int | None, Query(ge=2000, le=2200, description="only this year's")]


@router.post("")
async def register(body: RegistrationCreate, command: NewCommand) -> RegistrationRecorded:
    """Register titles for a person or collective of your unit (clerk; an administrator
    for units below): this year or a later one, titles of the catalogue; registering one
    again changes nothing."""
    changed = await command.give(commands.register_titles(body))
    assert isinstance(changed, RegistrationChanged)
    return RegistrationRecorded(registration_id=str(changed.registration_id),
                                version=changed.version, titles=changed.titles)


@router.post("/withdrawal")
async def withdraw(body: RegistrationWithdrawal, command: NewCommand) -> RegistrationRecorded:
    """Withdraw a title registered, with the reason (recorded)."""
    changed = await command.give(commands.withdraw_registration(body))
    assert isinstance(changed, RegistrationChanged)
    return RegistrationRecorded(registration_id=str(changed.registration_id),
                                version=changed.version, titles=changed.titles)


@router.get("")
async def registered(user: CurrentUser, laurel: LaurelDep, year: Year = None,
                     limit: Limit = 50, offset: Offset = 0) -> RegisteredTitles:
    """The titles registered by people and collectives of the units you may see."""
    return await read_models(laurel, lambda conn: reads.registered(user, laurel, conn, year,
                                                                   limit, offset))
