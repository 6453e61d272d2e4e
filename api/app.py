"""The FastAPI application. ``create_app`` builds it; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.routing import Match

from api import problems
from api.guards import AllowedMethods, BodyGuard, InFlightLimit, SecurityHeaders
from api.oidc import Provider
from api.routes import (
    actions,
    audit,
    health,
    nominations,
    objections,
    proposals,
    public,
    tasks,
)
from api.throttle import Throttles
from api.web import pages
from api.web.session import see
from infrastructure.container import Laurel, bootstrap
from infrastructure.mail import Mailer
from infrastructure.settings import Settings
from projections.schema import prepare_read_models

DESCRIPTION = """
**Laurel** runs the emulation and commendation process (*thi đua – khen thưởng*):
nominations proposed by units, reviewed by the council of each level, forwarded up and
decided by the authority the award needs. Errors are `application/problem+json`
(RFC 9457) with a stable `type`; `GET /problems/{code}` explains each.
"""


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def methods_of(app: FastAPI, path: str) -> set[str]:
    """Every method the app's routes take at ``path``, asked of the router itself."""
    return {method for method in METHODS if any(
        route.matches({"type": "http", "path": path, "method": method, "root_path": ""})[0]
        == Match.FULL for route in app.router.routes)}


def create_app(settings: Settings | None = None, laurel: Laurel | None = None) -> FastAPI:
    """Build the app; it bootstraps its own ``Laurel`` unless one is given (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = laurel is None
        app.state.laurel = laurel or bootstrap(settings or Settings())
        prepare_read_models(app.state.laurel.engine)  # refuses tables of another version
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
    app.add_middleware(BodyGuard, max_bytes=configured.api_max_body_bytes)
    app.add_middleware(InFlightLimit, limit=configured.api_max_in_flight)
    app.add_middleware(AllowedMethods, methods_of=lambda path: methods_of(app, path))
    app.add_middleware(SecurityHeaders)
    problems.install(app)
    for module in (nominations, actions, objections, proposals, tasks, audit, public, health):
        app.include_router(module.router)
    app.state.throttles = Throttles(configured)  # this process's own (api.throttle)
    app.state.mailer = Mailer.of(configured)
    app.state.oidc = Provider.of(configured)
    pages.install(app, secret=configured.signing_key(),
                  secure_cookies=configured.web_secure_cookies)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        """The address people type leads to the pages; the API's own is /docs."""
        return see("/ui")

    return app
