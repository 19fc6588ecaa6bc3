"""The builders of the default criteria: one function per scoring rule, and the points DOMAIN.md fixes."""

from __future__ import annotations

from collections.abc import Sequence

from submissions.domain.criteria import Criterion, Indicator, Rule, Step

PERCENT = "%"

# Steering-committee meetings per year, DOMAIN §3: 4→20, 3→15, 2→10, 1→5 — as fractions of the criterion's max.
MEETING_STEPS: tuple[tuple[float, float], ...] = ((4, 1.0), (3, 0.75), (2, 0.5), (1, 0.25))

# A thematic movement's own bonus (NĐ 152/2025 keeps thematic and regular emulation apart: an award of the regular
# track, such as a provincial Cờ thi đua, is no basis for scoring this movement).
MOVEMENT_MODEL_BONUS = 10.0
DISCIPLINE_PENALTY = -10.0


def ratio(code: str, theme: int, title: str, max_points: float, indicator: Indicator) -> Criterion:
    return Criterion(
        code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="ratio"), indicator=indicator
    )


def steps(
    code: str,
    theme: int,
    title: str,
    max_points: float,
    indicator: Indicator,
    fractions: Sequence[tuple[float, float]],
) -> Criterion:
    """A steps criterion whose thresholds give fractions of max_points, highest threshold first."""
    thresholds = tuple(
        Step(at_least=at_least, points=round(fraction * max_points, 2)) for at_least, fraction in fractions
    )
    return Criterion(
        code=code,
        theme=theme,
        title=title,
        max_points=max_points,
        rule=Rule(kind="steps", steps=thresholds),
        indicator=indicator,
    )


def level(code: str, theme: int, title: str, max_points: float) -> Criterion:
    return Criterion(code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="level"))


def assessment(code: str, theme: int, title: str, max_points: float) -> Criterion:
    return Criterion(code=code, theme=theme, title=title, max_points=max_points, rule=Rule(kind="assessment"))


def bonus_penalty(code: str, theme: int, title: str, points: float) -> Criterion:
    return Criterion(
        code=code,
        theme=theme,
        title=title,
        max_points=abs(points),
        rule=Rule(kind="bonus_penalty", points_per_occurrence=points),
    )


def model_bonus(group: str) -> Criterion:
    """A bonus for this movement's own achievements, not for awards of the regular track."""
    return bonus_penalty(
        f"{group}-model",
        1,
        "Có mô hình, sáng kiến, giải pháp đổi mới sáng tạo, chuyển đổi số trong Phong trào được cấp có thẩm quyền công "
        "nhận, nhân rộng (điểm thưởng)",
        MOVEMENT_MODEL_BONUS,
    )


def discipline_penalty(group: str) -> Criterion:
    return bonus_penalty(
        f"{group}-discipline", 1, "Bị kỷ luật hoặc có vi phạm trong kỳ thi đua (trừ điểm mỗi lần)", DISCIPLINE_PENALTY
    )


def percent(name: str, target: float = 100) -> Indicator:
    return Indicator(name=name, unit=PERCENT, target=target)
