"""A unit's letterhead from its provisioned name, and the target groups by their names."""

from __future__ import annotations

import unicodedata

import pytest

from thidua_commons.groups import TARGET_GROUPS, group_name
from thidua_commons.units import province_body, province_place, unit_title


@pytest.mark.parametrize(
    ("name", "issuing_body", "place", "authority", "full"),
    [
        ("Xã Liên Minh", "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "Liên Minh", "UBND xã Liên Minh", "Xã Liên Minh"),
        ("Phường Hoa Lư", "ỦY BAN NHÂN DÂN PHƯỜNG HOA LƯ", "Hoa Lư", "UBND phường Hoa Lư", "Phường Hoa Lư"),
        (
            "Đặc khu Phú Quốc",
            "ỦY BAN NHÂN DÂN ĐẶC KHU PHÚ QUỐC",
            "Phú Quốc",
            "UBND đặc khu Phú Quốc",
            "Đặc khu Phú Quốc",
        ),
        ("xã  Sơn   Mai", "ỦY BAN NHÂN DÂN XÃ SƠN MAI", "Sơn Mai", "UBND xã Sơn Mai", "Xã Sơn Mai"),
        # a name without its kind (a commune provisioned as just "Tam Điệp") is a xã's
        ("Tam Điệp", "ỦY BAN NHÂN DÂN XÃ TAM ĐIỆP", "Tam Điệp", "UBND xã Tam Điệp", "Xã Tam Điệp"),
        # a name that only starts like a kind is not one
        ("Xuân Phường", "ỦY BAN NHÂN DÂN XÃ XUÂN PHƯỜNG", "Xuân Phường", "UBND xã Xuân Phường", "Xã Xuân Phường"),
    ],
)
def test_a_units_letterhead_from_its_name(name: str, issuing_body: str, place: str, authority: str, full: str) -> None:
    title = unit_title(name)
    assert title is not None
    assert (title.issuing_body, title.proper, title.authority, title.name) == (issuing_body, place, authority, full)


def test_a_decomposed_name_gives_composed_text() -> None:
    title = unit_title(unicodedata.normalize("NFD", "Phường Hoa Lư"))
    assert title is not None
    assert title.issuing_body == "ỦY BAN NHÂN DÂN PHƯỜNG HOA LƯ"
    assert unicodedata.is_normalized("NFC", title.authority)


def test_no_name_no_title() -> None:
    assert unit_title("") is None
    assert unit_title("   ") is None


@pytest.mark.parametrize(
    ("name", "body", "place"),
    [
        ("Tỉnh Ninh Bình", "TỈNH NINH BÌNH", "Ninh Bình"),
        ("Ninh Bình", "TỈNH NINH BÌNH", "Ninh Bình"),
        ("Thành phố Hà Nội", "THÀNH PHỐ HÀ NỘI", "Hà Nội"),
        ("", "", ""),
    ],
)
def test_a_province_on_a_letterhead(name: str, body: str, place: str) -> None:
    assert province_body(name) == body
    assert province_place(name) == place


def test_the_target_groups_by_their_names() -> None:
    assert group_name("d1") == "Cán bộ, công chức, viên chức, người lao động"
    assert group_name("a") == "Phòng, ban, ngành, thôn, xóm, tổ dân phố"
    assert group_name("d2", english=True) == "Others (residents, entrepreneurs)"
    assert group_name("zz") == "zz"  # an unknown code as it is
    assert group_name(None) == ""
    assert list(TARGET_GROUPS) == ["a", "b", "c", "d1", "d2"]
    assert all(unicodedata.is_normalized("NFC", name) for name in TARGET_GROUPS.values())
