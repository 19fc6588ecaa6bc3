"""The entrants workbook's template: the .xlsx officers fill in, with an example row per kind and a guide."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from submissions.domain.workbook.reading import MAX_ROWS

TEMPLATE_HEADERS: tuple[str, ...] = (
    "Tên đơn vị/cá nhân",
    "Tập thể/Cá nhân",
    "Nhóm đối tượng",
    "Loại hình",
    "Thuộc đơn vị",
    "Chức vụ",
    "Cán bộ đầu mối",
)
TEMPLATE_EXAMPLES: tuple[tuple[str, ...], ...] = (
    ("Thôn Đông", "Tập thể", "a", "thôn", "", "", "nv.an, tt.binh"),
    ("Nguyễn Văn An", "Cá nhân", "d1", "", "Thôn Đông", "Trưởng thôn", ""),
)
_GUIDE: tuple[tuple[str, str], ...] = (
    ("Cột / Column", "Cách điền / How to fill in"),
    ("Tên đơn vị/cá nhân", "Bắt buộc, tối đa 300 ký tự / Required, at most 300 characters"),
    ("Tập thể/Cá nhân", "Bắt buộc: “Tập thể” hoặc “Cá nhân” / Required: collective or individual"),
    ("Nhóm đối tượng", "Bắt buộc: tập thể a, b, c; cá nhân d1, d2 / Required: collectives a, b, c; individuals d1, d2"),
    ("Loại hình", "Tập thể, không bắt buộc: thôn, phòng, trường học... / Collectives, optional"),
    ("Thuộc đơn vị", "Cá nhân, bắt buộc: tên tập thể của người đó / Individuals, required: their collective"),
    ("Chức vụ", "Cá nhân, không bắt buộc / Individuals, optional"),
    (
        "Cán bộ đầu mối",
        "Tập thể, không bắt buộc: tên đăng nhập, cách nhau bởi dấu phẩy / "
        "Collectives, optional: usernames, comma separated",
    ),
    ("", "Không nhập số CCCD/CMND: các cột đó không được đọc / Do not enter national ID numbers: they are never read"),
)


def template_workbook() -> bytes:
    """An .xlsx officers fill in: the header row, one example row per kind, drop-downs and a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách"
    _append_all(sheet, [TEMPLATE_HEADERS, *TEMPLATE_EXAMPLES])
    for letter, width in zip("ABCDEFG", (36, 16, 16, 18, 28, 20, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"Tập thể,Cá nhân"', allow_blank=True)
    groups = DataValidation(type="list", formula1='"a,b,c,d1,d2"', allow_blank=True)
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(groups)
    kinds.add(f"B2:B{MAX_ROWS + 1}")
    groups.add(f"C2:C{MAX_ROWS + 1}")
    guide = workbook.create_sheet("Hướng dẫn")
    _append_all(guide, _GUIDE)
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_all(sheet: Worksheet, rows: Iterable[Sequence[str]]) -> None:
    for values in rows:
        sheet.append([value or None for value in values])
