"""The province's limits on a commune's criteria, and the periods' windows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from submissions.domain.adaptation import AdaptationLimits, AdaptationRefused, check_adaptation
from submissions.domain.criteria import CriteriaSetContent, Criterion, Rule
from submissions.domain.defaults import default_criteria_set
from submissions.domain.periods import VIETNAM, Period, PeriodClosed, default_periods, require_open

BASE = default_criteria_set("b")


def with_points(
    content: CriteriaSetContent, changes: dict[str, float], extra: tuple[Criterion, ...] = ()
) -> CriteriaSetContent:
    criteria = tuple(c.model_copy(update={"max_points": changes.get(c.code, c.max_points)}) for c in content.criteria)
    return content.model_copy(update={"criteria": criteria + extra})


def test_points_may_move_within_the_limit_if_the_total_stays() -> None:
    check_adaptation(BASE, with_points(BASE, {"b1": 30, "b2": 20}), AdaptationLimits())


def test_moving_too_many_points_is_refused_naming_the_criterion() -> None:
    with pytest.raises(AdaptationRefused, match=r"b1: .*±5"):
        check_adaptation(BASE, with_points(BASE, {"b1": 35, "b2": 15}), AdaptationLimits())


def test_the_total_must_stay_100() -> None:
    with pytest.raises(AdaptationRefused, match="100"):
        check_adaptation(BASE, with_points(BASE, {"b1": 28}), AdaptationLimits())


def test_a_province_criterion_cannot_be_removed() -> None:
    fewer = BASE.model_copy(update={"criteria": BASE.criteria[1:]})
    with pytest.raises(AdaptationRefused, match="b1: không được bỏ"):
        check_adaptation(BASE, fewer, AdaptationLimits())


def test_adding_criteria_follows_the_province() -> None:
    extra = Criterion(
        code="b9", theme=5, title="Số lớp «Bình dân học vụ số» mở tại thôn", max_points=5, rule=Rule(kind="assessment")
    )
    adapted = with_points(BASE, {"b1": 20}, (extra,))
    check_adaptation(BASE, adapted, AdaptationLimits())
    with pytest.raises(AdaptationRefused, match="b9"):
        check_adaptation(BASE, adapted, AdaptationLimits(may_add_criteria=False))


def test_the_default_periods() -> None:
    periods = {p.code: p for p in default_periods()}
    assert list(periods) == ["2025", "2026", "2027", "2028", "2029", "2030", "so-ket-2027", "tong-ket-2030"]
    assert periods["2026"].closes_at == datetime(2026, 12, 10, tzinfo=VIETNAM)  # before the 15 December report
    assert periods["so-ket-2027"].name == "Sơ kết 2027"


def test_a_window_is_enforced_at_both_ends() -> None:
    period = default_periods()[1]
    require_open(period, period.opens_at)
    for moment in (period.opens_at - timedelta(seconds=1), period.closes_at):
        with pytest.raises(PeriodClosed, match="2026"):
            require_open(period, moment)


def test_a_window_must_be_ordered() -> None:
    opens = datetime(2026, 1, 1, tzinfo=VIETNAM)
    with pytest.raises(ValidationError, match="closes_at"):
        Period(code="2026", kind="yearly", year=2026, opens_at=opens, closes_at=opens)
