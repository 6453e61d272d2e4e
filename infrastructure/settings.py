"""All of Laurel's configuration, read once from the environment (prefix ``LAUREL_``)."""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from eventsourcing.utils import get_topic
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure.chained_recorders import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from infrastructure.eventsourcing_internals import (
    CONNECTION_PARAMETERS,
    LaurelPostgresFactory,
    LaurelSQLiteFactory,
)
from infrastructure.transcoder import OrjsonDecodingTranscoder

BUNDLED_POLICY = Path(__file__).resolve().parent.parent / "laurel" / "data" / "demo-province.yaml"
"""The demo province, shipped beside the command line (`laurel/data/`)."""
PRIVATE_FILES = ("events.db*", "readmodels*.db*", "temporal.db*", "jwt-secret", ".jwt-secret.*",
                 "accounts.json", "demo-accounts.txt", "laurel-up.lock", "*.log")
"""Laurel's own files in the data directory: the stores (and their WAL files), Temporal's
database, the signing key, the pages' accounts, the lock and the logs."""


REFUSED_LIBRARY_SETTINGS = {
    "POSTGRES_ENABLE_DB_FUNCTIONS": "the library's insert function writes no hash chain "
    "and takes no table lock",
    "APPLICATION_RECORDER_TOPIC": "another recorder would store events without the hash "
    "chain",
    "PERSISTENCE_MODULE": "another persistence module would store events without the hash "
    "chain or the table lock",
    "INFRASTRUCTURE_FACTORY": "another persistence module would store events without the "
    "hash chain or the table lock",
}
"""The ``eventsourcing`` settings that would weaken the record, each with what it would
do. The library reads its settings from the process's environment, as ``KEY`` or
``LAUREL_KEY`` (the application is named ``laurel``): found there, they are refused at
start rather than silently obeyed or silently ignored."""


class UnsafeLibrarySetting(ValueError):
    """A setting of the ``eventsourcing`` library in the environment that would weaken
    the record."""


def refuse_library_settings(environ: Mapping[str, str] | None = None) -> None:
    environ = os.environ if environ is None else environ
    for key, why in REFUSED_LIBRARY_SETTINGS.items():
        for name in (key, f"LAUREL_{key}"):
            if name in environ:
                raise UnsafeLibrarySetting(
                    f"{name} is set in the environment: {why}. Laurel configures the "
                    "event store itself and refuses to start with it; unset it.")


