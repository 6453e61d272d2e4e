"""The whole system in this process: worker, relay, projector and API on real components."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI
from temporalio.client import Client

from api.app import create_app
from infrastructure.container import Laurel
from projections.projector import Projector
from workflows.relay import EventRelay
from workflows.worker import build_worker

T = TypeVar("T")

SECOND_NAMESPACE = "laurel-second"
"""A namespace the suite's Temporal dev server has besides ``default``."""


async def eventually(probe: Callable[[], Awaitable[T | None]], within: float = 30) -> T:
    """Poll ``probe`` until it returns something truthy (the system is asynchronous)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting after {within} s")
        await asyncio.sleep(0.05)


@dataclass
class RunningSystem:
    """Worker, relay, projector and API running in this process on real components."""

    laurel: Laurel
    http: httpx.AsyncClient
    client: Client
    app: FastAPI
    background: list[asyncio.Task[None]] = field(default_factory=list)

    def set_clock(self, moment: datetime) -> None:
        """The time the API stamps on commands from now on (policy versions follow it)."""
        self.laurel.clock = lambda: moment

    async def open_task(self, headers: dict[str, str]) -> dict[str, Any]:
        """Wait for the caller's inbox to show a task, and return the first."""

        async def first() -> dict[str, Any] | None:
            page = (await self.http.get("/tasks", headers=headers)).json()
            return page["items"][0] if page["items"] else None

        return await eventually(first)


@asynccontextmanager
async def running_system(laurel: Laurel, client: Client) -> AsyncIterator[RunningSystem]:
    stop = asyncio.Event()
    app = create_app(laurel=laurel)
    worker = build_worker(client, laurel.commands, laurel.settings.task_queue)
    relay = EventRelay(client, laurel.log, laurel.engine, laurel.settings.task_queue)
    projector = Projector(laurel.engine, laurel.log)
    async with worker, app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as http:
            running = RunningSystem(laurel, http, client, app)
            running.background = [
                asyncio.create_task(relay.run(stop)),
                asyncio.create_task(projector.run(stop)),
            ]
            yield running
            stop.set()
            await asyncio.gather(*running.background)
