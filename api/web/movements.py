"""Emulation movements in the pages: the list a unit may see, and a movement's page —
its decision, scope, forms, dossier window, result, and its nominations by state."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import laurel_of, read_models
from api.reads import movements as reads
from api.web.session import refused, render, signed_in
from domain.errors import DomainError

router = APIRouter(prefix="/ui", include_in_schema=False)
PAGE = 50


@router.get("/movements", response_class=HTMLResponse)
async def movements(request: Request, offset: int = 0) -> Response:
    user, laurel = signed_in(request), laurel_of(request)
    listing = await read_models(laurel, lambda conn: reads.listing(
        user, laurel, conn, PAGE, max(offset, 0)))
    return render(request, "movements.html", listing=listing)


@router.get("/movements/{movement_id}", response_class=HTMLResponse)
async def movement(request: Request, movement_id: str) -> Response:
    user, laurel = signed_in(request), laurel_of(request)
    try:
        found = await read_models(laurel, lambda conn: reads.movement(user, laurel, conn,
                                                                       movement_id))
    except DomainError as error:
        return refused(request, error, "/ui/movements")
    return render(request, "movement.html", m=found)
