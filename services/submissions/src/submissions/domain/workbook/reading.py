"""Reading an entrants workbook: the .xlsx's bounds (size, rows, columns), its worksheet's rows, the rows parsed."""

from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl import load_workbook

from submissions.domain.workbook.columns import REQUIRED, cell_text, read_header
from submissions.domain.workbook.model import EntrantRow, RowError, WorkbookResult, WorkbookUnreadable
from submissions.domain.workbook.rows import duplicate_key, parse_row

MAX_ROWS = 2000  # rows of entrants, the header aside
MAX_ROW_NUMBER = 10_000  # no row below this one is read: a sheet reaching further is refused
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_COLUMNS = 200  # columns beyond this are never looked at


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise WorkbookUnreadable(
            f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB / The file is larger than {MAX_BYTES // (1024 * 1024)} MB"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, struct.error... on garbage
        raise WorkbookUnreadable("Tệp không phải bảng tính .xlsx / The file is not an .xlsx workbook") from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookUnreadable("Tệp giải nén quá lớn, không đọc được / The workbook is too large once uncompressed")


def _read_rows(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    """The non-empty rows of the first worksheet with their 1-based row numbers; the first one is the header."""
    _check_zip(data)
    rows: list[tuple[int, tuple[object, ...]]] = []
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds of errors for corrupt input
        raise WorkbookUnreadable(
            "Tệp .xlsx bị hỏng hoặc không đọc được / The .xlsx file is corrupt or unreadable"
        ) from exc
    try:
        if not workbook.worksheets:
            raise WorkbookUnreadable("Bảng tính không có trang nào / The workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # Rows are read up to MAX_ROW_NUMBER + 1 whatever the sheet's declared dimension says: openpyxl yields an
        # empty row for each missing one, so a lone row numbered 1,048,576 would otherwise mean a million rows.
        bounded = sheet.iter_rows(max_row=MAX_ROW_NUMBER + 1, max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(bounded, start=1):
            if number > MAX_ROW_NUMBER:
                raise WorkbookUnreadable(
                    f"Bảng tính có dòng sau dòng {MAX_ROW_NUMBER}, hãy xóa các dòng thừa (tối đa {MAX_ROWS} dòng) / "
                    f"The worksheet reaches beyond row {MAX_ROW_NUMBER}: delete the rows below the list "
                    f"(at most {MAX_ROWS} rows)"
                )
            if cells.count(None) == len(cells) or all(cell_text(value) == "" for value in cells):
                continue
            rows.append((number, tuple(cells)))
            if len(rows) > MAX_ROWS + 1:  # + the header row
                raise WorkbookUnreadable(
                    f"Bảng tính có quá {MAX_ROWS} dòng / The workbook has more than {MAX_ROWS} rows"
                )
    except WorkbookUnreadable:
        raise
    except Exception:  # corrupt sheet XML surfaces while iterating; not chained: the error may quote a cell
        raise WorkbookUnreadable(
            "Tệp .xlsx bị hỏng hoặc không đọc được / The .xlsx file is corrupt or unreadable"
        ) from None
    finally:
        workbook.close()
    if not rows:
        raise WorkbookUnreadable("Bảng tính trống / The worksheet is empty")
    return rows


def parse_entrants_workbook(data: bytes) -> WorkbookResult:
    """Parse an entrants workbook. Raises WorkbookUnreadable when the bytes are not a usable .xlsx at all."""
    rows = _read_rows(data)
    header_number, header_cells = rows[0]
    header = read_header(header_number, header_cells)
    if any(field not in header.columns for field in REQUIRED):
        return WorkbookResult(rows=(), errors=header.errors, ignored_columns=header.ignored)

    entrants: list[EntrantRow] = []
    errors: list[RowError] = list(header.errors)
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in rows[1:]:
        entrant, row_errors = parse_row(header, number, cells)
        errors.extend(row_errors)
        if entrant is None:
            continue
        key = duplicate_key(entrant)
        first = seen.get(key)
        if first is not None:
            errors.append(
                RowError(
                    number,
                    header.columns["name"][1],
                    f"Trùng với dòng {first} / Duplicate of row {first}",
                )
            )
            continue
        seen[key] = number
        entrants.append(entrant)
    return WorkbookResult(rows=tuple(entrants), errors=tuple(errors), ignored_columns=header.ignored)
