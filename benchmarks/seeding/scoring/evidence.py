"""Seeds the evidence a dossier reports to scoring, made up so that the service's rules give the plan's total: the
indicator criteria score a provisional total, and the council's assessments, spread over the reviewers, add
exactly the rest."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from scoring.domain.rules import score_submission
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.service.submission_lifecycle import evidence_for_scoring
from thidua_contracts.submissions import CriterionEvidence


def _reported(criterion: Criterion, share: float, year: int) -> dict[str, Any]:
    """What an entrant reports for one criterion when it reaches `share` of it (0 nothing, 1 everything)."""
    kind = criterion.rule.kind
    if kind == "ratio" and criterion.indicator is not None:
        target = criterion.indicator.target
        # counts (people, meetings, businesses) are whole numbers; percentages keep one decimal
        return {"value": float(round(target * share)) if target <= 20 else round(target * share, 1)}
    if kind == "steps":
        reached = [s.at_least for s in criterion.rule.steps if s.points <= share * criterion.max_points + 1e-9]
        return {"value": max(reached, default=0.0)}
    if kind == "level":
        return {"level": "full" if share >= 0.8 else "half" if share >= 0.4 else "none"}
    if kind == "bonus_penalty":
        return {"occurrences": 0}
    return {
        "narrative": f"Báo cáo kết quả thực hiện năm {year}, kèm văn bản và hình ảnh minh chứng.",
        "self_points": round(min(share, 1.0) * criterion.max_points, 1),
    }


def _evidence(content: CriteriaSetContent, shares: Sequence[float], year: int) -> tuple[CriterionEvidence, ...]:
    reported = {c.code: _reported(c, share, year) for c, share in zip(content.criteria, shares, strict=True)}
    return evidence_for_scoring(content, reported, {})


def _indicator_points(evidence: Iterable[CriterionEvidence], max_total: float) -> float:
    return score_submission(evidence, max_total=max_total).total


def _assessed_max(content: CriteriaSetContent) -> float:
    return sum(c.max_points for c in content.criteria if c.rule.kind == "assessment")


def _fitted(content: CriteriaSetContent, rng: random.Random, total: float, year: int) -> tuple[CriterionEvidence, ...]:
    """Evidence whose indicator points P leave the council 0 ≤ total − P ≤ the assessment criteria's maximum: near
    the dossier's level first, then everything or nothing reached, then a search on a level shared by all."""
    quality = total / content.max_total
    room = _assessed_max(content)

    def fits(evidence: tuple[CriterionEvidence, ...]) -> bool:
        return 0 <= round(total - _indicator_points(evidence, content.max_total), 2) <= room

    noisy = [min(max(quality + rng.uniform(-0.15, 0.15), 0.0), 1.1) for _ in content.criteria]
    for shares in (noisy, [1.0] * len(content.criteria), [0.0] * len(content.criteria)):
        if fits(evidence := _evidence(content, shares, year)):
            return evidence
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        evidence = _evidence(content, [middle] * len(content.criteria), year)
        if fits(evidence):
            return evidence
        if total - _indicator_points(evidence, content.max_total) > room:
            low = middle
        else:
            high = middle
    return evidence  # no level fits (not met with the default sets): the final total then differs from the plan


def _split(amount: float, criteria: Sequence[CriterionEvidence]) -> dict[str, float]:
    """`amount` points over the assessment criteria in proportion to their maxima, to the hundredth, none above its
    maximum, adding up to `amount` exactly."""
    room = sum(c.max_points for c in criteria)
    points = {c.code: round(amount * c.max_points / room, 2) if room else 0.0 for c in criteria}
    left = round(amount - sum(points.values()), 2)
    for criterion in criteria:
        if left == 0:
            break
        moved = min(max(left, -points[criterion.code]), criterion.max_points - points[criterion.code])
        points[criterion.code] = round(points[criterion.code] + moved, 2)
        left = round(left - moved, 2)
    return points


def _spread(points: float, maximum: float, reviewers: int, rng: random.Random) -> list[float]:
    """Each reviewer's points for one criterion, whose mean (the default aggregation) is `points`."""
    gap = round(min(rng.choice((0.0, 0.25, 0.5, 1.0)), points, maximum - points), 2)
    offsets = [gap if i % 2 == 0 else -gap for i in range(reviewers - reviewers % 2)] + [0.0] * (reviewers % 2)
    return [round(points + offset, 2) for offset in offsets]
