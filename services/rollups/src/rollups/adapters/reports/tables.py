"""The statistical tables of a report, as rows of plain values. Pure.

Shaped after Thông tư 02/2023/TT-BNV's tables (DOMAIN.md §6): 0601.N movements (by scope, duration, regular or
thematic), 0602.N state-level awards and 0603.N ministry/province-level awards, each split collective/individual and
by recipient type (the movement's target groups). The commune's own Giấy khen, which TT 02 does not tabulate, is a
supplementary line of 0603.N. These are the shapes of the forms, filled from the platform's figures; the official
form's codes and footnotes are for the sender to check before filing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rollups.domain.aggregates import Fact
from thidua_commons.groups import TARGET_GROUPS, group_name

MOVEMENT = "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"
LEVELS = {"commune": "cấp xã", "province": "cấp tỉnh", "central": "cấp Nhà nước"}  # who decides an award
STATE_FORMS: tuple[tuple[str, str], ...] = (
    ("HCLD_HANG_BA", "Huân chương Lao động hạng Ba"),
    ("CO_THI_DUA_CP", "Cờ Thi đua của Chính phủ"),
    ("BANG_KHEN_TTG", "Bằng khen của Thủ tướng Chính phủ"),
)
PROVINCE_FORMS: tuple[tuple[str, str], ...] = (
    ("CO_THI_DUA_TINH", "Cờ Thi đua của UBND tỉnh"),
    ("BANG_KHEN_TINH", "Bằng khen của Chủ tịch UBND tỉnh"),
)
COMMUNE_FORMS: tuple[tuple[str, str], ...] = (("GIAY_KHEN_XA", "Giấy khen của Chủ tịch UBND xã (bổ sung)"),)
GRADES = ("Xuất sắc", "Tốt", "Khá", "Đạt", "Không đạt")


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


AWARD_HEADER = (
    "STT",
    "Hình thức khen thưởng",
    "Tổng số",
    "Tập thể",
    "Cá nhân",
    *(group_name(code) for code in TARGET_GROUPS),  # the target groups by their names
)


def award_table(code: str, title: str, forms: Iterable[tuple[str, str]], awards: Iterable[Fact]) -> Table:
    """One line per form and a total line: collective, individual, and by target group."""
    rows_in = list(awards)
    table = Table(code, title, AWARD_HEADER)
    totals = [0] * (len(AWARD_HEADER) - 2)
    for number, (form, name) in enumerate(forms, start=1):
        mine = [a for a in rows_in if a["award_form"] == form]
        counts = [
            len(mine),
            sum(1 for a in mine if a["entrant_kind"] == "collective"),
            sum(1 for a in mine if a["entrant_kind"] == "individual"),
            *(sum(1 for a in mine if a.get("target_group") == g) for g in TARGET_GROUPS),
        ]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        table.rows.append((number, name, *counts))
    table.rows.append(("", "Tổng cộng", *totals))
    return table


def movement_table(submissions: Iterable[Fact], *, scope: str) -> Table:
    """0601.N: the movement, by scope (national), duration (long: 2025–2030) and kind (thematic), with who took part."""
    facts = [s for s in submissions if not s.get("withdrawn")]
    collectives = {s["entrant_id"] for s in facts if s.get("entrant_kind") == "collective" and s.get("entrant_id")}
    individuals = {s["entrant_id"] for s in facts if s.get("entrant_kind") == "individual" and s.get("entrant_id")}
    scored = [s for s in facts if s.get("scored")]
    header = (
        "STT",
        "Tên phong trào",
        "Phạm vi",
        "Thời gian",
        "Hình thức",
        "Tập thể tham gia",
        "Cá nhân tham gia",
        "Hồ sơ đã chấm",
        "Điểm bình quân",
    )
    average = round(sum(float(s["total"]) for s in scored) / len(scored), 2) if scored else None
    row = (1, MOVEMENT, scope, "Dài hạn (2025–2030)", "Chuyên đề", len(collectives), len(individuals), len(scored))
    return Table("0601.N", "Phong trào thi đua", header, [(*row, average)])


def grades_table(summaries: Iterable[Mapping[str, Any]], *, label_of: Mapping[str, str]) -> Table:
    """Per commune (or the commune alone): scored dossiers by grade and the mean score, with the rank."""
    header = ("STT", "Đơn vị", "Hồ sơ đã chấm", *GRADES, "Điểm bình quân", "Xếp hạng", "Chỉ số CĐS")
    table = Table("TH", "Kết quả chấm điểm theo đơn vị", header)
    for number, row in enumerate(summaries, start=1):
        grades = row.get("grades") or {}
        index = (row.get("index") or {}).get("overall")
        table.rows.append(
            (
                number,
                label_of.get(row["commune"], row["commune"]),
                row["scored"],
                *(grades.get(g, 0) for g in GRADES),
                row.get("average_score"),
                row.get("rank"),
                index,
            )
        )
    return table
