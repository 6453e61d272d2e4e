"""RFC 9457 problem details: one place that turns every error into problem+json.

Each problem has a stable ``type`` (``/problems/<code>``) that clients may rely on;
``GET /problems/<code>`` describes it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from domain import errors

MEDIA_TYPE = "application/problem+json"

STATUS_OF: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.WrongRole: 403,
    errors.UnknownAward: 422,
    errors.UnknownOrgUnit: 422,
    errors.NomineeNotEligible: 422,
    errors.WrongLevel: 422,
    errors.InvalidVoteTally: 422,
    errors.QuorumNotMet: 422,
    errors.OutcomeContradictsTally: 422,
    errors.ProcedureNotOffered: 422,
    errors.NotInPublicNotice: 409,
    errors.WrongTaskKind: 409,
    errors.TaskClosed: 409,
    errors.InvalidTransition: 409,
    errors.ConcurrentChange: 409,
    errors.StaleVersion: 412,
    errors.IdempotencyKeyReused: 422,
}

# Problems raised by the HTTP layer itself, not by the domain.
HTTP_PROBLEMS: dict[str, tuple[int, str]] = {
    "unauthenticated": (401, "Authentication required"),
    "invalid-body": (422, "The request body or parameters are not valid"),
    "malformed-json": (400, "The request body is not valid JSON"),
    "not-found": (404, "No such resource"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-ready": (503, "A component Laurel needs is not reachable"),
    "overloaded": (503, "Laurel is serving as many requests as it can: try again shortly"),
    "unsupported-media-type": (415, "The request body must be JSON"),
    "body-too-large": (413, "The request body is larger than Laurel accepts"),
    "http-error": (400, "The request could not be served"),
}


BODY_NOT_PARSED = "There was an error parsing the body"
"""FastAPI's detail when a body could not be read as JSON at all."""


def problem_type(code: str) -> str:
    return f"/problems/{code}"


def problem(
    status: int, code: str, title: str, detail: str, request: Request | None = None,
    headers: dict[str, str] | None = None, **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": problem_type(code), "title": title, "status": status,
                            "detail": detail, **extra}
    if request is not None:
        body["instance"] = request.url.path
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def http_problem(
    code: str, detail: str, request: Request | None = None,
    headers: dict[str, str] | None = None, **extra: Any,
) -> JSONResponse:
    """A problem the HTTP layer raises itself, by its code in ``HTTP_PROBLEMS``."""
    status, title = HTTP_PROBLEMS[code]
    return problem(status, code, title, detail, request, headers, **extra)


class Unauthenticated(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def catalogue() -> dict[str, dict[str, Any]]:
    """Every problem type Laurel answers with, for ``GET /problems/<code>``."""
    entries = {code: {"status": s, "title": t} for code, (s, t) in HTTP_PROBLEMS.items()}
    for cls, status in STATUS_OF.items():
        entries[cls.code] = {"status": status, "title": cls.title}
    return entries


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.DomainError)
    async def _domain(request: Request, exc: errors.DomainError) -> JSONResponse:
        if isinstance(exc, errors.BulkItemRefused):
            # The item's own problem, naming the item; nothing of the list was recorded.
            inner = exc.error
            return problem(STATUS_OF.get(type(inner), 409), inner.code, inner.title,
                           exc.detail, request, item=exc.index)
        status = STATUS_OF.get(type(exc), 409)
        return problem(status, exc.code, exc.title, exc.detail, request)

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(request: Request, exc: Unauthenticated) -> JSONResponse:
        return http_problem("unauthenticated", exc.detail, request,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        found = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        code = "malformed-json" if any(e["type"] == "json_invalid" for e in found) else (
            "invalid-body"
        )
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in found)
        return http_problem(code, detail, request, errors=found)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated",
                413: "body-too-large"}.get(exc.status_code, "http-error")
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:
            code = "malformed-json"  # e.g. nested deeper than the JSON parser goes
        title = HTTP_PROBLEMS[code][1]
        return problem(exc.status_code, code, title, str(exc.detail), request,
                       headers=getattr(exc, "headers", None))


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in {
        400: "Malformed request", 401: "Not authenticated", 403: "Role not allowed",
        404: "Not found (or not yours)", 409: "Conflicts with the nomination's state",
        412: "The nomination changed since the version in If-Match", 422: "Invalid input",
    }.items()
}
