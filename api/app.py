"""The FastAPI application. ``create_app`` builds it; nothing happens at import."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Match

from api import problems
from api.deps import BEARER, COMMAND_HEADERS, HEADER_DOCS, SECURED
from api.guards import AllowedMethods, BodyGuard, InFlightLimit, SecurityHeaders
from api.oidc import Provider
from api.routes import (
    actions,
    audit,
    certificates,
    decisions,
    health,
    nominations,
    objections,
    paperwork,
    people,
    proposals,
    public,
    tasks,
)
from api.routes import clusters as cluster_routes
from api.routes import councils as council_routes
from api.routes import delegations as delegation_routes
from api.routes import documents as document_routes
from api.routes import initiatives as initiative_routes
from api.routes import movements as movement_routes
from api.routes import registrations as registration_routes
from api.routes import reports as report_routes
from api.throttle import Throttles
from api.web import pages, verify
from api.web.session import FRESHNESS_WAIT, see
from domain.policy import PolicyBook
from infrastructure.container import Laurel, bootstrap
from infrastructure.mail import Mailer
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import Settings
from projections.quotas import QuotaCounts
from projections.schema import prepare_read_models

DESCRIPTION = """
**Laurel** runs the emulation and commendation process (*thi đua – khen thưởng*):
nominations proposed by units, reviewed by the council of each level, forwarded up and
decided by the authority the award needs. Errors are `application/problem+json`
(RFC 9457) with a stable `type`; `GET /problems/{code}` explains each.
"""


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def methods_of(app: FastAPI, path: str) -> set[str]:
    """Every method ``path`` takes: as documented (the OpenAPI operations of its most
    specific template: ``/tasks/bulk-review`` is not ``/tasks/{task_id}``); for the
    pages, which are not documented there, as the router routes them."""
    documented = [(template, methods) for template, pattern, methods in _operations(app)
                  if pattern.fullmatch(path)]
    if documented:
        return set(min(documented, key=lambda found: found[0].count("{"))[1])
    return {method for method in METHODS if any(
        route.matches({"type": "http", "path": path, "method": method, "root_path": ""})[0]
        == Match.FULL for route in app.router.routes)}


def _operations(app: FastAPI) -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    if not hasattr(app.state, "operations"):
        app.state.operations = [
            (template, re.compile(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))),
             frozenset(m.upper() for m in item if m.upper() in METHODS))
            for template, item in app.openapi()["paths"].items()]
    return list(app.state.operations)


LINKS: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("/nominations", "post", "201"): {
        "GetNomination": ("/nominations/{nomination_id}", "get", {"nomination_id": "id"}),
        "GetHistory": ("/nominations/{nomination_id}/history", "get", {"nomination_id": "id"}),
        "Withdraw": ("/nominations/{nomination_id}/withdraw", "post", {"nomination_id": "id"}),
        "Supplement": ("/nominations/{nomination_id}/supplement", "post",
                       {"nomination_id": "id"}),
        "Object": ("/nominations/{nomination_id}/objections", "post", {"nomination_id": "id"}),
        "StateAsOf": ("/audit/nominations/{nomination_id}", "get", {"nomination_id": "id"}),
        "Track": ("/track/{tracking_code}", "get", {"tracking_code": "tracking_code"}),
    },
    ("/people", "post", "201"): {
        "GetPerson": ("/people/{person_id}", "get", {"person_id": "id"}),
        "GetAwards": ("/people/{person_id}/awards", "get", {"person_id": "id"}),
        "RecordAward": ("/people/{person_id}/awards", "post", {"person_id": "id"}),
        "Transfer": ("/people/{person_id}/transfers", "post", {"person_id": "id"}),
    },
    ("/nominations/{nomination_id}/objections", "post", "201"): {
        "Confirm": ("/nominations/{nomination_id}/objections/{objection_id}/confirmation",
                    "post", {"nomination_id": "nomination_id", "objection_id": "objection_id"}),
        "Resolve": ("/nominations/{nomination_id}/objections/{objection_id}/resolution", "post",
                    {"nomination_id": "nomination_id", "objection_id": "objection_id"}),
    },
}
"""What a client does next with what an answer names (OpenAPI links): the nomination a
proposal made is read, followed, withdrawn; the objection lodged is confirmed, resolved."""


def _name_callers_and_headers(app: FastAPI, schema: dict[str, Any]) -> None:
    """The bearer token and the command headers in each operation whose dependencies
    read them (``api.deps``): they take them from the request themselves, so FastAPI does
    not see them."""
    scheme = BEARER.scheme_name
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[scheme] = (
        BEARER.model.model_dump(mode="json", by_alias=True, exclude_none=True))
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        calls = _calls(route.dependant)
        headers = [h for call in calls for h in COMMAND_HEADERS.get(call, ())]
        for method in route.methods or ():
            operation = schema["paths"][context.path_format or route.path_format][
                method.lower()]
            if calls & SECURED:
                operation["security"] = [{scheme: []}]
            named = operation.setdefault("parameters", [])
            for header in dict.fromkeys(headers):
                docs = HEADER_DOCS[header]
                named.append({"name": header, "in": "header", "required": False,
                              "schema": {**docs["schema"], "title": docs["title"],
                                         "description": docs["description"]},
                              "description": docs["description"]})


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    """Every dependency's function a route's dependencies reach."""
    found: set[Callable[..., Any]] = set()
    for sub in dependant.dependencies:
        if sub.call is not None:
            found.add(sub.call)
        found |= _calls(sub)
    return found


def document(app: FastAPI, policies: Callable[[], PolicyBook]) -> None:
    """The OpenAPI document, completed: the award codes of the policy in force (``enum``;
    another is still a documented 422 ``/problems/unknown-award``) and the links between
    operations, so that a client, and a generator of requests, knows both."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:  # made once, when first asked for: not at start-up
            codes = sorted(policies().active(date.today()).awards)
            schema = FastAPI.openapi(app)
            award_code = schema["components"]["schemas"]["NominationCreate"]["properties"][
                "award_code"]
            award_code["enum"] = codes
            schema["components"]["schemas"]["AwardCreate"]["properties"]["award_code"][
                "enum"] = codes
            _name_callers_and_headers(app, schema)
            for (path, method, status), links in LINKS.items():
                answer = schema["paths"][path][method]["responses"][status]
                answer["links"] = {name: {
                    "operationId": schema["paths"][target][verb]["operationId"],
                    "parameters": {name: f"$response.body#/{field}"
                                   for name, field in parameters.items()}}
                    for name, (target, verb, parameters) in links.items()}
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, laurel: Laurel | None = None) -> FastAPI:
    """Build the app; it bootstraps its own ``Laurel`` unless one is given (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = laurel is None
        app.state.laurel = laurel or bootstrap(settings or Settings())
        prepare_read_models(app.state.laurel.engine)  # refuses tables of another version
        # Quotas are counted over the read models, which this process reads.
        app.state.laurel.nominations.candidates.quota_counter = QuotaCounts(
            app.state.laurel.engine)
        app.state.temporal = None
        yield
        if owned:
            app.state.laurel.close()

    configured = settings or (laurel.settings if laurel else Settings())
    on = configured.telemetry
    app = FastAPI(
        title="Laurel — thi đua, khen thưởng", version="0.1.0", description=DESCRIPTION,
        lifespan=lifespan, telemetry={"tracing": on, "metrics": on, "logs": on},
    )
    app.add_middleware(BodyGuard, max_bytes=configured.api_max_body_bytes,
                       upload_bytes=configured.max_upload_bytes)
    app.add_middleware(InFlightLimit, limit=configured.api_max_in_flight)
    app.add_middleware(AllowedMethods, methods_of=lambda path: methods_of(app, path))
    app.add_middleware(SecurityHeaders)
    problems.install(app)
    for module in (nominations, actions, objections, proposals, tasks, audit, public, health,
                   people):
        app.include_router(module.router)
    app.include_router(initiative_routes.router)
    app.include_router(decisions.router)
    app.include_router(paperwork.router)
    app.include_router(document_routes.router)
    app.include_router(certificates.router)
    app.include_router(verify.router)
    app.include_router(delegation_routes.router)
    app.include_router(council_routes.router)
    app.include_router(cluster_routes.router)
    app.include_router(report_routes.router)
    app.include_router(movement_routes.router)
    app.include_router(registration_routes.router)
    app.state.throttles = Throttles(configured)  # this process's own (api.throttle)
    app.state.mailer = Mailer.of(configured)
    app.state.oidc = Provider.of(configured)
    app.state.freshness_wait = FRESHNESS_WAIT  # a page's wait for the read models
    document(app, lambda: app.state.laurel.policies if hasattr(app.state, "laurel")
             else laurel.policies if laurel else load_policy_book(configured.policy_file))
    pages.install(app, secret=configured.signing_key(),
                  secure_cookies=configured.web_secure_cookies)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        """The address people type leads to the pages; the API's own is /docs."""
        return see("/ui")

    return app
