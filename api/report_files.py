"""The reports as files to download, for the JSON routes and the pages alike: XLSX in the
layouts a province files (a title row, the unit and period, Vietnamese headers, numbers
as numbers and dates as dates, a total line) and CSV (UTF-8 with a byte-order mark, so
that Excel reads the accents; the header row and the rows, nothing else)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from api.reads.audit import attachment
from api.reads.reports import Awarded, Group, LevelTimes, Scope, Statistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
Cell = str | int | float | date | None
BY_DECISION_DATE = "theo ngày ký quyết định"
BY_BALLOT_DATE = "hồ sơ Hội đồng đã xét trong kỳ"


@dataclass(frozen=True)
class Sheet:
    """One table: its tab's name, its title, the headers, the rows, a total line."""

    name: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[int]
    total: Sequence[Cell] | None = None
    percent_columns: frozenset[int] = frozenset()
    sections: Sequence[tuple[Sequence[Cell], Sequence[Sequence[Cell]]]] | None = None
    basis: str = BY_DECISION_DATE
    """What the period counts by, as the second line says it."""
    """For the XLSX: the rows in sections, each under a heading line of its own (the
    form's levels, with their subtotals); the CSV keeps ``rows``, one line each."""


def subtitle(scope: Scope, basis: str = BY_DECISION_DATE) -> str:
    """The unit and the period, as the form's second line says them."""
    below = " và các đơn vị trực thuộc" if len(scope.units) > 1 else ""
    within = f" — {scope.within}" if scope.within else ""
    return (f"Đơn vị: {scope.unit_name}{below}{within} — Kỳ báo cáo: "
            f"{scope.period.label('vi')} ({basis})")


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
FORM_HEADERS = ("STT", "Hình thức khen thưởng", "Cấp quyết định", "Tổng số", "Tập thể",
                "Cá nhân", "Hộ gia đình", "Cá nhân nam", "Cá nhân nữ",
                "Cá nhân chưa rõ giới tính", "Người trực tiếp lao động, sản xuất")


def statistics_sheets(stats: Statistics) -> list[Sheet]:
    """The form, then the awards by movement and by cluster."""
    def figures(f: dict[str, int]) -> list[Cell]:
        return [f["total"], f["collectives"], f["individuals"], f["households"], f["male"],
                f["female"], f["gender_unknown"], f["direct_workers"]]

    sections: list[tuple[list[Cell], list[list[Cell]]]] = []
    for level in dict.fromkeys(r.level for r in stats.rows):
        rows = [r for r in stats.rows if r.level == level]
        subtotal = [sum(r.figures()[k] for r in rows) for k in (
            "total", "collectives", "individuals", "households", "male", "female",
            "gender_unknown", "direct_workers")]
        sections.append(([ROMAN[len(sections)] if len(sections) < len(ROMAN) else "",
                          f"Khen thưởng do {rows[0].level_name['vi'].lower()} quyết định",
                          rows[0].level_name["vi"], *subtotal],
                         [[i, r.award_name["vi"], r.level_name["vi"], *figures(r.figures())]
                          for i, r in enumerate(rows, 1)]))
    form = Sheet(
        "Biểu thống kê", "BIỂU THỐNG KÊ KẾT QUẢ THI ĐUA, KHEN THƯỞNG", FORM_HEADERS,
        [[i, r.award_name["vi"], r.level_name["vi"], *figures(r.figures())]
         for i, r in enumerate(stats.rows, 1)],
        (6, 44, 16, 10, 10, 10, 12, 12, 12, 14, 18),
        total=["", "Tổng cộng", "", *figures(stats.totals.figures())], sections=sections)
    return [form,
            _groups("Theo phong trào", "KẾT QUẢ KHEN THƯỞNG THEO PHONG TRÀO THI ĐUA",
                    "Phong trào thi đua", "Không thuộc phong trào nào", stats.by_movement),
            _groups("Theo cụm, khối", "KẾT QUẢ KHEN THƯỞNG THEO CỤM, KHỐI THI ĐUA",
                    "Cụm, khối thi đua", "Không xét theo cụm, khối", stats.by_cluster)]


def _groups(name: str, title: str, what: str, none: str, groups: list[Group]) -> Sheet:
    rows: list[list[Cell]] = [[i, g.name if g.key else none, g.total, g.individuals,
                               g.collectives] for i, g in enumerate(groups, 1)]
    total: list[Cell] = ["", "Tổng cộng", sum(g.total for g in groups),
                         sum(g.individuals for g in groups), sum(g.collectives for g in groups)]
    return Sheet(name, title, ("STT", what, "Tổng số", "Cá nhân", "Tập thể"), rows,
                 (6, 50, 10, 10, 10), total=total)


