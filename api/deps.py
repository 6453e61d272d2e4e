"""Dependencies the routes declare: the system and the caller for reads, one
``CommandContext`` for commands, and the helper that runs a read on a read-model connection.

The ones that do no I/O are ``async``: FastAPI runs a sync dependency on a worker thread,
and each such hop cost more than the whole domain command (profiled under load).

The caller and the command context read their headers (the bearer token,
``Idempotency-Key``, ``If-Match``) from the request themselves, checked as FastAPI would:
FastAPI solves each declared parameter and sub-dependency of every request anew, and for
these it cost ~70 µs of a proposal's ~740 µs of API CPU (measured, docs/performance.md). The
OpenAPI document still names them: ``COMMAND_HEADERS`` and ``SECURED`` say where, and
``api.app.document`` writes them in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import StringConstraints, TypeAdapter, ValidationError
from sqlalchemy.engine import Connection

from api.auth import verify_token
from api.oidc import Provider
from api.problems import Unauthenticated
from domain.actor import PUBLIC, Actor
from domain.commands import Command, Context, Result
from domain.errors import NotFound, StaleVersion
from infrastructure.container import Laurel

BEARER = HTTPBearer(auto_error=False, description="A token from `laurel token`")
"""Reads the bearer token, and names the scheme in the OpenAPI document."""


def laurel_of(request: Request) -> Laurel:
    laurel: Laurel = request.app.state.laurel
    return laurel


async def get_laurel(request: Request) -> Laurel:
    return laurel_of(request)


T = TypeVar("T")


async def read_models(laurel: Laurel, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on a read-model connection, on a worker thread: one hop off the event
    loop for the whole read. (A sync dependency holding the connection and a sync route
    took three hops, a third of the status query's time.)"""

    def work() -> T:
        with laurel.engine.connect() as conn:
            return read(conn)

    return await asyncio.to_thread(work)


PROJECTION_WAIT_S = 2.0
"""How long a read waits for the projector to show what the event store holds."""


async def once_projected(laurel: Laurel, read: Callable[[Connection], T],
                         recorded: Callable[[], bool]) -> T:
    """``read``, waiting a moment if the read models do not show (``NotFound``) what the
    event store already holds for this reader (``recorded``, asked off the event loop):
    whoever made it and reads it at once finds it (read your writes), as the answer's
    ``links`` promise."""
    try:
        return await read_models(laurel, read)
    except NotFound:
        if not await asyncio.to_thread(recorded):
            raise
    deadline = asyncio.get_running_loop().time() + PROJECTION_WAIT_S
    while True:
        await asyncio.sleep(0.05)
        try:
            return await read_models(laurel, read)
        except NotFound:
            if asyncio.get_running_loop().time() > deadline:
                raise


async def current_user(request: Request) -> Actor:
    """The caller a bearer token names: one of Laurel's own (``laurel token``), or in
    production an ID token of the OpenID Connect provider."""
    return await _caller(request, await BEARER(request))


