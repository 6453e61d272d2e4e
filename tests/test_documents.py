"""Files in the dossier, over HTTP, on SQLite and PostgreSQL and on both stores (a folder
of the data directory, and a real S3 server): uploaded, recognised by content, streamed
in and out byte for byte, scoped like the dossiers, and checked by `laurel audit verify`
against the hash their upload recorded."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from openpyxl import Workbook

from domain.document import DOCX, JPEG, PDF, PNG, XLSX, load_document
from infrastructure.container import Laurel
from infrastructure.files import FolderStore, S3Store
from infrastructure.settings import Settings
from laurel.cli import main as laurel_command
from projections.projector import Projector
from tests.support.commands import propose
from tests.support.people import person, token
from tests.support.problems import assert_problem
from tests.support.s3 import S3Server, s3_server  # noqa: F401 - the session's S3 server

OWN = "hg.vi-thanh.phuong-1"
OTHER_WARD = "hg.vi-thanh.phuong-3"
FOREIGN = "hg.nga-bay.xa-dai-thanh"
CLERK = token("vanthu", "proposer", unit=OWN)
LIMIT = 12 * 1024 * 1024
"""The module's upload limit: a 10 MB file passes, 12 MiB and a byte does not."""
PDF_BYTES = b"%PDF-1.7\n" + "Báo cáo thành tích — Nguyễn Thị Hoa\n".encode() * 200 + b"%%EOF\n"


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(settings: Settings, store: str, request: pytest.FixtureRequest) -> Settings:
    """The shared settings, with this module's upload limit and, for S3, a bucket of the
    test's own on the session's server."""
    update: dict[str, Any] = {"max_upload_bytes": LIMIT}
    if store == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        update |= server.settings()
    return settings.model_copy(update=update)


def office(*names: str) -> bytes:
    """An Office Open XML package holding these parts (what Word or Excel writes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name in names:
            package.writestr(name, "<xml/>")
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Họ và tên", "Năm"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(http: httpx.AsyncClient, content: bytes, filename: str = "bao-cao.pdf",
                 headers: dict[str, str] | None = None) -> httpx.Response:
    return await http.post("/documents", files={"file": (filename, content, "application/pdf")},
                           headers=headers or CLERK)


def multipart(size: int, boundary: str = "laurel-boundary") -> tuple[dict[str, str],
                                                                     AsyncIterator[bytes]]:
    """A multipart body of a ``size``-byte PDF, made as it is sent (64 KiB at a time,
    no length declared): neither side ever holds the file."""
    block = bytes(range(256)) * 256

    async def body() -> AsyncIterator[bytes]:
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"lon.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
        yield b"%PDF-1.7\n"
        left = size - 9
        while left > 0:
            yield block[:min(left, len(block))]
            left -= len(block)
        yield f"\r\n--{boundary}--\r\n".encode()

    return {**CLERK, "Content-Type": f"multipart/form-data; boundary={boundary}"}, body()


def expected_hash(size: int) -> str:
    block = bytes(range(256)) * 256
    digest = hashlib.sha256(b"%PDF-1.7\n")
    left = size - 9
    while left > 0:
        digest.update(block[:min(left, len(block))])
        left -= len(block)
    return digest.hexdigest()


def stored_path(laurel: Laurel, sha256: str) -> str:
    files = laurel.files
    return files.where(sha256)


def tamper(laurel: Laurel, sha256: str, content: bytes) -> None:
    """Other bytes under the file's name, as someone with access to the store would."""
    files = laurel.files
    if isinstance(files, FolderStore):
        files.path(sha256).write_bytes(content)
    else:
        assert isinstance(files, S3Store)
        files.client.put_object(Bucket=files.config.bucket, Key=files.key(sha256), Body=content)


