"""The province administrator in the portal: the award catalogue and Ninh Bình's rules, a rule refused by awards
shown beside its field with what was typed kept (nothing is changed), the council and prize-money settings, the
default criteria, the notification deliveries and the province's communes by name. Province staff do not get these
pages."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import PORTAL, submit_form


def test_the_province_administrator_reads_the_settings_and_a_refused_rule_names_its_field(
    person: Callable[..., Page],
) -> None:
    page = person("nb.admin")
    page.goto(f"{PORTAL}/admin/rules?form=GIAY_KHEN_XA&round=yearly")
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh mục và điều kiện khen thưởng")
    expect(page.get_by_test_id("catalogue")).to_contain_text("Huân chương Lao động hạng Ba")
    expect(page.get_by_test_id("rules")).to_contain_text("Giấy khen của Chủ tịch UBND xã")
    page.locator("#quota_percent").fill("0")
    submit_form(page, "Lưu điều kiện")
    expect(page.locator("#quota_percent-error")).to_be_visible()
    expect(page.locator("#quota_percent")).to_have_value("0")

    page.goto(f"{PORTAL}/admin/settings")
    expect(page.locator("#quorum_share")).not_to_have_value("")
    expect(page.locator("#salary-0-amount")).not_to_have_value("")

    page.goto(f"{PORTAL}/admin/criteria")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ tiêu chí mặc định của tỉnh")

    page.goto(f"{PORTAL}/admin/notifications?status=dead")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lượt gửi thông báo")

    page.goto(f"{PORTAL}/admin/communes")
    expect(page.get_by_test_id("communes")).to_contain_text("Xã Liên Minh")


def test_province_staff_do_not_get_the_administrators_pages(person: Callable[..., Page]) -> None:
    page = person("nb.staff")
    answer = page.goto(f"{PORTAL}/admin/settings")
    assert answer is not None
    assert answer.status == 403
