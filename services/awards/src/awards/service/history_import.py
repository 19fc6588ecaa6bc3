"""Importing an entrant's past awards from the commune's Excel workbook: every row checked first, all recorded or none.

Rows name the entrant by its id, as `POST /history` does: awards knows a commune's entrants only from their dossiers
and scores (`require_own_entrant`), under their ids. The name column is checked against the name known for the id,
so that a slip in the id is caught rather than recorded under another entrant. Entries' ids derive from the award
(`past_forms.entry_key`), so importing the same workbook twice records nothing the second time.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from awards.adapters.workbook import BY_FIELD, AwardRow, RowError, WorkbookUnreadable, read_history_workbook
from awards.domain.aggregates import AwardSource, Entrant, HistoryEntry
from awards.domain.past_forms import fold
from awards.repository import Repositories
from awards.service.common import stored_entrant
from awards.service.standing import PastAwardInput, past_award_entry
from thidua_contracts.terms import EntrantRef
from thidua_platform.auth import Principal
from thidua_platform.problems import Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED

MESSAGES = {  # pydantic's kinds of error, as officers read them
    "literal_error": "Giá trị không có trong danh sách",
    "string_pattern_mismatch": "Năm phải là một năm (ví dụ 2024) hoặc kỳ của phong trào",
    "date": "Ngày không hợp lệ",
    "string_too_long": "Quá dài",
}


@dataclass(frozen=True)
class ImportReport:
    recorded: int
    already_present: int


async def known_entrants(*, repos: Repositories, scope: Scope, entrant_ids: Sequence[str]) -> dict[str, list[Entrant]]:
    """The entrants of these ids the commune filed dossiers of (or has final scores of), each with every name under
    which they were filed; in one read of each collection."""
    known: dict[str, list[Entrant]] = {}
    ids = list(dict.fromkeys(entrant_ids))
    for collection in (repos.dossiers, repos.scores):
        for document in await collection.of_entrants(scope, ids):
            entrant = document["entrant"]
            versions = known.setdefault(entrant["id"], [])
            if all(fold(v["name"]) != fold(entrant["name"]) for v in versions):
                versions.append(entrant)
    return known


def _message(field: str | None, error: Any) -> str:
    kind, english = str(error.get("type", "")), str(error.get("msg", ""))
    context = error.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # the validators speak Vietnamese / English already
    if field == "award_form" and kind == "literal_error":
        return "Mã không có ở trang “Hình thức” / Not a code of the “Hình thức” sheet"
    vietnamese = next((vi for prefix, vi in MESSAGES.items() if kind.startswith(prefix)), "Giá trị không hợp lệ")
    return f"{vietnamese} / {english}"


def _column(written: dict[str, str], field: str) -> str | None:
    return written.get(field) or (BY_FIELD[field].header if field in BY_FIELD else None)


def check_row(
    row: AwardRow, *, written: dict[str, str], known: dict[str, list[Entrant]]
) -> tuple[PastAwardInput | None, list[RowError]]:
    """The row as a past award of a known entrant, or its errors (each naming its column)."""
    errors: list[RowError] = []
    fields = dict(row.fields)
    entrant_id, name = fields.pop("entrant_id", None), fields.pop("entrant_name", None)
    entrant: Entrant | None = None
    if entrant_id is not None:
        versions = known.get(entrant_id)
        if not versions:
            errors.append(
                RowError(
                    row.row,
                    _column(written, "entrant_id"),
                    f"Xã chưa có hồ sơ nào của đối tượng {entrant_id} / No dossier of entrant {entrant_id} here",
                )
            )
        elif name is not None:
            entrant = next((v for v in versions if fold(v["name"]) == fold(name)), None)
            if entrant is None:
                errors.append(
                    RowError(
                        row.row,
                        _column(written, "entrant_name"),
                        f"Tên không khớp với mã: mã {entrant_id} là “{versions[0]['name']}” / "
                        f"The name does not match the id: {entrant_id} is “{versions[0]['name']}”",
                    )
                )
    if entrant is not None:
        fields["entrant"] = EntrantRef.model_validate(entrant, context=STORED)
    try:
        return PastAwardInput.model_validate(fields), errors
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if error["type"] == "missing":  # a required cell left empty: reading said so; an unknown entrant: above
                continue
            errors.append(RowError(row.row, _column(written, field) if field else None, _message(field, error)))
        return None, errors


def problem(message: str, errors: Sequence[RowError]) -> Unprocessable:
    """422: the message, and each error with its row and column (and `field`, as every 422 of the API names one)."""
    return Unprocessable(
        message,
        errors=[
            {
                "field": f"row {e.row}" + (f": {e.column}" if e.column else ""),
                "row": e.row,
                "column": e.column,
                "message": e.message,
            }
            for e in errors
        ],
    )


def file_problem(message: str) -> Unprocessable:
    """422 for a file that is no workbook to read (not an .xlsx, an .xls, empty, too long): no row to name."""
    return Unprocessable(message, errors=[{"field": "file", "row": None, "column": None, "message": message}])


async def import_history(*, repos: Repositories, principal: Principal, scope: Scope, data: bytes) -> ImportReport:
    """Every row checked before anything is written: with one error, nothing is recorded and the 422 lists them all.
    Each award is recorded as `POST /history` records it, its source the workbook (its SHA-256)."""
    try:
        workbook = await asyncio.to_thread(read_history_workbook, data)  # CPU for a large sheet: off the loop
    except WorkbookUnreadable as exc:
        raise file_problem(str(exc)) from exc
    errors = list(workbook.errors)
    written = {field: text for field, (_index, text) in workbook.header.columns.items()}
    ids = [row.fields["entrant_id"] for row in workbook.rows if "entrant_id" in row.fields]
    known = await known_entrants(repos=repos, scope=scope, entrant_ids=ids) if ids else {}
    source: AwardSource = {"kind": "imported", "id": hashlib.sha256(data).hexdigest()}
    planned: dict[str, tuple[int, HistoryEntry]] = {}
    for row in workbook.rows:
        request, row_errors = check_row(row, written=written, known=known)
        errors.extend(row_errors)
        if request is None or row_errors:
            continue
        entrant = stored_entrant(request.entrant)
        entry = past_award_entry(scope, request, entrant=entrant, source=source, actor=principal.user_id)
        first = planned.get(entry["_id"])
        if first is not None:
            errors.append(RowError(row.row, None, f"Trùng với dòng {first[0]} / The same award as row {first[0]}"))
            continue
        planned[entry["_id"]] = (row.row, entry)
    if errors:
        errors.sort(key=lambda error: error.row)  # the cells' faults and the rows', in the order of the sheet
        raise problem("Tệp có lỗi, chưa ghi dòng nào / The workbook has errors; nothing was recorded", errors)
    recorded = 0
    for _row, entry in planned.values():
        recorded += await repos.history.add(entry)
    return ImportReport(recorded=recorded, already_present=len(planned) - recorded)
