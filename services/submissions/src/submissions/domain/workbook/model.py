"""What reading an entrants workbook gives back: the valid rows, the errors found, the columns not read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from thidua_contracts.terms import EntrantKind, TargetGroup

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
