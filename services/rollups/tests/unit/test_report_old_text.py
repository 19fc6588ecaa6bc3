"""A report is made from text older code kept and published (issue #20): an entrant's name in an event is read as it
was written (thidua_platform.text), NUL or escape sequence included, and the workbook, whose cells cannot hold control
characters, leaves those out instead of failing the report."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from rollups.adapters.reports.model import ReportData
from rollups.adapters.reports.tables import Table
from rollups.adapters.reports.workbook import render_workbook
from thidua_commons.documents.model import Letterhead


def test_control_characters_in_kept_text_are_left_out_of_the_workbook() -> None:
    data = ReportData(
        kind="commune",
        code="ph-37-lien-minh",
        name="Xã Liên Minh",
        period="2026",
        letterhead=Letterhead(
            issuing_body="ỦY BAN NHÂN DÂN XÃ LIÊN MINH", parent_body="TỈNH NINH BÌNH", place="Liên Minh"
        ),
        made_on=date(2026, 12, 7),
        figures={
            "scored": 1,
            "average_score": 91.0,
            "pending_upward": 0,
            "grades": {"Xuất sắc\x00": 1},
            "awards": {"total": 0, "by_level": {}},
        },
        rows=[],
        tables=[Table("TH", "Kết quả", ("STT", "Đơn vị"), [(1, "Xã Liên\x07 Minh")])],
        role_models=[{"name": "Thôn Đông\x00 Hưng\x1b[0m\t", "commune": "Xã Liên Minh", "total": 91.0}],
    )
    book = load_workbook(io.BytesIO(render_workbook(data)))
    texts = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert {"Thôn Đông Hưng[0m\t", "Xã Liên Minh", "Xếp loại Xuất sắc"} <= texts
