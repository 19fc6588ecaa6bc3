"""The rules of one row of the entrants workbook: the values a row must hold and how they go together, each
error under the column it concerns."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from submissions.domain.workbook.columns import Header, cell_text, fold, nfc
from submissions.domain.workbook.model import EntrantRow, Field, RowError
from thidua_contracts.terms import EntrantKind, TargetGroup

MAX_TEXT = 300  # characters of a name, a unit type, a unit or a position
MAX_USERNAME = 100

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
    return _KINDS.get(fold(text))


def _parse_group(text: str) -> TargetGroup | None:
    key = re.sub(r"[\s._-]", "", fold(text))
    for prefix in ("nhom", "group"):
        key = key.removeprefix(prefix)
    return _GROUPS.get(key)


def _shown(text: str) -> str:
    """A short echo of what was typed, for error messages."""
    return text if len(text) <= 40 else text[:40] + "…"


class _RowErrors:
    """The errors of one row, each under the column it concerns as the workbook heads it (None: no such column)."""

    def __init__(self, header: Header, row_number: int) -> None:
        self.header, self.row_number = header, row_number
        self.found: list[RowError] = []

    def __call__(self, field: Field, message: str) -> None:
        self.found.append(RowError(self.row_number, self.header.columns[field][1], message))

    def without_column(self, message: str) -> None:
        self.found.append(RowError(self.row_number, None, message))


def parse_row(header: Header, row_number: int, cells: Sequence[object]) -> tuple[EntrantRow | None, list[RowError]]:
    """One row read under the header: the entrant when the row is valid, and the row's errors (none for a row
    holding nothing in the columns read)."""
    values: dict[Field, str] = {}
    for field, (index, _) in header.columns.items():
        values[field] = cell_text(cells[index]) if index < len(cells) else ""
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
    header: Header,
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


def duplicate_key(row: EntrantRow) -> tuple[str, str, str]:
    """Two rows with the same key (kind, name and unit, compared as typed) are the same entrant."""

    def same(text: str) -> str:
        return " ".join(nfc(text).casefold().split())

    return (row.kind, same(row.name), same(row.unit_name or ""))
