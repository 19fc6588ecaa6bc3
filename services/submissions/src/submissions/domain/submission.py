"""A submission (hồ sơ thi đua): one entrant's dossier for one period, what it may hold and why it is returned. Pure
rules, no I/O; its statuses and the moves between them are `submissions.domain.lifecycle`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from submissions.domain.aggregates import Evidence
from submissions.domain.criteria import Criterion
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.text import Text, TextRule


class NewSubmission(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"period": "2026", "entrant_id": "5b7f6c0e-2f0a-4c53-9a1e-1c8f6a0d2b11"}]},
    )
    period: str = Field(pattern=PERIOD_CODE_PATTERN, description="Mã kỳ: 2025…2030, so-ket-2027, tong-ket-2030")
    entrant_id: str = Field(min_length=1, max_length=64)


class EvidenceInput(BaseModel):
    """What the entrant reports for one criterion (minh chứng). Which fields apply depends on the rule."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {"value": 92.5, "narrative": "92,5% hồ sơ được giải quyết trực tuyến toàn trình trong năm."},
                {"level": "full", "narrative": "Hoàn thành 100% nhiệm vụ theo Kế hoạch số 09/KH-UBND."},
            ]
        },
    )
    value: float | None = Field(default=None, ge=0, le=1e9, description="Giá trị chỉ tiêu / Indicator value")
    level: Literal["full", "half", "none"] | None = Field(default=None, description="Mức hoàn thành / Level")
    occurrences: int | None = Field(default=None, ge=0, le=100, description="Số lần (cộng/trừ) / Occurrences")
    narrative: Annotated[str, TextRule(max_length=5000)] | None = Field(
        default=None, description="Thuyết minh / Narrative"
    )
    self_points: float | None = Field(default=None, ge=0, description="Điểm tự chấm / Self-assessed points")


class EvidenceRefused(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


RULE_FIELDS = {
    "ratio": {"value"},
    "steps": {"value"},
    "level": {"level"},
    "assessment": set[str](),
    "bonus_penalty": {"occurrences"},
}


PERCENT_UNITS = frozenset({"%", "phần trăm", "phan tram", "percent", "percentage"})


def is_percentage(unit: str) -> bool:
    """An indicator measured in per cent (the defaults write "%"), whose values lie between 0 and 100."""
    return unicodedata.normalize("NFC", unit).strip().casefold() in PERCENT_UNITS


def check_evidence(criterion: Criterion, evidence: EvidenceInput) -> None:
    """Refuse fields that the criterion's rule does not use, and self-assessed points above its maximum."""
    allowed = RULE_FIELDS[criterion.rule.kind] | {"narrative", "self_points"}
    for field in ("value", "level", "occurrences", "self_points"):
        if getattr(evidence, field) is not None and field not in allowed:
            raise EvidenceRefused(
                field,
                f"tiêu chí {criterion.code} ({criterion.rule.kind}) không dùng trường «{field}» / "
                f"criterion {criterion.code} does not take {field}",
            )
    percentage = criterion.indicator is not None and is_percentage(criterion.indicator.unit)
    if percentage and evidence.value is not None and evidence.value > 100:
        raise EvidenceRefused(
            "value",
            f"tiêu chí {criterion.code} tính theo %, giá trị từ 0 đến 100 / "
            f"criterion {criterion.code} is a percentage: a value from 0 to 100",
        )
    if criterion.rule.kind == "bonus_penalty" and evidence.self_points is not None:
        raise EvidenceRefused("self_points", "tiêu chí cộng/trừ không tự chấm / no self points on bonus_penalty")
    if evidence.self_points is not None and evidence.self_points > criterion.max_points:
        raise EvidenceRefused("self_points", f"điểm tự chấm vượt tối đa {criterion.max_points:g} / above the maximum")


def missing_evidence(criteria: tuple[Criterion, ...], evidence: Mapping[str, Evidence]) -> list[str]:
    """Codes of criteria still lacking what their rule needs (the officer's completeness check)."""
    missing = []
    for criterion in criteria:
        given = evidence.get(criterion.code, {})
        kind = criterion.rule.kind
        if (
            (kind in ("ratio", "steps") and given.get("value") is None)
            or (kind == "level" and given.get("level") is None)
            or (kind == "assessment" and not given.get("narrative") and not given.get("attachments"))
        ):
            missing.append(criterion.code)
    return missing


class ReturnReasonInput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    code: str | None = Field(default=None, description="Mã tiêu chí cần bổ sung; trống = chung / Criterion code")
    reason: Text


class ReturnRequest(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {"reasons": [{"code": "a5", "reason": "Thiếu số liệu tỷ lệ hồ sơ trực tuyến toàn trình quý IV."}]}
            ]
        },
    )
    reasons: list[ReturnReasonInput] = Field(min_length=1, max_length=100)


class WithdrawRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    reason: Text | None = None
