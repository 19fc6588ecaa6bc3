"""A period's name as people read it (thidua_commons.periods)."""

from __future__ import annotations

import re

import pytest

from thidua_commons.periods import period_name
from thidua_contracts.terms import PERIOD_CODE_PATTERN


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("2026", "Năm 2026", "Year 2026"),
        ("so-ket-2027", "Sơ kết 2027", "Mid-term review 2027"),
        ("tong-ket-2030", "Tổng kết 2030", "Final review 2030"),
        ("quy-3", "quy-3", "quy-3"),  # no known shape: as it is
    ],
)
def test_a_period_reads_as_its_name_in_each_language(code: str, vi: str, en: str) -> None:
    assert (period_name(code), period_name(code, english=True)) == (vi, en)


def test_every_period_the_contracts_allow_has_a_name() -> None:
    codes = [str(year) for year in range(2025, 2031)] + ["so-ket-2027", "tong-ket-2030"]
    assert all(re.fullmatch(PERIOD_CODE_PATTERN, code) for code in codes)
    assert all(period_name(code) != code for code in codes)