async def _caller(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Actor:
    if credentials is None:
        raise Unauthenticated("Send 'Authorization: Bearer <token>'",
                              vi="Hãy gửi kèm 'Authorization: Bearer <token>'")
    provider: Provider | None = request.app.state.oidc
    if provider is not None and provider.issued(credentials.credentials):
        return await provider.verify(credentials.credentials)
    laurel = laurel_of(request)
    return verify_token(laurel.signing_key, laurel.settings.jwt_issuer, credentials.credentials)


UNREADABLE_VERSION = 0
"""What an ``If-Match`` naming no version stands for: no nomination is ever at it, so the
command is refused as stale, after the checks that come first (who may act, on what,
with which body), and the refusal then says why."""


def expected_version(if_match: str | None) -> int | None:
    """The nomination version the caller read, from ``If-Match`` (None: any)."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() and len(tag) < 10 else UNREADABLE_VERSION


IF_MATCH = "if-match"
IDEMPOTENCY_KEY = "idempotency-key"
HEADER_DOCS: dict[str, dict[str, Any]] = {
    IF_MATCH: {
        "title": "If-Match", "schema": {"type": "string"},
        "description": 'Act only if the nomination is still at this version: the `ETag` of '
                       '`GET /nominations/{id}`, e.g. `"7"`. Otherwise 412 and nothing is '
                       'recorded.'},
    IDEMPOTENCY_KEY: {
        "title": "Idempotency-Key", "schema": {"type": "string", "minLength": 1,
                                                "maxLength": 200},
        "description": "Any unique string, e.g. a UUID. The same request sent again with the "
                       "same key gets the first answer and records nothing new; the key with "
                       "another request is refused (422)."},
}
"""The headers the command contexts read, as the OpenAPI document describes them."""
_IDEMPOTENCY_KEY: TypeAdapter[str] = TypeAdapter(
    Annotated[str, StringConstraints(min_length=1, max_length=200)])


def idempotency_key(request: Request) -> str:
    """The request's ``Idempotency-Key`` ("" without one); 422 as for any invalid input
    if it is empty or longer than 200 characters."""
    value = request.headers.get(IDEMPOTENCY_KEY)
    if value is None:
        return ""
    try:
        return _IDEMPOTENCY_KEY.validate_python(value)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("header", IDEMPOTENCY_KEY)}
             for e in error.errors(include_url=False)]) from None


@dataclass(frozen=True)
class CommandContext:
    """What a command route needs besides its body and path: who gives the command, the
    system it is given to (whose one clock dates it), the caller's idempotency key and, on
    an existing nomination, the version the caller read (``If-Match``).

    One dependency for all of it: FastAPI solves each dependency of each request anew, and
    with one apiece, solving them took half of a command's time on the event loop
    (py-spy)."""

    user: Actor
    laurel: Laurel
    key: str = ""
    expected: int | None = None

    async def give(self, command: Command | Callable[[Connection], Command]) -> Result:
        """Hand ``command`` to the nominations with this context, on the command thread
        (group commit); the state it left, once stored. A command on something the read
        models know of (a task, a nomination the caller must be able to see) comes as a
        function that checks it and builds the command there, on the same thread."""

        def handle() -> Result:
            if isinstance(command, Command):
                built = command
            else:
                with self.laurel.engine.connect() as conn:
                    built = command(conn)
            context = Context(self.user, self.laurel.clock(), self.expected, self.key)
            try:
                return self.laurel.nominations.handle(built, context)
            except StaleVersion:
                if self.expected == UNREADABLE_VERSION:
                    raise StaleVersion("If-Match names no version of the nomination: send "
                                       'its ETag, e.g. "7"',
                                       vi="If-Match không chỉ phiên bản nào của hồ sơ: hãy "
                                          'gửi ETag của hồ sơ, ví dụ "7"') from None
                raise

        return await self.laurel.commands.run(handle)


async def new_command(request: Request) -> CommandContext:
    """A command creating what it acts on (a proposal, a council's list of reviews)."""
    return _command(request, await current_user(request))


async def command_on_version(request: Request) -> CommandContext:
    """A command on an existing nomination, refused if it changed since ``If-Match``."""
    return _command(request, await current_user(request), on_version=True)


async def public_command_on_version(request: Request) -> CommandContext:
    """As ``command_on_version``, also for someone without an account: the command is
    then the public's (``PUBLIC``). A bad token is still refused."""
    credentials = await BEARER(request)
    user = PUBLIC if credentials is None else await _caller(request, credentials)
    return _command(request, user, on_version=True)


def _command(request: Request, user: Actor, on_version: bool = False) -> CommandContext:
    key = idempotency_key(request)
    expected = expected_version(request.headers.get(IF_MATCH)) if on_version else None
    return CommandContext(user, laurel_of(request), key, expected)


COMMAND_HEADERS: dict[Callable[..., Any], tuple[str, ...]] = {
    new_command: (IDEMPOTENCY_KEY,),
    command_on_version: (IF_MATCH, IDEMPOTENCY_KEY),
    public_command_on_version: (IF_MATCH, IDEMPOTENCY_KEY),
}
"""The headers each command context reads, for the OpenAPI document."""
SECURED: frozenset[Callable[..., Any]] = frozenset({current_user, *COMMAND_HEADERS})
"""Dependencies that read the bearer token: their operations name ``BEARER``'s scheme."""


LaurelDep = Annotated[Laurel, Depends(get_laurel)]
CurrentUser = Annotated[Actor, Depends(current_user)]
NewCommand = Annotated[CommandContext, Depends(new_command)]
CommandOnVersion = Annotated[CommandContext, Depends(command_on_version)]
PublicCommandOnVersion = Annotated[CommandContext, Depends(public_command_on_version)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
EventNumber = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="an event number")]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="a page of the list")]
Year = Annotated[int | None, Query(ge=1945, le=9999, description="a calendar year")]
