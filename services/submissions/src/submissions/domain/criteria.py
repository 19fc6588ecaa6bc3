"""Emulation criteria (tiêu chí thi đua) and their scoring rules, as DOMAIN.md §3 defines them. Pure models.

A criterion has a code, a theme (1–7), a Vietnamese title, maximum points and exactly one rule:
- ratio: min(value / target, 1) × max — the value is an indicator the entrant reports;
- steps: thresholds to points, e.g. meetings per year 4→20, 3→15, 2→10, 1→5;
- level: full, half or zero of max (done, partly done, not done);
- assessment: council members give 0..max from the evidence;
- bonus_penalty: fixed points added (flag awarded) or subtracted (discipline) per occurrence.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thidua_commons.groups import TARGET_GROUPS as TARGET_GROUPS  # the groups' names: one source for every service
from thidua_contracts.submissions import ScoringPolicy
from thidua_contracts.terms import TargetGroup
from thidua_platform.text import ShortText, Text

THEMES: dict[int, str] = {
    1: "Nâng cao nhận thức, đổi mới tư duy, phương thức lãnh đạo, quản lý trên không gian số",
    2: "Phát triển hạ tầng số",
    3: "Chuyển đổi số hệ thống chính trị, cải cách hành chính, dịch vụ công trực tuyến",
    4: "Phát triển kinh tế số, doanh nghiệp số, doanh nghiệp đổi mới sáng tạo",
    5: "Phát triển xã hội số, giáo dục, phong trào “Bình dân học vụ số”",
    6: "Bảo đảm quốc phòng, an ninh, an toàn thông tin mạng, bảo vệ dữ liệu",
    7: "Hợp tác về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
}

RuleKind = Literal["ratio", "steps", "level", "assessment", "bonus_penalty"]


# Every number people type is finite: NaN and infinity are refused with a clear error, not stored.
STRICT = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Indicator(BaseModel):
    """A quantitative indicator (chỉ tiêu) the entrant reports, with its unit and default target."""

    model_config = STRICT
    name: ShortText
    unit: ShortText = Field(description="Đơn vị tính, ví dụ: %, hồ sơ, người / Unit")
    target: float = Field(gt=0, description="Chỉ tiêu mặc định / Default target")


class Step(BaseModel):
    model_config = STRICT
    at_least: float = Field(gt=0, description="Từ mức này trở lên / From this value up (a step at 0 is a gift)")
    points: float = Field(ge=0)


class Rule(BaseModel):
    """A scoring rule and its parameters. Only the parameters of its kind are allowed."""

    model_config = STRICT
    kind: RuleKind
    steps: tuple[Step, ...] = ()
    points_per_occurrence: float | None = Field(
        default=None, ge=-100, le=100, description="bonus_penalty: + thưởng, − trừ"
    )

    @model_validator(mode="after")
    def _parameters_match_kind(self) -> Rule:
        if self.kind == "steps" and not self.steps:
            raise ValueError("quy tắc bậc cần ít nhất một bậc / a steps rule needs at least one step")
        if self.kind != "steps" and self.steps:
            raise ValueError("chỉ quy tắc bậc có các bậc / only a steps rule has steps")
        if self.kind == "bonus_penalty" and not self.points_per_occurrence:
            raise ValueError("cần số điểm cộng/trừ / a bonus_penalty rule needs points_per_occurrence")
        if self.kind != "bonus_penalty" and self.points_per_occurrence is not None:
            raise ValueError("chỉ quy tắc cộng/trừ có điểm mỗi lần / only bonus_penalty has points_per_occurrence")
        return self


class Criterion(BaseModel):
    model_config = STRICT
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="Mã tiêu chí, ví dụ a5 / Code")]
    theme: int = Field(ge=1, le=7)
    title: Text
    max_points: float = Field(gt=0, le=100)
    rule: Rule
    indicator: Indicator | None = None

    @model_validator(mode="after")
    def _indicator_where_needed(self) -> Criterion:
        needs_value = self.rule.kind in ("ratio", "steps")
        if needs_value and self.indicator is None:
            raise ValueError(f"tiêu chí {self.code} cần chỉ tiêu (indicator) / needs an indicator")
        if self.rule.kind == "steps" and max(s.points for s in self.rule.steps) > self.max_points:
            raise ValueError(f"bậc điểm của {self.code} vượt điểm tối đa / a step exceeds max_points")
        return self


class CriteriaSetContent(BaseModel):
    """The criteria of one target group for one period."""

    model_config = STRICT
    target_group: TargetGroup
    max_total: float = Field(default=100, gt=0, le=1000)
    criteria: tuple[Criterion, ...] = Field(min_length=1, max_length=100)
    policy: ScoringPolicy = Field(default_factory=ScoringPolicy, description="Cách chấm / How it is scored")

    @model_validator(mode="after")
    def _codes_unique(self) -> CriteriaSetContent:
        codes = [c.code for c in self.criteria]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"mã tiêu chí bị trùng / duplicate criterion codes: {', '.join(duplicates)}")
        return self
