"""A history sheet as provinces keep it — one award a row, "Họ và tên", "Số CCCD", "Mã
công chức", "Danh hiệu/Hình thức", "Năm", "Số quyết định", "Ngày quyết định", "Cơ quan
ban hành", in any column order — read with the proposals' reader and limits
(``api.spreadsheet``), each row matched to a person of the importer's units by national
ID or civil-servant code (a collective, which has neither, by its name), and checked.
Every refusal names its row; one refused row and nothing is recorded (``ImportRefused``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from sqlalchemy.engine import Connection

from api import spreadsheet
from api.reads import people as reads
from domain.actor import Actor
from domain.commands import AwardItem, ImportAwards
from domain.errors import DomainError, ImportRefused, InvalidAwardRecord, NotFound, UnreadableSheet
from domain.people import reaches
from domain.person import REGISTRARS, individual_id
from domain.policy import Policy
from domain.vocabulary import Role
from projections.search import phrase

_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def require_keeper(user: Actor) -> None:
    """Only the register's keepers import: refused before the sheet is read."""
    if not user.roles & set(REGISTRARS):
        user.acting_as(Role.PROPOSER)


def read(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The sheet's rows, or ``UnreadableSheet`` naming what is wrong with it."""
    try:
        return spreadsheet.read_rows(filename, content)
    except spreadsheet.TooLarge as too_large:
        limits = {"bytes": f"{spreadsheet.MAX_BYTES:,} bytes",
                  "unpacked": f"{spreadsheet.MAX_UNPACKED:,} bytes unzipped",
                  "rows": f"{spreadsheet.MAX_ROWS} rows"}
        raise UnreadableSheet(f"The sheet is past the limit of {limits[too_large.limit]}: "
                              f"split it", vi=f"Tệp vượt quá giới hạn "
                              f"{limits[too_large.limit]}: hãy chia thành nhiều tệp") from None
    except spreadsheet.NoNameColumn:
        raise UnreadableSheet(
            "No header row names the person ('Họ và tên') in the first rows",
            vi="Không tìm thấy dòng tiêu đề có cột 'Họ và tên' ở các dòng đầu") from None
    except spreadsheet.Unreadable:
        raise UnreadableSheet("This is no CSV or XLSX file",
                              vi="Tệp không phải CSV hoặc XLSX") from None


def award_code_of(policy: Policy, value: str) -> str | None:
    """The award a cell names: its code, or its name in Vietnamese or English."""
    if value.strip() in policy.awards:
        return value.strip()
    wanted = spreadsheet.plain(value)
    for award in policy.awards.values():
        if wanted in (spreadsheet.plain(award.name.vi), spreadsheet.plain(award.name.en)):
            return award.code
    return None


def day_of(value: str) -> date:
    """A date as sheets hold it: 20/12/2023, 2023-12-20, or a workbook's date cell."""
    text = value.strip()
    if found := _DAY.fullmatch(text):
        return date(int(found[3]), int(found[2]), int(found[1]))
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise InvalidAwardRecord(f"'Ngày quyết định' is no date: {text!r}",
                                 vi=f"Ngày quyết định không hợp lệ: '{text}' (dạng "
                                    f"ngày/tháng/năm)") from None


def build(user: Actor, policy: Policy, rows: list[tuple[int, dict[str, str]]],
          ) -> Callable[[Connection], ImportAwards]:
    """The import's command, built once every row is matched and read."""

    def built(conn: Connection) -> ImportAwards:
        require_keeper(user)
        units = policy.org.subtree(user.unit_id)
        items, refused = [], []
        for number, record in rows:
            try:
                items.append(_item(conn, user, policy, units, number, record))
            except DomainError as error:
                refused.append((number, error))
        if refused:
            raise ImportRefused(refused)
        if not items:
            raise UnreadableSheet("The sheet lists no award", vi="Tệp không có dòng nào")
        return ImportAwards(tuple(items))

    return built


def _item(conn: Connection, user: Actor, policy: Policy, units: list[str], number: int,
          record: dict[str, str]) -> AwardItem:
    national_id = record.get("national_id", "").replace(" ", "")
    code = record.get("civil_servant_code", "").strip()
    if national_id:
        person_id = str(individual_id(national_id))
    elif code:
        found = reads.reachable_by_code(conn, units, code)
        if len(found) != 1:
            raise NotFound(f"No single person of yours has civil-servant code {code}",
                           vi=f"Không tìm thấy đúng một người có mã công chức {code} thuộc "
                              f"đơn vị của bạn")
        person_id = found[0]
    elif record.get("name", "").strip():
        # A collective (a unit, or a team of one) has neither: it is known by its name.
        named = record["name"]
        found = reads.collectives_named(conn, units, named)
        if len(found) != 1:
            raise NotFound(
                f"Neither a national ID nor a civil-servant code, and no single collective "
                f"of yours is named {named!r}",
                vi=f"Thiếu cả số CCCD lẫn mã công chức, và không có đúng một tập thể thuộc "
                   f"đơn vị của bạn tên là '{named}'")
        person_id = found[0]
    else:
        raise InvalidAwardRecord("Neither a national ID nor a civil-servant code",
                                 vi="Thiếu cả số CCCD lẫn mã công chức")
    row = reads.row_of(conn, person_id)
    if row is None or not reaches(user, policy, row["unit_id"]):
        raise NotFound("No person of yours with that national ID",
                       vi="Không có người nào thuộc đơn vị của bạn có số CCCD này")
    name = record.get("name", "")
    if name and phrase(name) != phrase(row["name"]):
        raise InvalidAwardRecord(f"The name {name!r} is not that of the register ({row['name']})",
                                 vi=f"Họ tên '{name}' không khớp với họ tên trong danh sách "
                                    f"({row['name']})")
    award = award_code_of(policy, record.get("award", ""))
    if award is None:
        raise InvalidAwardRecord(f"No award named {record.get('award', '')!r} in the catalogue",
                                 vi=f"Danh mục khen thưởng không có "
                                    f"'{record.get('award', '')}'")
    year = record.get("year", "").strip()
    if not (year.isdigit() and len(year) == 4):
        raise InvalidAwardRecord(f"'Năm' is a year, not {year!r}",
                                 vi=f"Năm không hợp lệ: '{year}'")
    return AwardItem(person_id=UUID(person_id), award_code=award, year=int(year),
                     decision_number=record.get("decision_number", ""),
                     decision_date=day_of(record.get("decision_date", "")).isoformat(),
                     issuer=record.get("issuer", ""), row=number)


