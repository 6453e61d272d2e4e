"""The composition root: builds Laurel's parts from settings. Nothing runs at import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Engine
from temporalio.client import Client

from domain.application import Nominations
from domain.policy import Policy
from laurel.settings import Settings
from projections.database import create_schema, make_engine
from projections.eventlog import EventLog


def load_policy(path: Path) -> Policy:
    with path.open(encoding="utf-8") as f:
        return Policy.from_dict(yaml.safe_load(f))


@dataclass
class Laurel:
    settings: Settings
    policy: Policy
    nominations: Nominations
    engine: Engine
    log: EventLog

    def close(self) -> None:
        self.engine.dispose()
        self.nominations.close()


def bootstrap(settings: Settings) -> Laurel:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    policy = load_policy(settings.policy_file)
    nominations = Nominations(policy, settings.event_store_env())
    engine = make_engine(settings.read_model_url())
    create_schema(engine)
    return Laurel(settings, policy, nominations, engine, EventLog(nominations))


async def connect_temporal(settings: Settings) -> Client:
    return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace)
