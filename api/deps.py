"""Dependencies the routes declare: the system, a read-model connection, the caller.

The ones that do no I/O are ``async``: FastAPI runs a sync dependency on a worker thread,
and each such hop cost more than the whole domain command (profiled under load).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Connection

from api.auth import verify_token
from api.oidc import Provider
from api.problems import Unauthenticated
from domain.errors import StaleVersion
from domain.nomination import Actor
from laurel.bootstrap import Laurel

_bearer = HTTPBearer(auto_error=False, description="A token from `laurel token`")


async def get_laurel(request: Request) -> Laurel:
    laurel: Laurel = request.app.state.laurel
    return laurel


async def get_clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = getattr(
        request.app.state, "clock", lambda: datetime.now(UTC)
    )
    return clock


T = TypeVar("T")


async def read_models(laurel: Laurel, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on a read-model connection, on a worker thread: one hop off the event
    loop for the whole read. (A sync dependency holding the connection and a sync route
    took three hops, a third of the status query's time.)"""

    def work() -> T:
        with laurel.engine.connect() as conn:
            return read(conn)

    return await asyncio.to_thread(work)


async def current_user(
    request: Request,
    laurel: Annotated[Laurel, Depends(get_laurel)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The caller a bearer token names: one of Laurel's own (``laurel token``), or in
    production an ID token of the OpenID Connect provider."""
    if credentials is None:
        raise Unauthenticated("Send 'Authorization: Bearer <token>'")
    provider: Provider | None = request.app.state.oidc
    if provider is not None and provider.issued(credentials.credentials):
        return await provider.verify(credentials.credentials)
    return verify_token(laurel.signing_key, laurel.settings.jwt_issuer, credentials.credentials)


async def optional_user(
    request: Request,
    laurel: Annotated[Laurel, Depends(get_laurel)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor | None:
    """The caller if they sent a token (a bad token is still refused), else None."""
    return None if credentials is None else await current_user(request, laurel, credentials)


async def if_match(
    if_match: Annotated[str | None, Header(
        description='Act only if the nomination is still at this version: the `ETag` '
                    'of `GET /nominations/{id}`, e.g. `"7"`. Otherwise 412 and nothing '
                    'is recorded.')] = None,
) -> int | None:
    """The nomination version the caller read, from ``If-Match`` (None: any)."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise StaleVersion(f"If-Match {if_match} names no version of a nomination")
    return int(tag)


async def idempotency_key(
    idempotency_key: Annotated[str | None, Header(
        min_length=1, max_length=200,
        description="Any unique string, e.g. a UUID. The same request sent again with the "
                    "same key gets the first answer and records nothing new; the key with "
                    "another request is refused (422).")] = None,
) -> str:
    return idempotency_key or ""


LaurelDep = Annotated[Laurel, Depends(get_laurel)]
CurrentUser = Annotated[Actor, Depends(current_user)]
Clock = Annotated[Callable[[], datetime], Depends(get_clock)]
IfMatch = Annotated[int | None, Depends(if_match)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
