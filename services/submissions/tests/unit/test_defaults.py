import re
import unicodedata
from pathlib import Path

import pytest

from submissions.domain import defaults
from submissions.domain.criteria import TARGET_GROUPS, THEMES, CriteriaSetContent, Criterion
from submissions.domain.defaults import DEFAULT_CRITERIA_SETS, default_criteria_set

VIETNAMESE_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]")

ALL_CRITERIA: list[tuple[str, Criterion]] = [
    (group, criterion) for group, content in DEFAULT_CRITERIA_SETS.items() for criterion in content.criteria
]

STEPS_CRITERIA = [(g, c) for g, c in ALL_CRITERIA if c.rule.kind == "steps"]
BONUS_PENALTY_CRITERIA = [(g, c) for g, c in ALL_CRITERIA if c.rule.kind == "bonus_penalty"]


def _each(pairs: list[tuple[str, Criterion]]) -> list[pytest.ParameterSet]:
    """Each criterion as a test case, named by its group and code."""
    return [pytest.param(criterion, id=f"{group}:{criterion.code}") for group, criterion in pairs]


def test_every_target_group_has_a_default_set() -> None:
    assert set(DEFAULT_CRITERIA_SETS) == set(TARGET_GROUPS)
    for group, content in DEFAULT_CRITERIA_SETS.items():
        assert content.target_group == group
        assert default_criteria_set(group) is content


@pytest.mark.parametrize("group", sorted(TARGET_GROUPS))
def test_each_set_validates_as_criteria_set_content(group: str) -> None:
    content = default_criteria_set(group)
    assert CriteriaSetContent.model_validate(content.model_dump()) == content
    assert CriteriaSetContent.model_validate_json(content.model_dump_json()) == content


def test_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="không có bộ tiêu chí mặc định"):
        default_criteria_set("e")


@pytest.mark.parametrize("group", sorted(TARGET_GROUPS))
def test_points_outside_bonus_and_penalty_sum_to_max_total(group: str) -> None:
    content = default_criteria_set(group)
    regular = [c.max_points for c in content.criteria if c.rule.kind != "bonus_penalty"]
    assert content.max_total == 100
    assert sum(regular) == pytest.approx(100)


def test_all_rule_kinds_are_used() -> None:
    kinds = {criterion.rule.kind for _, criterion in ALL_CRITERIA}
    assert kinds == {"ratio", "steps", "level", "assessment", "bonus_penalty"}


def test_codes_are_unique_within_and_across_groups() -> None:
    for content in DEFAULT_CRITERIA_SETS.values():
        codes = [c.code for c in content.criteria]
        assert len(codes) == len(set(codes))
    all_codes = [criterion.code for _, criterion in ALL_CRITERIA]
    assert len(all_codes) == len(set(all_codes))


def test_the_seed_criteria_keep_their_codes() -> None:
    expected = {
        "a": {"a1", "a2", "a3", "a4", "a5", "a6"},
        "b": {"b1", "b2"},
        "c": {"c1", "c2", "c3"},
        "d1": {"d1"},
        "d2": {"d2"},
    }
    for group, codes in expected.items():
        present = {c.code for c in default_criteria_set(group).criteria}
        assert codes <= present, group
        assert all(code.startswith(group) for code in present), group


@pytest.mark.parametrize("criterion", _each(ALL_CRITERIA))
def test_titles_are_nfc_vietnamese(criterion: Criterion) -> None:
    texts = [criterion.title]
    if criterion.indicator is not None:
        texts.append(criterion.indicator.name)
    for text in texts:
        assert unicodedata.is_normalized("NFC", text)
        assert VIETNAMESE_LETTERS.search(text.lower()), text
        assert text == text.strip()
    assert criterion.theme in THEMES


def test_the_source_files_are_nfc() -> None:
    sources = sorted(Path(defaults.__file__).parent.glob("*.py"))
    assert len(sources) > 1  # the package and its modules, one per target group
    for source in sources:
        assert unicodedata.is_normalized("NFC", source.read_text(encoding="utf-8")), source.name


@pytest.mark.parametrize("criterion", _each(ALL_CRITERIA))
def test_value_rules_have_an_indicator(criterion: Criterion) -> None:
    if criterion.rule.kind in ("ratio", "steps"):
        assert criterion.indicator is not None
        assert criterion.indicator.target > 0
        assert criterion.indicator.unit
        if criterion.indicator.unit == "%":
            assert criterion.indicator.target <= 100
    else:
        assert criterion.indicator is None


