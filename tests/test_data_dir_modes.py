"""The embedded default keeps its data to the account that runs it: the data directory is
0700 and Laurel's files in it 0600 — the event store, the read models, Temporal's
database, the signing key, the pages' accounts — whether made now or left looser by an
earlier version. And in production Laurel reaches Temporal over mutual TLS or with an
API key, as its settings say (a TLS Temporal server is not at hand here: the options
given to ``Client.connect`` are checked, and a plain connection still works)."""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.service import TLSConfig
from temporalio.testing import WorkflowEnvironment

from infrastructure.container import bootstrap, connect_temporal, temporal_options
from infrastructure.settings import BUNDLED_POLICY, Settings
from laurel.supervisor import find_executable, free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask most accounts have (022): what is made without care is world-readable."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def sqlite_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, database_url=None, jwt_secret=None,
                    task_queue=f"modes-{uuid.uuid4().hex}", policy_file=BUNDLED_POLICY)


def test_bootstrap_makes_the_data_directory_and_its_files_the_owner_s_only(
    tmp_path: Path, loose_umask: None,
) -> None:
    data_dir = tmp_path / "data"
    laurel = bootstrap(sqlite_settings(data_dir))
    laurel.close()
    assert mode(data_dir) == 0o700
    made = {p.name: mode(p) for p in data_dir.iterdir()}
    assert {"events.db", "readmodels.db", "jwt-secret"} <= set(made)
    # Files its owner's only; folders too (the processes' heartbeats, say), to enter.
    assert made == {name: 0o700 if (data_dir / name).is_dir() else 0o600
                    for name in made}, made


def test_a_data_directory_left_looser_is_tightened_and_other_files_are_left(
    tmp_path: Path, loose_umask: None,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    for name in ("events.db", "readmodels.db", "temporal.db", "temporal.db-wal", "jwt-secret",
                 "accounts.json", "demo-accounts.txt", "api-8000.log"):
        (data_dir / name).write_bytes(b"")
        (data_dir / name).chmod(0o644)
    (data_dir / "jwt-secret").write_text("a-signing-key-that-an-earlier-version-left-0644")
    (data_dir / "events.db").unlink()  # the stores are made anew
    (data_dir / "readmodels.db").unlink()
    notes = data_dir / "notes.txt"  # not Laurel's
    notes.write_text("…")
    notes.chmod(0o644)
    already_strict = data_dir / "accounts.json"
    already_strict.chmod(0o400)

    bootstrap(sqlite_settings(data_dir)).close()

    assert mode(data_dir) == 0o700
    for name in ("events.db", "readmodels.db", "temporal.db", "temporal.db-wal", "jwt-secret",
                 "demo-accounts.txt", "api-8000.log"):
        assert mode(data_dir / name) == 0o600, name
    assert mode(already_strict) == 0o400
    assert mode(notes) == 0o644


@pytest.mark.slow
def test_laurel_up_keeps_every_file_it_and_its_processes_make_to_its_owner(
    tmp_path: Path, loose_umask: None,
) -> None:
    data_dir, port = tmp_path / "fresh", free_port()
    log = tmp_path / "laurel-up.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    with log.open("ab") as out:
        up = subprocess.Popen([find_executable("laurel"), "up", "--data-dir", str(data_dir),
                               "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                              env=env)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert up.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        made = {p.name: mode(p) for p in data_dir.iterdir()}
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)
    assert mode(data_dir) == 0o700
    assert {"events.db", "readmodels.db", "temporal.db", "jwt-secret", "accounts.json",
            "demo-accounts.txt", "laurel-up.lock"} <= set(made), made
    # Files its owner's only; folders too (the processes' heartbeats, say), to enter.
    assert made == {name: 0o700 if (data_dir / name).is_dir() else 0o600
                    for name in made}, made


# -- reaching Temporal ---------------------------------------------------------------


def pem(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_mutual_tls_gives_temporal_the_client_certificate_its_key_and_the_ca(
    tmp_path: Path,
) -> None:
    settings = Settings(temporal_address="temporal.tinh.gov.vn:7233",
                        temporal_namespace="laurel-prod",
                        temporal_tls_cert=pem(tmp_path, "client.pem", b"CERT"),
                        temporal_tls_key=pem(tmp_path, "client.key", b"KEY"),
                        temporal_tls_ca=pem(tmp_path, "ca.pem", b"CA"),
                        temporal_tls_server_name="temporal.internal")
    assert temporal_options(settings) == {
        "namespace": "laurel-prod", "api_key": None,
        "tls": TLSConfig(server_root_ca_cert=b"CA", client_cert=b"CERT",
                         client_private_key=b"KEY", domain="temporal.internal")}


def test_an_api_key_goes_over_tls_with_the_system_s_roots_or_the_given_ca(
    tmp_path: Path,
) -> None:
    key_only = Settings(temporal_address="laurel.a1b2c.tmprl.cloud:7233",
                        temporal_namespace="laurel.a1b2c", temporal_api_key="secret-key")
    assert temporal_options(key_only) == {"namespace": "laurel.a1b2c", "tls": True,
                                          "api_key": "secret-key"}
    with_ca = Settings(temporal_api_key="secret-key",
                       temporal_tls_ca=pem(tmp_path, "ca.pem", b"CA"))
    options = temporal_options(with_ca)
    assert options["api_key"] == "secret-key"
    assert options["tls"] == TLSConfig(server_root_ca_cert=b"CA")


def test_a_certificate_without_its_key_or_a_file_missing_is_refused_by_name(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="LAUREL_TEMPORAL_TLS_CERT and LAUREL_TEMPORAL_TLS_KEY"):
        temporal_options(Settings(temporal_tls_cert=pem(tmp_path, "c.pem", b"C")))
    with pytest.raises(ValueError, match=r"LAUREL_TEMPORAL_TLS_KEY: cannot read .*gone\.key"):
        temporal_options(Settings(temporal_tls_cert=pem(tmp_path, "c.pem", b"C"),
                                  temporal_tls_key=tmp_path / "gone.key"))


def test_the_settings_come_from_the_environment(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUREL_TEMPORAL_TLS_CERT", str(pem(tmp_path, "c.pem", b"C")))
    monkeypatch.setenv("LAUREL_TEMPORAL_TLS_KEY", str(pem(tmp_path, "c.key", b"K")))
    monkeypatch.setenv("LAUREL_TEMPORAL_NAMESPACE", "laurel-prod")
    options = temporal_options(Settings())
    assert options["namespace"] == "laurel-prod"
    assert options["tls"] == TLSConfig(client_cert=b"C", client_private_key=b"K")


def test_a_remote_temporal_without_tls_is_warned_of_the_embedded_one_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="infrastructure.container"):
        assert temporal_options(Settings())["tls"] is False
        assert not caplog.records
        temporal_options(Settings(temporal_address="temporal:7233"))
    assert "without TLS or an API key" in caplog.text


async def test_the_embedded_temporal_is_still_reached_without_tls(
    temporal: WorkflowEnvironment,
) -> None:
    address = temporal.client.service_client.config.target_host
    client = await connect_temporal(Settings(temporal_address=address))
    assert await client.service_client.check_health()