LIST_HEADERS = ("STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Hình thức khen thưởng",
                "Số quyết định", "Ngày quyết định")


def awarded_sheet(found: list[Awarded]) -> Sheet:
    """The list to attach to a *tờ trình*: one line per award. In the XLSX, under a
    heading per form (I, II…; the higher level's first), collectives before individuals,
    each in decision order; the CSV, one line per award in decision order."""
    def line(i: int, a: Awarded) -> list[Cell]:
        return [i, a.name, ", ".join(p for p in (a.position, a.unit_name) if p),
                a.award_name["vi"], a.decision_number, a.decision_date]

    rank: dict[str, int] = {}
    for a in found:
        rank[a.award_name["vi"]] = max(rank.get(a.award_name["vi"], a.rank), a.rank)
    sections: list[tuple[list[Cell], list[list[Cell]]]] = []
    for n, name in enumerate(sorted(rank, key=lambda f: (-rank[f], f))):
        under = sorted((a for a in found if a.award_name["vi"] == name),
                       key=lambda a: a.kind == "individual")  # stable: in decision order
        sections.append(([ROMAN[n] if n < len(ROMAN) else "", name, "", "", "", ""],
                         [line(i, a) for i, a in enumerate(under, 1)]))
    return Sheet("Danh sách", "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG", LIST_HEADERS,
                 [line(i, a) for i, a in enumerate(found, 1)], (6, 30, 44, 40, 20, 16),
                 sections=sections)


TIMES_HEADERS = ("STT", "Cấp xét", "Số hồ sơ đã xét", "Trung vị (ngày)",
                 "Phân vị 90 (ngày)", "Số hồ sơ xét đúng hạn", "Tỷ lệ đúng hạn")


def times_sheet(times: list[LevelTimes]) -> Sheet:
    rows: list[list[Cell]] = [
        [i, t.level_name["vi"], t.count, t.median_days, t.p90_days, t.on_time,
         round(t.on_time_share, 4)] for i, t in enumerate(times, 1)]
    return Sheet("Thời gian xử lý", "THỜI GIAN XÉT HỒ SƠ KHEN THƯỞNG THEO CẤP", TIMES_HEADERS,
                 rows, (6, 20, 16, 16, 18, 20, 16), percent_columns=frozenset({7}),
                 basis=BY_BALLOT_DATE)


# -- writing ---------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx(scope: Scope, sheets: list[Sheet]) -> bytes:
    """A workbook of ``sheets``: on each, the title (row 1), the unit and period (row 2),
    the headers (row 4), the rows, the total line."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        width = len(sheet.headers)
        for row, text, size in ((1, sheet.title, 14), (2, subtitle(scope, sheet.basis), 11)):
            ws.cell(row=row, column=1, value=text).font = Font(bold=row == 1, size=size)
            ws.cell(row=row, column=1).alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for col, header in enumerate(sheet.headers, 1):
            cell = ws.cell(row=4, column=col, value=header)
            cell.font, cell.border = Font(bold=True), BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        lines: list[tuple[Sequence[Cell], bool]] = []
        if sheet.sections is None:
            lines += [(row, False) for row in sheet.rows]
        for heading, rows in sheet.sections or ():
            lines += [(heading, True), *((row, False) for row in rows)]
        if sheet.total is not None:
            lines.append((sheet.total, True))
        for r, (values, bold) in enumerate(lines, 5):
            for col, value in enumerate(values, 1):
                cell = ws.cell(row=r, column=col, value=value)
                cell.border = BOX
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                elif col in sheet.percent_columns:
                    cell.number_format = "0.0%"
                if bold:
                    cell.font = Font(bold=True)
        for col, w in enumerate(sheet.widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = w
        ws.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """The header row and the rows (dates ISO 8601), UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else "" if v is None else v
                         for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def download(scope: Scope, sheets: list[Sheet], format: Literal["xlsx", "csv"],
             name: str) -> Response:
    """The report as an attachment: every sheet in XLSX, the first one in CSV."""
    stem = f"{name}-{scope.unit_id}-{scope.period.start.isoformat()}-" \
           f"{scope.period.end.isoformat()}"
    if format == "csv":
        return Response(csv_bytes(sheets[0]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": attachment(f"{stem}.csv")})
    return Response(xlsx(scope, sheets), media_type=XLSX,
                    headers={"Content-Disposition": attachment(f"{stem}.xlsx")})

