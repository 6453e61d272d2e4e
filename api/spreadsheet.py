"""Nominees from a spreadsheet a clerk already keeps, and the award history sheets a
province keeps (``api.award_sheet``): CSV (UTF-8, as Excel or LibreOffice save it; comma
or semicolon) or XLSX, first sheet. Shared by the pages and the JSON API.

The sheets clerks keep have Vietnamese headers — "STT", "Họ và tên", "Loại" or "Đối
tượng", "Chức vụ, đơn vị công tác", "Thành tích", "Người trực tiếp lao động" — often
under a title line or two, in whatever column order the unit uses, typed with or
without accents, in any case. A header is known by its words with accents, case and
punctuation set aside; the header row is the first of the first ten rows that names the
nominee's name. The English column names (``name``, ``kind``, ``achievements``) are known
too. Values are read likewise: "Cá nhân", "Tập thể", "Hộ gia đình" (the nominee kinds
the policy knows), and "x", "có", "yes" for a direct worker.

A sheet of nominees may name people of the register by "Số CCCD" or "Mã công chức" and
give the achievements' year ("Năm"): ``match_people`` finds each row's person among the
proposing unit's (and its units') people, so that their history is checked; a row that
names no one of them is said so, by its number.

A sheet is read within limits, and one past any of them is refused whole (``TooLarge``),
never cut short: at most ``MAX_ROWS`` nominees (a proposal's size), ``MAX_COLUMNS``
columns, ``MAX_BYTES`` as uploaded and ``MAX_UNPACKED`` once unzipped. A workbook is
streamed row by row and dropped at the first limit passed: a 200 KB file that unzips to
600,000 rows costs its first rows, not gigabytes. The page parses off the event loop.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from api.reads import people as people_reads
from domain.person import individual_id

MAX_BYTES = 2_000_000
MAX_ROWS = 500
"""Nominees a sheet may list: as many as one proposal takes (``POST /proposals``)."""
MAX_COLUMNS = 40
MAX_UNPACKED = 30_000_000
MAX_SHEET_ROWS = 20 * MAX_ROWS
"""Rows read at all, blank or not, before a sheet is taken for a bomb."""
COLUMNS = ("name", "kind", "achievements", "position", "direct_worker")
HEADER_SEARCH_ROWS = 10

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "ho va ten", "ho ten", "ho va ten ten tap the", "ten",
             "ten tap the", "ho ten ten tap the", "ten ca nhan tap the", "ca nhan tap the",
             "ho va ten ca nhan ten tap the", "nominee", "full name"),
    "kind": ("kind", "loai", "doi tuong", "loai doi tuong", "hinh thuc doi tuong",
             "ca nhan hay tap the", "ca nhan tap the ho gia dinh", "type"),
    "achievements": ("achievements", "thanh tich", "tom tat thanh tich",
                     "thanh tich dat duoc", "thanh tich tom tat", "noi dung thanh tich",
                     "ly do", "ly do khen thuong"),
    "position": ("position", "title", "chuc vu", "don vi", "don vi cong tac",
                 "chuc vu don vi", "chuc vu don vi cong tac", "chuc vu noi cong tac",
                 "noi cong tac", "workplace", "unit"),
    "direct_worker": ("direct worker", "direct_worker", "nguoi truc tiep lao dong",
                      "truc tiep lao dong", "nguoi truc tiep lao dong san xuat",
                      "truc tiep lao dong san xuat", "nguoi lao dong truc tiep",
                      "lao dong truc tiep", "ld truc tiep", "tructiep"),
    # An award history sheet (``api.award_sheet``): one award a row.
    "national_id": ("so cccd", "cccd", "so can cuoc cong dan", "so can cuoc", "so dinh danh",
                    "so dinh danh ca nhan", "so cmnd cccd", "national id", "national_id"),
    "civil_servant_code": ("ma cong chuc", "ma so cong chuc", "ma cong chuc vien chuc",
                           "ma cbccvc", "civil servant code", "civil_servant_code"),
    "award": ("danh hieu hinh thuc", "danh hieu", "hinh thuc", "hinh thuc khen thuong",
              "danh hieu thi dua", "danh hieu hinh thuc khen thuong", "award", "award_code"),
    "year": ("nam", "nam khen thuong", "nam dat danh hieu", "year"),
    "decision_number": ("so quyet dinh", "so qd", "decision number", "decision_number"),
    "decision_date": ("ngay quyet dinh", "ngay qd", "ngay ky", "decision date",
                      "decision_date"),
    "issuer": ("co quan ban hanh", "co quan quyet dinh", "cap quyet dinh", "issuer",
               "issued by"),
}

KINDS: dict[str, str] = {
    "individual": "individual", "ca nhan": "individual", "canhan": "individual",
    "cn": "individual", "person": "individual",
    "collective": "collective", "tap the": "collective", "tapthe": "collective",
    "tt": "collective",
    "household": "household", "ho gia dinh": "household", "ho": "household",
    "hgd": "household", "hogiadinh": "household", "family": "household",
}

YES = frozenset({"x", "co", "yes", "y", "true", "1", "v", "dung", "phai", "✓", "✔"})


class Unreadable(ValueError):
    pass


class TooLarge(Unreadable):
    """Past one of the limits: ``limit`` names which ("bytes", "unpacked", "rows")."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"past the limit of {limit}")
        self.limit = limit


class NoNameColumn(Unreadable):
    """A table, but none of its first rows names the nominee's name."""


