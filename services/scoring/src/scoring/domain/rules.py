"""Scoring rules of DOMAIN.md §3, pure and deterministic. Every computed number carries its explanation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thidua_contracts.scoring import CriterionScore
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy

DEFAULT_MAX_TOTAL = 100.0
# (minimum total, grade) from the highest band down; configurable per criteria set in later work.
DEFAULT_GRADE_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "Xuất sắc"),
    (80.0, "Tốt"),
    (70.0, "Khá"),
    (50.0, "Đạt"),
)
FAILING_GRADE = "Không đạt"
DEFAULT_POLICY = ScoringPolicy()


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


def bands_of(policy: ScoringPolicy) -> tuple[tuple[float, str], ...]:
    return tuple((band.minimum, band.grade) for band in policy.grade_bands)


@dataclass(frozen=True)
class ScoreBreakdown:
    criteria: tuple[CriterionScore, ...]
    total: float
    max_total: float
    grade: str


def steps_points(*, value: float, steps: Sequence[tuple[float, float]]) -> float:
    """Points of the highest step reached; 0 below the lowest."""
    reached = [points for at_least, points in steps if value >= at_least]
    return round(max(reached, default=0.0), 2)


LEVEL_SHARE = {"full": 1.0, "half": 0.5, "none": 0.0}
LEVEL_NAMES = {"full": "hoàn thành", "half": "hoàn thành một phần", "none": "chưa hoàn thành"}


def score_criterion(criterion: CriterionEvidence) -> CriterionScore:
    """Points for one criterion by its rule, with the explanation an officer can check by hand."""
    inputs: dict[str, float] = {}
    if criterion.rule == "ratio":
        target = criterion.target or 0.0
        if criterion.value is None or target <= 0:
            points, explanation = 0.0, "chưa có số liệu / no value reported"
        else:
            inputs = {"value": criterion.value, "target": target}
            points = ratio_points(value=criterion.value, target=target, max_points=criterion.max_points)
            explanation = f"min({criterion.value:g} / {target:g}, 1) × {criterion.max_points:g} = {points:g}"
    elif criterion.rule == "steps":
        steps = [(s.at_least, s.points) for s in criterion.steps]
        if criterion.value is None:
            points, explanation = 0.0, "chưa có số liệu / no value reported"
        else:
            inputs = {"value": criterion.value}
            points = min(steps_points(value=criterion.value, steps=steps), criterion.max_points)
            table = ", ".join(f"≥{a:g}→{p:g}" for a, p in sorted(steps, reverse=True))
            explanation = f"{criterion.value:g} theo bậc ({table}) = {points:g}"
    elif criterion.rule == "level":
        level = criterion.level or "none"
        points = round(LEVEL_SHARE[level] * criterion.max_points, 2)
        explanation = f"{LEVEL_NAMES[level]}: {LEVEL_SHARE[level]:g} × {criterion.max_points:g} = {points:g}"
    elif criterion.rule == "bonus_penalty":
        occurrences = criterion.occurrences or 0
        per = criterion.points_per_occurrence or 0.0
        inputs = {"occurrences": float(occurrences), "points_per_occurrence": per}
        points = round(occurrences * per, 2)
        explanation = f"{occurrences} × {per:+g} = {points:+g}"
    else:  # assessment: the council's reviews decide (scoring service, issue 4)
        points, explanation = 0.0, "chờ Hội đồng chấm / awaiting the council's assessment"
    return CriterionScore(
        code=criterion.code,
        theme=criterion.theme,
        rule=criterion.rule,
        inputs=inputs,
        max_points=criterion.max_points,
        points=points,
        explanation=explanation,
    )


def total_of(scored: Iterable[CriterionScore], max_total: float) -> float:
    """Total = sum of every criterion (bonuses and penalties included), kept within 0..max_total."""
    return round(min(max(sum(c.points for c in scored), 0.0), max_total), 2)


def score_submission(
    criteria: Iterable[CriterionEvidence],
    *,
    max_total: float = DEFAULT_MAX_TOTAL,
    policy: ScoringPolicy = DEFAULT_POLICY,
) -> ScoreBreakdown:
    scored = tuple(score_criterion(c) for c in criteria)
    total = total_of(scored, max_total)
    return ScoreBreakdown(criteria=scored, total=total, max_total=max_total, grade=grade_for(total, bands_of(policy)))
