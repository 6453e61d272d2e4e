"""Our tamper-evident recorders still keep every promise the eventsourcing library makes:
its own application-recorder test case, subclassed here, on SQLite and on PostgreSQL.

The application recorder is ours (it chains events); the tracking and process recorders
and the transcoder are the library's, checked here as Laurel's settings configure them."""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from eventsourcing.persistence import ProcessRecorder, TrackingRecorder, Transcoder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as library  # its cases, not collected twice

from infrastructure.audit_chain import verify_chain
from infrastructure.chained_recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from laurel import scratch_databases
from tests.support.databases import require_postgres


class TestChainedSQLiteRecorderKeepsTheLibrarysPromises(
    library.ApplicationRecorderTestCase[ChainedSQLiteApplicationRecorder]
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
    library.ApplicationRecorderTestCase[ChainedPostgresApplicationRecorder]
):
    database_url: ClassVar[str] = ""

    @classmethod
    def setUpClass(cls) -> None:
        require_postgres()
        cls.database_url = scratch_databases.create_database("laurel_lib")

    @classmethod
    def tearDownClass(cls) -> None:
        scratch_databases.drop_database(cls.database_url)

    def setUp(self) -> None:
        url = urlsplit(self.database_url)
        self.datastore = PostgresDatastore(
            dbname=url.path.lstrip("/"), host=url.hostname or "127.0.0.1", port=url.port or 5432,
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


def _factory_of_our_settings(data_dir: Path) -> Any:
    """The eventsourcing infrastructure factory exactly as Laurel's settings configure it."""
    from eventsourcing.persistence import InfrastructureFactory
    from eventsourcing.utils import Environment

    from infrastructure.settings import Settings

    env = Environment("laurel", Settings(data_dir=data_dir).event_store_env())
    return InfrastructureFactory.construct(env)


class TestOurTrackingRecorderKeepsTheLibrarysPromises(library.TrackingRecorderTestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self.folder.cleanup()

    def create_recorder(self) -> TrackingRecorder:
        recorder: TrackingRecorder = _factory_of_our_settings(
            Path(self.folder.name)).tracking_recorder()
        return recorder


class TestOurProcessRecorderKeepsTheLibrarysPromises(library.ProcessRecorderTestCase):
    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self.folder.cleanup()

    def create_recorder(self) -> ProcessRecorder:
        recorder: ProcessRecorder = _factory_of_our_settings(
            Path(self.folder.name)).process_recorder()
        return recorder

    def test_performance(self) -> None:
        pytest.skip("a timing run, not a promise")


class TestOurTranscoderKeepsTheLibrarysPromises(library.TranscoderTestCase):
    def construct_transcoder(self) -> Transcoder:
        """The transcoder the nominations application builds for its events."""
        from domain.application import Nominations
        from infrastructure.policy_file import load_policy_book
        from infrastructure.settings import BUNDLED_POLICY

        app = Nominations(load_policy_book(BUNDLED_POLICY),
                          {"PERSISTENCE_MODULE": "eventsourcing.popo"})
        transcoder = app.construct_transcoder()
        # The case's own custom types, as the library's own suite registers them.
        transcoder.register(library.CustomType1AsDict())  # type: ignore[attr-defined]
        transcoder.register(library.CustomType2AsDict())  # type: ignore[attr-defined]
        return transcoder


# A JSON transcoder turns tuples and subclasses of str, int, list and dict into the plain
# types; the library skips these cases for its own JSON transcoder, and so do we.
for _case in ("test_tuple", "test_mixed", "test_dict_subclass", "test_list_subclass",
              "test_str_subclass", "test_int_subclass"):
    setattr(TestOurTranscoderKeepsTheLibrarysPromises, _case,
            unittest.skip("JSON keeps the plain type")(lambda self: None))
