"""What a report is made from: its scope, the figures and the tables, gathered once and rendered twice. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from rollups.adapters.reports.tables import (
    COMMUNE_FORMS,
    PROVINCE_FORMS,
    STATE_FORMS,
    Table,
    award_table,
    grades_table,
    movement_table,
)
from rollups.domain.aggregates import Fact
from thidua_commons.documents.model import Letterhead

ROLE_MODEL_GRADES = frozenset({"Xuất sắc", "Tốt"})


@dataclass(frozen=True)
class ReportData:
    kind: Literal["commune", "province"]
    code: str  # the commune's tenant id or the province code
    name: str  # the commune's or the province's name (the code when the directory has none)
    period: str
    letterhead: Letterhead
    made_on: date
    figures: Mapping[str, Any]  # the commune's summary, or the province's combined one
    rows: Sequence[Mapping[str, Any]]  # communes (province report) or the commune alone, ranked
    tables: Sequence[Table]
    role_models: Sequence[Mapping[str, Any]]  # the best scored entrants (điển hình tiên tiến)


def build(
    *,
    kind: Literal["commune", "province"],
    code: str,
    period: str,
    letterhead: Letterhead,
    made_on: date,
    figures: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    submissions: Sequence[Fact],
    awards: Sequence[Fact],
    labels: Mapping[str, str],
) -> ReportData:
    """The report of `code`; `labels` name the communes (and the province) by their codes."""
    scored = [s for s in submissions if s.get("scored") and not s.get("withdrawn")]
    best_of: dict[str, Fact] = {}  # role models: each entrant once, with its best, graded Tốt or better
    for s in sorted(scored, key=lambda s: (-float(s["total"]), str(s.get("entrant_name")))):
        if s.get("grade") in ROLE_MODEL_GRADES:
            best_of.setdefault(str(s.get("entrant_id") or s["_id"]), s)
    best = list(best_of.values())[:10]
    tables = [
        movement_table(submissions, scope="Toàn quốc"),
        award_table("0602.N", "Khen thưởng cấp Nhà nước", STATE_FORMS, awards),
        award_table("0603.N", "Khen thưởng cấp tỉnh (và cấp xã, bổ sung)", PROVINCE_FORMS + COMMUNE_FORMS, awards),
        grades_table(rows, label_of=labels),
    ]
    return ReportData(
        kind=kind,
        code=code,
        name=labels.get(code, code),
        period=period,
        letterhead=letterhead,
        made_on=made_on,
        figures=figures,
        rows=rows,
        tables=tables,
        role_models=[
            {"name": s.get("entrant_name"), "commune": labels.get(s["tenant"], s["tenant"]), "total": s["total"]}
            for s in best
        ],
    )