def audit_verify(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``laurel audit verify`` on these settings (given as the environment, as an
    operator's shell would): its exit code and what it printed."""
    for name, value in settings.as_environment().items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        laurel_command(["audit", "verify"])
    return int(ended.value.code or 0), capsys.readouterr().out


# -- upload and download ------------------------------------------------------------


async def test_an_upload_is_answered_with_its_hash_and_downloads_byte_identical(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    answer = await upload(http, PDF_BYTES, "Báo cáo thành tích.pdf")
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert created["size"] == len(PDF_BYTES) and created["media_type"] == PDF
    assert answer.headers["location"] == created["links"]["self"] == f"/documents/{created['id']}"

    got = await http.get(answer.headers["location"], headers=CLERK)
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert got.headers["content-type"] == PDF
    assert got.headers["etag"] == f'"{created["sha256"]}"'
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"B_o c_o th_nh t_ch.pdf\"; "
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A0nh%20t%C3%ADch.pdf")
    unchanged = await http.get(answer.headers["location"],
                               headers={**CLERK, "If-None-Match": got.headers["etag"]})
    assert unchanged.status_code == 304

    # The record: the file's hash is in the event store, the document of the clerk's unit.
    document = load_document(laurel.nominations, created["id"])
    assert document is not None and document.unit_id == OWN
    assert document.reference("bao-cao-thanh-tich") == {
        "document_id": created["id"], "kind": "bao-cao-thanh-tich",
        "title": "Báo cáo thành tích.pdf", "sha256": created["sha256"],
        "size": len(PDF_BYTES), "media_type": PDF}
    assert load_document(laurel.nominations, "not-an-id") is None


@pytest.mark.parametrize(("content", "media_type"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, PNG),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, JPEG),
    (office("[Content_Types].xml", "word/document.xml"), DOCX),
    (xlsx(), XLSX),
])
async def test_each_type_is_recognised_by_its_content_whatever_its_name(
    http: httpx.AsyncClient, content: bytes, media_type: str,
) -> None:
    answer = await upload(http, content, "ten-bat-ky.bin")
    assert answer.status_code == 201, answer.text
    assert answer.json()["media_type"] == media_type
    got = await http.get(answer.headers["location"], headers=CLERK)
    assert got.content == content and got.headers["content-type"] == media_type


async def test_a_10_mb_upload_streams_through_without_being_held_in_memory(
    http: httpx.AsyncClient,
) -> None:
    size = 10 * 1024 * 1024
    warm = await upload(http, PDF_BYTES)  # the store's client made, its models loaded
    assert warm.status_code == 201, warm.text
    headers, body = multipart(size)
    tracemalloc.start()
    try:
        answer = await http.post("/documents", content=body, headers=headers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 201, answer.text
    assert answer.json()["size"] == size and answer.json()["sha256"] == expected_hash(size)
    assert peak < 4 * 1024 * 1024, f"{peak} bytes held at the peak of a 10 MB upload"

    digest, received = hashlib.sha256(), 0
    async with http.stream("GET", answer.headers["location"], headers=CLERK) as got:
        assert got.headers["content-length"] == str(size)
        async for chunk in got.aiter_bytes():
            digest.update(chunk)
            received += len(chunk)
    assert received == size and digest.hexdigest() == expected_hash(size)


# -- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,  # a Windows program
    office("word/document.xml"),  # a ZIP, but no Office package
    b"<html><script>alert(1)</script></html>",
    b"",
])
async def test_a_file_of_another_type_is_refused_415_whatever_its_name(
    http: httpx.AsyncClient, laurel: Laurel, content: bytes,
) -> None:
    before = laurel.log.last_position()
    refused = await upload(http, content, "to-trinh.pdf")
    body = assert_problem(refused, 415, "unsupported-media-type")
    assert "PDF, PNG, JPEG, DOCX or XLSX" in body["detail"]
    in_vietnamese = await http.post("/documents", files={"file": ("to-trinh.pdf", content)},
                                    headers={**CLERK, "Accept-Language": "vi"})
    assert assert_problem(in_vietnamese, 415, "unsupported-media-type")["title"] == (
        "Tệp không thuộc định dạng Laurel nhận")
    assert laurel.log.last_position() == before


