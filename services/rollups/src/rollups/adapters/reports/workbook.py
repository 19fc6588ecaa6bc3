"""The report's statistical tables as an Excel workbook: a summary sheet, one sheet per table, the role models."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rollups.adapters.reports.model import ReportData
from rollups.adapters.reports.tables import LEVELS, MOVEMENT, Table
from thidua_commons.periods import period_name

HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
BOLD = Font(bold=True)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """A value as data: text is always stored as text, so a name starting with "=" never becomes a formula. Control
    characters, which no cell can hold, are left out: text that older code kept and published may have them (a name in
    an event is read as it was written, thidua_platform.text), and the report is made all the same."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell: Cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _title(sheet: Worksheet, title: str, subtitle: str) -> None:
    _put(sheet, 1, 1, title).font = Font(bold=True, size=13)
    _put(sheet, 2, 1, subtitle)


def _table(sheet: Worksheet, table: Table, top: int) -> None:
    for column, heading in enumerate(table.header, start=1):
        cell = _put(sheet, top, column, heading)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(40, len(heading) + 4))
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            _put(sheet, top + offset, column, value)
    sheet.freeze_panes = f"A{top + 1}"


def _summary(sheet: Worksheet, data: ReportData) -> None:
    figures = data.figures
    awards = figures["awards"]
    lines: list[tuple[str, Any]] = [
        ("Phong trào", MOVEMENT),
        ("Kỳ báo cáo", period_name(data.period)),
        ("Đơn vị báo cáo", data.letterhead.issuing_body),
        ("Số xã" if data.kind == "province" else "Xã", len(data.rows) if data.kind == "province" else data.name),
        ("Hồ sơ đã chấm điểm", figures["scored"]),
        ("Điểm bình quân", figures["average_score"]),
        ("Số khen thưởng đã quyết định", awards["total"]),
        ("Trong đó khen thưởng đột xuất", awards.get("ad_hoc", 0)),
        ("Tờ trình đang chờ cấp trên", figures["pending_upward"]),
    ]
    lines += [(f"Xếp loại {grade}", count) for grade, count in figures["grades"].items()]
    lines += [(f"Khen thưởng {LEVELS.get(level, level)}", count) for level, count in awards["by_level"].items()]
    _title(sheet, "TỔNG HỢP KẾT QUẢ PHONG TRÀO THI ĐUA", period_name(data.period))
    for offset, (label, value) in enumerate(lines, start=4):
        _put(sheet, offset, 1, label).font = BOLD
        _put(sheet, offset, 2, value)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 60


def render_workbook(data: ReportData) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    _summary(summary, data)
    for table in data.tables:
        sheet = book.create_sheet(table.code)
        _title(
            sheet, f"Biểu {table.code}: {table.title}", f"{period_name(data.period)} - {data.letterhead.issuing_body}"
        )
        _table(sheet, table, top=4)
    models = book.create_sheet("Điển hình")
    _title(models, "Điển hình tiên tiến (điểm cao nhất)", period_name(data.period))
    _table(
        models,
        Table(
            "DH",
            "Điển hình",
            ("STT", "Tập thể, cá nhân", "Xã", "Tổng điểm"),
            [(i, m["name"], m["commune"], m["total"]) for i, m in enumerate(data.role_models, start=1)],
        ),
        top=4,
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
