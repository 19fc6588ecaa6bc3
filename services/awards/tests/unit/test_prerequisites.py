"""Prerequisites evaluated on the award history of any form: a count of a form, of a track, within the last years
counted back from the period's year, in consecutive years (issue #22)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from awards.domain.rules import DEFAULT_RULES, AwardRule, PastAward, Prerequisite, Scored, evaluate
from thidua_contracts.terms import EntrantRef

PERSON = EntrantRef.model_validate({"id": "e", "name": "Nguyễn Văn An", "kind": "individual", "target_group": "d1"})


def titles(form: str, *years: int, track: str = "regular") -> list[PastAward]:
    return [PastAward(form, str(year), track) for year in years]  # type: ignore[arg-type]


def holds(history: list[PastAward], year: int | None = 2026, **settings: Any) -> bool:
    return Prerequisite.model_validate(settings).held_by(history, year=year)


@pytest.mark.parametrize(
    ("settings", "years", "held"),
    [
        ({"form": "CSTD_CO_SO", "count": 2}, (2019, 2023), True),
        ({"form": "CSTD_CO_SO", "count": 3}, (2019, 2023), False),
        ({"form": "CSTD_CO_SO", "count": 2, "within_years": 3}, (2019, 2025), False),  # 2019 is too old
        ({"form": "CSTD_CO_SO", "count": 2, "within_years": 3}, (2024, 2026), True),  # 2024, 2025, 2026
        ({"form": "CSTD_CO_SO", "count": 1, "within_years": 3}, (2023,), False),
        ({"form": "CSTD_CO_SO", "count": 3, "consecutive": True}, (2020, 2021, 2023, 2024), False),
        ({"form": "CSTD_CO_SO", "count": 3, "consecutive": True}, (2018, 2019, 2020, 2024), True),
        ({"form": "CSTD_CO_SO", "count": 3, "consecutive": True, "within_years": 5}, (2018, 2019, 2020, 2024), False),
        ({"form": "CSTD_CO_SO", "count": 2, "consecutive": True, "within_years": 5}, (2023, 2024, 2024), True),
    ],
)
def test_counted_within_the_window_and_in_consecutive_years(
    settings: dict[str, Any], years: tuple[int, ...], held: bool
) -> None:
    assert holds(titles("CSTD_CO_SO", *years), **settings) is held


def test_only_the_named_form_and_track_count_and_a_movement_period_counts_as_its_year() -> None:
    history = [
        *titles("LAO_DONG_TIEN_TIEN", 2024, 2025),
        *titles("GIAY_KHEN_XA", 2025, track="thematic"),
        PastAward("BANG_KHEN_TINH", "so-ket-2027", "thematic"),
    ]
    assert holds(history, form="LAO_DONG_TIEN_TIEN", count=2)
    assert not holds(history, form="CSTD_CO_SO")
    assert not holds(history, form="GIAY_KHEN_XA", track="regular")
    assert holds(history, form="GIAY_KHEN_XA", track="thematic")
    assert holds(history, year=2030, form="BANG_KHEN_TINH", within_years=4)
    assert not holds(history, year=2030, form="BANG_KHEN_TINH", within_years=3)


@pytest.mark.parametrize(
    "settings",
    [
        {"form": "OTHER"},
        {"form": "LAO_DONG"},
        {"form": "CSTD_CO_SO", "count": 3, "consecutive": True, "within_years": 2},
        {"form": "CSTD_CO_SO", "within_years": 0},
    ],
)
def test_a_prerequisite_names_a_code_of_the_history_and_can_be_met(settings: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Prerequisite.model_validate(settings)


def test_a_rule_asks_for_three_consecutive_grassroots_titles_counted_back_from_the_periods_year() -> None:
    rule = AwardRule.model_validate(
        {
            "form": "BANG_KHEN_TINH",
            "round": "yearly",
            "prerequisites": [{"form": "CSTD_CO_SO", "count": 3, "consecutive": True, "within_years": 4}],
        }
    )
    person = Scored(entrant=PERSON, total=95, grade="Xuất sắc")
    history = {"e": titles("CSTD_CO_SO", 2023, 2024, 2025)}

    in_2026 = evaluate(rule, [person], flags={}, history=history, period="2026")["e"]
    in_2027 = evaluate(rule, [person], flags={}, history=history, period="so-ket-2027")["e"]

    assert in_2026.eligible
    assert not in_2027.eligible  # 2023 left the four years
    assert in_2027.reasons == ("chưa có 3 lần Chiến sĩ thi đua cơ sở liên tục trong 4 năm gần nhất / "
                               "missing a prerequisite award",)  # fmt: skip


def test_the_default_rules_ask_for_no_earlier_award() -> None:
    assert all(not rule.prerequisites for rule in DEFAULT_RULES)