def plain(text: str) -> str:
    """Words without accents, case or punctuation: "Họ và tên" and "HO VA TEN:" alike."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9✓✔]+", " ", bare).split())


_BY_HEADER = {plain(h): column for column, names in HEADERS.items() for h in names}


def column_of(header: str) -> str | None:
    return _BY_HEADER.get(plain(header))


def kind_of(value: str) -> str | None:
    """The nominee kind a cell names; "" for an empty cell; None if it names none."""
    word = plain(value)
    if not word:
        return ""
    return KINDS.get(word) or KINDS.get(word.replace(" ", ""))


def yes(value: str) -> bool:
    return plain(value) in YES or value.strip() in YES


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Each data row below the header row, with its row number in the sheet (from 1),
    as {column: text}, columns named as in ``COLUMNS`` (others left out). ``Unreadable``
    if it is no spreadsheet; ``NoNameColumn`` if no header row names the nominee."""
    if len(content) > MAX_BYTES:
        raise TooLarge("bytes")
    if filename.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _records(_xlsx(content))
    text = content.decode("utf-8-sig", errors="replace")
    for delimiter in (",", ";", "\t"):  # as Excel saves CSV in one locale or another
        try:
            # newline="": the reader sees every line end itself ("\r" alone included)
            return _records(_within_limits(
                line[:MAX_COLUMNS] for line in csv.reader(io.StringIO(text, newline=""),
                                                          delimiter=delimiter)))
        except NoNameColumn:
            continue
        except csv.Error:
            raise Unreadable("not a CSV file") from None
    raise NoNameColumn("no name column")


def _within_limits(lines: Iterator[Sequence[str]]) -> list[Sequence[str]]:
    """The lines, or ``TooLarge`` as soon as they list more nominees than a proposal
    takes (a header's rows allowed for) or more rows than any sheet of nominees has."""
    kept: list[Sequence[str]] = []
    filled = 0
    for count, line in enumerate(lines, start=1):
        if count > MAX_SHEET_ROWS:
            raise TooLarge("rows")
        if any(cell.strip() for cell in line):
            filled += 1
            if filled > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise TooLarge("rows")
        kept.append(line)
    return kept


def _records(lines: Sequence[Sequence[str]]) -> list[tuple[int, dict[str, str]]]:
    found = [(at, [column_of(cell) for cell in line])
             for at, line in enumerate(lines[:HEADER_SEARCH_ROWS], start=1)]
    named = [(at, columns) for at, columns in found if "name" in columns]
    if not named:
        raise NoNameColumn("no name column")
    start, header = named[0]
    records = []
    if sum(1 for line in lines[start:] if any(cell.strip() for cell in line)) > MAX_ROWS:
        raise TooLarge("rows")
    for number, line in enumerate(lines[start:], start=start + 1):
        if all(not cell.strip() for cell in line):
            continue
        record: dict[str, str] = {}
        for column, cell in zip(header, line, strict=False):
            if column and column not in record:
                record[column] = cell.strip()
        records.append((number, record))
    return records


def _xlsx(content: bytes) -> list[Sequence[str]]:
    from openpyxl import load_workbook  # only when a workbook comes: 17 MiB of imports

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as packed:
            unpacked = sum(entry.file_size for entry in packed.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(str(error)) from None
    if unpacked > MAX_UNPACKED:
        raise TooLarge("unpacked")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Unreadable(str(error)) from None
    try:
        sheet = book.worksheets[0]
        return _within_limits(["" if cell is None else _cell(cell) for cell in line]
                              for line in sheet.iter_rows(values_only=True,
                                                          max_col=MAX_COLUMNS))
    finally:
        book.close()


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- nominees of the register ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonMatch:
    """What a row's national ID or civil-servant code found among the unit's people."""

    person_id: str = ""
    name: str = ""
    kind: str = ""
    asked: str = ""
    """What the row named and found no one by: "national_id" or "civil_servant_code"
    ("" when it found someone, or named neither)."""
    value: str = ""


def national_id_of(value: str) -> str:
    """A CCCD as a sheet holds it: spaces and dots aside; a workbook's number cell loses
    the leading zero of "093…", put back."""
    digits = re.sub(r"[\s.]", "", value)
    return digits.zfill(12) if digits.isdigit() and 9 <= len(digits) < 12 else digits


def match_people(conn: Connection, units: Sequence[str],
                 records: Sequence[tuple[int, dict[str, str]]]) -> dict[int, PersonMatch]:
    """Each row that names a national ID or a civil-servant code, by its number: the
    person of ``units`` it names (read models), or what it asked and found no one by.
    A code that two people share finds no one: the row is not guessed."""
    found: dict[int, PersonMatch] = {}
    for number, record in records:
        national_id = national_id_of(record.get("national_id", ""))
        code = record.get("civil_servant_code", "").strip()
        row = None
        if national_id:
            row = people_reads.row_of(conn, str(individual_id(national_id)))
            asked, value = "national_id", national_id
        elif code:
            ids = people_reads.reachable_by_code(conn, list(units), code)
            row = people_reads.row_of(conn, ids[0]) if len(ids) == 1 else None
            asked, value = "civil_servant_code", code
        else:
            continue
        if row is not None and row["unit_id"] in units:
            found[number] = PersonMatch(str(row["id"]), str(row["name"]), str(row["kind"]))
        else:
            found[number] = PersonMatch(asked=asked, value=value)
    return found
