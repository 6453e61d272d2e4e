"""The register of initiatives (*sáng kiến*): registered by a unit's keepers once a
council has recognised them, found by title, and shown with every nomination that rested
on them (an initiative is the basis of one award only: ``domain.initiative``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from api import deps
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.people_schemas import (
    InitiativeCreate,
    InitiativeCreated,
    InitiativePublic,
    InitiativesPublic,
)
from api.problems import PROBLEM_RESPONSES
from api.reads import initiatives as reads
from domain.commands import InitiativeChanged, RegisterInitiative

router = APIRouter(prefix="/initiatives", tags=["initiatives"], responses=PROBLEM_RESPONSES)

Search = Annotated[str | None, Query(
    max_length=100, description="Find by title (accents and case aside, from any of its "
                                "words on: `phan mem quan ly`)",
    examples=["phan mem quan ly"])]


@router.post("", status_code=status.HTTP_201_CREATED)
async def register(body: InitiativeCreate, command: NewCommand,
                   response: Response) -> InitiativeCreated:
    """A unit's clerk (or an administrator, for a unit below) registers an initiative its
    council recognised, naming its authors from the register (one at least of the
    unit's own)."""
    changed = await command.give(RegisterInitiative(
        body.title, tuple(UUID(a) for a in body.authors), body.recognised_on.isoformat(),
        body.recognition, body.scope, body.unit_id or ""))
    assert isinstance(changed, InitiativeChanged)
    links = reads.links(str(changed.initiative_id))
    response.headers["Location"] = links["self"]
    return InitiativeCreated(id=str(changed.initiative_id), version=changed.version,
                             links=links)


@router.get("")
async def list_initiatives(user: CurrentUser, laurel: LaurelDep, q: Search = None,
                           limit: Limit = 50, offset: Offset = 0) -> InitiativesPublic:
    """The initiatives of the units you may see, by title; with `q`, those found."""
    return await read_models(laurel, lambda conn: reads.listing(
        user, laurel.policy, conn, q, limit, offset))


@router.get("/{initiative_id}")
async def get_initiative(initiative_id: str, user: CurrentUser,
                         laurel: LaurelDep) -> InitiativePublic:
    """The initiative, its authors and every use: which nomination, award, year and
    unit rested on it (a released use no longer counts)."""
    return await deps.once_projected(
        laurel, lambda conn: reads.initiative(user, laurel.policy, conn, initiative_id),
        lambda: reads.recorded_for(user, laurel, initiative_id))
