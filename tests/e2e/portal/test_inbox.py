"""The inbox and the notification preferences in a browser at 375 px: the submitter finds the message about their
submitted dossier among the unread ones, marks it read, and changes how they are told (a value the API refuses is
shown under its field, with the other choices kept)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from thidua_platform.client import SERVICE_URLS

from ..conftest import eventually
from ..world import DEFAULT_PREFERENCES, EVIDENCE_80, SUBMISSIONS, bearer, filled_dossier, new_entrant, ok
from .conftest import screenshot, submit_form

NOTIFY = SERVICE_URLS["notifications"]


@pytest.fixture
def submitter(http: httpx.Client, token: Callable[[str], str]) -> Iterator[str]:
    """lm.submitter with the default preferences, restored afterwards whatever the test changed."""
    me = token("lm.submitter")
    ok(http.put(f"{NOTIFY}/preferences", json=DEFAULT_PREFERENCES, headers=bearer(me)))
    yield me
    ok(http.put(f"{NOTIFY}/preferences", json=DEFAULT_PREFERENCES, headers=bearer(token("lm.submitter"))))


def message_about(http: httpx.Client, me: str, subject: str) -> dict[str, Any] | None:
    listing = ok(http.get(f"{NOTIFY}/inbox?page_size=200", headers=bearer(me)))
    return next((m for m in listing["items"] if m["subject"] == subject and m["kind"] == "submission_submitted"), None)


@pytest.mark.usefixtures("lien_minh")
def test_the_submitter_reads_a_message_and_marks_it_read(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str], submitter: str
) -> None:
    officer = token("lm.officer")
    entrant = new_entrant(http, officer, name="Thôn Hộp Thư")
    dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    message = eventually(lambda: message_about(http, submitter, dossier), what="the submitted message in the inbox")
    assert message["read_at"] is None

    page = person("lm.submitter")
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Thông báo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(page.get_by_test_id("unread-count")).to_contain_text("chưa đọc")
    ours = page.locator(f"#message-{message['id']}")
    expect(ours.get_by_role("heading")).to_contain_text(message["title_vi"])
    expect(ours).to_contain_text("Chưa đọc")
    # unread first: no unread message comes after a read one
    flags = page.locator("article.message").evaluate_all("all => all.map(a => a.classList.contains('unread'))")
    assert flags == sorted(flags, reverse=True), flags
    screenshot(page, "70-inbox")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing scrolls sideways
    # a page at a time (50, newest first): the pager shows when there is more than one page
    total = ok(http.get(f"{NOTIFY}/inbox", params={"page_size": 1}, headers=bearer(submitter)))["total"]
    pager = page.get_by_role("navigation", name="Phân trang")
    if total > 50:
        expect(pager).to_contain_text(re.compile(r"Trang 1 / \d+"))
        expect(pager.get_by_role("link", name="Trang sau")).to_be_visible()
    else:
        expect(pager).to_have_count(0)

    # the unread ones only: ours among them, no read one; then every message again
    with page.expect_navigation():
        page.get_by_role("link", name="Chỉ xem thông báo chưa đọc").click()
    expect(page.locator(f"#message-{message['id']}")).to_be_visible()
    expect(page.locator("article.message:not(.unread)")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("link", name="Xem tất cả thông báo").click()

    with page.expect_navigation():
        ours.get_by_role("button", name="Đánh dấu đã đọc").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đánh dấu là đã đọc")
    ours = page.locator(f"#message-{message['id']}")
    expect(ours).to_contain_text("đã đọc lúc")
    expect(ours.get_by_role("button")).to_have_count(0)
    expect(ours).not_to_have_class(re.compile(r"\bunread\b"))
    read = message_about(http, submitter, dossier)
    assert read is not None
    assert read["read_at"] is not None
    screenshot(page, "71-inbox-read")

    # preferences: as the API holds them; a digest the API does not know is refused under its field
    page.get_by_role("link", name="Tùy chọn nhận thông báo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tùy chọn nhận thông báo")
    expect(page.get_by_label("Hộp thư trên cổng thông tin")).to_be_checked()
    expect(page.get_by_label("Thư điện tử (e-mail)")).to_be_checked()
    expect(page.get_by_label("Zalo OA / SMS qua cổng webhook của xã")).not_to_be_checked()
    page.get_by_label("Thư điện tử (e-mail)").uncheck()
    page.locator("#digest").evaluate("select => { select.options[1].value = 'weekly'; select.value = 'weekly'; }")
    submit_form(page, "Lưu tùy chọn")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#digest-error")).to_be_visible()
    expect(page.get_by_label("Gửi e-mail")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Thư điện tử (e-mail)")).not_to_be_checked()  # what was chosen is kept
    screenshot(page, "72-inbox-preferences-refused")
    assert ok(http.get(f"{NOTIFY}/preferences", headers=bearer(submitter))) == DEFAULT_PREFERENCES

    page.get_by_label("Gửi e-mail").select_option("daily")
    submit_form(page, "Lưu tùy chọn")
    expect(page.get_by_role("status")).to_contain_text("Đã lưu tùy chọn nhận thông báo")
    expect(page.get_by_label("Thư điện tử (e-mail)")).not_to_be_checked()
    expect(page.get_by_label("Gửi e-mail")).to_have_value("daily")
    screenshot(page, "73-inbox-preferences")
    saved = ok(http.get(f"{NOTIFY}/preferences", headers=bearer(submitter)))
    assert saved == {"in_app": True, "email": False, "webhook": False, "digest": "daily"}
