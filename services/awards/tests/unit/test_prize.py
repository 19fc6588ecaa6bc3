"""The prize-money rules, pure (awards.domain.prize, awards.domain.money): coefficients × the base salary in force on
the signing day, rounded up to the rounding unit; the settings refuse what cannot be meant; amounts in words."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from awards.domain.money import amount_in_words, dong
from awards.domain.prize import DEFAULT_PRIZE_SETTINGS, PrizeSettings, amount, prize_of

RAISED = {"amount": 2_530_000, "effective_from": "2026-07-01"}  # a later base salary, for the boundaries


def settings(**overrides: Any) -> PrizeSettings:
    fields: dict[str, Any] = {
        "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}, RAISED],
        "coefficients": [{"award_form": "GIAY_KHEN_XA", "collective": 0.3, "individual": 0.15}],
    }
    return PrizeSettings.model_validate(fields | overrides)


def refused(**overrides: Any) -> list[tuple[str, str]]:
    """The fields the settings refuse, each with its message."""
    with pytest.raises(ValidationError) as error:
        settings(**overrides)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in error.value.errors()]


def test_the_giay_khen_pays_its_coefficient_of_the_base_salary_rounded_up_to_ten_thousand() -> None:
    prize = prize_of(DEFAULT_PRIZE_SETTINGS, "GIAY_KHEN_XA", ["individual", "collective"], date(2025, 12, 10))
    assert prize is not None
    assert (prize.base_salary, prize.base_salary_from) == (2_340_000, date(2024, 7, 1))
    # 0.15 × 2,340,000 = 351,000 → 360,000; 0.3 × 2,340,000 = 702,000 → 710,000
    assert prize.amounts == {"individual": 360_000, "collective": 710_000}
    assert prize.coefficients == {"individual": 0.15, "collective": 0.3}


def test_an_exact_multiple_stays_and_decimals_do_not_creep_in() -> None:
    assert amount(1.0, 2_340_000, 10_000) == 2_340_000  # Bằng khen tỉnh, an individual
    assert amount(4.5, 2_340_000, 10_000) == 10_530_000  # Huân chương Lao động hạng Ba
    assert amount(1.1, 1_800_000, 10_000) == 1_980_000  # in binary floats 1,980,000.0000000002: 1,990,000
    assert amount(0.15, 2_340_000, 1) == 351_000  # no rounding: the exact product (0.15 is not exact in binary)
    assert amount(0.15, 2_340_000, 100_000) == 400_000
    assert amount(0.0, 2_340_000, 10_000) == 0


def test_the_base_salary_is_the_one_in_force_on_the_signing_day() -> None:
    rules = settings()
    on = {day: prize_of(rules, "GIAY_KHEN_XA", ["individual"], day) for day in (date(2026, 6, 30), date(2026, 7, 1))}
    before, from_the_day = (on[d] for d in on)
    assert before is not None
    assert from_the_day is not None
    assert (before.base_salary, before.amounts) == (2_340_000, {"individual": 360_000})
    # 0.15 × 2,530,000 = 379,500 → 380,000 from the day the new base salary is in force
    assert (from_the_day.base_salary, from_the_day.amounts) == (2_530_000, {"individual": 380_000})
    assert prize_of(rules, "GIAY_KHEN_XA", ["individual"], date(2024, 6, 30)) is None  # before any base salary


def test_the_rounding_unit_is_a_setting() -> None:
    prize = prize_of(settings(rounding_unit=1_000), "GIAY_KHEN_XA", ["collective"], date(2025, 1, 1))
    assert prize is not None
    assert prize.amounts == {"collective": 702_000}


def test_a_kind_without_a_coefficient_or_an_unknown_form_names_no_prize() -> None:
    rules = settings(coefficients=[{"award_form": "GIAY_KHEN_XA", "collective": 0.3}])
    assert prize_of(rules, "GIAY_KHEN_XA", ["collective", "individual"], date(2025, 1, 1)) is None
    assert prize_of(rules, "BANG_KHEN_TINH", ["collective"], date(2025, 1, 1)) is None  # not set by the province
    with pytest.raises(ValueError, match="unknown award form"):
        prize_of(rules, "KY_NIEM_CHUONG", ["collective"], date(2025, 1, 1))


def test_the_defaults_follow_the_decree() -> None:
    table = {
        c.award_form: (c.individual, c.collective) for c in DEFAULT_PRIZE_SETTINGS.coefficients
    }  # individual / collective, NĐ 98/2023 Điều 70–75
    assert table == {
        "HCLD_HANG_BA": (4.5, 9.0),
        "BANG_KHEN_TTG": (1.5, 3.0),
        "CO_THI_DUA_CP": (None, 12.0),
        "BANG_KHEN_TINH": (1.0, 2.0),
        "CO_THI_DUA_TINH": (None, 8.0),
        "GIAY_KHEN_XA": (0.15, 0.3),
    }
    assert DEFAULT_PRIZE_SETTINGS.rounding_unit == 10_000


def test_the_settings_refuse_what_cannot_be_meant_naming_the_field() -> None:
    negative = [{"award_form": "GIAY_KHEN_XA", "individual": -0.15}]
    assert [f for f, _ in refused(coefficients=negative)] == ["coefficients.0.individual"]
    unknown = refused(coefficients=[{"award_form": "KY_NIEM_CHUONG", "individual": 0.1}])
    assert unknown[0][0] == "coefficients.0.award_form"
    assert "unknown award form" in unknown[0][1]
    twice = [{"award_form": "GIAY_KHEN_XA", "individual": 0.15}, {"award_form": "GIAY_KHEN_XA", "individual": 0.2}]
    assert refused(coefficients=twice)[0][0] == "coefficients"
    assert "duplicate award form" in refused(coefficients=twice)[0][1]
    flag_to_a_person = refused(coefficients=[{"award_form": "CO_THI_DUA_TINH", "individual": 1.0}])
    assert flag_to_a_person[0][0] == "coefficients.0"
    assert "not given to individuals" in flag_to_a_person[0][1]
    same_day = [{"amount": 2_340_000, "effective_from": "2024-07-01"}, {**RAISED, "effective_from": "2024-07-01"}]
    assert refused(base_salaries=same_day) == [
        ("base_salaries", "Value error, trùng ngày áp dụng / duplicate effective date: 2024-07-01")
    ]
    assert [f for f, _ in refused(base_salaries=[])] == ["base_salaries"]
    free = [{"amount": 2_340_000, "effective_from": "2024-07-01"}, {**RAISED, "amount": 0}]
    assert [f for f, _ in refused(base_salaries=free)] == ["base_salaries.1.amount"]
    assert [f for f, _ in refused(rounding_unit=0)] == ["rounding_unit"]
    assert [f for f, _ in refused(coefficients=[{"award_form": "GIAY_KHEN_XA", "individual": 0.1234}])] == [
        "coefficients.0.individual"
    ]


def test_base_salaries_are_kept_in_the_order_of_their_days() -> None:
    rules = settings(base_salaries=[RAISED, {"amount": 2_340_000, "effective_from": "2024-07-01"}])
    assert [s.amount for s in rules.base_salaries] == [2_340_000, 2_530_000]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (360_000, "Ba trăm sáu mươi nghìn đồng"),
        (710_000, "Bảy trăm mười nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_140_000, "Hai triệu một trăm bốn mươi nghìn đồng"),
        (2_000_140, "Hai triệu một trăm bốn mươi đồng"),
        (10_530_000, "Mười triệu năm trăm ba mươi nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (2_500_000_000_000, "Hai nghìn năm trăm tỷ đồng"),
    ],
)
def test_amounts_in_words(value: int, words: str) -> None:
    assert amount_in_words(value) == words


def test_amounts_with_dots_and_no_negative_words() -> None:
    assert [dong(v) for v in (0, 360_000, 2_140_000, 1_000_000_000)] == ["0", "360.000", "2.140.000", "1.000.000.000"]
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(-1)
