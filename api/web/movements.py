"""Emulation movements in the pages: the list a unit may see, with the form that launches
one; a movement's page — its decision, scope, forms, dossier window, result, and its
nominations by state —, with the form that closes it for the unit that launched it."""

from __future__ import annotations

from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from api import deps, labels, movement_commands
from api.deps import CommandContext, laurel_of, read_models
from api.movement_schemas import MovementClose, MovementCreate
from api.reads import movements as reads
from api.web.session import act_on_form, flash, refused, render, signed_in
from domain.commands import MovementChanged
from domain.errors import DomainError
from domain.vocabulary import Role

router = APIRouter(prefix="/ui", include_in_schema=False)
PAGE = 50
LAUNCHERS = frozenset({Role.PROPOSER, Role.REVIEWER, Role.DECIDER, Role.ADMIN})
"""The unit's clerk, council secretary, head or administrator (``domain.movements``)."""


@router.get("/movements", response_class=HTMLResponse)
async def movements(request: Request, offset: int = 0) -> Response:
    user, laurel = signed_in(request), laurel_of(request)
    listing = await read_models(laurel, lambda conn: reads.listing(
        user, laurel, conn, PAGE, max(offset, 0)))
    policy = laurel.policy
    may_launch = bool(LAUNCHERS & user.roles)
    units = [(u, labels.unit_name(policy, u) or u)
             for u in (policy.org.subtree(user.unit_id) or [user.unit_id])] if may_launch else []
    return render(request, "movements.html", listing=listing, may_launch=may_launch,
                  units=units, key=str(uuid4()),
                  awards=[(code, labels.award_name(policy, code)) for code in policy.awards])


@router.post("/movements", response_class=HTMLResponse)
async def launch(request: Request) -> Response:
    """Launch a movement of one's unit from the form; on to its page."""
    async def act(context: CommandContext, form: FormData) -> str:
        body = MovementCreate.model_validate({
            **{name: str(form.get(name, "")).strip() for name in (
                "name", "decision_number", "decision_date", "period_from", "period_to",
                "criteria", "dossier_from", "dossier_until")},
            "scope": form.getlist("scope"), "award_codes": form.getlist("award_codes")})
        changed = await context.give(movement_commands.launch(body))
        assert isinstance(changed, MovementChanged)
        flash(request, "flash.movement_launched", {"name": body.name})
        return f"/ui/movements/{changed.movement_id}"

    return await act_on_form(request, act, lambda _: "/ui/movements")


@router.get("/movements/{movement_id}", response_class=HTMLResponse)
async def movement(request: Request, movement_id: str) -> Response:
    user, laurel = signed_in(request), laurel_of(request)
    try:
        # One just launched is shown once the read models hold it (read your writes).
        found = await deps.once_projected(
            laurel, lambda conn: reads.movement(user, laurel, conn, movement_id),
            lambda: reads.recorded_for(user, laurel, movement_id))
    except DomainError as error:
        return refused(request, error, "/ui/movements")
    may_close = (found.status == "open" and found.unit_id == user.unit_id
                 and bool(LAUNCHERS & user.roles))
    return render(request, "movement.html", m=found, may_close=may_close, key=str(uuid4()),
                  scope_names=[labels.unit_name(laurel.policy, u) or u for u in found.scope])


@router.post("/movements/{movement_id}/close", response_class=HTMLResponse)
async def close(request: Request, movement_id: str) -> Response:
    """Close one's unit's movement with its result, from its page."""
    async def act(context: CommandContext, form: FormData) -> str:
        body = MovementClose.model_validate({"result": str(form.get("result", "")).strip()})
        await context.give(movement_commands.close(movement_id, body))
        flash(request, "flash.movement_closed")
        return f"/ui/movements/{movement_id}"

    return await act_on_form(request, act, lambda _: f"/ui/movements/{movement_id}")
