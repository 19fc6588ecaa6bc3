"""The ratio rule and grade bands of DOMAIN.md §3: worked examples by hand, and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring.domain.rules import grade_for, ratio_points, score_submission, steps_points
from thidua_contracts.submissions import CriterionEvidence


def criterion(code: str, max_points: float, value: float, target: float) -> CriterionEvidence:
    return CriterionEvidence(code=code, theme=3, max_points=max_points, value=value, target=target)


def test_worked_example() -> None:
    # 45 of 50 dossiers online (0.9 × 40 = 36), 12 of 10 trainings (capped: 30), 2 of 8 teams (0.25 × 30 = 7.5)
    breakdown = score_submission(
        [
            criterion("a5", 40, 45, 50),
            criterion("a3", 30, 12, 10),
            criterion("b2", 30, 2, 8),
        ]
    )
    assert [c.points for c in breakdown.criteria] == [36.0, 30.0, 7.5]
    assert breakdown.total == 73.5
    assert breakdown.grade == "Khá"
    assert breakdown.criteria[0].explanation == "min(45 / 50, 1) × 40 = 36"


def test_total_is_capped_at_the_maximum() -> None:
    breakdown = score_submission([criterion(f"c{i}", 60, 1, 1) for i in range(3)])
    assert breakdown.total == 100.0
    assert breakdown.grade == "Xuất sắc"


def test_default_grade_bands_at_their_edges() -> None:
    assert [grade_for(t) for t in (90, 89.99, 80, 79.99, 70, 69.99, 50, 49.99, 0)] == [
        "Xuất sắc",
        "Tốt",
        "Tốt",
        "Khá",
        "Khá",
        "Đạt",
        "Đạt",
        "Không đạt",
        "Không đạt",
    ]


values = st.floats(min_value=0, max_value=1e6, allow_nan=False)
targets = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
maxima = st.floats(min_value=0.5, max_value=100, allow_nan=False)


@given(values, targets, maxima)
def test_ratio_points_stay_within_zero_and_max(value: float, target: float, max_points: float) -> None:
    assert 0 <= ratio_points(value=value, target=target, max_points=max_points) <= round(max_points, 2)


@given(values, values, targets, maxima)
def test_ratio_points_grow_with_the_value(a: float, b: float, target: float, max_points: float) -> None:
    low, high = sorted((a, b))
    assert ratio_points(value=low, target=target, max_points=max_points) <= ratio_points(
        value=high, target=target, max_points=max_points
    )


def test_steps_level_bonus_and_assessment_worked_by_hand() -> None:
    meetings = CriterionEvidence(
        code="a7",
        theme=1,
        rule="steps",
        max_points=20,
        value=3,
        steps=({"at_least": 4, "points": 20}, {"at_least": 3, "points": 15}, {"at_least": 1, "points": 5}),
    )
    nq57 = CriterionEvidence(code="a1", theme=1, rule="level", max_points=10, level="half")
    flag = CriterionEvidence(
        code="bonus", theme=1, rule="bonus_penalty", max_points=10, occurrences=1, points_per_occurrence=10
    )
    discipline = CriterionEvidence(
        code="penalty", theme=1, rule="bonus_penalty", max_points=10, occurrences=2, points_per_occurrence=-10
    )
    review = CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=30, narrative="Mô hình số")
    online = CriterionEvidence(code="a5", theme=3, rule="ratio", max_points=40, target=80)  # no value yet
    breakdown = score_submission([meetings, nq57, flag, discipline, review, online])
    assert [c.points for c in breakdown.criteria] == [15.0, 5.0, 10.0, -20.0, 0.0, 0.0]
    assert breakdown.criteria[0].explanation == "3 theo bậc (≥4→20, ≥3→15, ≥1→5) = 15"
    assert breakdown.criteria[3].explanation == "2 × -10 = -20"
    assert breakdown.total == 10.0


def test_a_total_never_goes_below_zero() -> None:
    penalty = CriterionEvidence(
        code="p", theme=1, rule="bonus_penalty", max_points=10, occurrences=3, points_per_occurrence=-10
    )
    assert score_submission([penalty]).total == 0.0


STEPS = ((4.0, 20.0), (3.0, 15.0), (2.0, 10.0), (1.0, 5.0))


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.floats(min_value=0, max_value=100, allow_nan=False))
def test_steps_never_give_less_for_more(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert steps_points(value=low, steps=STEPS) <= steps_points(value=high, steps=STEPS) <= 20


@given(st.integers(min_value=0, max_value=100), st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_bonuses_and_penalties_keep_the_total_within_bounds(occurrences: int, per: float) -> None:
    regular = CriterionEvidence(code="a8", theme=3, rule="ratio", max_points=90, value=1, target=1)
    extra = CriterionEvidence(
        code="x", theme=1, rule="bonus_penalty", max_points=10, occurrences=occurrences, points_per_occurrence=per
    )
    assert 0 <= score_submission([regular, extra]).total <= 100
