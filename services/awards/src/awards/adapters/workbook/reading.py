"""Reading an award-history workbook: the .xlsx's bounds (size, rows, columns), its first worksheet's rows, each row's
cells as the fields of a past award. Bounds as the entrants import's (services/submissions)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from awards.adapters.workbook.columns import (
    BY_FIELD,
    ERROR_VALUES,
    CellError,
    Header,
    RowError,
    cell_text,
    cell_value,
    read_header,
)

MAX_ROWS = 2000  # awards, the header aside
MAX_ROW_NUMBER = 10_000  # no row below this one is read: a sheet reaching further is refused
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_COLUMNS = 50  # columns beyond this are never looked at
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (Excel 97–2003)
XLS_REFUSED = (
    "Tệp .xls (Excel 97–2003) không được nhận: hãy lưu lại thành .xlsx / "
    "An .xls (Excel 97–2003) file is not accepted: save it as .xlsx"
)

CORRUPT = "Tệp .xlsx bị hỏng hoặc không đọc được / The .xlsx file is corrupt or unreadable"


class WorkbookUnreadable(ValueError):
    """The bytes are not a readable history workbook: not an .xlsx, corrupt, too large, too long or empty."""


@dataclass(frozen=True)
class AwardRow:
    row: int  # 1-based Excel row
    fields: dict[str, Any]  # the filled cells by field (entrant_id, entrant_name and PastAwardInput's)


@dataclass(frozen=True)
class HistoryWorkbook:
    header: Header
    rows: tuple[AwardRow, ...]
    errors: tuple[RowError, ...]  # the header's and the cells'


def _check_zip(data: bytes) -> None:
    if not data:
        raise WorkbookUnreadable("Tệp trống / The file is empty")
    if len(data) > MAX_BYTES:
        raise WorkbookUnreadable(
            f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB / The file is larger than {MAX_BYTES // (1024 * 1024)} MB"
        )
    if data.startswith(OLE2):
        raise WorkbookUnreadable(XLS_REFUSED)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, struct.error... on garbage
        raise WorkbookUnreadable("Tệp không phải bảng tính .xlsx / The file is not an .xlsx workbook") from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookUnreadable("Tệp giải nén quá lớn, không đọc được / The workbook is too large once uncompressed")


def _value(cell: Any) -> object:
    """A cell's value; an error a formula gives (#DIV/0!, #REF!...) as its text, whichever way openpyxl reports it."""
    if getattr(cell, "data_type", None) == "e":
        return str(cell.value) if str(cell.value) in ERROR_VALUES else "#VALUE!"
    return cell.value


def read_rows(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    """The non-empty rows of the first worksheet with their 1-based numbers; the first one is the header."""
    _check_zip(data)
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of errors for corrupt input
        raise WorkbookUnreadable(CORRUPT) from exc
    rows: list[tuple[int, tuple[object, ...]]] = []
    try:
        if not workbook.worksheets:
            raise WorkbookUnreadable("Bảng tính không có trang nào / The workbook has no worksheet")
        # bounded whatever the sheet's declared dimension says: a lone row 1,048,576 is not a million rows to read
        bounded = workbook.worksheets[0].iter_rows(max_row=MAX_ROW_NUMBER + 1, max_col=MAX_COLUMNS)
        for number, cells in enumerate(bounded, start=1):
            if number > MAX_ROW_NUMBER:
                raise WorkbookUnreadable(
                    f"Bảng tính có dòng sau dòng {MAX_ROW_NUMBER}, hãy xóa các dòng thừa / "
                    f"The worksheet reaches beyond row {MAX_ROW_NUMBER}: delete the rows below the list"
                )
            values = tuple(_value(cell) for cell in cells)
            if all(cell_text(value) == "" for value in values):
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS + 1:  # + the header row
                raise WorkbookUnreadable(
                    f"Tệp có quá {MAX_ROWS} dòng khen thưởng, hãy chia thành nhiều tệp / "
                    f"The workbook has more than {MAX_ROWS} rows of awards: split it into several files"
                )
    except WorkbookUnreadable:
        raise
    except Exception:  # corrupt sheet XML surfaces while iterating; not chained: the error may quote a cell
        raise WorkbookUnreadable(CORRUPT) from None
    finally:
        workbook.close()
    if len(rows) < 2:
        raise WorkbookUnreadable("Bảng tính không có dòng khen thưởng nào / The worksheet has no award rows")
    return rows


def read_history_workbook(data: bytes) -> HistoryWorkbook:
    """The workbook's rows as fields, and every error of its header and cells. Raises WorkbookUnreadable when the
    bytes are not a usable .xlsx at all."""
    rows = read_rows(data)
    header = read_header(*rows[0])
    if header.errors:
        return HistoryWorkbook(header, (), header.errors)
    parsed: list[AwardRow] = []
    errors: list[RowError] = []
    for number, cells in rows[1:]:
        fields: dict[str, Any] = {}
        for field, (index, written) in header.columns.items():
            try:
                value = cell_value(field, cells[index] if index < len(cells) else None)
            except CellError as exc:
                errors.append(RowError(number, written, str(exc)))
                continue
            if value is not None:
                fields[field] = value
            elif BY_FIELD[field].required:
                errors.append(RowError(number, written, "Bắt buộc / Required"))
        parsed.append(AwardRow(number, fields))
    return HistoryWorkbook(header, tuple(parsed), tuple(errors))
