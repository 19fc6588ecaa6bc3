"""A past award's decision was signed between the founding of the state and today (issue #20)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from awards.service.standing import EARLIEST_AWARD, VIETNAM, PastAwardInput, check_signed_on

AWARD: dict[str, Any] = {
    "entrant": {"id": "e-1", "name": "Thôn Đông", "kind": "collective", "target_group": "a"},
    "award_form": "GIAY_KHEN_XA",
    "period": "2025",
    "number": "12/QĐ-UBND",
    "issuer": "Chủ tịch UBND xã Liên Minh",
}


def test_the_range_ends_on_either_side() -> None:
    today = date(2026, 12, 7)
    assert check_signed_on(EARLIEST_AWARD, today=today) == date(1945, 9, 2)
    assert check_signed_on(today, today=today) == today
    for outside in (date(1945, 9, 1), date(1900, 1, 1), date(2026, 12, 8), date(9999, 12, 31)):
        with pytest.raises(ValueError, match="1945-09-02"):
            check_signed_on(outside, today=today)


@pytest.mark.parametrize("signed_on", ["1900-01-01", "9999-12-31", 12345, 0, True, "1945-09-01"])
def test_a_past_award_outside_the_range_or_not_a_date_names_signed_on(signed_on: object) -> None:
    with pytest.raises(ValidationError) as refused:
        PastAwardInput.model_validate({**AWARD, "signed_on": signed_on})
    assert [error["loc"] for error in refused.value.errors()] == [("signed_on",)]


def test_today_in_vietnam_is_accepted() -> None:
    today = datetime.now(VIETNAM).date()
    assert PastAwardInput.model_validate({**AWARD, "signed_on": today.isoformat()}).signed_on == today
    assert PastAwardInput.model_validate({**AWARD, "signed_on": "2025-12-15"}).signed_on == date(2025, 12, 15)
