"""How far a commune may adapt the province's criteria before a period opens (DOMAIN.md §3: configurable)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from submissions.domain.criteria import CriteriaSetContent


class AdaptationLimits(BaseModel):
    """Set by the province in its campaign template."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    may_add_criteria: bool = True
    max_added_criteria: int = Field(default=5, ge=0, le=50)
    max_points_change: float = Field(default=5.0, ge=0, le=100, description="± điểm mỗi tiêu chí / per criterion")


class AdaptationRefused(ValueError):
    pass


def regular_points(content: CriteriaSetContent) -> float:
    """Sum of the maxima that make up the 100: bonuses and penalties are outside it."""
    return round(sum(c.max_points for c in content.criteria if c.rule.kind != "bonus_penalty"), 2)


def check_adaptation(base: CriteriaSetContent, adapted: CriteriaSetContent, limits: AdaptationLimits) -> None:
    """Raise AdaptationRefused with every reason at once, each naming the criterion."""
    problems = [
        *_unchangeable_parts(base, adapted),
        *_province_criteria(base, adapted, limits),
        *_added_criteria(base, adapted, limits),
        *_total(adapted),
    ]
    if problems:
        raise AdaptationRefused("; ".join(problems))


def _unchangeable_parts(base: CriteriaSetContent, adapted: CriteriaSetContent) -> list[str]:
    """The target group, the province's scoring policy and the maximum total stay as the province set them."""
    problems: list[str] = []
    if adapted.target_group != base.target_group:
        problems.append("không đổi được nhóm đối tượng / the target group cannot change")
    if adapted.policy != base.policy:
        problems.append("không đổi được cách chấm của tỉnh / the province's scoring policy cannot change")
    if adapted.max_total != base.max_total:
        problems.append("không đổi được tổng điểm tối đa / max_total cannot change")
    return problems


def _province_criteria(base: CriteriaSetContent, adapted: CriteriaSetContent, limits: AdaptationLimits) -> list[str]:
    """Every province criterion is kept, with its rule and indicator, its points changed within the limit."""
    problems: list[str] = []
    adapted_by_code = {c.code: c for c in adapted.criteria}
    for criterion in base.criteria:
        mine = adapted_by_code.get(criterion.code)
        if mine is None:
            problems.append(
                f"{criterion.code}: không được bỏ tiêu chí của tỉnh / a province criterion cannot be removed"
            )
            continue
        if mine.rule != criterion.rule or mine.indicator != criterion.indicator:
            problems.append(
                f"{criterion.code}: không đổi được cách chấm, bậc, điểm cộng/trừ hay chỉ tiêu của tỉnh / "
                "the province's rule, steps, bonus or penalty and indicator target cannot change"
            )
        change = abs(mine.max_points - criterion.max_points)
        if change > limits.max_points_change:
            problems.append(
                f"{criterion.code}: điểm chỉ được đổi trong ±{limits.max_points_change:g} / "
                f"points may change by at most {limits.max_points_change:g} (asked {change:g})"
            )
    return problems


def _added_criteria(base: CriteriaSetContent, adapted: CriteriaSetContent, limits: AdaptationLimits) -> list[str]:
    """The commune's own criteria: none a bonus or penalty, and only as many as the province allows."""
    problems: list[str] = []
    added = [c.code for c in adapted.criteria if c.code not in {b.code for b in base.criteria}]
    for criterion in adapted.criteria:
        if criterion.code in added and criterion.rule.kind == "bonus_penalty":
            problems.append(
                f"{criterion.code}: chỉ tỉnh đặt điểm cộng/trừ / only the province sets bonuses or penalties"
            )
    if added and not limits.may_add_criteria:
        problems.append(f"tỉnh không cho thêm tiêu chí / adding criteria is not allowed: {', '.join(added)}")
    elif len(added) > limits.max_added_criteria:
        problems.append(f"chỉ được thêm {limits.max_added_criteria} tiêu chí / at most {limits.max_added_criteria}")
    return problems


def _total(adapted: CriteriaSetContent) -> list[str]:
    """The regular criteria add up to the maximum total."""
    if regular_points(adapted) != adapted.max_total:
        return [
            f"tổng điểm các tiêu chí phải bằng {adapted.max_total:g} / regular criteria must add up to "
            f"{adapted.max_total:g} (now {regular_points(adapted):g})"
        ]
    return []
