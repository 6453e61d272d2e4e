"""The composition root: builds Laurel's parts from settings. Nothing runs at import."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from domain.application import Nominations
from domain.confirmation import ConfirmationCodes
from domain.policy import Policy, PolicyBook
from infrastructure import temporal
from infrastructure.database import make_engine
from infrastructure.eventlog import EventLog
from infrastructure.eventsourcing_internals import FastNominations
from infrastructure.files import FileStore, open_store
from infrastructure.group_commit import GroupCommit
from infrastructure.policy_file import load_policy_book
from infrastructure.positions import create_positions
from infrastructure.settings import Settings
from infrastructure.store_schema import (
    create_event_store,
    fresh_sqlite_store,
    migration_lock,
    record_version,
    require_version,
)

log = logging.getLogger(__name__)


@dataclass
class Laurel:
    settings: Settings
    policies: PolicyBook
    nominations: Nominations
    engine: Engine
    log: EventLog
    signing_key: str
    """Read once: the API checks every request's token with it."""
    commands: GroupCommit
    """The API's commands, given on one thread and saved in groups."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """The one clock: it dates commands and picks the policy in force (tests set it)."""

    @functools.cached_property
    def files(self) -> FileStore:
        """The documents' files (``infrastructure.files``): made when first asked for, so
        the processes that never touch a file never connect to an object store."""
        return open_store(self.settings)

    @property
    def policy(self) -> Policy:
        """The version in force today."""
        return self.policies.active(self.clock().date())

    def close(self) -> None:
        self.commands.close()
        self.engine.dispose()
        self.nominations.close()


def bootstrap(settings: Settings) -> Laurel:
    """Laurel's parts, on stores ``laurel migrate`` made: a store of another schema
    version is refused (``SchemaNotMigrated``, naming the command), and nothing here runs
    DDL — except on SQLite, where an empty data directory is made on first use
    (``store_schema``)."""
    settings.secure_data_dir()
    policies = load_policy_book(settings.policy_file)
    if settings.notice_minutes:
        policies = policies.rehearsing_notices(settings.notice_minutes)
    signing_key = settings.signing_key()
    fresh = fresh_sqlite_store(settings)
    if fresh:
        with migration_lock(settings):
            create_event_store(settings)
    else:
        require_version(settings)
    # Objections' confirmation codes are checked with a key every process derives alike.
    nominations = FastNominations(policies, settings.event_store_env(create_table=False),
                                  codes=ConfirmationCodes(signing_key))
    engine = make_engine(settings.read_model_url(), **settings.read_model_engine_options())
    create_positions(engine)
    if fresh:
        record_version(settings)
    settings.secure_data_dir()  # the SQLite files just made: the owner's only
    return Laurel(settings, policies, nominations, engine, EventLog(nominations),
                  signing_key, GroupCommit(nominations, busy=nominations.writer_waiting))


# Reaching Temporal lives in infrastructure.temporal; these names stay for their callers.
temporal_options = temporal.temporal_options
connect_temporal = temporal.connect
