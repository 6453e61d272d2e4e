"""``laurel migrate`` makes and upgrades the stores once; processes run no DDL at start,
check the recorded schema version and refuse another one, naming the command."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from infrastructure import store_schema
from infrastructure.container import bootstrap
from infrastructure.settings import Settings
from laurel import scratch_databases
from laurel.migrate import migrate
from tests.support.databases import require_postgres

ROOT = Path(__file__).resolve().parent.parent


def laurel_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    env["LAUREL_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["LAUREL_DATABASE_URL"] = settings.database_url
    env["PYTHONPATH"] = str(ROOT)
    return env


def laurel_command(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "laurel", *args], env=laurel_env(settings),
                          text=True, capture_output=True, timeout=180, check=False, cwd=ROOT)


def tables(settings: Settings) -> set[str]:
    if settings.uses_postgres:
        assert settings.database_url
        with psycopg.connect(settings.database_url) as conn:
            return {r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    import sqlite3

    with sqlite3.connect(settings.data_dir / "events.db") as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def set_version(settings: Settings, version: int) -> None:
    """The store as an older Laurel left it: only ``version`` recorded."""
    if settings.uses_postgres:
        assert settings.database_url
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute("DELETE FROM laurel_schema")
            conn.execute("INSERT INTO laurel_schema VALUES (%s, 'then')", (version,))
        return
    import sqlite3

    with sqlite3.connect(settings.data_dir / "events.db") as conn:
        conn.execute("DELETE FROM laurel_schema")
        conn.execute("INSERT INTO laurel_schema VALUES (?, 'then')", (version,))


@pytest.fixture
def fresh(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    return Settings(data_dir=tmp_path / "data", database_url=url,
                    jwt_secret="a-test-signing-key-that-is-long-enough-for-hs256")


def test_migrate_makes_the_stores_and_records_the_version_then_does_nothing(
        fresh: Settings) -> None:
    first = migrate(fresh)
    assert (first.before, first.after, first.read_models) == (
        None, store_schema.SCHEMA_VERSION, "made")
    assert store_schema.recorded_version(fresh) == store_schema.SCHEMA_VERSION
    events = "laurel_events" if fresh.uses_postgres else "stored_events"
    assert {events, f"{events}_chain", "laurel_schema"} <= tables(fresh)
    again = migrate(fresh)
    assert (again.before, again.read_models) == (store_schema.SCHEMA_VERSION, "kept")
    laurel = bootstrap(fresh)  # starts on what migrate made
    laurel.close()


def test_a_process_refuses_an_older_version_and_migrate_upgrades_it(fresh: Settings) -> None:
    migrate(fresh)
    set_version(fresh, 1)
    with pytest.raises(store_schema.SchemaNotMigrated, match="laurel migrate"):
        bootstrap(fresh)
    refused = laurel_command(fresh, "projector")
    assert refused.returncode == 2, refused.stderr
    assert "schema version 1" in refused.stderr and "laurel migrate" in refused.stderr

    upgraded = laurel_command(fresh, "migrate")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "version 1 -> 2" in upgraded.stdout
    assert store_schema.recorded_version(fresh) == store_schema.SCHEMA_VERSION
    bootstrap(fresh).close()


def test_a_newer_version_is_refused_by_processes_and_by_migrate(fresh: Settings) -> None:
    migrate(fresh)
    set_version(fresh, store_schema.SCHEMA_VERSION + 1)
    with pytest.raises(store_schema.SchemaNotMigrated, match="newer"):
        bootstrap(fresh)
    with pytest.raises(store_schema.SchemaNotMigrated, match="newer"):
        migrate(fresh)


@pytest.mark.postgres
def test_on_postgresql_a_process_refuses_a_database_never_migrated(tmp_path: Path) -> None:
    require_postgres()
    with scratch_databases.fresh_database("laurel_test") as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url)
        with pytest.raises(store_schema.SchemaNotMigrated, match="laurel migrate"):
            bootstrap(settings)
        refused = laurel_command(settings, "relay")
        assert refused.returncode == 2
        assert "no schema version recorded" in refused.stderr
        assert "laurel migrate" in refused.stderr
        assert tables(settings) == set()  # the refusal made nothing


def test_on_sqlite_an_empty_data_directory_is_made_on_first_use(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    bootstrap(settings).close()  # the embedded default, as before: `laurel api` alone works
    assert store_schema.recorded_version(settings) == store_schema.SCHEMA_VERSION
    bootstrap(settings).close()


@pytest.mark.postgres
def test_ten_simultaneous_migrates_then_ten_process_starts_on_a_fresh_database(
        tmp_path: Path) -> None:
    """The fleet start that crashed 7 of 10 processes (`tuple concurrently updated`)."""
    require_postgres()
    with scratch_databases.fresh_database("laurel_test") as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url)
        env = laurel_env(settings)
        migrates = [subprocess.Popen([sys.executable, "-m", "laurel", "migrate"], env=env,
                                     cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE) for _ in range(10)]
        results = [(m.wait(180), *m.communicate()) for m in migrates]
        assert [code for code, _, _ in results] == [0] * 10, [err for _, _, err in results]
        assert sum("version none -> 2" in out for _, out, _ in results) == 1
        assert store_schema.recorded_version(settings) == store_schema.SCHEMA_VERSION

        start = ("from infrastructure.container import bootstrap;"
                 "from infrastructure.settings import Settings;"
                 "from projections.schema import prepare_read_models;"
                 "l = bootstrap(Settings()); prepare_read_models(l.engine);"
                 "print(l.log.last_position()); l.close()")
        starts = [subprocess.Popen([sys.executable, "-c", start], env=env, cwd=ROOT,
                                   text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                  for _ in range(10)]
        started = [(s.wait(180), *s.communicate()) for s in starts]
        assert [code for code, _, _ in started] == [0] * 10, [err for _, _, err in started]


@pytest.mark.slow
def test_laurel_up_migrates_a_store_of_an_older_version_before_its_processes_start(
        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    migrate(settings)
    set_version(settings, 1)  # as the release before left it
    port = scratch_port()
    log = tmp_path / "up.log"
    env = laurel_env(settings)
    with log.open("ab") as out:
        up = subprocess.Popen([sys.executable, "-m", "laurel", "up", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            assert up.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        assert store_schema.recorded_version(settings) == store_schema.SCHEMA_VERSION
        assert "exited" not in log.read_text()  # no process refused the store
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)


def scratch_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
