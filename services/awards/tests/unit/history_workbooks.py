"""Award-history workbooks as officers fill them in, for the unit tests of reading and importing them."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from awards.adapters.workbook import COLUMNS

HEADERS = tuple(column.header for column in COLUMNS)
VILLAGE = {"id": "e-hamlet", "name": "Thôn Đông Hưng"}
SCHOOL = {"id": "e-school", "name": "Trường Tiểu học Liên Minh"}


def row(entrant: dict[str, str] = VILLAGE, **cells: Any) -> dict[str, Any]:
    """A row: the village's Thôn văn hóa of 2024 from the district, with `cells` replaced (by field)."""
    return {
        "entrant_id": entrant["id"],
        "entrant_name": entrant["name"],
        "award_form": "THON_VAN_HOA",
        "award_name": None,
        "period": 2024,
        "level": "huyện",
        "track": "Thường xuyên",
        "number": "1520/QĐ-UBND",
        "signed_on": "20/12/2024",
        "issuer": "Chủ tịch UBND huyện Kim Sơn",
        **cells,
    }


def workbook(rows: Sequence[dict[str, Any]], headers: Sequence[str] = HEADERS) -> bytes:
    """An .xlsx with the header row and the rows' cells in the template's column order."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for cells in rows:
        sheet.append([cells.get(column.field) for column in COLUMNS])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