def _both_names(env: dict[str, str]) -> dict[str, str]:
    """``env`` under the library's two names of each key, so that neither can be taken
    from the process's environment instead."""
    return {**env, **{f"LAUREL_{key}": value for key, value in env.items()}}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LAUREL_", extra="ignore")

    data_dir: Path = Field(Path("laurel-data"), description="SQLite files, keys, Temporal state")
    database_url: str | None = Field(
        None,
        description="postgresql://user:pass@host:port/db to use PostgreSQL; "
        "unset for SQLite files in the data directory",
    )
    # -- PostgreSQL connections: bounded pools, bounded waits (issue 25) ----------------
    database_pool_size: int = Field(
        2, ge=1, le=100, description="PostgreSQL connections each of a process's two pools "
        "(the event store's, the read models') keeps open")
    database_pool_max: int = Field(
        5, ge=1, le=100, description="most connections each pool opens under load: a "
        "process holds at most twice this many")
    database_connect_timeout: float = Field(
        5, gt=0, le=300, description="longest wait, s, for a connection (a new one, or a "
        "free one of the pool); past it, 503 /problems/store-unavailable")
    database_lock_timeout: float = Field(
        1, gt=0, le=600, description="longest wait, s, for a lock (the event store's "
        "table lock that orders its writers included); past it, the command records "
        "nothing and is answered 503 /problems/store-unavailable with Retry-After")
    database_statement_timeout: float = Field(
        60, ge=0, le=86400, description="longest statement, s, on every PostgreSQL "
        "connection (0: none); laurel migrate runs without it")
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_tls_cert: Path | None = Field(
        None, description="production: Laurel's client certificate (PEM) for mutual TLS "
        "with Temporal; with temporal_tls_key")
    temporal_tls_key: Path | None = Field(
        None, description="the private key (PEM) of temporal_tls_cert")
    temporal_tls_ca: Path | None = Field(
        None, description="the CA certificate (PEM) that signed Temporal's server "
        "certificate; unset: the system's roots (setting it alone turns TLS on)")
    temporal_tls_server_name: str | None = Field(
        None, description="the name to expect on Temporal's server certificate, when it "
        "is not the host of temporal_address")
    temporal_api_key: str | None = Field(
        None, description="production: an API key for Temporal (Temporal Cloud, say); "
        "sent over TLS only")
    workflow_check_minutes: float = Field(
        10, ge=0,
        description="the relay compares every open nomination with its workflow this "
        "often and repairs what it safely can (laurel audit workflows --repair); 0: never",
    )
    task_queue: str = "laurel-nominations"
    jwt_secret: str | None = Field(
        None, description="HS256 signing key; unset to keep one in the data directory"
    )
    jwt_issuer: str = "laurel"
    token_minutes: int = 12 * 60
    policy_file: Path = BUNDLED_POLICY
    notice_minutes: float | None = Field(
        None, gt=0,
        description="rehearsals only (a demo, a training run): public notices last this "
        "many minutes instead of the policy's days, so a state award reaches central "
        "government in minutes; never set it in production",
    )
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_workers: int = Field(
        1, ge=1, le=64,
        description="API processes sharing its port, each with its own command thread; "
        "one per core lets commands use every core",
    )
    api_max_in_flight: int = Field(
        256, ge=1,
        description="requests one API process serves at once; past it, 503 with "
        "Retry-After at once instead of a queue that ends in timeouts",
    )
    api_max_body_bytes: int = Field(
        8 * 1024 * 1024, ge=1024,
        description="largest request body (a proposal of 500 nominees fits); past it, 413",
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, ge=1024,
        description="largest document file taken by POST /documents (streamed to disk, "
        "never held in memory); past it, 413 /problems/file-too-large",
    )
    files_s3_bucket: str | None = Field(
        None, description="production: keep the documents' files in this bucket of an "
        "S3-compatible store (made if missing); unset: in <data_dir>/files")
    files_s3_endpoint: str | None = Field(
        None, description="the S3 store's URL (http://seaweedfs:8333, say); unset: AWS")
    files_s3_access_key: str | None = None
    files_s3_secret_key: str | None = None
    files_s3_region: str = Field("us-east-1", description="the S3 store's region")
    public_base_url: str = Field(
        "http://127.0.0.1:8000",
        description="the address the public reaches Laurel at: a certificate's QR code and "
        "printed link point to <public_base_url>/verify/<code>")
    checkpoints_file: Path | None = Field(
        None, description="the auditor's signed checkpoints (laurel audit checkpoint "
        "--checkpoints FILE), shown as the proof on the public verification page; unset: "
        "<data_dir>/checkpoints.jsonl if it is there")
    auditor_public_key: Path | None = Field(
        None, description="the auditor's public key (auditor.pub) the checkpoints are "
        "checked with; unset: <data_dir>/auditor.pub if it is there")
    telemetry: bool = Field(
        False,
        description="FastAPI's OpenTelemetry traces, metrics and logs; when on, each "
        "request looks up the configured providers",
    )
    poll_interval: float = Field(0.2, description="longest wait between event-log polls, s")
    oidc_issuer: str | None = Field(
        None, description="production: the OpenID Connect provider people sign in with "
        "(its discovery document is at ISSUER/.well-known/openid-configuration)")
    oidc_client_id: str | None = Field(None, description="Laurel's client id there "
                                       "(the audience of its ID tokens)")
    oidc_client_secret: str | None = None
    oidc_roles_claim: str = Field("roles", description="the ID token claim listing roles")
    oidc_unit_claim: str = Field("unit", description="the ID token claim naming the unit")
    web_secure_cookies: bool = Field(
        False, description="send the pages' session cookie over HTTPS only (set it behind "
        "TLS; the embedded default serves plain HTTP on localhost)")
    workflow_sandbox: bool = Field(
        False,
        description="run workflows in Temporal's sandbox (the tests always do; it costs "
        "about a third of the worker's CPU)",
    )
    smtp_host: str | None = Field(
        None, description="the SMTP server mail goes through (an objection's confirmation "
        "code, say); unset: each message is written as an .eml file under "
        "<data_dir>/outbox/ instead")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str | None = Field(None, description="the SMTP account, if it needs one")
    smtp_password: str | None = None
    smtp_starttls: bool = Field(
        True, description="upgrade the SMTP connection with STARTTLS before anything is sent")
    mail_from: str = Field("Laurel <laurel@localhost>", description="the From of Laurel's mail")
    objections_per_client: int = Field(
        5, ge=1, description="objections one client address may lodge in a row; past it, "
        "429 with Retry-After")
    objection_client_seconds: float = Field(
        120, gt=0, description="one more objection from a client address after this long")
    objections_per_nomination: int = Field(
        20, ge=1, description="objections one nomination takes in a row, from anyone")
    objection_nomination_seconds: float = Field(
        60, gt=0, description="one more objection to a nomination after this long")
    lookups_per_client: int = Field(
        30, ge=1, description="tracking-code lookups (GET /track/{code}, /ui/track) and "
        "confirmation codes typed back one client address may send in a row")
    lookup_client_seconds: float = Field(
        2, gt=0, description="one more lookup from a client address after this long")
    lookups_per_code: int = Field(
        60, ge=1, description="lookups of one tracking code in a row, from anyone")
    lookup_code_seconds: float = Field(
        1, gt=0, description="one more lookup of a tracking code after this long")
    # -- production beyond one machine: a secured Temporal, rolling deploys ------------
    temporal_tls: bool | None = Field(
        None, description="true: reach Temporal over TLS with the system's roots even when "
        "no certificate, CA or API key is given (the other TEMPORAL_TLS_* settings and "
        "TEMPORAL_API_KEY turn TLS on by themselves; false beside them is refused)")
    worker_shutdown_seconds: float = Field(
        30, ge=0,
        description="on SIGTERM the worker stops polling and gives the workflow steps "
        "(local activities) in flight this long to finish before they are cancelled; "
        "keep it under the orchestrator's own grace period (Kubernetes: 30 s by default)")

    def as_environment(self) -> dict[str, str]:
        """These settings as the variables that would give them: for child processes."""
        return {f"LAUREL_{name.upper()}": str(value)
                for name, value in self.model_dump().items() if value is not None}

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url and self.database_url.startswith("postgres"))

    def event_store_env(self, *, create_table: bool = True) -> dict[str, str]:
        """The eventsourcing environment for the event store. ``create_table`` false: the
        library runs no DDL (Laurel's processes; ``laurel migrate`` makes the tables).

        Every key is given under the library's two names (``KEY`` and ``LAUREL_KEY``), so
        no variable of the process's environment can change it, and the library settings
        that would turn off the hash chain or the table lock are refused
        (``REFUSED_LIBRARY_SETTINGS``). On PostgreSQL every parameter of the URL
        (``sslmode``, ``sslrootcert``, ``application_name``…) reaches the event store's
        connections as it reaches the read models'."""
        refuse_library_settings()
        # Recently used nominations stay in memory (a bounded LRU); a load reads only
        # the events saved since, by any process, and commands work on a copy.
        common = {"AGGREGATE_CACHE_MAXSIZE": "1000", "AGGREGATE_CACHE_FASTFORWARD": "y",
                  "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
                  "TRANSCODER_TOPIC": get_topic(OrjsonDecodingTranscoder),
                  "CREATE_TABLE": "y" if create_table else "n"}
        if not self.uses_postgres:
            return _both_names({**common,
                "PERSISTENCE_MODULE": get_topic(LaurelSQLiteFactory),
                "APPLICATION_RECORDER_TOPIC":
                    get_topic(ChainedSQLiteApplicationRecorder),
                "SQLITE_DBNAME": str(self.data_dir / "events.db"),
                "SQLITE_LOCK_TIMEOUT": "30",
            })
        assert self.database_url is not None
        url = urlsplit(self.database_url)
        return _both_names({
            **common,
            "PERSISTENCE_MODULE": get_topic(LaurelPostgresFactory),
            "APPLICATION_RECORDER_TOPIC":
                get_topic(ChainedPostgresApplicationRecorder),
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
            "POSTGRES_HOST": unquote(url.hostname or "127.0.0.1"),
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_POOL_SIZE": str(min(self.database_pool_size, self.database_pool_max)),
            "POSTGRES_MAX_OVERFLOW": str(max(0, self.database_pool_max
                                             - self.database_pool_size)),
            "POSTGRES_CONNECT_TIMEOUT": str(max(1, math.ceil(self.database_connect_timeout))),
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            CONNECTION_PARAMETERS: json.dumps(self.connection_parameters()),
        })

    def connection_parameters(self) -> dict[str, str]:
        """What every PostgreSQL connection of Laurel is opened with besides the URL's
        host, port, database, user and password: the URL's own parameters (``sslmode``
        and the rest), a connect timeout, and the lock and statement timeouts as the
        session's own settings (``options``)."""
        assert self.database_url is not None
        given = dict(parse_qsl(urlsplit(self.database_url).query, keep_blank_values=True))
        options = [given.pop("options", "").strip(),
                   f"-c lock_timeout={round(self.database_lock_timeout * 1000)}",
                   f"-c statement_timeout={round(self.database_statement_timeout * 1000)}"]
        given.setdefault("connect_timeout", str(max(2, math.ceil(
            self.database_connect_timeout))))
        return {**given, "options": " ".join(o for o in options if o)}

    def read_model_engine_options(self) -> dict[str, Any]:
        """``infrastructure.database.make_engine``'s pool and timeouts for these settings."""
        return {"pool_size": min(self.database_pool_size, self.database_pool_max),
                "pool_max": self.database_pool_max,
                "connect_timeout": self.database_connect_timeout,
                "connect_args": ({} if not self.uses_postgres else {
                    k: v for k, v in self.connection_parameters().items()
                    if k in ("options", "connect_timeout")})}

    def read_model_url(self) -> str:
        """The SQLAlchemy URL of the read models."""
        if not self.uses_postgres:
            return f"sqlite:///{self.data_dir / 'readmodels.db'}"
        assert self.database_url is not None
        return "postgresql+psycopg://" + self.database_url.split("://", 1)[1]

    def secure_data_dir(self) -> Path:
        """The data directory, made if need be, for its owner only (0700), with Laurel's
        files in it likewise (0600): the event store, the read models, Temporal's
        database, the signing key and the accounts. A directory or file left looser (by
        an earlier version, or a umask) is tightened; one of another account is left."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _at_most(self.data_dir, 0o700)
        for pattern in PRIVATE_FILES:
            for path in self.data_dir.glob(pattern):
                if path.is_file():
                    _at_most(path, 0o600)
        return self.data_dir

    @property
    def signing_key_file(self) -> Path:
        """Where the service keeps its JWT key when ``jwt_secret`` is unset."""
        return self.data_dir / "jwt-secret"

    def stored_signing_key(self) -> str | None:
        """The JWT key from settings or the data directory's file, None if neither has
        one: ``laurel token`` must not invent a key the running service does not know."""
        if self.jwt_secret:
            return self.jwt_secret
        path = self.signing_key_file
        return path.read_text().strip() if path.exists() else None

    def signing_key(self) -> str:
        """The JWT key, made in the data directory on the service's first start."""
        stored = self.stored_signing_key()
        if stored is not None:
            return stored
        path = self.signing_key_file
        self.secure_data_dir()
        # Written aside, then linked into place: a racing process reads a whole key.
        draft = path.with_name(f".jwt-secret.{secrets.token_hex(4)}")
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_urlsafe(48))
        with contextlib.suppress(FileExistsError):
            path.hardlink_to(draft)  # fails if another process got there first
        draft.unlink()
        return path.read_text().strip()

    # -- the log's followers: one leader of each kind, their lag and liveness -----------
    leader_retry_seconds: float = Field(
        1.0, gt=0, description="how often a standby relay, projector or notifier asks for "
        "the lease of its kind (the leader's death is noticed within about this long)")
    metrics_port: int | None = Field(
        None, ge=1, le=65000, description="the relay serves Prometheus metrics (lag, "
        "position, leader) and /livez on this port, the projector on the next, the "
        "notifier on the one after; unset: none")
    metrics_host: str = Field(
        "127.0.0.1", description="the address the metrics servers bind (0.0.0.0 in a "
        "container that Prometheus scrapes from outside)")
    stalled_seconds: float = Field(
        30, gt=0, description="a leading relay, projector or notifier that has not advanced "
        "for this long while the log is ahead of it is not alive (laurel alive, /livez); "
        "nor is one whose heartbeat is this old")


def _at_most(path: Path, mode: int) -> None:
    """Take from ``path`` every permission ``mode`` does not give (if it is ours to)."""
    with contextlib.suppress(PermissionError):
        if stat.S_IMODE(path.stat().st_mode) & ~mode:
            path.chmod(stat.S_IMODE(path.stat().st_mode) & mode)
