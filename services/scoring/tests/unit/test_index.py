"""The commune digital-transformation index, by hand and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.domain.index import IndexSettings, Observation, commune_index


def test_worked_example() -> None:
    observations = [
        Observation(theme=3, value=90, target=100),  # government 0.9
        Observation(theme=6, value=1, target=2),  # government 0.5
        Observation(theme=4, value=120, target=100),  # economy 1.0 (capped)
        Observation(theme=5, value=40, target=80),  # society 0.5
    ]
    result = commune_index(observations, IndexSettings())
    assert result.pillars == {"digital_government": 0.7, "digital_economy": 1.0, "digital_society": 0.5}
    assert result.overall == 0.73  # 0.4 × 0.7 + 0.3 × 1 + 0.3 × 0.5
    assert result.indicators == 4


def test_missing_pillars_do_not_count_as_zero() -> None:
    result = commune_index([Observation(theme=3, value=50, target=100)], IndexSettings())
    assert result.pillars["digital_economy"] is None
    assert result.overall == 0.5
    assert commune_index([], IndexSettings()).overall is None


def test_settings_need_every_pillar_and_sane_weights() -> None:
    with pytest.raises(ValidationError):
        IndexSettings(weights={"digital_government": 1.0})
    with pytest.raises(ValidationError):
        IndexSettings(weights={"digital_government": -1, "digital_economy": 1, "digital_society": 1})


@given(st.lists(st.tuples(st.integers(1, 7), st.floats(0, 1e6, allow_nan=False), st.floats(0.01, 1e6)), max_size=30))
def test_the_index_is_normalised(rows: list[tuple[int, float, float]]) -> None:
    result = commune_index([Observation(theme=t, value=v, target=g) for t, v, g in rows], IndexSettings())
    for value in (*result.pillars.values(), result.overall):
        assert value is None or 0 <= value <= 1
