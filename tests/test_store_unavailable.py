"""A database busy or away is answered 503 ``/problems/store-unavailable`` with
``Retry-After`` at once, never a stall and never a 500, and nothing is half-written;
connections are bounded; the URL's parameters reach the event store; the library's
settings that would weaken the record are refused; ``/readyz`` does not ask Temporal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from api.app import create_app
from infrastructure.container import Laurel, bootstrap
from infrastructure.settings import Settings, UnsafeLibrarySetting
from laurel import private_postgres
from laurel.migrate import migrate
from tests.support.databases import require_postgres
from tests.support.nominations import NOMINATION, PROPOSER
from tests.support.people import JWT_SECRET

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


@pytest.fixture
def backend() -> str:
    """PostgreSQL only: its locks, pools and connection parameters are what is tested."""
    require_postgres()
    return "postgres"


@contextlib.asynccontextmanager
async def client_of(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(laurel=laurel)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://laurel",
                                     timeout=60) as client:
            yield client


def events_stored(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM laurel_events").fetchone()
        assert row is not None
        return int(row[0])


def assert_store_unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "/problems/store-unavailable"
    assert int(answer.headers["retry-after"]) >= 1


@contextlib.contextmanager
def lock_held(url: str, mode: str, seconds: float) -> Iterator[threading.Event]:
    """Another session holding ``mode`` on the events table for ``seconds``."""
    taken = threading.Event()

    def hold() -> None:
        with psycopg.connect(url) as conn:
            conn.execute(f"LOCK TABLE laurel_events IN {mode} MODE")
            taken.set()
            time.sleep(seconds)
            conn.rollback()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        yield taken
    finally:
        holder.join()


@pytest.mark.parametrize("mode", ["SHARE UPDATE EXCLUSIVE", "ACCESS EXCLUSIVE"])
async def test_a_lock_held_elsewhere_fails_a_proposal_fast_with_503_recording_nothing(
        laurel: Laurel, mode: str) -> None:
    """SHARE UPDATE EXCLUSIVE is VACUUM's lock (and ANALYZE's, CREATE INDEX
    CONCURRENTLY's): it conflicts with the writers' table lock."""
    url = laurel.settings.database_url
    assert url
    async with client_of(laurel) as http:
        assert (await http.post("/nominations", json=NOMINATION,
                                headers=PROPOSER)).status_code == 201
        before = events_stored(url)
        with lock_held(url, mode, seconds=3):
            started = time.monotonic()
            answer = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
            took = time.monotonic() - started
        assert_store_unavailable(answer)
        assert answer.headers["retry-after"] == "1"
        print(f"refused after {took:.2f} s")
        assert took < 2.5, f"the proposal waited {took:.1f} s for a lock held 3 s"
        assert events_stored(url) == before  # nothing half-written
        again = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
        assert again.status_code == 201  # the lock gone, the store takes commands again
        assert events_stored(url) == before + 1


async def test_a_lock_timeout_is_not_retried(laurel: Laurel) -> None:
    """The library retries an OperationalError ten times 0.2 s apart: a lock timeout of
    1 s would become 12 s. Laurel's recorder gives it up at the first."""
    url = laurel.settings.database_url
    assert url
    recorder = laurel.nominations.recorder
    with lock_held(url, "ACCESS EXCLUSIVE", seconds=4):
        started = time.monotonic()
        with pytest.raises(Exception) as raised:
            recorder.select_notifications(start=1, limit=1)
        took = time.monotonic() - started
    assert isinstance(raised.value.__cause__, psycopg.errors.LockNotAvailable)
    assert 0.8 < took < 2


def test_the_table_lock_waits_no_longer_than_the_session_says(laurel: Laurel) -> None:
    recorder = laurel.nominations.recorder
    statements = [s.as_string() for s in recorder.lock_table_statements]  # type: ignore[attr-defined]
    assert statements and all("lock_timeout" not in s for s in statements)
    assert any("LOCK TABLE" in s for s in statements)
    with recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
        assert conn.execute("SHOW lock_timeout").fetchone()["lock_timeout"] == "1s"
        assert conn.execute("SHOW statement_timeout").fetchone()["statement_timeout"] == "1min"


async def test_postgresql_stopped_gives_503s_and_no_500s_then_recovery(tmp_path: Path) -> None:
    if not private_postgres.available():
        pytest.skip("initdb and pg_ctl are not installed")
    with private_postgres.private_cluster() as cluster:
        url = cluster.create_database("laurel")
        settings = Settings(data_dir=tmp_path / "data", database_url=url,
                            jwt_secret=JWT_SECRET, database_connect_timeout=2)
        migrate(settings)
        laurel = bootstrap(settings)
        try:
            async with client_of(laurel) as http:
                first = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
                assert first.status_code == 201
                read = f"/nominations/{first.json()['id']}"
                cluster.stop()
                statuses: Counter[int] = Counter()
                started = time.monotonic()
                answers = await asyncio.gather(
                    *[http.post("/nominations", json=NOMINATION, headers=PROPOSER)
                      for _ in range(20)],
                    *[http.get(read, headers=PROPOSER) for _ in range(5)],
                    http.get("/readyz"))
                took = time.monotonic() - started
                statuses.update(a.status_code for a in answers)
                assert set(statuses) == {503}, statuses
                for answer in answers[:-1]:
                    assert_store_unavailable(answer)
                assert answers[-1].json()["type"] == "/problems/not-ready"
                print(f"26 requests refused in {took:.2f} s")
                assert took < 20, f"26 requests took {took:.1f} s to be refused"

                cluster.start()
                deadline = time.monotonic() + 30
                while True:
                    answer = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
                    if answer.status_code == 201 or time.monotonic() > deadline:
                        break
                    assert answer.status_code == 503, answer.text
                    await asyncio.sleep(0.5)
                assert answer.status_code == 201, answer.text
                assert (await http.get("/readyz")).status_code == 200
        finally:
            laurel.close()
        assert events_stored(url) == 2  # the refused ones recorded nothing


