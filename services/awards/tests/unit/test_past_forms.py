"""The forms the award history records (awards.domain.past_forms) and a past award as an officer states it
(PastAwardInput): any form, from any level (a district only before 1 July 2025), with its issuer (issue #22)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from awards.domain.catalogue import FORMS
from awards.domain.past_forms import (
    DISTRICTS_ENDED,
    HISTORY_LEVELS,
    PAST_FORMS,
    PastFormCode,
    award_name_of,
    check_level,
    check_recipient,
    entry_key,
    year_of,
)
from awards.service.standing import VIETNAM, PastAwardInput

VILLAGE = {"id": "e-1", "name": "Thôn Đông Hưng", "kind": "collective", "target_group": "a"}
TEACHER = {"id": "e-2", "name": "Nguyễn Thị Hường", "kind": "individual", "target_group": "d1"}
AWARD: dict[str, Any] = {
    "entrant": VILLAGE,
    "award_form": "THON_VAN_HOA",
    "period": "2024",
    "number": "1520/QĐ-UBND",
    "signed_on": "2024-12-20",
    "issuer": "Chủ tịch UBND huyện Kim Sơn",
}


def refused(**overrides: Any) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        PastAwardInput.model_validate({**AWARD, **overrides})
    return [(e["loc"], str((e.get("ctx") or {}).get("error", e["msg"]))) for e in caught.value.errors()]


def test_the_catalogue_holds_the_titles_of_the_issue_and_the_movements_six_forms_as_they_are() -> None:
    wanted = {
        "Lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Chiến sĩ thi đua cấp tỉnh",
        "Chiến sĩ thi đua toàn quốc",
        "Tập thể lao động tiên tiến",
        "Tập thể lao động xuất sắc",
        "Gia đình văn hóa",
        "Thôn, tổ dân phố văn hóa",
        "Cơ quan, đơn vị văn hóa",
        "Giấy khen",
        "Huân chương",
    }
    assert wanted <= {f.name for f in PAST_FORMS.values()}
    assert set(PAST_FORMS) == set(get_args(PastFormCode))
    for code, form in FORMS.items():  # the movement's forms, unchanged
        past = PAST_FORMS[code]
        assert (past.name, past.recipient_kinds, past.usual_level, past.movement) == (
            form.name,
            form.recipient_kinds,
            form.level,
            True,
        )
    for past in PAST_FORMS.values():
        assert unicodedata.is_normalized("NFC", past.name), past.code
        assert past.recipient_kinds, past.code
        assert past.levels <= set(HISTORY_LEVELS), past.code
        assert past.usual_level is None or past.usual_level in past.levels
    assert PAST_FORMS["OTHER"].usual_level is None


def test_a_district_decided_only_before_the_first_of_july_2025() -> None:
    assert check_level("LAO_DONG_TIEN_TIEN", "district", signed_on=date(2025, 6, 30)) == "district"
    with pytest.raises(ValueError, match="01/7/2025"):
        check_level("LAO_DONG_TIEN_TIEN", "district", signed_on=DISTRICTS_ENDED)
    assert check_level("LAO_DONG_TIEN_TIEN", None, signed_on=DISTRICTS_ENDED) == "commune"  # its usual level
    with pytest.raises(ValueError, match="Chiến sĩ thi đua cấp tỉnh chỉ do cấp tỉnh"):
        check_level("CSTD_TINH", "commune", signed_on=None)
    with pytest.raises(ValueError, match="Cần ghi cấp"):
        check_level("OTHER", None, signed_on=None)
    assert check_level("GIAY_KHEN_XA", None, signed_on=None) == "commune"
    check_recipient("LAO_DONG_TIEN_TIEN", "individual")
    with pytest.raises(ValueError, match="không tặng cho tập thể"):
        check_recipient("CSTD_CO_SO", "collective")


def test_a_key_per_award_the_movements_forms_keeping_theirs() -> None:
    key = entry_key("GIAY_KHEN_XA", period="2025", track="regular", name=None, decision_number="88/QĐ-UBND")
    assert key == "GIAY_KHEN_XA:2025:regular"  # as before: a decision re-applied meets the hand-recorded one
    titles = {
        entry_key("LAO_DONG_TIEN_TIEN", period="2024", track="regular", name=None, decision_number=n)
        for n in ("1/QĐ", "2/QĐ")
    }
    assert titles == {"LAO_DONG_TIEN_TIEN:2024:regular"}  # a title once a year
    one = entry_key("GIAY_KHEN", period="2024", track="regular", name=None, decision_number="12/QĐ-UBND")
    assert one == entry_key("GIAY_KHEN", period="2024", track="regular", name=None, decision_number=" 12/qđ-ubnd ")
    assert one != entry_key("GIAY_KHEN", period="2024", track="regular", name=None, decision_number="13/QĐ-UBND")
    other = entry_key("OTHER", period="2024", track="regular", name="Kỷ niệm chương", decision_number="5/QĐ")
    assert other != entry_key("OTHER", period="2024", track="regular", name="Huy hiệu", decision_number="5/QĐ")
    assert award_name_of("OTHER", " Kỷ niệm chương ") == "Kỷ niệm chương"
    assert award_name_of("THON_VAN_HOA", "ignored") == "Thôn, tổ dân phố văn hóa"
    assert [year_of(p) for p in ("2019", "so-ket-2027", "tong-ket-2030")] == [2019, 2027, 2030]


def test_a_village_of_culture_from_a_district_before_2025_is_recorded_with_its_issuer() -> None:
    award = PastAwardInput.model_validate({**AWARD, "level": "district"})
    assert (award.award_form, award.level, award.period, award.issuer) == (
        "THON_VAN_HOA",
        "district",
        "2024",
        "Chủ tịch UBND huyện Kim Sơn",
    )
    assert PastAwardInput.model_validate(AWARD).level == "commune"  # the form's usual level when none is given
    other = {"award_form": "OTHER", "award_name": "Kỷ niệm chương", "level": "province"}
    named = PastAwardInput.model_validate({**AWARD, **other})
    assert named.award_name == "Kỷ niệm chương"


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"level": "district", "signed_on": "2025-07-01", "period": "2025"}, "level", "01/7/2025"),
        ({"award_form": "OTHER", "level": "province"}, "award_name", "OTHER"),
        ({"award_form": "OTHER", "award_name": "Huy hiệu"}, "level", "Cần ghi cấp"),
        ({"award_form": "LAO_DONG_TIEN_TIEN"}, "award_form", "không tặng cho tập thể"),
        ({"award_form": "LAO_DONG_TIEN_TIEN", "entrant": TEACHER, "level": "central"}, "level", "chỉ do"),
        ({"period": "1944"}, "period", None),
        ({"period": "2031"}, "period", None),
        ({"signed_on": "2023-12-31"}, "signed_on", "trước năm được khen"),
        ({"issuer": " "}, "issuer", None),
        ({"track": "thematic"}, "track", "bắt đầu năm 2025"),
        ({"award_form": "LAO_DONG"}, "award_form", None),
    ],
)
def test_a_past_award_names_the_field_that_is_wrong(overrides: dict[str, Any], field: str, says: str | None) -> None:
    errors = refused(**overrides)
    assert [loc for loc, _ in errors] == [(field,)]
    if says:
        assert says in errors[0][1]


def test_the_year_may_be_this_one_but_not_the_next() -> None:
    this_year = datetime.now(VIETNAM).year
    today = datetime.now(VIETNAM).date().isoformat()
    assert PastAwardInput.model_validate({**AWARD, "period": str(this_year), "signed_on": today}).period
    assert next(loc for loc, _ in refused(period=str(this_year + 1), signed_on=today)) == ("period",)
