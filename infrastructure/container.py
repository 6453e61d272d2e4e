"""The composition root: builds Laurel's parts from settings. Nothing runs at import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from domain.application import Nominations
from domain.policy import Policy, PolicyBook
from infrastructure.database import make_engine
from infrastructure.eventlog import EventLog
from infrastructure.eventsourcing_internals import FastNominations
from infrastructure.group_commit import GroupCommit
from infrastructure.policy_file import load_policy_book
from infrastructure.positions import create_positions
from infrastructure.settings import Settings

if TYPE_CHECKING:
    from temporalio.client import Client


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

    @property
    def policy(self) -> Policy:
        """The version in force today."""
        return self.policies.active(self.clock().date())

    def close(self) -> None:
        self.commands.close()
        self.engine.dispose()
        self.nominations.close()


def bootstrap(settings: Settings) -> Laurel:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    policies = load_policy_book(settings.policy_file)
    if settings.notice_minutes:
        policies = policies.rehearsing_notices(settings.notice_minutes)
    nominations = FastNominations(policies, settings.event_store_env())
    engine = make_engine(settings.read_model_url())
    create_positions(engine)
    return Laurel(settings, policies, nominations, engine, EventLog(nominations),
                  settings.signing_key(), GroupCommit(nominations))


async def connect_temporal(settings: Settings) -> Client:
    # Imported here: the processes that never talk to Temporal (the projector, a
    # rebuild's helpers) start a fifth of a second sooner without it.
    from temporalio.client import Client

    return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
