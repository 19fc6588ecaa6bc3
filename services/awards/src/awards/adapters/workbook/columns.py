"""The award-history workbook's columns and how a row's cells become the fields of a past award (`PastAwardInput`).

Headers are matched without case and diacritics, in Vietnamese or English ("Ngày ký", "ngay ky", "Signed on",
"Ngày ký / Signed on"). A row's cells are read as the officer sees them; dates are Excel dates or text written
dd/mm/yyyy (or yyyy-mm-dd), nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from awards.domain.past_forms import HistoryLevel, fold
from thidua_platform.text import nfc


@dataclass(frozen=True)
class Column:
    field: str  # PastAwardInput's field, or entrant_id / entrant_name
    header: str  # as the template writes it (Vietnamese)
    english: str
    required: bool
    guide: str  # how to fill it in, Vietnamese / English

    @property
    def label(self) -> str:
        return f"{self.header} / {self.english}"


COLUMNS: tuple[Column, ...] = (
    Column(
        "entrant_id",
        "Mã đối tượng",
        "Entrant id",
        True,
        "Mã của đơn vị/cá nhân trên hệ thống (như trong danh sách đối tượng) / The entrant's id on the platform",
    ),
    Column(
        "entrant_name",
        "Tên đối tượng",
        "Entrant name",
        True,
        "Tên đơn vị/cá nhân, phải khớp với mã / The entrant's name, checked against the id",
    ),
    Column(
        "award_form",
        "Mã hình thức",
        "Form code",
        True,
        "Một mã ở trang “Hình thức”, hoặc OTHER / A code of the “Hình thức” sheet, or OTHER",
    ),
    Column(
        "award_name",
        "Tên hình thức",
        "Award name",
        False,
        "Bắt buộc khi mã là OTHER, ví dụ “Kỷ niệm chương” / Required for OTHER",
    ),
    Column(
        "period",
        "Năm",
        "Year",
        True,
        "Năm được khen (ví dụ 2024), hoặc kỳ của phong trào (2025…2030, so-ket-2027, tong-ket-2030) / "
        "The year rewarded, or a period of the movement",
    ),
    Column(
        "level",
        "Cấp",
        "Level",
        False,
        "xã, huyện (chỉ trước 01/7/2025), tỉnh, bộ, trung ương; để trống: cấp thường gặp của hình thức / "
        "commune, district (before 1 July 2025 only), province, ministry, central; empty: the form's usual level",
    ),
    Column(
        "track",
        "Loại khen thưởng",
        "Track",
        False,
        "“Thường xuyên” (mặc định) hoặc “Phong trào” (phong trào thi đua này) / regular (default) or thematic",
    ),
    Column("number", "Số quyết định", "Decision number", True, "Ví dụ 125/QĐ-UBND / e.g. 125/QĐ-UBND"),
    Column(
        "signed_on",
        "Ngày ký",
        "Signed on",
        True,
        "Ngày của Excel hoặc chữ dạng dd/mm/yyyy, không sau hôm nay / An Excel date or dd/mm/yyyy, not in the future",
    ),
    Column(
        "issuer",
        "Người ký",
        "Issuer",
        True,
        "Chức danh người ký, ví dụ “Chủ tịch UBND huyện Kim Sơn” / Who signed, e.g. the district chairman",
    ),
)
BY_FIELD = {column.field: column for column in COLUMNS}
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})

_LEVELS: dict[str, HistoryLevel] = {
    **dict.fromkeys(("xa", "cap xa", "phuong", "commune"), "commune"),
    **dict.fromkeys(("huyen", "cap huyen", "district"), "district"),
    **dict.fromkeys(("tinh", "cap tinh", "province"), "province"),
    **dict.fromkeys(("bo", "cap bo", "bo, nganh", "bo nganh", "ministry"), "ministry"),
    **dict.fromkeys(("trung uong", "nha nuoc", "chinh phu", "central"), "central"),
}
_TRACKS = {
    **dict.fromkeys(("thuong xuyen", "regular"), "regular"),
    **dict.fromkeys(("phong trao", "chuyen de", "theo phong trao", "thematic"), "thematic"),
}
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CellError(ValueError):
    """A cell that cannot be read as its column asks; the message is Vietnamese / English."""


def _header_key(value: str) -> str:
    return re.sub(r"\s*/\s*", "/", fold(value).rstrip("*: ").strip())


_HEADERS: dict[str, str] = {
    key: column.field
    for column in COLUMNS
    for key in (_header_key(column.header), _header_key(column.english), _header_key(column.label))
}


def header_field(text: str) -> str | None:
    """The field a header names, or None."""
    return _HEADERS.get(_header_key(text))


def cell_text(value: object) -> str:
    """A cell's value as the officer sees it: 2024.0 → "2024", stripped and NFC."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return nfc(str(value))


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | int | float):
        raise CellError(
            "Ô ngày ký là một số, không phải ngày: định dạng ô là Ngày hoặc ghi dd/mm/yyyy / "
            "The date is a number: format the cell as a date or write dd/mm/yyyy"
        )
    text = cell_text(value)
    day_first, iso = _DAY_FIRST.match(text), _ISO.match(text)
    try:
        if day_first:
            return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        raise CellError(f"Không có ngày “{text}” / There is no such day: {text}") from None
    raise CellError(f"Ngày “{text}” phải ghi dạng dd/mm/yyyy / The date must be written dd/mm/yyyy: {text}")


def _choice(value: object, choices: dict[str, Any], what: str) -> object:
    text = cell_text(value)
    if not text:
        return None
    found = choices.get(fold(text))
    if found is None:
        raise CellError(f"{what} “{text}” không hợp lệ / Unknown {what.lower()}: {text}")
    return found


def cell_value(field: str, value: object) -> object:
    """What a row gives the field: text, a date, a level or a track; None for an empty cell. CellError if unreadable."""
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        raise CellError(f"Công thức lỗi ({value.strip()}) / The formula gives an error ({value.strip()})")
    if field == "signed_on":
        return None if cell_text(value) == "" else _date(value)
    if field == "level":
        return _choice(value, _LEVELS, "Cấp")
    if field == "track":
        return _choice(value, _TRACKS, "Loại khen thưởng")
    text = cell_text(value)
    return (text.upper() if field == "award_form" else text) or None


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, as Excel numbers rows
    column: str | None  # the header as written in the workbook, or None
    message: str  # Vietnamese / English


@dataclass(frozen=True)
class Header:
    row: int
    columns: dict[str, tuple[int, str]]  # field → (0-based index, header as written)
    errors: tuple[RowError, ...]


def read_header(row: int, cells: Sequence[object]) -> Header:
    """The template's columns: an unknown or repeated header, or a missing required one, is an error."""
    columns: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for index, value in enumerate(cells):
        text = cell_text(value)
        if not text:
            continue
        field = header_field(text)
        if field is None:
            errors.append(RowError(row, text, "Cột không có trong mẫu / Not a column of the template"))
        elif field in columns:
            errors.append(RowError(row, text, f"Cột lặp lại “{columns[field][1]}” / A repeated column"))
        else:
            columns[field] = (index, text)
    for column in COLUMNS:
        if column.required and column.field not in columns:
            errors.append(RowError(row, None, f"Thiếu cột “{column.header}” / Missing column “{column.english}”"))
    return Header(row, columns, tuple(errors))
