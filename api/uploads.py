"""Receiving a document's file: a multipart body read as it arrives, the file part written
straight into the store's spool (hashed as it goes), its type recognised by its content.

Why not FastAPI's ``UploadFile``: Starlette copies the part into a temporary file of its
own first, and only then would the route hash it and copy it again into the store; and
its size is known only once all of it has been read. Read here, a file is written once,
a file past ``max_bytes`` is refused as soon as it passes, and nothing but the chunk in
hand is ever in memory.

Why by content: a name says nothing (an ``.exe`` renamed ``to-trinh.pdf`` is still a
program). A PDF starts with ``%PDF-``, a PNG and a JPEG with their signatures; a DOCX and
an XLSX are ZIP files holding ``[Content_Types].xml`` with ``word/document.xml`` or
``xl/workbook.xml``.
"""

from __future__ import annotations

import asyncio
import zipfile
from dataclasses import dataclass
from pathlib import Path

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.problems import HTTP_PROBLEMS, http_title, language_of, problem
from domain.document import DOCX, JPEG, PDF, PNG, XLSX
from infrastructure.files import CHUNK, FileStore, Spool, StoredFile

FIELD = "file"
"""The multipart field the file comes in."""
MULTIPART_ALLOWANCE = 64 * 1024
"""What a multipart body may hold besides the file: boundaries, part headers, a field or
two. A body declaring more than the file limit plus this is refused before it is read."""
MAX_PARTS = 8
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Received:
    stored: StoredFile
    media_type: str
    filename: str


class UploadRefused(Exception):
    """An upload refused before anything is recorded, as problem+json."""

    def __init__(self, code: str, detail: str, vi: str, title: str = "",
                 title_vi: str = "") -> None:
        super().__init__(detail)
        self.code, self.detail, self.detail_vi = code, detail, vi
        self.title, self.title_vi = title, title_vi

    def response(self, request: Request) -> JSONResponse:
        language = language_of(request)
        title = (self.title_vi if language == "vi" else self.title) or http_title(
            self.code, language)
        detail = self.detail_vi if language == "vi" else self.detail
        return problem(HTTP_PROBLEMS[self.code].status, self.code, title, detail, request)


def unsupported(detail: str, vi: str) -> UploadRefused:
    return UploadRefused("unsupported-media-type", detail, vi,
                         "The file is not of a type Laurel takes",
                         "Tệp không thuộc định dạng Laurel nhận")


def too_large(max_bytes: int) -> UploadRefused:
    return UploadRefused(
        "file-too-large", f"The file passes {max_bytes} bytes, the most Laurel takes",
        f"Tệp vượt quá {max_bytes} byte, mức lớn nhất Laurel nhận")


def media_type_of(path: Path) -> str | None:
    """The file's type as its content says (None: none Laurel takes)."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(JPEG_SIGNATURE):
        return JPEG
    if head.startswith(ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())  # the central directory only: nothing inflated
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


class _FilePart:
    """The parser's callbacks: the ``file`` part's bytes gathered into pending chunks,
    counted against the limit; every other part's data dropped."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.size = 0
        self.filename: str | None = None
        self.parts = 0
        self._header = b""
        self._value = b""
        self._disposition = b""
        self._receiving = False

    def callbacks(self) -> dict[str, object]:
        return {"on_part_begin": self.part_begin, "on_part_data": self.part_data,
                "on_part_end": self.part_end, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished}

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise UploadRefused("invalid-body", f"At most {MAX_PARTS} parts, one the file",
                                f"Tối đa {MAX_PARTS} phần, trong đó một phần là tệp")
        self._disposition = b""

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header, self._value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._receiving = options.get(b"name") == FIELD.encode() and self.filename is None
        if self._receiving:
            self.filename = options.get(b"filename", b"").decode("utf-8", "replace")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if not self._receiving:
            return
        self.size += end - start
        if self.size > self.max_bytes:
            raise too_large(self.max_bytes)
        self.pending.append(data[start:end])
        self.pending_size += end - start

    def part_end(self) -> None:
        self._receiving = False

    def take(self) -> list[bytes]:
        taken, self.pending, self.pending_size = self.pending, [], 0
        return taken


def _written(spool: Spool, chunks: list[bytes]) -> None:
    for chunk in chunks:
        spool.write(chunk)


async def keep_form_file(upload: UploadFile, store: FileStore, max_bytes: int) -> Received:
    """A page form's file (already spooled by the form parser), stored by its hash like
    ``receive``'s, with the same limits and the same check of its content's type."""
    with store.spool() as spool:
        size = 0
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            await asyncio.to_thread(spool.write, chunk)
        return await _kept(store, spool, size, upload.filename or "")


async def receive(request: Request, store: FileStore, max_bytes: int) -> Received:
    """The request's ``file`` part, stored by its hash, with its type and name; refused
    (``UploadRefused``) when it is not multipart, too large, or of no type Laurel takes.
    The disk is written off the event loop, a megabyte at a time."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise unsupported(
            "Send the file as multipart/form-data, in the field 'file'",
            "Hãy gửi tệp dạng multipart/form-data, trong trường 'file'")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + MULTIPART_ALLOWANCE:
        raise too_large(max_bytes)
    part = _FilePart(max_bytes)
    parser = MultipartParser(boundary, part.callbacks())  # type: ignore[arg-type]
    with store.spool() as spool:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                if part.pending_size >= CHUNK:
                    await asyncio.to_thread(_written, spool, part.take())
            parser.finalize()
        except FormParserError as error:
            raise UploadRefused("invalid-body", f"The multipart body cannot be read: {error}",
                                "Không đọc được nội dung multipart của yêu cầu") from None
        await asyncio.to_thread(_written, spool, part.take())
        if part.filename is None:
            raise UploadRefused("invalid-body", "Send the file in the multipart field 'file'",
                                "Hãy gửi tệp trong trường 'file' của yêu cầu multipart")
        return await _kept(store, spool, part.size, part.filename)


async def _kept(store: FileStore, spool: Spool, size: int, filename: str) -> Received:
    """The spooled file kept in the store by its hash, once its content is found to be
    of a type Laurel takes (else ``UploadRefused``, nothing kept)."""
    await asyncio.to_thread(spool.finish)
    media_type = await asyncio.to_thread(media_type_of, spool.path)
    if size == 0 or media_type is None:
        raise unsupported(
            "Documents are PDF, PNG, JPEG, DOCX or XLSX files, recognised by their "
            "content; this one is none of them, whatever its name",
            "Tài liệu phải là tệp PDF, PNG, JPEG, DOCX hoặc XLSX, nhận biết theo nội "
            "dung tệp; tệp này không thuộc định dạng nào trong số đó, dù tên tệp là gì")
    stored = await asyncio.to_thread(store.keep, spool)
    return Received(stored, media_type, filename)
