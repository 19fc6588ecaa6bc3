"""The inbox page shows one page of messages (the unread ones of the page first) with the portal's pager, keeps the
unread-only filter across pages, and marking a message read leads back to the page it was on."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from starlette.requests import Request

from portal.i18n import Translator
from portal.pages.inbox import inbox_url, unread_first
from portal.web import template_environment


def rendered(**context: Any) -> str:
    request = Request({"type": "http", "method": "GET", "path": "/inbox", "query_string": b"", "headers": []})
    return template_environment().get_template("inbox/inbox.html").render(
        t=Translator("vi"), lang="vi", request=request, here="/inbox", session=None, principal=None, menu=[],
        csrf="c", flash=None, new_key=lambda: str(uuid.uuid4()), errors={}, values={}, **context,
    )  # fmt: skip


def message(n: int, *, read: bool) -> dict[str, Any]:
    return {
        "id": f"m-{n}", "kind": "submission_scored", "subject": f"s-{n}", "title_vi": f"Tiêu đề {n}",
        "body_vi": "Nội dung", "title_en": f"Title {n}", "body_en": "Body",
        "created_at": f"2026-12-{10 + n:02d}T08:00:00Z", "read_at": "2026-12-20T08:00:00Z" if read else None,
    }  # fmt: skip


def test_a_page_of_the_inbox_shows_the_pager_and_keeps_the_filter() -> None:
    shown = unread_first([message(3, read=True), message(2, read=False), message(1, read=True)])
    assert [m["id"] for m in shown] == ["m-2", "m-3", "m-1"]
    page = rendered(messages=shown, unread=7, unread_only=False, total=130, number=2, last=3)
    assert "Trang 2 / 3" in page
    assert "Tất cả thông báo (130)" in page
    assert 'href="?unread=&amp;page=1" rel="prev"' in page
    assert 'href="?unread=&amp;page=3" rel="next"' in page
    assert 'href="/inbox?unread=1"' in page  # the unread ones only
    assert 'name="page" value="2"' in page  # marking read comes back here

    unread = rendered(messages=[message(2, read=False)], unread=7, unread_only=True, total=7, number=1, last=1)
    assert "Đang xem thông báo chưa đọc (7)" in unread
    assert 'href="/inbox"' in unread
    assert 'class="pager"' not in unread
    assert 'name="unread" value="1"' in unread


def test_an_empty_page_says_why() -> None:
    assert "Chưa có thông báo nào" in rendered(messages=[], unread=0, unread_only=False, total=0, number=1, last=1)
    assert "Không có thông báo chưa đọc" in rendered(messages=[], unread=0, unread_only=True, total=0, number=1, last=1)
    past = rendered(messages=[], unread=0, unread_only=False, total=3, number=5, last=1)
    assert "Trang này không còn thông báo nào" in past
    assert 'href="/inbox"' in past


@pytest.mark.parametrize(
    ("number", "unread_only", "url"),
    [
        (1, False, "/inbox"),
        (3, False, "/inbox?page=3"),
        (1, True, "/inbox?unread=1"),
        (2, True, "/inbox?unread=1&page=2"),
    ],
)
def test_marking_read_leads_back_to_the_page(number: int, unread_only: bool, url: str) -> None:
    assert inbox_url(number, unread_only) == url
