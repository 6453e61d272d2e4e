"""Nominations: propose one, read where it is, read its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.engine import Connection

from api import commands, deps
from api.deps import CurrentUser, LaurelDep, Limit, NewCommand, Offset, read_models
from api.problems import PROBLEM_RESPONSES, language_of
from api.reads import eligibility
from api.reads import nominations as reads
from api.schemas import (
    HistoryPublic,
    NominationCreate,
    NominationCreated,
    NominationEligibility,
    NominationPublic,
    NominationsPublic,
)
from domain.actor import Actor
from domain.commands import Proposal
from infrastructure.container import Laurel

router = APIRouter(prefix="/nominations", tags=["nominations"], responses=PROBLEM_RESPONSES)

Search = Annotated[str | None, Query(
    max_length=reads.QUERY_MAX_LENGTH,
    description="Find by nominee name, tracking code or decision number, accents and case "
                "aside: `nguyen thi hoa` finds *Nguyễn Thị Hoa* (`đ` is `d`); the words in "
                "order, the last one or more may be cut short (`nguyen thi h`, `thi hoa`); "
                "a code or number with or without its dashes, slashes and spaces "
                "(`k7m2qx9p4r`, `1234/qd`). Among the nominations listed without it, in "
                "the same order; `total` counts those found.",
    examples=["nguyen thi hoa"])]


@router.post("", status_code=status.HTTP_201_CREATED)
async def propose(
    body: NominationCreate, command: NewCommand, response: Response,
) -> NominationCreated:
    """A proposer nominates someone of their unit for an award (*đề nghị khen thưởng*)."""
    proposal = await command.give(commands.propose(body))
    assert isinstance(proposal, Proposal)
    created = commands.created_public(proposal)
    response.headers["Location"] = created.links["self"]
    return created


@router.get("")
async def list_nominations(
    user: CurrentUser, laurel: LaurelDep, limit: Limit = 50, offset: Offset = 0,
    status: str | None = None, q: Search = None,
) -> NominationsPublic:
    """Nominations you may see: your unit's, and for reviewers, deciders and auditors,
    those of the units below yours. Newest first. With `q`, those found by name, tracking
    code or decision number."""
    return await read_models(laurel, lambda conn: reads.nominations_listing(
        user, laurel, conn, limit, offset, status, q=q))


T = TypeVar("T")


async def once_projected(laurel: Laurel, user: Actor, nomination_id: str,
                         read: Callable[[Connection], T]) -> T:
    """``read``, waiting a moment for a nomination the event store holds for this reader
    and the read models do not show yet (a proposal answered a moment ago)."""
    return await deps.once_projected(laurel, read, lambda: reads.recorded_for(
        user, laurel, nomination_id))


@router.get("/{nomination_id}")
async def get_nomination(
    nomination_id: str, user: CurrentUser, laurel: LaurelDep, request: Request,
    response: Response,
) -> NominationPublic:
    """Where the nomination is now: status, level, open task and its due date, and the
    latest eligibility verdict recorded (explained in the request's language). The `ETag`
    is its version: send it back in `If-Match` to act only on what you read."""
    language = language_of(request)
    nomination = await once_projected(laurel, user, nomination_id, lambda conn: reads.nomination(
        user, laurel, conn, nomination_id, language))
    response.headers["ETag"] = f'"{nomination.version}"'
    return nomination


@router.get("/{nomination_id}/eligibility")
async def get_eligibility(
    nomination_id: str, user: CurrentUser, laurel: LaurelDep, request: Request,
    at: Annotated[datetime | None, Query(
        description="an auditor's question: the verdict recorded in force at this moment "
                    "(ISO 8601 with its offset), with the rules, facts and policy version "
                    "that gave it")] = None,
) -> NominationEligibility:
    """The award's rules on the nominee as things stand — `{"eligible", "checks": [{"rule",
    "passed", "explanation", "evidence", "legal_basis"}]}`, explanations in the request's
    language — and every verdict recorded with the proposal and each council's ballot."""
    language = language_of(request)
    return await once_projected(laurel, user, nomination_id, lambda conn: (
        eligibility.nomination_eligibility(user, laurel, conn, nomination_id, at, language)))


@router.get("/{nomination_id}/history")
async def get_history(
    nomination_id: str, user: CurrentUser, laurel: LaurelDep
) -> HistoryPublic:
    """Every event of the nomination, oldest first, with who did it and when."""
    return await once_projected(laurel, user, nomination_id, lambda conn: reads.nomination_history(
        nomination_id, user, laurel, conn))