async def test_a_file_over_the_limit_is_refused_413(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    before = laurel.log.last_position()
    # Declared too large: refused before a byte is read.
    declared = await http.post("/documents", content=b"", headers={
        **CLERK, "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": str(LIMIT + 1024 * 1024)})
    assert_problem(declared, 413, "file-too-large")
    # Streamed without a length: refused as soon as the file passes the limit.
    headers, body = multipart(LIMIT + 1)
    streamed = await http.post("/documents", content=body, headers=headers)
    assert_problem(streamed, 413, "file-too-large")
    # Just within: taken.
    headers, body = multipart(LIMIT)
    taken = await http.post("/documents", content=body, headers=headers)
    assert taken.status_code == 201, taken.text
    assert laurel.log.last_position() == before + 1


async def test_a_body_without_the_file_is_refused(http: httpx.AsyncClient) -> None:
    assert_problem(await http.post("/documents", json={"file": "x"}, headers=CLERK),
                   415, "unsupported-media-type")
    assert_problem(await http.post("/documents", files={"other": ("a.pdf", PDF_BYTES)},
                                   headers=CLERK), 422, "invalid-body")


async def test_a_document_is_read_by_its_unit_and_those_above_it_only(
    http: httpx.AsyncClient,
) -> None:
    created = await upload(http, PDF_BYTES)
    url = created.headers["location"]
    for role, unit in [("proposer", OWN), ("auditor", OWN), ("reviewer", "hg.vi-thanh"),
                       ("decider", "hg"), ("admin", "hg")]:
        got = await http.get(url, headers=token(f"{role}-up", role, unit=unit))
        assert got.status_code == 200 and got.content == PDF_BYTES, (role, unit)
    for role, unit in [("proposer", OTHER_WARD), ("reviewer", FOREIGN), ("auditor", FOREIGN),
                       ("admin", OTHER_WARD), ("proposer", "hg.vi-thanh")]:
        assert_problem(await http.get(url, headers=token(f"{role}-x", role, unit=unit)),
                       404, "not-found")
    assert_problem(await http.get(f"/documents/{UUID(int=7)}", headers=CLERK), 404, "not-found")
    assert_problem(await http.get("/documents/nothing", headers=CLERK), 404, "not-found")
    assert_problem(await upload(http, PDF_BYTES, headers=token("tt", "auditor", unit=OWN)),
                   403, "wrong-role")


async def test_the_same_keyed_upload_again_answers_the_same_document(
    http: httpx.AsyncClient, laurel: Laurel,
) -> None:
    keyed = {**CLERK, "Idempotency-Key": "tai-lieu-1"}
    first = await upload(http, PDF_BYTES, headers=keyed)
    before = laurel.log.last_position()
    again = await upload(http, PDF_BYTES, headers=keyed)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert laurel.log.last_position() == before
    assert_problem(await upload(http, PDF_BYTES + b" ", headers=keyed),
                   422, "idempotency-key-reused")


# -- the audit ----------------------------------------------------------------------------


async def test_a_changed_or_missing_file_is_named_by_audit_verify_with_its_nomination(
    http: httpx.AsyncClient, laurel: Laurel, settings: Settings,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    report = (await upload(http, PDF_BYTES, "bao-cao.pdf")).json()
    minutes = (await upload(http, PDF_BYTES + b"bien ban\n", "bien-ban.pdf")).json()
    document = load_document(laurel.nominations, report["id"])
    assert document is not None
    nomination = propose(
        laurel.nominations, person("proposer", OWN), award_code="bang-khen-tinh",
        nominee={"name": "Nguyễn Thị Hoa", "kind": "individual"}, achievements="",
        documents=[document.reference("bao-cao-thanh-tich")], at=datetime.now(UTC))
    Projector(laurel.engine, laurel.log).catch_up()

    code, out = audit_verify(settings, monkeypatch, capsys)
    assert code == 0, out
    assert "Files intact: 2 stored file(s) of 2 document(s)" in out

    tamper(laurel, report["sha256"], PDF_BYTES.replace(b"Hoa", b"Hoe"))
    laurel.files.delete(minutes["sha256"])
    code, out = audit_verify(settings, monkeypatch, capsys)
    assert code == 1
    changed = next(line for line in out.splitlines() if report["id"] in line)
    assert "changed" in changed and str(nomination.id) in changed
    assert nomination.tracking_code in changed
    missing = next(line for line in out.splitlines() if minutes["id"] in line)
    assert "missing" in missing and "no nomination lists it" in missing

    auditor = token("thanhtra", "auditor", unit="hg")
    answer = (await http.get("/audit/verify", params={"files": "true"}, headers=auditor)).json()
    assert answer["intact"] is True and answer["files"]["intact"] is False
    assert {(b["document_id"], b["kind"]) for b in answer["files"]["breaks"]} == {
        (report["id"], "changed"), (minutes["id"], "missing")}
    cited = next(b for b in answer["files"]["breaks"] if b["document_id"] == report["id"])
    assert [n["id"] for n in cited["nominations"]] == [str(nomination.id)]
    assert_problem(await http.get(f"/documents/{minutes['id']}", headers=CLERK),
                   503, "document-unavailable")

    # The same bytes uploaded again restore the stored copy: the audit passes again.
    await upload(http, PDF_BYTES, "bao-cao.pdf")
    await upload(http, PDF_BYTES + b"bien ban\n", "bien-ban.pdf")
    code, out = audit_verify(settings, monkeypatch, capsys)
    assert code == 0, out


def test_the_folder_store_keeps_its_files_for_its_owner_only(laurel: Laurel,
                                                             store: str) -> None:
    if store != "folder":
        pytest.skip("the folder store's modes")
    from infrastructure.files import put_stream

    def chunks() -> Iterator[bytes]:
        yield PDF_BYTES

    stored = put_stream(laurel.files, chunks())
    files = laurel.files
    assert isinstance(files, FolderStore)
    path = files.path(stored.sha256)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.read_bytes() == PDF_BYTES
    assert not any(files.incoming.iterdir())  # nothing left half-written
