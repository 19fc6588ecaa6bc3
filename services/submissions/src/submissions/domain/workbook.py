"""The entrants workbook (danh sách đối tượng thi đua): parse the .xlsx a commune officer imports, and its template.

Pure: bytes in, values out. The first worksheet is read; its first non-empty row is the header. Headers are matched
case-insensitively and without Vietnamese diacritics, in Vietnamese or English. Columns holding national IDs (CCCD,
CMND, căn cước, hộ chiếu...) are never read: their values never leave this module.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Literal

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from thidua_contracts.terms import EntrantKind, TargetGroup

MAX_ROWS = 2000  # rows of entrants, the header aside
MAX_ROW_NUMBER = 10_000  # no row below this one is read: a sheet reaching further is refused
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_COLUMNS = 200  # columns beyond this are never looked at
MAX_TEXT = 300
MAX_USERNAME = 100

Field = Literal["name", "kind", "target_group", "unit_type", "unit_name", "position", "focal_users"]


@dataclass(frozen=True)
class EntrantRow:
    row: int  # 1-based Excel row number
    name: str  # NFC-normalised, stripped
    kind: EntrantKind
    target_group: TargetGroup
    unit_type: str | None  # collectives: e.g. "thôn", "phòng", "trường học", "doanh nghiệp" (free text, optional)
    unit_name: str | None  # individuals: the name of their collective (required for individuals)
    position: str | None  # individuals: chức vụ (optional)
    focal_users: tuple[str, ...]  # collectives: usernames of focal officers (cán bộ đầu mối), optional


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based Excel row (the header row for header problems)
    column: str | None  # the header text as in the workbook, or None
    message: str  # Vietnamese / English


@dataclass(frozen=True)
class WorkbookResult:
    rows: tuple[EntrantRow, ...]  # valid rows only
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...]  # columns we refuse to read (national IDs) or do not know


class WorkbookUnreadable(ValueError):
    """The bytes are not a readable entrants workbook: not an .xlsx, corrupt, too large, no sheet or empty."""


# --- text helpers -----------------------------------------------------------------------------------------------------


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _fold(value: str) -> str:
    """Lower-case, diacritics stripped (đ→d), whitespace collapsed: for comparing what people type."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _header_key(value: str) -> str:
    key = _fold(value).rstrip("*:").strip()
    return re.sub(r"\s*/\s*", "/", key)


