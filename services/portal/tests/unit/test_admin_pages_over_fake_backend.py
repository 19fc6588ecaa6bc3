"""The province administrator's pages over a fake backend (tests/unit/fake_backend.py): the award catalogue and the
province's rules, the council and prize-money settings. Each page renders what awards answered, sends awards what
its API takes, and keeps what was typed with the service's message beside the field it names."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import PROVINCE, PortalUnderTest

CATALOGUE: dict[str, Any] = {
    "forms": [
        {"code": "GIAY_KHEN_XA", "name": "Giấy khen của Chủ tịch UBND xã", "name_en": "Commune certificate of merit",
         "recipient_kinds": ["collective", "individual"], "level": "commune", "decided_by": "Chủ tịch UBND xã",
         "rounds": ["yearly"], "proposed_to": None},
        {"code": "CO_THI_DUA_CP", "name": "Cờ Thi đua của Chính phủ", "name_en": "Government emulation flag",
         "recipient_kinds": ["collective"], "level": "central",
         "decided_by": "Thủ tướng Chính phủ, theo đề nghị của Chủ tịch UBND tỉnh", "rounds": ["tong_ket"],
         "proposed_to": "Thủ tướng Chính phủ"},
    ],
    "rounds": {"yearly": "Khen thưởng hằng năm / Yearly",
               "tong_ket": "Tổng kết giai đoạn 2025–2030 / Final review 2030"},
}  # fmt: skip
PREREQUISITE = {"form": "GIAY_KHEN_XA", "count": 2, "consecutive": True, "within_years": None, "track": None}
RULES = [
    {"form": "GIAY_KHEN_XA", "round": "yearly", "minimum_total": 80, "minimum_grade": "Tốt", "quota_percent": 15,
     "at_least_one": None, "threshold_share": 0.5, "threshold_inclusive": False, "threshold_base": "all_members",
     "excluded_flags": ["discipline", "investigation"], "target_groups": [],
     "recipient_kinds": ["collective", "individual"], "prerequisites": []},
    {"form": "CO_THI_DUA_CP", "round": "tong_ket", "minimum_total": 95.5, "minimum_grade": None, "quota_percent": None,
     "at_least_one": False, "threshold_share": 0.9, "threshold_inclusive": True,
     "threshold_base": "non_recused_members", "excluded_flags": ["complaint"], "target_groups": ["a", "b"],
     "recipient_kinds": ["collective"], "prerequisites": [PREREQUISITE]},
]  # fmt: skip
SETTINGS = {"quorum_share": 0.75, "central_quotas": {"CO_THI_DUA_CP:tong_ket": 2}}
PRIZE = {
    "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"}],
    "coefficients": [{"award_form": "GIAY_KHEN_XA", "individual": 0.15, "collective": 0.3}],
    "rounding_unit": 10_000,
}


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.PROVINCE_ADMIN, username="nb.admin", name="Đinh Văn Hùng", tenant=None, province=PROVINCE)
    site.backend.get("awards", "/catalogue", CATALOGUE)
    site.backend.get("awards", "/rules", {"items": RULES})
    site.backend.get("awards", "/settings", SETTINGS)
    site.backend.get("awards", "/prize-settings", PRIZE)
    return site


def test_only_the_province_administrator_has_the_pages_and_their_menu(site: PortalUnderTest) -> None:
    page = site.get("/admin/rules")
    assert page.status_code == 200
    for path in ("/admin/rules", "/admin/settings", "/admin/criteria", "/admin/notifications", "/admin/communes"):
        assert f'href="{path}"' in page.text
    site.sign_in(Role.PROVINCE_STAFF, username="nb.staff", tenant=None, province=PROVINCE)
    assert site.get("/admin/rules").status_code == 403
    assert site.post("/admin/settings/council", {"quorum_share": "1"}).status_code == 403
    assert site.backend.asked("PUT", "awards", "/settings") == []


def test_the_catalogue_and_the_rules_are_shown_by_name(site: PortalUnderTest) -> None:
    page = site.get("/admin/rules")
    assert "Cờ Thi đua của Chính phủ" in page.text
    assert "Thủ tướng Chính phủ, theo đề nghị của Chủ tịch UBND tỉnh" in page.text
    assert "Tổng kết giai đoạn 2025–2030" in page.text
    assert "Đang bị kỷ luật" in page.text  # the excluded flags in words
    assert 'href="/admin/rules?form=CO_THI_DUA_CP&round=tong_ket#edit"' in page.text
    assert 'value="80"' in page.text  # the first rule in the edit form


def test_the_edit_form_is_filled_from_the_chosen_rule(site: PortalUnderTest) -> None:
    page = site.get("/admin/rules", form="CO_THI_DUA_CP", round="tong_ket")
    assert 'id="minimum_total" name="minimum_total" type="text" value="95.5"' in page.text
    assert 'value="non_recused_members" selected' in page.text
    assert 'id="threshold_inclusive" name="threshold_inclusive" value="true" checked' in page.text
    assert 'id="target_groups-a" name="target_groups" value="a" checked' in page.text
    assert 'id="excluded_flags-discipline" name="excluded_flags" value="discipline">' in page.text  # not ticked


def test_a_rule_is_sent_as_awards_takes_it_and_keeps_its_prerequisites(site: PortalUnderTest) -> None:
    site.backend.on("PUT", "awards", "/rules", lambda call: call.body)
    answer = site.post("/admin/rules", [
        ("form", "CO_THI_DUA_CP"), ("round", "tong_ket"), ("minimum_total", "96,5"), ("minimum_grade", "Xuất sắc"),
        ("quota_percent", ""), ("at_least_one", "true"), ("threshold_share", "0.8"), ("threshold_base", "all_members"),
        ("excluded_flags", "discipline"), ("excluded_flags", "complaint"), ("recipient_kinds", "collective"),
    ])  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/admin/rules?form=CO_THI_DUA_CP&round=tong_ket")
    (sent,) = site.backend.asked("PUT", "awards", "/rules")
    assert sent.body == {
        "form": "CO_THI_DUA_CP", "round": "tong_ket", "minimum_total": 96.5, "minimum_grade": "Xuất sắc",
        "quota_percent": None, "at_least_one": True, "threshold_share": 0.8, "threshold_inclusive": False,
        "threshold_base": "all_members", "excluded_flags": ["discipline", "complaint"], "target_groups": [],
        "recipient_kinds": ["collective"], "prerequisites": [PREREQUISITE],
    }  # fmt: skip
    assert site.flash() == "Đã lưu điều kiện xét khen"


def test_a_rule_refused_shows_the_message_beside_its_field_and_keeps_what_was_typed(site: PortalUnderTest) -> None:
    site.backend.fail("PUT", "awards", "/rules", 422, "Dữ liệu không hợp lệ / Invalid data",
                      errors={"quota_percent": "Phải lớn hơn 0 / Must be above 0"})  # fmt: skip
    page = site.post("/admin/rules", [
        ("form", "GIAY_KHEN_XA"), ("round", "yearly"), ("minimum_total", "70"), ("quota_percent", "0"),
        ("threshold_share", "0.5"), ("target_groups", "d1"),
    ])  # fmt: skip
    assert page.status_code == 422
    assert '<p class="field-error" id="quota_percent-error">Phải lớn hơn 0</p>' in page.text
    assert 'id="minimum_total" name="minimum_total" type="text" value="70"' in page.text
    assert 'id="target_groups-d1" name="target_groups" value="d1" checked' in page.text
    assert 'id="excluded_flags-discipline" name="excluded_flags" value="discipline">' in page.text


# --- council and prize-money settings


def test_the_settings_page_shows_the_quorum_the_quotas_and_the_prize_money(site: PortalUnderTest) -> None:
    page = site.get("/admin/settings")
    assert page.status_code == 200
    assert 'name="quorum_share" type="text" value="0.75"' in page.text
    assert 'name="quota.CO_THI_DUA_CP:tong_ket" type="number" value="2"' in page.text
    assert "Cờ Thi đua của Chính phủ — Tổng kết giai đoạn 2025–2030" in page.text
    assert 'name="salary.0.amount" type="text" value="2340000"' in page.text
    assert 'name="salary.0.effective_from" type="date" value="2024-07-01"' in page.text
    assert 'name="salary.1.amount" type="text" value=""' in page.text  # a row for the next amount
    assert 'name="coef.GIAY_KHEN_XA.collective" type="text" value="0.3"' in page.text
    assert 'name="coef.CO_THI_DUA_CP.individual"' not in page.text  # a flag goes to collectives only


def test_the_council_settings_are_sent_as_awards_takes_them(site: PortalUnderTest) -> None:
    site.backend.on("PUT", "awards", "/settings", lambda call: call.body)
    answer = site.post("/admin/settings/council", {"quorum_share": "0,6", "quota.CO_THI_DUA_CP:tong_ket": "3"})
    assert answer.status_code == 303
    (sent,) = site.backend.asked("PUT", "awards", "/settings")
    assert sent.body == {"quorum_share": 0.6, "central_quotas": {"CO_THI_DUA_CP:tong_ket": 3}}


def test_a_quota_refused_is_shown_beside_its_form_and_round(site: PortalUnderTest) -> None:
    site.backend.fail("PUT", "awards", "/settings", 422, "Dữ liệu không hợp lệ / Invalid data",
                      errors={"central_quotas.CO_THI_DUA_CP:tong_ket": "Không được âm / Not negative"})  # fmt: skip
    page = site.post("/admin/settings/council", {"quorum_share": "0.7", "quota.CO_THI_DUA_CP:tong_ket": "-1"})
    assert page.status_code == 422
    assert 'id="quota-CO_THI_DUA_CP:tong_ket-error">Không được âm</p>' in page.text
    assert 'value="-1"' in page.text
    assert 'name="quorum_share" type="text" value="0.7"' in page.text


def test_the_prize_money_is_sent_with_every_salary_row_and_coefficient(site: PortalUnderTest) -> None:
    site.backend.on("PUT", "awards", "/prize-settings", lambda call: call.body)
    answer = site.post("/admin/settings/prize", {
        "salary.0.amount": "2.340.000", "salary.0.effective_from": "2024-07-01",
        "salary.1.amount": "2 530 000", "salary.1.effective_from": "2026-07-01",
        "coef.GIAY_KHEN_XA.individual": "0,15", "coef.GIAY_KHEN_XA.collective": "0.3",
        "coef.CO_THI_DUA_CP.collective": "", "rounding_unit": "1000",
    })  # fmt: skip
    assert answer.status_code == 303
    (sent,) = site.backend.asked("PUT", "awards", "/prize-settings")
    assert sent.body == {
        "base_salaries": [{"amount": 2_340_000, "effective_from": "2024-07-01"},
                          {"amount": 2_530_000, "effective_from": "2026-07-01"}],
        "coefficients": [{"award_form": "GIAY_KHEN_XA", "individual": 0.15, "collective": 0.3}],
        "rounding_unit": 1000,
    }  # fmt: skip


def test_a_salary_refused_is_shown_beside_its_row(site: PortalUnderTest) -> None:
    site.backend.fail("PUT", "awards", "/prize-settings", 422, "Dữ liệu không hợp lệ / Invalid data",
                      errors={"base_salaries.1.effective_from": "Trùng ngày / The same day twice",
                              "coefficients.0.collective": "Tối đa 1000 / At most 1000"})  # fmt: skip
    page = site.post("/admin/settings/prize", {
        "salary.0.amount": "", "salary.0.effective_from": "",
        "salary.1.amount": "2340000", "salary.1.effective_from": "2024-07-01",
        "salary.2.amount": "2530000", "salary.2.effective_from": "2024-07-01",
        "coef.GIAY_KHEN_XA.individual": "", "coef.GIAY_KHEN_XA.collective": "",
        "coef.CO_THI_DUA_CP.collective": "2000", "rounding_unit": "10000",
    })  # fmt: skip
    assert page.status_code == 422
    assert 'id="salary-2-effective_from-error">Trùng ngày</p>' in page.text  # the second row sent is the form's third
    assert 'id="coef-CO_THI_DUA_CP-collective-error">Tối đa 1000</p>' in page.text
    assert 'name="salary.2.amount" type="text" value="2530000"' in page.text
    assert 'name="coef.GIAY_KHEN_XA.collective" type="text" value=""' in page.text  # cleared, as typed
