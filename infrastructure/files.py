"""The dossiers' files, stored by their content: a file's name is its SHA-256.

Why content-addressed: the hash is what the ``Document.Uploaded`` event records, so the
event store's hash chain covers every file, and ``laurel audit verify`` finds a stored
file changed or gone by hashing it again (``check_files``). The same bytes uploaded twice
are kept once.

Two stores behind one interface (``FileStore``):

- ``FolderStore``, the embedded default: ``<data_dir>/files/ab/cd/<sha256>``, each file
  0600 and each folder 0700 like the rest of the data directory, written under a
  temporary name, flushed to disk, then renamed into place (a reader never sees half a
  file; a crash leaves at most a stray temporary file).
- ``S3Store``, production: any S3-compatible object store (SeaweedFS, MinIO, AWS) through
  boto3, the bucket made if missing. Large files go up in parts from the spool file.

Uploads never sit in memory: a ``Spool`` hashes and counts the chunks as it writes them to
a temporary file, and the store then takes that file (a rename for the folder, a multipart
upload for S3).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from domain.document import Document

if TYPE_CHECKING:
    from eventsourcing.application import Application
    from mypy_boto3_s3 import S3Client

    from infrastructure.settings import Settings

CHUNK = 1024 * 1024
"""Bytes read or written at a time: large enough that a 50 MB file is 50 system calls,
small enough that no upload or download holds more than this in memory."""
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class FileMissing(LookupError):
    """No stored file has this hash (deleted, or never stored here)."""


class Spool:
    """A file being received: each chunk hashed, counted and written to a temporary file
    (0600) as it comes. ``close`` removes the temporary file unless a store took it."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, name = tempfile.mkstemp(prefix=".incoming-", dir=folder)
        self.path = Path(name)
        self._file = os.fdopen(handle, "wb")
        self._hash = hashlib.sha256()
        self.size = 0
        self._stored: StoredFile | None = None

    def write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self._file.write(chunk)
        self.size += len(chunk)

    def finish(self) -> StoredFile:
        """Everything written and flushed to disk: the file's hash and size. Once
        finished, it is read, never written (finishing again changes nothing)."""
        if self._stored is None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._stored = StoredFile(self._hash.hexdigest(), self.size)
        return self._stored

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class FileStore(Protocol):
    """Where files are kept, by the SHA-256 of their content."""

    def spool(self) -> Spool:
        """A temporary file to receive an upload into, where ``keep`` takes it cheaply."""
        ...

    def keep(self, spool: Spool) -> StoredFile:
        """Store the spooled file (finished here) under its hash; the same hash again
        replaces the copy kept, which restores a damaged one."""
        ...

    def open(self, sha256: str) -> Iterator[bytes]:
        """The file's bytes, a chunk at a time; ``FileMissing`` if there is none."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Tests and their tampering only: a stored file is never deleted otherwise."""
        ...

    def where(self, sha256: str) -> str:
        """Where the file is, for an operator reading a report."""
        ...


def put_stream(store: FileStore, chunks: Iterable[bytes]) -> StoredFile:
    """Store ``chunks`` under their hash, never holding more than one chunk in memory."""
    with store.spool() as spool:
        for chunk in chunks:
            spool.write(chunk)
        return store.keep(spool)