def _cell_text(value: object) -> str:
    """A cell value as the officer sees it: 1.0 → "1", dates as ISO, stripped and NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return _nfc(text)


# --- headers ----------------------------------------------------------------------------------------------------------

_ALIASES: dict[Field, tuple[str, ...]] = {
    "name": ("Tên", "Tên đơn vị/cá nhân", "Họ và tên", "Name"),
    "kind": ("Loại", "Tập thể/Cá nhân", "Kind"),
    "target_group": ("Nhóm", "Nhóm đối tượng", "Group"),
    "unit_type": ("Loại hình", "Unit type"),
    "unit_name": ("Đơn vị", "Thuộc đơn vị", "Unit"),
    "position": ("Chức vụ", "Position"),
    "focal_users": ("Cán bộ đầu mối", "Focal users"),
}
_HEADER_FIELDS: dict[str, Field] = {
    _header_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}
_REQUIRED: tuple[Field, ...] = ("name", "kind", "target_group")
_REQUIRED_LABEL: dict[Field, str] = {
    "name": "Tên đơn vị/cá nhân / Name",
    "kind": "Tập thể/Cá nhân / Kind",
    "target_group": "Nhóm đối tượng / Group",
}
_NATIONAL_ID_MARKERS = tuple(
    _fold(marker).replace(" ", "")
    for marker in (
        "CCCD",
        "CMND",
        "Căn cước",
        "số định danh",
        "national id",
        "citizen id",
        "passport",
        "hộ chiếu",
    )
)


def _is_national_id(header: str) -> bool:
    key = _fold(header).replace(" ", "")
    return any(marker in key for marker in _NATIONAL_ID_MARKERS)


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[Field, tuple[int, str]]  # field → (0-based column index, header text as written)
    ignored: tuple[str, ...]
    errors: tuple[RowError, ...]


def _read_header(row_number: int, cells: Sequence[object]) -> _Header:
    columns: dict[Field, tuple[int, str]] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, value in enumerate(cells):
        text = _cell_text(value)
        if not text:
            continue
        if _is_national_id(text):
            ignored.append(text)
            continue
        field = _HEADER_FIELDS.get(_header_key(text))
        if field is None:
            ignored.append(text)
        elif field in columns:
            first = columns[field][1]
            errors.append(
                RowError(
                    row_number,
                    text,
                    f"Cột trùng với cột “{first}”, cột này bị bỏ qua / Duplicate of column “{first}”, ignored",
                )
            )
            ignored.append(text)
        else:
            columns[field] = (index, text)
    for field in _REQUIRED:
        if field not in columns:
            errors.append(
                RowError(
                    row_number,
                    None,
                    f"Thiếu cột bắt buộc “{_REQUIRED_LABEL[field]}” / "
                    f"Missing required column “{_REQUIRED_LABEL[field]}”",
                )
            )
    return _Header(row_number, columns, tuple(ignored), tuple(errors))


# --- values -----------------------------------------------------------------------------------------------------------

_KINDS: dict[str, EntrantKind] = {
    "tap the": "collective",
    "collective": "collective",
    "ca nhan": "individual",
    "individual": "individual",
}
_GROUPS: dict[str, TargetGroup] = {"a": "a", "b": "b", "c": "c", "d1": "d1", "d2": "d2"}
_INDIVIDUAL_GROUPS: frozenset[str] = frozenset({"d1", "d2"})
_USERNAME = re.compile(r"[A-Za-z0-9._@+-]+")
_SPLIT_USERS = re.compile(r"[,;\n]")


def _parse_kind(text: str) -> EntrantKind | None:
    return _KINDS.get(_fold(text))


def _parse_group(text: str) -> TargetGroup | None:
    key = re.sub(r"[\s._-]", "", _fold(text))
    for prefix in ("nhom", "group"):
        key = key.removeprefix(prefix)
    return _GROUPS.get(key)


def _shown(text: str) -> str:
    """A short echo of what was typed, for error messages."""
    return text if len(text) <= 40 else text[:40] + "…"


class _RowErrors:
    """The errors of one row, each under the column it concerns as the workbook heads it (None: no such column)."""

    def __init__(self, header: _Header, row_number: int) -> None:
        self.header, self.row_number = header, row_number
        self.found: list[RowError] = []

    def __call__(self, field: Field, message: str) -> None:
        self.found.append(RowError(self.row_number, self.header.columns[field][1], message))

    def without_column(self, message: str) -> None:
        self.found.append(RowError(self.row_number, None, message))


def _parse_row(header: _Header, row_number: int, cells: Sequence[object]) -> tuple[EntrantRow | None, list[RowError]]:
    values: dict[Field, str] = {}
    for field, (index, _) in header.columns.items():
        values[field] = _cell_text(cells[index]) if index < len(cells) else ""
    error = _RowErrors(header, row_number)
    if not any(values.values()):  # only ignored columns (e.g. STT, or a national ID) hold something
        return None, error.found

    name = values["name"]
    _check_name(name, error)
    kind = _row_kind(values["kind"], error)
    group = _row_group(values["target_group"], kind, error)
    unit_type = _optional_text(values, "unit_type", error)
    unit_name = _optional_text(values, "unit_name", error)
    position = _optional_text(values, "position", error)
    focal_users = _parse_focal_users(values.get("focal_users", ""), lambda message: error("focal_users", message))
    if kind == "individual":
        _check_individual(header, unit_type=unit_type, unit_name=unit_name, focal_users=focal_users, error=error)
    elif kind == "collective":
        _check_collective(unit_name=unit_name, position=position, error=error)

    if error.found or kind is None or group is None:
        return None, error.found
    return (
        EntrantRow(
            row=row_number,
            name=name,
            kind=kind,
            target_group=group,
            unit_type=unit_type,
            unit_name=unit_name,
            position=position,
            focal_users=focal_users,
        ),
        error.found,
    )


def _optional_text(values: dict[Field, str], field: Field, error: _RowErrors) -> str | None:
    text = values.get(field, "")
    if not text:
        return None
    if len(text) > MAX_TEXT:
        error(field, f"Dài quá {MAX_TEXT} ký tự / Longer than {MAX_TEXT} characters")
    return text


def _check_name(name: str, error: _RowErrors) -> None:
    if not name:
        error("name", "Chưa nhập tên / Name is required")
    elif len(name) > MAX_TEXT:
        error("name", f"Tên dài quá {MAX_TEXT} ký tự / Name is longer than {MAX_TEXT} characters")


def _row_kind(kind_text: str, error: _RowErrors) -> EntrantKind | None:
    if not kind_text:
        error("kind", "Chưa chọn tập thể hay cá nhân / Kind is required (Tập thể or Cá nhân)")
        return None
    kind = _parse_kind(kind_text)
    if kind is None:
        error(
            "kind",
            f"“{_shown(kind_text)}” không hợp lệ, chọn “Tập thể” hoặc “Cá nhân” / "
            "invalid, use “Tập thể” (collective) or “Cá nhân” (individual)",
        )
    return kind


def _row_group(group_text: str, kind: EntrantKind | None, error: _RowErrors) -> TargetGroup | None:
    """The target group, which must suit the kind when the kind is known."""
    if not group_text:
        error("target_group", "Chưa chọn nhóm đối tượng / Group is required (a, b, c, d1 or d2)")
        return None
    group = _parse_group(group_text)
    if group is None:
        error(
            "target_group",
            f"Nhóm “{_shown(group_text)}” không hợp lệ, chọn a, b, c, d1 hoặc d2 / "
            "invalid group, use a, b, c, d1 or d2",
        )
    elif kind == "individual" and group not in _INDIVIDUAL_GROUPS:
        error("target_group", "Cá nhân thuộc nhóm d1 hoặc d2 / Individuals belong to group d1 or d2")
    elif kind == "collective" and group in _INDIVIDUAL_GROUPS:
        error("target_group", "Tập thể thuộc nhóm a, b hoặc c / Collectives belong to group a, b or c")
    return group


def _check_individual(
    header: _Header,
    *,
    unit_type: str | None,
    unit_name: str | None,
    focal_users: tuple[str, ...],
    error: _RowErrors,
) -> None:
    """An individual has a unit, and neither a unit type nor focal users (a collective's)."""
    if unit_name is None:
        if "unit_name" in header.columns:
            error("unit_name", "Cá nhân phải có đơn vị / An individual needs their unit")
        else:
            error.without_column(
                "Cá nhân phải có đơn vị, thêm cột “Thuộc đơn vị” / An individual needs a unit, add a “Unit” column"
            )
    if unit_type is not None:
        error("unit_type", "Loại hình chỉ dành cho tập thể / Unit type applies to collectives only")
    if focal_users:
        error("focal_users", "Cán bộ đầu mối chỉ dành cho tập thể / Focal users apply to collectives only")


def _check_collective(*, unit_name: str | None, position: str | None, error: _RowErrors) -> None:
    """A collective has neither a unit nor a position (an individual's)."""
    if unit_name is not None:
        error("unit_name", "Thuộc đơn vị chỉ dành cho cá nhân / Unit applies to individuals only")
    if position is not None:
        error("position", "Chức vụ chỉ dành cho cá nhân / Position applies to individuals only")


def _parse_focal_users(text: str, error: Callable[[str], None]) -> tuple[str, ...]:
    users: list[str] = []
    for part in _SPLIT_USERS.split(text):
        user = part.strip()
        if not user:
            continue
        if len(user) > MAX_USERNAME or not _USERNAME.fullmatch(user):
            error(
                f"“{_shown(user)}” không phải tên đăng nhập hợp lệ (chữ không dấu, số, . _ - @) / "
                "is not a valid username (ASCII letters, digits, . _ - @)"
            )
            continue
        if user not in users:
            users.append(user)
    return tuple(users)


def _duplicate_key(row: EntrantRow) -> tuple[str, str, str]:
    def same(text: str) -> str:
        return " ".join(_nfc(text).casefold().split())

    return (row.kind, same(row.name), same(row.unit_name or ""))


# --- reading ----------------------------------------------------------------------------------------------------------


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
            if cells.count(None) == len(cells) or all(_cell_text(value) == "" for value in cells):
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
    header = _read_header(header_number, header_cells)
    if any(field not in header.columns for field in _REQUIRED):
        return WorkbookResult(rows=(), errors=header.errors, ignored_columns=header.ignored)

    entrants: list[EntrantRow] = []
    errors: list[RowError] = list(header.errors)
    seen: dict[tuple[str, str, str], int] = {}
    for number, cells in rows[1:]:
        entrant, row_errors = _parse_row(header, number, cells)
        errors.extend(row_errors)
        if entrant is None:
            continue
        key = _duplicate_key(entrant)
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


# --- template ---------------------------------------------------------------------------------------------------------

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