async def test_the_pools_stay_within_their_bounds_under_load(laurel: Laurel) -> None:
    url = laurel.settings.database_url
    assert url
    bound = 2 * laurel.settings.database_pool_max
    seen: list[int] = []
    stop = threading.Event()

    def count() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while not stop.is_set():
                row = conn.execute("SELECT count(*) FROM pg_stat_activity "
                                   "WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid()").fetchone()
                assert row is not None
                seen.append(int(row[0]))
                time.sleep(0.02)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        async with client_of(laurel) as http:
            first = await http.post("/nominations", json=NOMINATION, headers=PROPOSER)
            read = f"/nominations/{first.json()['id']}"
            for _ in range(3):
                answers = await asyncio.gather(
                    *[http.post("/nominations", json=NOMINATION, headers=PROPOSER)
                      for _ in range(40)],
                    *[http.get(read, headers=PROPOSER) for _ in range(40)],
                    *[http.get("/readyz") for _ in range(10)])
                # (the reads are 404: no projector runs; they still take connections)
                assert {a.status_code for a in answers} <= {200, 201, 404}, Counter(
                    a.status_code for a in answers)
    finally:
        stop.set()
        counter.join()
    print(f"connections at most {max(seen)} (bound {bound})")
    assert seen and max(seen) <= bound, (max(seen), bound)


def test_url_parameters_reach_the_event_stores_connections(
        postgres_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data",
                        database_url=f"{postgres_url}?sslmode=disable"
                                     "&application_name=laurel-url-test")
    migrate(settings)
    laurel = bootstrap(settings)
    try:
        laurel.log.last_position()
        with laurel.nominations.recorder.datastore.get_connection() as conn:  # type: ignore[attr-defined]
            row = conn.execute(
                "SELECT a.application_name, s.ssl FROM pg_stat_activity a "
                "JOIN pg_stat_ssl s USING (pid) WHERE a.pid = pg_backend_pid()").fetchone()
        assert row == {"application_name": "laurel-url-test", "ssl": False}
    finally:
        laurel.close()

    requiring = settings.model_copy(update={"database_url": f"{postgres_url}?sslmode=require"})
    with psycopg.connect(postgres_url) as conn:
        ssl_on = conn.execute("SHOW ssl").fetchone() == ("on",)
    if ssl_on:
        pytest.skip("this server speaks TLS: sslmode=require cannot be told apart")
    with pytest.raises(Exception, match="SSL"):
        bootstrap(requiring).close()  # the event store asked for TLS, as the URL says


@pytest.mark.parametrize("name", ["POSTGRES_ENABLE_DB_FUNCTIONS",
                                  "LAUREL_POSTGRES_ENABLE_DB_FUNCTIONS",
                                  "LAUREL_APPLICATION_RECORDER_TOPIC"])
def test_library_settings_that_weaken_the_record_are_refused_at_start(
        settings: Settings, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    migrate(settings)
    monkeypatch.setenv(name, "y")
    with pytest.raises(UnsafeLibrarySetting, match=name):
        bootstrap(settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    env.update({"LAUREL_DATA_DIR": str(settings.data_dir), name: "y",
                "LAUREL_DATABASE_URL": str(settings.database_url),
                "PYTHONPATH": str(ROOT)})
    refused = subprocess.run([sys.executable, "-m", "laurel", "api"], env=env, cwd=ROOT,
                             text=True, capture_output=True, timeout=60, check=False)
    assert refused.returncode == 2
    assert name in refused.stderr and "refuses to start" in refused.stderr


async def test_readyz_does_not_ask_temporal(laurel: Laurel) -> None:
    laurel.settings.temporal_address = "127.0.0.1:9"  # nothing listens there
    async with client_of(laurel) as http:
        ready = await http.get("/readyz")  # before, 503: "temporal: unreachable"
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {"event_store", "read_models"}


def test_a_pooled_connection_the_server_closed_is_replaced_without_an_error(
        laurel: Laurel) -> None:
    """After a PostgreSQL restart (or a pooler closing idle connections) the pool still
    holds connections the server has closed: the first use of each is given again, once,
    on a new connection, instead of failing a request."""
    url = laurel.settings.database_url
    assert url
    recorder = laurel.nominations.recorder
    recorder.select_notifications(start=1, limit=1)
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid()").fetchone()
    assert ended is not None and ended[0] >= 1
    time.sleep(0.2)
    for _ in range(3):  # each pooled connection met once
        recorder.select_notifications(start=1, limit=1)
    assert laurel.log.last_position() >= 0
