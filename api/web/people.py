"""A person's or collective's page: who they are, the units they belonged to, and every
title and award they hold, printable (the nominee keeps it; a council reads it)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import laurel_of, read_models
from api.reads import people as reads
from api.web.session import refused, render, signed_in
from domain.errors import DomainError

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/people/{person_id}", response_class=HTMLResponse)
async def person(request: Request, person_id: str) -> Response:
    user = signed_in(request)
    laurel = laurel_of(request)
    policy = laurel.policy
    try:
        found, held = await read_models(laurel, lambda conn: (
            reads.person(user, policy, conn, person_id),
            reads.awards(user, policy, conn, person_id)))
    except DomainError as error:
        return refused(request, error, "/ui")
    return render(request, "person.html", p=found, awards=held.items, today=laurel.clock())