def _checked(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise FileMissing(f"{sha256!r} is not a SHA-256 in hex")
    return sha256


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


class FolderStore:
    """Files in a folder of the data directory (the module says how and why)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / ".incoming"

    def path(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def spool(self) -> Spool:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return Spool(self.incoming)  # on the same file system: ``keep`` is a rename

    def keep(self, spool: Spool) -> StoredFile:
        stored = spool.finish()
        target = self.path(stored.sha256)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        spool.path.replace(target)
        _sync_folder(target.parent)
        return stored

    def open(self, sha256: str) -> Iterator[bytes]:
        path = self.path(sha256)
        if not path.is_file():
            raise FileMissing(f"No file {sha256} in {self.root}")
        return _read(path)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()

    def where(self, sha256: str) -> str:
        return str(self.path(sha256))


def _sync_folder(folder: Path) -> None:
    """The rename itself made durable (a file renamed into place and then lost in a
    crash would leave an event naming a file that is not there)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@dataclass(frozen=True)
class S3Settings:
    endpoint: str | None
    bucket: str
    access_key: str | None
    secret_key: str | None
    region: str
    prefix: str = "sha256/"


class S3Store:
    """Files in a bucket of an S3-compatible store. The client and the bucket are made on
    first use, so a process that never touches a file never connects."""

    def __init__(self, config: S3Settings, spool_folder: Path | None = None) -> None:
        self.config = config
        self.spool_folder = spool_folder
        self._client: S3Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> S3Client:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> S3Client:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        c = self.config
        client = boto3.client(
            "s3", endpoint_url=c.endpoint, aws_access_key_id=c.access_key,
            aws_secret_access_key=c.secret_key, region_name=c.region,
            # Path-style addressing: SeaweedFS and MinIO serve no bucket subdomains.
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5}))
        try:
            client.head_bucket(Bucket=c.bucket)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
            with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                client.create_bucket(Bucket=c.bucket)
        return client

    def key(self, sha256: str) -> str:
        sha256 = _checked(sha256)
        return f"{self.config.prefix}{sha256[:2]}/{sha256}"

    def spool(self) -> Spool:
        return Spool(self.spool_folder)

    def keep(self, spool: Spool) -> StoredFile:
        stored = spool.finish()
        # Streamed from the spool file in one request: botocore reads it in chunks to sign
        # and send it. (A multipart upload would hold a whole part, 5 MiB at least, in
        # memory per thread; a document is at most tens of megabytes.)
        with spool.path.open("rb") as body:
            self.client.put_object(Bucket=self.config.bucket, Key=self.key(stored.sha256),
                                   Body=body, ContentLength=stored.size,
                                   ContentType="application/octet-stream")
        return stored

    def open(self, sha256: str) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.config.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise FileMissing(f"No object {self.where(sha256)}") from None
            raise
        return _body(answer["Body"].iter_chunks(CHUNK), answer["Body"].close)

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.config.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return False
            raise
        return True

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.config.bucket, Key=self.key(sha256))

    def where(self, sha256: str) -> str:
        return f"s3://{self.config.bucket}/{self.key(sha256)}"


def _body(chunks: Iterator[bytes], close: Callable[[], None]) -> Iterator[bytes]:
    """The object's chunks; its connection given back however the reader stops."""
    try:
        yield from chunks
    finally:
        close()


def open_store(settings: Settings) -> FileStore:
    """The store the settings name: S3 when ``files_s3_bucket`` is set, else the folder."""
    if settings.files_s3_bucket:
        return S3Store(S3Settings(
            settings.files_s3_endpoint, settings.files_s3_bucket, settings.files_s3_access_key,
            settings.files_s3_secret_key, settings.files_s3_region))
    return FolderStore(settings.data_dir / "files")


# -- the audit: every recorded file against its hash -------------------------------------


@dataclass(frozen=True)
class FileBreak:
    """A stored file that no longer matches what its upload recorded."""

    document_id: str
    sha256: str
    kind: str  # changed | missing
    where: str
    found_sha256: str = ""


@dataclass(frozen=True)
class FilesReport:
    documents: int
    files: int
    breaks: list[FileBreak]

    @property
    def intact(self) -> bool:
        return not self.breaks


def recorded_files(app: Application[Any]) -> dict[str, list[str]]:
    """Each recorded file's hash and the documents uploaded with it, from the event store
    (the ``Uploaded`` events, read by topic: nothing else of the log is decoded)."""
    from eventsourcing.utils import get_topic

    topic = get_topic(Document.Uploaded)
    found: dict[str, list[str]] = {}
    after = 0
    while True:
        notifications = app.recorder.select_notifications(
            start=after + 1, limit=1000, topics=[topic])
        if not notifications:
            return found
        for notification in notifications:
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, Document.Uploaded)
            found.setdefault(event.sha256, []).append(str(event.originator_id))
        after = notifications[-1].id


def check_files(app: Application[Any], store: FileStore,
                progress: Callable[[int, int], None] | None = None) -> FilesReport:
    """Hash every recorded file again, once per distinct content; name each document
    whose file changed or is missing."""
    recorded = recorded_files(app)
    breaks: list[FileBreak] = []
    for done, (sha256, documents) in enumerate(sorted(recorded.items()), start=1):
        found = _hash_of(store, sha256)
        if found != sha256:
            kind = "missing" if found is None else "changed"
            breaks += [FileBreak(d, sha256, kind, store.where(sha256), found or "")
                       for d in documents]
        if progress:
            progress(done, len(recorded))
    return FilesReport(sum(map(len, recorded.values())), len(recorded), breaks)


def _hash_of(store: FileStore, sha256: str) -> str | None:
    digest = hashlib.sha256()
    try:
        for chunk in store.open(sha256):
            digest.update(chunk)
    except FileMissing:
        return None
    return digest.hexdigest()
