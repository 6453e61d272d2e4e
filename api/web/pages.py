"""The pages for people: reviewers, proposers, nominees, auditors, the public. They give
the commands the JSON API gives (``api.commands``, ``CommandContext.give``) and read
through the same read side (``api.reads``), so the same roles, unit scoping, validation
and idempotency apply; ``api.web.session`` adds the session, the CSRF check on every
form, the language and what a page says after a command."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from api.problems import invalid_input_problem, localized
from api.web import (
    clusters,
    documents,
    meeting,
    movements,
    notifications,
    oversight,
    people,
    proposers,
    reviewers,
    sign_in,
)
from api.web.catalogue import message
from api.web.session import HERE, CsrfRefused, PagesSession, SignInFirst, language, render, see


def install(app: FastAPI, secret: str, secure_cookies: bool) -> None:
    """The pages, their static files, the session cookie and their error pages."""
    from fastapi.staticfiles import StaticFiles

    for module in (sign_in, reviewers, meeting, proposers, oversight, people, documents,
                   notifications, movements, clusters):
        app.include_router(module.router)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.add_middleware(PagesSession, secret=secret, secure_cookies=secure_cookies)

    @app.exception_handler(SignInFirst)
    async def _sign_in(request: Request, exc: SignInFirst) -> Response:
        return see(f"/ui/login?next={exc.next_path}")

    @app.exception_handler(RequestValidationError)
    async def _invalid_on_a_page(request: Request, exc: RequestValidationError) -> Response:
        """A page asked with parameters that make no sense (a page or year out of any
        range) says so on a page, in its language; the API answers problem+json."""
        if not request.url.path.startswith("/ui/"):
            return await invalid_input_problem(request, exc)
        _, detail = localized(exc, language(request))
        return render(request, "error.html", status_code=422, detail=detail, back="/ui")

    @app.exception_handler(CsrfRefused)
    async def _csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return render(request, "error.html", status_code=403,
                      detail=message("error.csrf", language(request)), back="/ui")
