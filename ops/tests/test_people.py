"""How the operator names people on the command line."""

from __future__ import annotations

import pytest

from thidua_ops.realm import Person, Unit


def test_a_person_is_username_email_and_an_optional_vietnamese_name_family_first() -> None:
    person = Person.parse("YM.Officer:officer@yenmo.vn:Lê Văn An")
    assert person == Person("ym.officer", "officer@yenmo.vn", "Lê Văn An")
    assert person.representation()["lastName"] == "Lê"
    assert person.representation()["firstName"] == "Văn An"
    assert Person.parse("a:b@c.vn").full_name == ""
    decomposed = "ym.x:x@y.vn:Nguye\u0302\u0303n"  # typed with combining marks: stored NFC
    assert Person.parse(decomposed).full_name == "Nguyễn"


@pytest.mark.parametrize("text", ["ym.officer", ":a@b.vn", "ym.officer:not-an-email", ""])
def test_what_is_not_a_person_is_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="USERNAME:EMAIL"):
        Person.parse(text)


def test_a_commune_carries_the_attributes_its_tokens_need() -> None:
    unit = Unit("ph-37-yen-mo", "Xã Yên Mô", "37", "Ninh Bình", "commune").representation()
    assert unit["attributes"] == {
        "name": ["Xã Yên Mô"],  # the portal names the commune from its token
        "province": ["37"],
        "province_name": ["Ninh Bình"],
        "level": ["commune"],
    }
    assert unit["alias"] == "ph-37-yen-mo"
    assert unit["domains"][0]["name"].endswith(".invalid")
