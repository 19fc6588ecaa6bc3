"""The showcase (nhân rộng điển hình tiên tiến) in the portal: xã Liên Minh's officer publishes an award of the
commune's history with a title and a story; the commune's submitter and Ninh Bình's staff read it as a card;
Quảng Ngãi's staff do not; unpublished, it is gone. The award itself is recorded through the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from ..world import recorded_award, recorded_award_of_a_person
from .conftest import PORTAL, screenshot, submit_form


@pytest.mark.usefixtures("lien_minh")
def test_an_officer_publishes_an_award_the_province_reads_it(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    entrant, entry = recorded_award(http, token("lm.officer"), name="Thôn Điển Hình Cổng")
    title = f"{entrant['name']}: họp thôn trực tuyến, sổ sách số hóa"
    story = f"Thôn số hóa toàn bộ sổ sách, họp thôn trực tuyến hằng tháng. Mã {uuid.uuid4().hex[:8]}."

    officer = person("lm.officer")
    officer.goto(f"{PORTAL}/showcase/publish")
    section = officer.locator(f"section[data-entry='{entry['id']}']")
    expect(section).to_contain_text("Chưa đăng")
    section.get_by_label("Tiêu đề").fill(title)
    section.get_by_label("Câu chuyện, mô hình, sáng kiến").fill(story)
    with officer.expect_navigation():
        section.get_by_role("button", name=f"Đăng: {entrant['name']}").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã đăng lên điển hình tiên tiến")
    expect(section).to_contain_text("Đang đăng")
    expect(section.get_by_label("Tiêu đề")).to_have_value(title)
    screenshot(officer, "50-showcase-publish")

    def sees(page: Page) -> None:
        page.goto(f"{PORTAL}/showcase")
        item = page.locator(f"article[data-item='{entry['id']}']")
        expect(item.get_by_role("heading", level=2)).to_have_text(title)
        expect(item).to_contain_text(story)
        expect(item).to_contain_text(entry["decision"]["number"])

    submitter = person("lm.submitter")
    sees(submitter)
    expect(submitter.get_by_role("link", name="Đăng điển hình của xã")).to_have_count(0)  # officers only
    screenshot(submitter, "51-showcase-list")
    refused = submitter.request.get(f"{PORTAL}/showcase/publish")
    assert refused.status == 403
    sees(person("nb.staff"))

    outsider = person("qn.staff")
    outsider.goto(f"{PORTAL}/showcase")
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Điển hình tiên tiến")
    expect(outsider.locator(f"article[data-item='{entry['id']}']")).to_have_count(0)
    expect(outsider.locator("main")).not_to_contain_text(story)

    # withdrawn: gone from the showcase
    submit_form(officer, f"Gỡ bài: {entrant['name']}")
    expect(officer.get_by_role("status")).to_contain_text("Đã gỡ khỏi điển hình tiên tiến")
    expect(officer.locator(f"section[data-entry='{entry['id']}']")).to_contain_text("Chưa đăng")
    submitter.goto(f"{PORTAL}/showcase")
    expect(submitter.locator(f"article[data-item='{entry['id']}']")).to_have_count(0)


@pytest.mark.usefixtures("lien_minh")
def test_a_person_is_published_only_with_their_consent(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str]
) -> None:
    someone, entry = recorded_award_of_a_person(http, token("lm.officer"), name="Nguyễn Thị Mai")
    officer = person("lm.officer")
    officer.goto(f"{PORTAL}/showcase/publish")
    section = officer.locator(f"section[data-entry='{entry['id']}']")
    section.get_by_label("Tiêu đề").fill(f"{someone['name']}: cán bộ số tiêu biểu")
    section.get_by_label("Câu chuyện, mô hình, sáng kiến").fill("Hướng dẫn 300 hộ dân dùng dịch vụ công trực tuyến.")
    consent = section.get_by_label("Cá nhân đã đồng ý cho đăng công khai tên và thành tích")
    with officer.expect_navigation():
        section.get_by_role("button", name=f"Đăng: {someone['name']}").click()
    section = officer.locator(f"section[data-entry='{entry['id']}']")
    expect(section.locator(".field-error")).to_contain_text("Xác nhận cá nhân đã đồng ý công khai")
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(section.get_by_label("Tiêu đề")).to_have_value(f"{someone['name']}: cán bộ số tiêu biểu")  # kept
    expect(section).to_contain_text("Chưa đăng")
    screenshot(officer, "52-showcase-consent-missing")
    consent.check()
    with officer.expect_navigation():
        section.get_by_role("button", name=f"Đăng: {someone['name']}").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã đăng lên điển hình tiên tiến")
    officer.goto(f"{PORTAL}/showcase")
    expect(officer.locator(f"article[data-item='{entry['id']}']")).to_contain_text(someone["name"])
