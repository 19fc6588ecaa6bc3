"""The entrants workbook's columns: a cell's text as the officer sees it, and the header row naming the fields.

Headers are matched case-insensitively and without Vietnamese diacritics, in Vietnamese or English. Columns holding
national IDs (CCCD, CMND, căn cước, hộ chiếu...) are ignored: their values never leave this package.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from submissions.domain.workbook.model import Field, RowError

# --- text helpers -----------------------------------------------------------------------------------------------------


def nfc(value: str) -> str:
    """NFC-normalised and stripped: the form names are kept in."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Lower-case, diacritics stripped (đ→d), whitespace collapsed: for comparing what people type."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _header_key(value: str) -> str:
    key = fold(value).rstrip("*:").strip()
    return re.sub(r"\s*/\s*", "/", key)


def cell_text(value: object) -> str:
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
    return nfc(text)


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
REQUIRED: tuple[Field, ...] = ("name", "kind", "target_group")
_REQUIRED_LABEL: dict[Field, str] = {
    "name": "Tên đơn vị/cá nhân / Name",
    "kind": "Tập thể/Cá nhân / Kind",
    "target_group": "Nhóm đối tượng / Group",
}
_NATIONAL_ID_MARKERS = tuple(
    fold(marker).replace(" ", "")
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
    key = fold(header).replace(" ", "")
    return any(marker in key for marker in _NATIONAL_ID_MARKERS)


@dataclass(frozen=True)
class Header:
    """The header row: which column holds which field, the columns not read, the header's own errors."""

    row: int
    columns: dict[Field, tuple[int, str]]  # field → (0-based column index, header text as written)
    ignored: tuple[str, ...]
    errors: tuple[RowError, ...]


def read_header(row_number: int, cells: Sequence[object]) -> Header:
    """The fields the header names; a duplicate column is ignored, a missing required one is an error."""
    columns: dict[Field, tuple[int, str]] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, value in enumerate(cells):
        text = cell_text(value)
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
    for field in REQUIRED:
        if field not in columns:
            errors.append(
                RowError(
                    row_number,
                    None,
                    f"Thiếu cột bắt buộc “{_REQUIRED_LABEL[field]}” / "
                    f"Missing required column “{_REQUIRED_LABEL[field]}”",
                )
            )
    return Header(row_number, columns, tuple(ignored), tuple(errors))
