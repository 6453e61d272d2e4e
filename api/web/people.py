"""A person's or collective's page: who they are, the units they belonged to, and every
title and award they hold, printable (the nominee keeps it; a council reads it); the
titles they registered for this year and the next (*đăng ký thi đua*), which their
unit's clerk registers and withdraws there."""

from __future__ import annotations

from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from api import commands, labels
from api.deps import CommandContext, laurel_of, read_models
from api.movement_schemas import RegistrationCreate, RegistrationWithdrawal
from api.reads import movements as registrations
from api.reads import people as reads
from api.web.session import act_on_form, flash, refused, render, signed_in
from domain.commands import RegistrationChanged
from domain.errors import DomainError
from domain.vocabulary import Role

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/people/{person_id}", response_class=HTMLResponse)
async def person(request: Request, person_id: str) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    policy = laurel.policy
    this_year = laurel.clock().astimezone(policy.calendar.zone).year
    try:
        found, held, registered = await read_models(laurel, lambda conn: (
            reads.person(user, policy, conn, person_id),
            reads.awards(user, policy, conn, person_id),
            registrations.registered(user, laurel, conn, None, 200, 0, person_id)))
    except DomainError as error:
        return refused(request, error, "/ui")
    # Their unit's clerk registers and withdraws (an administrator, for units below).
    may_register = ((Role.PROPOSER in user.roles and found.unit_id == user.unit_id)
                    or Role.ADMIN in user.roles)
    return render(request, "person.html", p=found, awards=held.items, today=laurel.clock(),
                  registered=[r for r in registered.items if r.year >= this_year],
                  may_register=may_register, years=[this_year, this_year + 1],
                  titles=[(code, labels.award_name(policy, code))
                          for code, award in policy.awards.items()
                          if found.kind in award.nominee_kinds], key=str(uuid4()))


@router.post("/people/{person_id}/registrations", response_class=HTMLResponse)
async def register(request: Request, person_id: str) -> Response:
    """Register the titles chosen for the year chosen."""
    async def act(context: CommandContext, form: FormData) -> str:
        body = RegistrationCreate.model_validate({
            "person_id": person_id, "year": str(form.get("year", "")),
            "award_codes": form.getlist("award_codes")})
        changed = await context.give(commands.register_titles(body))
        assert isinstance(changed, RegistrationChanged)
        flash(request, "flash.registered", {"year": body.year, "count": len(changed.titles)})
        return f"/ui/people/{person_id}#registrations-h"

    return await act_on_form(request, act, lambda _: f"/ui/people/{person_id}")


@router.post("/people/{person_id}/registrations/withdrawal", response_class=HTMLResponse)
async def withdraw(request: Request, person_id: str) -> Response:
    """Withdraw one title registered, with the reason given."""
    async def act(context: CommandContext, form: FormData) -> str:
        body = RegistrationWithdrawal.model_validate({
            "person_id": person_id, "year": str(form.get("year", "")),
            "award_code": str(form.get("award_code", "")),
            "reason": str(form.get("reason", "")).strip()})
        await context.give(commands.withdraw_registration(body))
        flash(request, "flash.registration_withdrawn", {"year": body.year})
        return f"/ui/people/{person_id}#registrations-h"

    return await act_on_form(request, act, lambda _: f"/ui/people/{person_id}")