@pytest.mark.parametrize("criterion", _each(STEPS_CRITERIA))
def test_steps_reach_the_maximum_at_the_highest_threshold(criterion: Criterion) -> None:
    steps = criterion.rule.steps
    thresholds = [s.at_least for s in steps]
    points = [s.points for s in steps]
    assert thresholds == sorted(thresholds, reverse=True)
    assert points == sorted(points, reverse=True)
    assert points[0] == criterion.max_points
    assert all(p > 0 for p in points)


def test_meeting_steps_scale_the_domain_example() -> None:
    meetings = next(c for c in default_criteria_set("a").criteria if c.rule.kind == "steps")
    scale = meetings.max_points / 20
    assert [(s.at_least, s.points) for s in meetings.rule.steps] == [
        (4, 20 * scale),
        (3, 15 * scale),
        (2, 10 * scale),
        (1, 5 * scale),
    ]


@pytest.mark.parametrize("group", sorted(TARGET_GROUPS))
def test_every_group_has_a_discipline_penalty(group: str) -> None:
    penalties = [
        c
        for c in default_criteria_set(group).criteria
        if c.rule.kind == "bonus_penalty" and (c.rule.points_per_occurrence or 0) < 0
    ]
    assert len(penalties) == 1
    assert penalties[0].rule.points_per_occurrence == -10
    assert penalties[0].max_points == 10


@pytest.mark.parametrize("criterion", _each(BONUS_PENALTY_CRITERIA))
def test_bonus_penalty_max_points_is_the_absolute_points(criterion: Criterion) -> None:
    points = criterion.rule.points_per_occurrence
    assert points is not None
    assert criterion.max_points == abs(points)
    if "kỷ luật" in criterion.title:
        assert points < 0
    else:
        assert points > 0


@pytest.mark.parametrize("group", ["a", "b", "c"])
def test_collectives_get_a_bonus_of_this_movement(group: str) -> None:
    bonuses = [
        c
        for c in default_criteria_set(group).criteria
        if c.rule.kind == "bonus_penalty" and (c.rule.points_per_occurrence or 0) > 0
    ]
    assert [(b.code, b.rule.points_per_occurrence) for b in bonuses] == [(f"{group}-model", 10)]
    assert "trong Phong trào" in bonuses[0].title


@pytest.mark.parametrize("group", sorted(TARGET_GROUPS))
def test_no_criterion_scores_an_award_of_the_regular_track(group: str) -> None:
    """NĐ 152/2025 keeps a thematic movement apart from the regular emulation: a provincial Cờ thi đua (or any other
    award) is no basis for this movement's score."""
    titles = [c.title for c in default_criteria_set(group).criteria]
    assert not any("Cờ Thi đua" in t or "Cờ thi đua" in t or "Bằng khen" in t for t in titles)


@pytest.mark.parametrize(("group", "code"), [("a", "a15"), ("c", "c10")])
def test_cooperation_theme_has_a_criterion_where_units_cooperate(group: str, code: str) -> None:
    cooperation = [c for c in default_criteria_set(group).criteria if c.theme == 7]
    assert [(c.code, c.rule.kind) for c in cooperation] == [(code, "assessment")]
    assert "hợp tác" in cooperation[0].title


def test_every_theme_has_a_default_criterion() -> None:
    assert {criterion.theme for _, criterion in ALL_CRITERIA} == set(THEMES)


def test_complete_nq57_targets_is_a_level_criterion() -> None:
    a1 = next(c for c in default_criteria_set("a").criteria if c.code == "a1")
    assert a1.rule.kind == "level"
    assert "57-NQ/TW" in a1.title


def test_domain_indicators_are_seeded_with_their_targets() -> None:
    indicators = {
        (criterion.theme, criterion.indicator.unit, criterion.indicator.target)
        for _, criterion in ALL_CRITERIA
        if criterion.indicator is not None
    }
    assert (5, "người/100 dân", 5) in indicators  # tổ công nghệ số cộng đồng
    assert (5, "%", 80) in indicators  # kỹ năng số cơ bản của cán bộ, công chức
    themes_with_indicators = {theme for theme, _, _ in indicators}
    assert {1, 2, 3, 4, 5, 6} <= themes_with_indicators
