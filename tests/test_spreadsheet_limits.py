"""A spreadsheet past any limit is refused whole with a clear message, never read for
minutes, never cut short: a workbook of 200 KB that unzips to 600,000 rows, a sheet of
more nominees than a proposal takes, a file larger than the limit. A sheet within the
limits is read as before."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from openpyxl import Workbook

from api import spreadsheet
from infrastructure.container import Laurel
from tests.support.pages import csrf_of, page_client, sign_in, text_of

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UNIT = "hg.vi-thanh.phuong-1"
HEADER = ("STT", "Họ và tên", "Loại", "Thành tích")


@pytest_asyncio.fixture
async def clerk(laurel: Laurel) -> AsyncIterator[httpx.AsyncClient]:
    async with page_client(laurel, [("clerk", ("proposer",), UNIT)]) as client:
        await sign_in(client, "clerk")
        yield client


def workbook(rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append((i + 1, f"Nguyễn Văn {i}", "Cá nhân", "Hoàn thành xuất sắc nhiệm vụ"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(rows: int = 600_000) -> bytes:
    """A real workbook whose sheet is rewritten with ``rows`` rows: a few hundred KB."""
    # Rows and cells may leave out their numbers: every row alike, it zips to almost nothing.
    cells = '<row><c t="inlineStr"><is><t>Lê Văn A</t></is></c></row>' * rows
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c>'
             f'</row>{cells}</sheetData></worksheet>')
    source, out = zipfile.ZipFile(io.BytesIO(workbook(0))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as packed:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            packed.writestr(entry.filename, data)
    return out.getvalue()


async def imported(client: httpx.AsyncClient, name: str, content: bytes) -> str:
    form = await client.get("/ui/proposals/new")
    answer = await client.post("/ui/proposals/import", data={"csrf": csrf_of(form)},
                               files={"file": (name, content, "application/octet-stream")})
    assert answer.status_code == 200, answer.text[:300]
    return text_of(answer)


async def test_a_spreadsheet_bomb_is_refused_whole_and_at_once(
    clerk: httpx.AsyncClient, laurel: Laurel,
) -> None:
    exploding = bomb()
    assert len(exploding) < spreadsheet.MAX_BYTES  # it passes the upload limit
    said = await imported(clerk, "danh-sach.xlsx", exploding)
    assert "Bảng tính khi giải nén lớn hơn 30 MB" in said and "Chưa đọc dòng nào" in said
    assert "Lê Văn A" not in said

    # Rows under the unpacked limit, but far more than a proposal takes: streamed, dropped
    # at the first row past the limit.
    began = time.process_time()
    said = await imported(clerk, "danh-sach.xlsx", bomb(60_000))
    assert "Bảng tính liệt kê hơn 500 người/tập thể" in said and "Lê Văn A" not in said
    assert time.process_time() - began < 10  # read up to the limit, not the 60,000 rows
    assert laurel.log.last_position() == 0


async def test_more_nominees_than_a_proposal_takes_or_bytes_than_the_limit_are_refused(
    clerk: httpx.AsyncClient,
) -> None:
    said = await imported(clerk, "danh-sach.xlsx", workbook(spreadsheet.MAX_ROWS + 1))
    assert "Bảng tính liệt kê hơn 500 người/tập thể" in said
    lines = "\n".join(f"{i},Trần Thị {i},Cá nhân,Tốt" for i in range(600_000))
    as_csv = ("STT,Họ và tên,Loại,Thành tích\n" + lines).encode()[:spreadsheet.MAX_BYTES]
    said = await imported(clerk, "danh-sach.csv", as_csv)
    assert "Bảng tính liệt kê hơn 500 người/tập thể" in said
    larger = b"Ho va ten\n" + b"x" * spreadsheet.MAX_BYTES
    said = await imported(clerk, "danh-sach.csv", larger)
    assert "Tệp lớn hơn 2 MB" in said

    form = await clerk.get("/ui/proposals/new")
    within = await clerk.post("/ui/proposals/import", data={"csrf": csrf_of(form)}, files={
        "file": ("danh-sach.xlsx", workbook(spreadsheet.MAX_ROWS), "application/octet-stream")})
    assert 'value="Nguyễn Văn 499"' in within.text and "Bảng tính liệt kê hơn" not in within.text
