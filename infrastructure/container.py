"""The composition root: builds Laurel's parts from settings. Nothing runs at import."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from domain.application import Nominations
from domain.confirmation import ConfirmationCodes
from domain.policy import Policy, PolicyBook
from infrastructure.database import make_engine
from infrastructure.eventlog import EventLog
from infrastructure.eventsourcing_internals import FastNominations
from infrastructure.files import FileStore, open_store
from infrastructure.group_commit import GroupCommit
from infrastructure.policy_file import load_policy_book
from infrastructure.positions import create_positions
from infrastructure.settings import Settings

if TYPE_CHECKING:
    from temporalio.client import Client

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
    settings.secure_data_dir()
    policies = load_policy_book(settings.policy_file)
    if settings.notice_minutes:
        policies = policies.rehearsing_notices(settings.notice_minutes)
    signing_key = settings.signing_key()
    # Objections' confirmation codes are checked with a key every process derives alike.
    nominations = FastNominations(policies, settings.event_store_env(),
                                  codes=ConfirmationCodes(signing_key))
    engine = make_engine(settings.read_model_url())
    create_positions(engine)
    settings.secure_data_dir()  # the SQLite files just made: the owner's only
    return Laurel(settings, policies, nominations, engine, EventLog(nominations),
                  signing_key, GroupCommit(nominations))


def temporal_options(settings: Settings) -> dict[str, Any]:
    """What ``Client.connect`` is given besides the address: the namespace, and mutual
    TLS (``temporal_tls_cert`` and ``temporal_tls_key``, with ``temporal_tls_ca`` for a
    private CA) or an API key (``temporal_api_key``, always over TLS) when the settings
    name them. Certificates are read from their files here; a missing one is named."""
    from temporalio.service import TLSConfig

    def read(setting: str) -> bytes | None:
        path: Path | None = getattr(settings, setting)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError as error:
            raise ValueError(f"LAUREL_{setting.upper()}: cannot read {path}: "
                             f"{error.strerror}") from None

    if (settings.temporal_tls_cert is None) != (settings.temporal_tls_key is None):
        raise ValueError("LAUREL_TEMPORAL_TLS_CERT and LAUREL_TEMPORAL_TLS_KEY go together: "
                         "the client certificate and its private key")
    tls: TLSConfig | bool = False
    if (settings.temporal_tls_cert or settings.temporal_tls_ca
            or settings.temporal_tls_server_name):
        tls = TLSConfig(server_root_ca_cert=read("temporal_tls_ca"),
                        client_cert=read("temporal_tls_cert"),
                        client_private_key=read("temporal_tls_key"),
                        domain=settings.temporal_tls_server_name)
    if settings.temporal_api_key:
        tls = tls or True
    elif not tls and not _loopback(settings.temporal_address):
        log.warning("Temporal at %s is reached without TLS or an API key: whoever can "
                    "reach it can signal or end nominations' workflows (set "
                    "LAUREL_TEMPORAL_TLS_CERT and _KEY, or LAUREL_TEMPORAL_API_KEY)",
                    settings.temporal_address)
    return {"namespace": settings.temporal_namespace, "tls": tls,
            "api_key": settings.temporal_api_key or None}


async def connect_temporal(settings: Settings) -> Client:
    # Imported here: the processes that never talk to Temporal (the projector, a
    # rebuild's helpers) start a fifth of a second sooner without it.
    from temporalio.client import Client

    return await Client.connect(settings.temporal_address, **temporal_options(settings))


def _loopback(address: str) -> bool:
    host = address.rsplit(":", 1)[0].strip("[]")
    return host == "localhost" or host == "::1" or host.startswith("127.")
