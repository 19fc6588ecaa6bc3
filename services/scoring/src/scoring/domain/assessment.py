"""Council assessments (chấm điểm của Hội đồng): aggregation and the final breakdown. Pure."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from scoring.domain.rules import ScoreBreakdown, bands_of, grade_for, score_criterion, total_of
from thidua_contracts.scoring import CriterionScore
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy

METHOD_NAMES = {"mean": "trung bình", "median": "trung vị"}


def aggregate(points: Sequence[float], method: str) -> float:
    """Mean or median of the reviewers' points, rounded to hundredths."""
    if not points:
        raise ValueError("no points to aggregate")
    value = statistics.median(points) if method == "median" else statistics.fmean(points)
    return round(value, 2)


def assessed(criterion: CriterionEvidence, points: Sequence[float], method: str) -> CriterionScore:
    if not points:
        return CriterionScore(
            code=criterion.code,
            theme=criterion.theme,
            rule=criterion.rule,
            inputs={},
            max_points=criterion.max_points,
            points=0.0,
            explanation="không có đánh giá của Hội đồng / no council assessment",
        )
    value = min(aggregate(points, method), criterion.max_points)
    listed = ", ".join(f"{p:g}" for p in points)
    return CriterionScore(
        code=criterion.code,
        theme=criterion.theme,
        rule=criterion.rule,
        inputs={"reviews": float(len(points))},
        max_points=criterion.max_points,
        points=value,
        explanation=f"{METHOD_NAMES.get(method, method)} của {len(points)} đánh giá ({listed}) = {value:g}",
    )


def final_breakdown(
    criteria: Sequence[CriterionEvidence],
    reviews: Mapping[str, Sequence[float]],
    *,
    max_total: float,
    policy: ScoringPolicy,
) -> ScoreBreakdown:
    """Indicator criteria by their rules; assessment criteria from the non-recused reviewers' points."""
    scored = tuple(
        assessed(c, reviews.get(c.code, ()), policy.aggregation) if c.rule == "assessment" else score_criterion(c)
        for c in criteria
    )
    total = total_of(scored, max_total)
    return ScoreBreakdown(criteria=scored, total=total, max_total=max_total, grade=grade_for(total, bands_of(policy)))


def ranks(totals: Sequence[tuple[str, float]]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank."""
    ordered = sorted(totals, key=lambda item: (-item[1], item[0]))
    result: dict[str, int] = {}
    for position, (key, total) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        result[key] = result[previous[0]] if previous and previous[1] == total else position
    return result
