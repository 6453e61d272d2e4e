"""Our tamper-evident recorders still keep every promise the eventsourcing library makes:
its own application-recorder test case, subclassed here, on SQLite and on PostgreSQL.

(Only the application recorder is ours; tracking and process recorders, and the
transcoder, are the library's own and unchanged.)"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase

from laurel.audit_chain import verify_chain
from laurel.chained_recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from tests.conftest import POSTGRES_ADMIN_URL, _postgres_reachable


class TestChainedSQLiteRecorderKeepsTheLibrarysPromises(
    ApplicationRecorderTestCase[ChainedSQLiteApplicationRecorder]
):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.db_name = str(Path(self.folder.name) / "events.db")

    def tearDown(self) -> None:
        # The library's cases leave a chain a verifier must still accept.
        assert verify_chain(self.create_recorder()).intact
        self.folder.cleanup()

    def create_recorder(self) -> ChainedSQLiteApplicationRecorder:
        recorder = ChainedSQLiteApplicationRecorder(SQLiteDatastore(db_name=self.db_name))
        recorder.create_table()
        return recorder

    def test_performance(self) -> None:  # timing belongs in benchmarks, not in CI
        pytest.skip("a timing run, not a promise")

    def test_concurrent_throughput(self) -> None:
        pytest.skip("a timing run, not a promise")


@pytest.mark.postgres
class TestChainedPostgresRecorderKeepsTheLibrarysPromises(
    ApplicationRecorderTestCase[ChainedPostgresApplicationRecorder]
):
    database: ClassVar[str] = ""

    @classmethod
    def setUpClass(cls) -> None:
        if not _postgres_reachable():
            if os.environ.get("CI"):
                raise AssertionError(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
            raise pytest.skip.Exception("PostgreSQL is not reachable")
        cls.database = f"laurel_lib_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{cls.database}"')

    @classmethod
    def tearDownClass(cls) -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{cls.database}" WITH (FORCE)')

    def setUp(self) -> None:
        url = urlsplit(POSTGRES_ADMIN_URL)
        self.datastore = PostgresDatastore(
            dbname=self.database, host=url.hostname or "127.0.0.1", port=url.port or 5432,
            user=url.username or "postgres", password=url.password or "", pool_size=4,
            max_overflow=4)

    def tearDown(self) -> None:
        assert verify_chain(self.create_recorder()).intact
        with self.datastore.get_connection() as conn:
            conn.execute("DROP TABLE IF EXISTS stored_events, stored_events_chain")
        self.datastore.close()

    def create_recorder(self) -> ChainedPostgresApplicationRecorder:
        recorder = ChainedPostgresApplicationRecorder(self.datastore)
        recorder.create_table()
        return recorder

    def test_performance(self) -> None:
        pytest.skip("a timing run, not a promise")

    def test_concurrent_throughput(self) -> None:
        pytest.skip("a timing run, not a promise")
