"""Reading an award-history workbook (awards.adapters.workbook): the template reads back, headers are checked, every
cell's fault named by row and column, and what is no workbook to read is refused as a whole."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from awards.adapters.workbook import (
    MAX_ROWS,
    WorkbookUnreadable,
    read_history_workbook,
    template_workbook,
)
from awards.domain.past_forms import PAST_FORMS

from .history_workbooks import HEADERS, row, workbook

EXCEL_DATE = datetime(2024, 12, 20)  # noqa: DTZ001 - Excel's dates carry no time zone


def test_the_template_has_vietnamese_headers_an_example_row_and_the_forms() -> None:
    data = template_workbook()
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Danh sách", "Hình thức", "Hướng dẫn"]
    assert [c.value for c in book["Danh sách"][1]] == list(HEADERS)
    assert HEADERS[:3] == ("Mã đối tượng", "Tên đối tượng", "Mã hình thức")
    codes = [r[0].value for r in book["Hình thức"].iter_rows(min_row=2)]
    assert codes == list(PAST_FORMS)
    names = {r[0].value: r[1].value for r in book["Hình thức"].iter_rows(min_row=2)}
    assert names["GIA_DINH_VAN_HOA"] == "Gia đình văn hóa"

    read = read_history_workbook(data)  # the example row reads without a fault
    assert read.errors == ()
    assert [r.fields["award_form"] for r in read.rows] == ["THON_VAN_HOA"]
    assert read.rows[0].fields["signed_on"] == date(2024, 12, 20)
    assert (read.rows[0].fields["level"], read.rows[0].fields["track"]) == ("district", "regular")


def test_cells_become_fields_as_an_officer_types_them() -> None:
    read = read_history_workbook(
        workbook(
            [
                row(signed_on=EXCEL_DATE, period=2024.0, award_form=" thon_van_hoa", level="Cấp tỉnh"),
                row(signed_on="2024-12-21", level=None, track="phong trào", period="so-ket-2027"),
            ]
        )
    )
    assert read.errors == ()
    first, second = (r.fields for r in read.rows)
    assert (first["signed_on"], first["period"], first["award_form"], first["level"]) == (
        date(2024, 12, 20),
        "2024",
        "THON_VAN_HOA",
        "province",
    )
    assert (second["signed_on"], "level" in second, second["track"], second["period"]) == (
        date(2024, 12, 21),
        False,
        "thematic",
        "so-ket-2027",
    )
    assert [r.row for r in read.rows] == [2, 3]


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"signed_on": "2024/12/20"}, "Ngày ký", "dd/mm/yyyy"),
        ({"signed_on": "20-12-2024"}, "Ngày ký", "dd/mm/yyyy"),
        ({"signed_on": "31/02/2024"}, "Ngày ký", "Không có ngày"),
        ({"signed_on": 45646}, "Ngày ký", "là một số"),
        ({"signed_on": "#DIV/0!"}, "Ngày ký", "Công thức lỗi"),
        ({"issuer": "#REF!"}, "Người ký", "Công thức lỗi"),
        ({"level": "thôn"}, "Cấp", "Cấp “thôn” không hợp lệ"),
        ({"track": "đột xuất"}, "Loại khen thưởng", "không hợp lệ"),
        ({"issuer": None}, "Người ký", "Bắt buộc"),
        ({"entrant_id": None}, "Mã đối tượng", "Bắt buộc"),
    ],
)
def test_a_cells_fault_is_named_by_row_and_column(cells: dict[str, Any], column: str, says: str) -> None:
    read = read_history_workbook(workbook([row(), row(**cells)]))
    assert [(e.row, e.column) for e in read.errors] == [(3, column)]
    assert says in read.errors[0].message


def test_wrong_headers_are_named_and_no_row_is_read() -> None:
    headers = ("Mã đối tượng", "Tên đối tượng", "Mã hình thức", "Năm", "Số QĐ", "Ngày ký", "Người ký", "Người ký")
    read = read_history_workbook(workbook([row()], headers=headers))
    assert read.rows == ()
    assert [(e.row, e.column) for e in read.errors] == [(1, "Số QĐ"), (1, "Người ký"), (1, None)]
    assert "Số quyết định" in read.errors[2].message
    english = read_history_workbook(workbook([row()], headers=[c.upper() for c in ("entrant id", *HEADERS[1:])]))
    assert english.errors == ()


def test_what_is_no_workbook_to_read_is_refused_whole() -> None:
    refusals = {
        b"": "trống",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512): ".xls",
        b"ma;ten\n1;2\n": "không phải bảng tính .xlsx",
        workbook([]): "không có dòng khen thưởng",
        workbook([row()] * (MAX_ROWS + 1)): f"quá {MAX_ROWS} dòng",
    }
    for data, says in refusals.items():
        with pytest.raises(WorkbookUnreadable, match=says):
            read_history_workbook(data)
    assert len(read_history_workbook(workbook([row()] * MAX_ROWS)).rows) == MAX_ROWS
