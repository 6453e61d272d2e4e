"""Emulation movements (*phong trào thi đua*): launched by a unit with a decision, over
its units, with the forms of award it offers and its dossier window; closed with a
result. A nomination proposed in one (`movement_id`) is checked against it."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api import deps, movement_commands
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.movement_schemas import (
    MovementClose,
    MovementCreate,
    MovementCreated,
    MovementPublic,
    MovementsPublic,
)
from api.problems import PROBLEM_RESPONSES
from api.reads import movements as reads
from domain.commands import MovementChanged

router = APIRouter(prefix="/movements", tags=["movements"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED)
async def launch(body: MovementCreate, command: NewCommand,
                 response: Response) -> MovementCreated:
    """Launch a movement of your unit (clerk, council secretary, head or administrator):
    its decision's number is used once per unit; its scope is your unit or units below;
    its forms of award come from the catalogue (422 `/problems/invalid-movement`, or
    `/problems/unknown-award`, naming what is wrong)."""
    changed = await command.give(movement_commands.launch(body))
    assert isinstance(changed, MovementChanged)
    links = reads.links(str(changed.movement_id))
    response.headers["Location"] = links["self"]
    return MovementCreated(id=str(changed.movement_id), version=changed.version, links=links)


@router.get("")
async def list_movements(user: CurrentUser, laurel: LaurelDep, limit: Limit = 50,
                         offset: Offset = 0) -> MovementsPublic:
    """The movements you may see: launched by units you may see, or covering yours."""
    return await read_models(laurel, lambda conn: reads.listing(user, laurel, conn, limit,
                                                                offset))


@router.get("/{movement_id}")
async def get_movement(movement_id: str, user: CurrentUser,
                       laurel: LaurelDep) -> MovementPublic:
    """The movement and its nominations you may see, counted and listed by status."""
    return await deps.once_projected(
        laurel, lambda conn: reads.movement(user, laurel, conn, movement_id),
        lambda: reads.recorded_for(user, laurel, movement_id))


@router.post("/{movement_id}/close")
async def close(movement_id: str, body: MovementClose, command: NewCommand) -> MovementCreated:
    """Close your unit's movement with its result (once)."""
    changed = await command.give(movement_commands.close(movement_id, body))
    assert isinstance(changed, MovementChanged)
    return MovementCreated(id=movement_id, version=changed.version,
                           links=reads.links(movement_id))
