"""What a page of the portal becomes when it cannot be shown as asked, over a fake backend
(tests/unit/fake_backend.py): a service failing or not answering, an answer the page cannot read, a form not from
the session, an unknown page; and a file handed on from a service as it came, with its Vietnamese name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from thidua_contracts.roles import Role

from .fake_backend import PortalUnderTest


@pytest.fixture
def site() -> PortalUnderTest:
    return PortalUnderTest()


# --- failures


@pytest.mark.parametrize("status", [500, 503])
def test_a_failing_service_shows_the_error_page_not_a_traceback(site: PortalUnderTest, status: int) -> None:
    site.sign_in(Role.SUBMITTER)
    site.backend.fail("GET", "awards", "/showcase", status, "Dịch vụ đang bảo trì / Under maintenance",
                      detail="Thử lại sau / Try again later")  # fmt: skip
    page = site.get("/showcase")
    assert page.status_code == 502
    assert "<h1>Dịch vụ đang bảo trì</h1>" in page.text
    assert "Thử lại sau" in page.text
    assert "Traceback" not in page.text
    site.english()
    assert "<h1>Under maintenance</h1>" in site.get("/showcase").text


def test_a_service_not_answering_shows_the_error_page(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)

    def unreachable(_call: Any) -> Any:
        raise httpx.ConnectError("refused")

    site.backend.on("GET", "notifications", "/inbox", unreachable)
    site.backend.get("notifications", "/inbox/unread-count", {"unread": 0})
    page = site.get("/inbox")
    assert page.status_code == 502
    assert "Dịch vụ tạm thời không trả lời" in page.text
    assert "notifications: ConnectError" in page.text


def test_a_form_without_the_sessions_csrf_token_is_refused(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)
    answer = site.client.post("/inbox/m-1/read", data={"csrf_token": "not-this-one"})
    assert answer.status_code == 403
    assert "Biểu mẫu đã cũ hoặc không hợp lệ" in answer.text
    assert site.backend.calls == []


def test_an_answer_the_page_cannot_read_shows_the_internal_error_page_not_a_traceback() -> None:
    site = PortalUnderTest(raise_server_exceptions=False)
    site.sign_in(Role.SUBMITTER)
    site.backend.get("notifications", "/inbox", {"unexpected": "shape"})
    site.backend.get("notifications", "/inbox/unread-count", {"unread": 0})
    page = site.get("/inbox")
    assert page.status_code == 500
    assert "Lỗi hệ thống, vui lòng thử lại sau" in page.text
    assert "Traceback" not in page.text
    assert "KeyError" not in page.text


def test_an_unknown_page_is_the_portals_404(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)
    page = site.get("/no-such-page")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.text


def test_a_file_is_handed_on_with_its_vietnamese_name(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    pdf = b"%PDF-1.4 minh chung"
    site.backend.get(
        "submissions",
        "/attachments/f-1",
        httpx.Response(
            200,
            content=pdf,
            headers={
                "content-type": "application/pdf",
                "content-disposition": "attachment; filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.pdf",
            },
        ),
    )
    answer = site.get("/officer/files/f-1")
    assert answer.status_code == 200
    assert answer.content == pdf
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == "attachment; filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.pdf"
    (asked,) = site.backend.asked("GET", "submissions", "/attachments/f-1")
    assert asked.headers["authorization"] == "Bearer access-token"  # as the signed-in person


def test_a_report_file_the_province_has_not_is_the_portals_404(site: PortalUnderTest) -> None:
    site.sign_in(Role.PROVINCE_STAFF, tenant=None)
    page = site.get("/province/reports/j-1/report.docx")
    assert page.status_code == 404
    assert "Không có tệp này" in page.text
    assert site.backend.calls == []
