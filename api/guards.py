"""What the API refuses before any route runs.

- **Back-pressure**: past a limit of requests in flight, 503 at once. A client told to
  come back (``Retry-After``) does better than one left waiting for a timeout, and the
  requests already in flight still finish in good time. Health checks are always
  answered: an orchestrator must not take a busy process for a dead one.
- **Bodies**: JSON only (415, not a confusing 422) and no larger than the limit (413).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import http_problem
from api.uploads import MULTIPART_ALLOWANCE

ALWAYS_ANSWERED = frozenset({"/healthz", "/readyz"})
PAGES_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; "
                "frame-ancestors 'none'")
"""The pages load scripts, styles and images from Laurel only, never inline (no injected
markup can run), and are framed by no one (no clickjacking)."""
API_DOCS = ("/docs", "/redoc")
"""FastAPI's documentation pages load their viewer from a CDN, with an inline script."""


class InFlightLimit:
    def __init__(self, app: ASGIApp, limit: int, retry_after_s: int = 1) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = str(retry_after_s)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ALWAYS_ANSWERED:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            busy = http_problem("overloaded",
                                f"{self.in_flight} requests are being served; try again in "
                                f"{self.retry_after} s",
                                Request(scope), headers={"Retry-After": self.retry_after})
            await busy(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class SecurityHeaders:
    """Headers that tell browsers how little to trust: on every answer, no sniffing of
    types and no referrer beyond Laurel; on the pages, the content policy above and no
    caching of HTML (a signed-in page must not stay in a shared cache or history)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = [(b"x-content-type-options", b"nosniff"),
                 (b"referrer-policy", b"same-origin")]
        if path.startswith("/ui"):
            extra.append((b"content-security-policy", PAGES_POLICY.encode()))
            extra.append((b"x-frame-options", b"DENY"))
            if not path.startswith("/ui/static/"):
                extra.append((b"cache-control", b"no-store"))
        elif not path.startswith(API_DOCS):
            extra.append((b"content-security-policy", b"default-src 'none'; "
                                                      b"frame-ancestors 'none'"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                named = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in extra if h[0] not in named)]
            await send(message)

        await self.app(scope, receive, with_headers)


class AllowedMethods:
    """``OPTIONS`` answers with every method a path takes, and a 405's ``Allow`` names
    them all (Starlette names only those of the first route matching the path: ``POST``
    for ``/nominations``, which also takes ``GET``). ``HEAD`` is answered wherever ``GET``
    is, as ``GET`` without its body (FastAPI's routes take no ``HEAD``, though ``Allow``
    names it: a monitor's ``HEAD /healthz`` was 405)."""

    def __init__(self, app: ASGIApp, methods_of: Callable[[str], set[str]]) -> None:
        self.app = app
        self.methods_of = methods_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and (allow := self.allow(scope["path"])):
            await Response(status_code=204, headers={"Allow": allow})(scope, receive, send)
            return
        if scope["method"] == "HEAD" and "GET" in self.methods_of(scope["path"]):
            async def headers_only(message: Message) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)

            await self.app({**scope, "method": "GET"}, receive, headers_only)
            return

        async def naming_all(message: Message) -> None:
            # Asked only of a 405: matching every route costs each request otherwise.
            if message["type"] == "http.response.start" and message["status"] == 405 and (
                    allow := self.allow(scope["path"])):
                message["headers"] = [*(h for h in message.get("headers", [])
                                        if h[0].lower() != b"allow"), (b"allow", allow.encode())]
            await send(message)

        await self.app(scope, receive, naming_all)

    def allow(self, path: str) -> str:
        methods = self.methods_of(path)
        if not methods:
            return ""
        if "GET" in methods:
            methods.add("HEAD")
        return ", ".join(sorted(methods | {"OPTIONS"}))


UPLOADS = frozenset({"/people/awards/import", "/documents"})
"""The JSON API's routes that take a file (multipart), not JSON."""
FILES = frozenset({"/documents"})
"""Routes taking a document's file: held to ``upload_bytes`` (``api.uploads``, which
counts the file itself as it streams), not to the JSON bodies' limit."""


class BodyGuard:
    """JSON bodies only (415 otherwise), and none larger than ``max_bytes`` (413: at
    once when the length is declared, else as soon as the body passes it)."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.file_bytes = (upload_bytes or max_bytes) + MULTIPART_ALLOWANCE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in {"POST", "PUT", "PATCH"}:
            pages = (scope["path"].startswith("/ui/")  # forms and uploads, not JSON
                     or scope["path"] in UPLOADS)
            files = scope["path"] in FILES or (
                pages and scope["path"].endswith("/supplement"))  # a page's file
            limit = self.file_bytes if files else self.max_bytes
            refused = self._refusal(Request(scope), limit, forms=pages, files=files)
            if refused is not None:
                await refused(scope, receive, send)
                return
            receive = self._counted(receive, limit)
        await self.app(scope, receive, send)

    def _counted(self, receive: Receive, limit: int) -> Receive:
        """A body sent without a length is cut off once it passes the limit."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"The body passed {limit} bytes")
            return message

        return counted

    def _refusal(self, request: Request, limit: int, forms: bool = False,
                 files: bool = False) -> JSONResponse | None:
        """In the language the request asks for (``Accept-Language``)."""
        headers = request.headers
        declared = headers.get("content-length", "")
        size = int(declared) if declared.isdigit() else 0
        if size > limit:
            return http_problem("file-too-large" if files else "body-too-large",
                                f"The body is {size} bytes; at most {limit} are taken",
                                request)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        has_body = size > 0 or "transfer-encoding" in headers
        json_body = media_type == "application/json" or media_type.endswith("+json")
        form_body = media_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        if has_body and not json_body and not (forms and form_body):
            return http_problem("unsupported-media-type",
                                f"The body is {media_type or 'of no declared type'}; "
                                "send application/json", request)
        return None
