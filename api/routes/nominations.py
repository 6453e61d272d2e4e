"""Nominations: propose one, read where it is, read its history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response, status
from sqlalchemy.engine import Connection

from api import labels
from api.access import require_visible, visible_units
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.problems import PROBLEM_RESPONSES
from api.schemas import (
    HistoryEntry,
    HistoryPublic,
    NominationCreate,
    NominationCreated,
    NominationPublic,
    NominationsPublic,
    NominationSummary,
)
from domain.actor import Actor
from domain.commands import Proposal
from domain.errors import NotFound
from infrastructure.container import Laurel
from projections import queries

router = APIRouter(prefix="/nominations", tags=["nominations"], responses=PROBLEM_RESPONSES)


def nomination_public(laurel: Laurel, row: dict[str, Any]) -> NominationPublic:
    """The read-model row for the API, with names from the nomination's own policy."""
    policy = laurel.policies.version(row["policy_version"])
    route = [
        {"kind": "review", "level": r["level"], "unit_id": r["unit_id"],
         "unit_name": labels.unit_name(policy, r["unit_id"])}
        for r in row["route"]["reviews"]
    ]
    decision = row["route"]["decision"]
    route.append({"kind": "decision", "level": decision["level"],
                  "unit_id": decision["unit_id"],
                  "unit_name": labels.unit_name(policy, decision["unit_id"])})
    return NominationPublic.model_validate({
        **row,
        "status_label": labels.label(labels.STATUS, row["status"]),
        "award_name": labels.award_name(policy, row["award_code"]),
        "unit_name": labels.unit_name(policy, row["unit_id"]),
        "current_unit_name": labels.unit_name(policy, row["current_unit_id"]),
        "route": route,
    })


@router.post("", status_code=status.HTTP_201_CREATED)
async def propose(
    body: NominationCreate, command: NewCommand, response: Response,
) -> NominationCreated:
    """A proposer nominates someone of their unit for an award (*đề nghị khen thưởng*)."""
    proposal = await command.run(lambda: command.laurel.nominations.propose(
        command.user,
        award_code=body.award_code,
        nominee=body.nominee.model_dump(),
        achievements=body.achievements,
        documents=[d.model_dump() for d in body.documents],
        procedure=body.procedure,
        at=command.clock(),
        request_key=command.key,
    ))
    created = created_public(proposal)
    response.headers["Location"] = created.links["self"]
    return created


def created_public(proposal: Proposal) -> NominationCreated:
    location = f"/nominations/{proposal.id}"
    return NominationCreated(
        id=str(proposal.id), tracking_code=proposal.tracking_code, status="proposed",
        links={"self": location, "history": f"{location}/history",
               "tracking": f"/track/{proposal.tracking_code}"},
    )


@router.get("")
async def list_nominations(
    user: CurrentUser, laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
    status: str | None = None,
) -> NominationsPublic:
    """Nominations you may see: your unit's, and for reviewers, deciders and auditors,
    those of the units below yours. Newest first."""
    return await read_models(laurel, lambda conn: nominations_listing(
        user, laurel, conn, limit, offset, status))


def nominations_listing(
    user: Actor, laurel: Laurel, conn: Connection, limit: int, offset: int,
    status: str | None = None,
) -> NominationsPublic:
    rows, total = queries.nominations_of_units(
        conn, visible_units(user, laurel.policy.org), status, limit, offset
    )
    items = [
        NominationSummary.model_validate(
            {**r, "status_label": labels.label(labels.STATUS, r["status"])}
        )
        for r in rows
    ]
    return NominationsPublic(items=items, total=total, limit=limit, offset=offset)


def visible_row(
    user: Actor, laurel: Laurel, conn: Connection, nomination_id: str
) -> dict[str, Any]:
    try:
        UUID(nomination_id)
    except ValueError:
        raise NotFound(f"No nomination {nomination_id}") from None
    row = queries.nomination(conn, nomination_id)
    require_visible(user, laurel.policy.org, row, f"nomination {nomination_id}")
    assert row is not None
    return row


@router.get("/{nomination_id}")
async def get_nomination(
    nomination_id: str, user: CurrentUser, laurel: LaurelDep, response: Response,
) -> NominationPublic:
    """Where the nomination is now: status, level, open task and its due date. The
    `ETag` is its version: send it back in `If-Match` to act only on what you read."""
    row = await read_models(laurel, lambda conn: visible_row(user, laurel, conn,
                                                             nomination_id))
    response.headers["ETag"] = f'"{row["version"]}"'
    return nomination_public(laurel, row)


@router.get("/{nomination_id}/history")
async def get_history(
    nomination_id: str, user: CurrentUser, laurel: LaurelDep
) -> HistoryPublic:
    """Every event of the nomination, oldest first, with who did it and when."""
    return await read_models(laurel, lambda conn: nomination_history(
        nomination_id, user, laurel, conn))


def nomination_history(
    nomination_id: str, user: Actor, laurel: Laurel, conn: Connection
) -> HistoryPublic:
    visible_row(user, laurel, conn, nomination_id)
    items = [
        HistoryEntry.model_validate({**h, "label": labels.label(labels.EVENT, h["type"])})
        for h in queries.history_of(conn, nomination_id)
    ]
    return HistoryPublic(nomination_id=nomination_id, items=items)
