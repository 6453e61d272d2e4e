"""Nominees from a spreadsheet a clerk already keeps: CSV (UTF-8, as Excel or LibreOffice
save it) or XLSX, first sheet; a header row naming the columns ``name``, ``kind`` and
``achievements``, in any order."""

from __future__ import annotations

import csv
import io
import zipfile

MAX_BYTES = 2_000_000
COLUMNS = ("name", "kind", "achievements")


class Unreadable(ValueError):
    pass


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """Each data row as {column: text}; the header row is not among them."""
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx(content)
    text = content.decode("utf-8-sig", errors="replace")
    return [{k.strip().lower(): (v or "").strip() for k, v in record.items() if k}
            for record in csv.DictReader(io.StringIO(text))]


def _xlsx(content: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook  # only when a workbook comes: 17 MiB of imports

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Unreadable(str(error)) from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(lines, ())]
    rows = []
    for line in lines:
        if all(cell in (None, "") for cell in line):
            continue
        rows.append({h: "" if cell is None else str(cell).strip()
                     for h, cell in zip(header, line, strict=False) if h})
    book.close()
    return rows
