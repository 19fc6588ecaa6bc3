"""The terms more than one service's events use: who an entrant is, which periods there are, the grades."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from thidua_platform.text import ShortText

# Yearly periods 2025–2030, the preliminary review (sơ kết) 2027 and the final review (tổng kết) 2030.
PERIOD_CODE_PATTERN = r"^(20(2[5-9]|30)|so-ket-2027|tong-ket-2030)$"


TargetGroup = Literal["a", "b", "c", "d1", "d2"]


EntrantKind = Literal["collective", "individual"]


class EntrantRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    name: ShortText
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None = None  # an individual's collective: conflicts of interest follow it


class GradeBand(BaseModel):
    model_config = ConfigDict(frozen=True)
    minimum: float
    grade: ShortText


DEFAULT_GRADE_BANDS = (
    GradeBand(minimum=90, grade="Xuất sắc"),
    GradeBand(minimum=80, grade="Tốt"),
    GradeBand(minimum=70, grade="Khá"),
    GradeBand(minimum=50, grade="Đạt"),
)
