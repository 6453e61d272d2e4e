"""Back-pressure: past a limit of requests in flight, the API answers 503 at once.

A client told to come back (``Retry-After``) does better than one left waiting for a
timeout, and the requests already in flight still finish in good time. Health checks
are always answered: an orchestrator must not take a busy process for a dead one.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import HTTP_PROBLEMS, problem

ALWAYS_ANSWERED = frozenset({"/healthz", "/readyz"})


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
            status, title = HTTP_PROBLEMS["overloaded"]
            busy = problem(status, "overloaded", title,
                           f"{self.in_flight} requests are being served; try again in "
                           f"{self.retry_after} s", headers={"Retry-After": self.retry_after})
            await busy(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
