"""The award-history workbook officers fill in: the header row and an example row, drop-downs, a sheet listing the
forms' codes and names, and a guide."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from awards.adapters.workbook.columns import COLUMNS
from awards.adapters.workbook.reading import MAX_ROWS
from awards.domain.past_forms import LEVEL_NAMES, PAST_FORMS

EXAMPLE: dict[str, str] = {
    "entrant_id": "e-dong-hung",
    "entrant_name": "Thôn Đông Hưng",
    "award_form": "THON_VAN_HOA",
    "award_name": "",
    "period": "2024",
    "level": "huyện",
    "track": "Thường xuyên",
    "number": "1520/QĐ-UBND",
    "signed_on": "20/12/2024",
    "issuer": "Chủ tịch UBND huyện Kim Sơn",
}
WIDTHS = {"entrant_id": 22, "entrant_name": 30, "award_form": 22, "award_name": 28, "issuer": 36}
FORMS_SHEET = "Hình thức"
KINDS = {"collective": "tập thể", "individual": "cá nhân"}


def template_workbook() -> bytes:
    """The .xlsx: "Danh sách" (headers, an example row to replace), "Hình thức" (the codes), "Hướng dẫn"."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách"
    _append_all(sheet, [[c.header for c in COLUMNS], [EXAMPLE[c.field] for c in COLUMNS]])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.field, 16)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    letters = {c.field: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    codes = DataValidation(type="list", formula1=f"'{FORMS_SHEET}'!$A$2:$A${len(PAST_FORMS) + 1}", allow_blank=True)
    levels = DataValidation(type="list", formula1='"xã,huyện,tỉnh,bộ,trung ương"', allow_blank=True)
    tracks = DataValidation(type="list", formula1='"Thường xuyên,Phong trào"', allow_blank=True)
    for validation, field in ((codes, "award_form"), (levels, "level"), (tracks, "track")):
        sheet.add_data_validation(validation)
        validation.add(f"{letters[field]}2:{letters[field]}{MAX_ROWS + 1}")
    forms = workbook.create_sheet(FORMS_SHEET)
    _append_all(
        forms,
        [
            ("Mã / Code", "Tên / Name", "English", "Tặng cho / Recipients", "Cấp thường gặp / Usual level"),
            *(
                (
                    f.code,
                    f.name,
                    f.name_en,
                    ", ".join(KINDS[k] for k in sorted(f.recipient_kinds)),
                    LEVEL_NAMES[f.usual_level] if f.usual_level else "Ghi ở cột Cấp / Give it in the Level column",
                )
                for f in PAST_FORMS.values()
            ),
        ],
    )
    for letter, width in zip("ABCDE", (22, 40, 44, 20, 44), strict=True):
        forms.column_dimensions[letter].width = width
    guide = workbook.create_sheet("Hướng dẫn")
    _append_all(
        guide,
        [
            ("Cột / Column", "Cách điền / How to fill in"),
            *((c.header + (" *" if c.required else ""), c.guide) for c in COLUMNS),
            ("", "* Bắt buộc / Required"),
            ("", "Thay dòng ví dụ bằng dữ liệu của xã / Replace the example row with the commune's awards"),
            ("", f"Tối đa {MAX_ROWS} dòng mỗi tệp, .xlsx, tối đa 5 MB / At most {MAX_ROWS} rows, .xlsx, 5 MB"),
            ("", "Một dòng lỗi thì không dòng nào được ghi / One wrong row and nothing is recorded"),
            ("", "Nhập lại cùng tệp không ghi trùng / Importing the same file again records no duplicates"),
        ],
    )
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 110
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_all(sheet: Worksheet, rows: Iterable[Sequence[str]]) -> None:
    for values in rows:
        sheet.append([value or None for value in values])
