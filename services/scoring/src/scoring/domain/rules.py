"""Scoring rules of DOMAIN.md §3, pure and deterministic. Every computed number carries its explanation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thidua_shared.events import CriterionEvidence, CriterionScore

DEFAULT_MAX_TOTAL = 100.0
# (minimum total, grade) from the highest band down; configurable per criteria set in later work.
DEFAULT_GRADE_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "Xuất sắc"),
    (80.0, "Tốt"),
    (70.0, "Khá"),
    (50.0, "Đạt"),
)
FAILING_GRADE = "Không đạt"


def ratio_points(*, value: float, target: float, max_points: float) -> float:
    """min(value / target, 1) × max, rounded to hundredths."""
    if target <= 0:
        raise ValueError("target must be positive")
    return round(min(max(value, 0.0) / target, 1.0) * max_points, 2)


def grade_for(total: float, bands: Sequence[tuple[float, str]] = DEFAULT_GRADE_BANDS) -> str:
    for minimum, grade in sorted(bands, reverse=True):
        if total >= minimum:
            return grade
    return FAILING_GRADE


@dataclass(frozen=True)
class ScoreBreakdown:
    criteria: tuple[CriterionScore, ...]
    total: float
    max_total: float
    grade: str


def score_criterion(criterion: CriterionEvidence) -> CriterionScore:
    points = ratio_points(value=criterion.value, target=criterion.target, max_points=criterion.max_points)
    return CriterionScore(
        code=criterion.code,
        rule=criterion.rule,
        inputs={"value": criterion.value, "target": criterion.target},
        max_points=criterion.max_points,
        points=points,
        explanation=(f"min({criterion.value:g} / {criterion.target:g}, 1) × {criterion.max_points:g} = {points:g}"),
    )


def score_submission(criteria: Iterable[CriterionEvidence], *, max_total: float = DEFAULT_MAX_TOTAL) -> ScoreBreakdown:
    scored = tuple(score_criterion(c) for c in criteria)
    total = round(min(sum(c.points for c in scored), max_total), 2)
    return ScoreBreakdown(criteria=scored, total=total, max_total=max_total, grade=grade_for(total))
