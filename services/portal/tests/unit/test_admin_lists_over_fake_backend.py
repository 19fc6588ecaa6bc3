"""The province administrator's read pages over a fake backend (tests/unit/fake_backend.py): the province's default
criteria, the notification deliveries with their retry, and the province's communes by name."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import PROVINCE, PortalUnderTest, listing


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.PROVINCE_ADMIN, username="nb.admin", name="Đinh Văn Hùng", tenant=None, province=PROVINCE)
    return site


TEMPLATE: dict[str, Any] = {
    "id": "tpl-1", "code": "DMST-2025", "name": "Phong trào thi đua đổi mới sáng tạo", "province": PROVINCE,
    "status": "published", "created_at": "2025-01-02T03:00:00Z", "published_at": "2025-01-05T03:00:00Z",
    "periods": [], "limits": {"max_points_change": 2, "may_add_criteria": True, "max_added_criteria": 1},
    "criteria_sets": {"d1": {"target_group": "d1", "max_total": 100, "policy": {}, "criteria": [
        {"code": "d1-1", "title": "Sử dụng định danh điện tử VNeID", "theme": 1, "max_points": 40, "rule": {}},
    ]}},
}  # fmt: skip


def test_the_default_criteria_are_listed_per_target_group_read_only(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/campaign-templates", [TEMPLATE])
    page = site.get("/admin/criteria")
    assert page.status_code == 200
    assert "Phong trào thi đua đổi mới sáng tạo" in page.text
    assert "Sử dụng định danh điện tử VNeID" in page.text
    assert "Đã ban hành" in page.text
    assert "Chỉ xem" in page.text
    assert 'action="/admin/criteria' not in page.text  # no form to change them


def delivery(n: int, status: str) -> dict[str, Any]:
    return {
        "id": f"d-{n}", "channel": "email", "kind": "dossier_returned", "recipient": f"nguoi{n}@x.invalid",
        "subject": f"Hồ sơ {n} cần bổ sung", "status": status, "attempts": 5, "last_error": "550 mailbox full",
        "next_attempt_at": None, "created_at": "2026-12-01T02:00:00Z", "history": [], "tenant": "ph-37-lien-minh",
    }  # fmt: skip


def test_the_deliveries_are_listed_with_their_filters_and_a_retry_for_failed_ones(site: PortalUnderTest) -> None:
    site.backend.get("notifications", "/deliveries", listing([delivery(1, "dead"), delivery(2, "sent")], total=120))
    page = site.get("/admin/notifications", status="dead", channel="email", page="2")
    assert page.status_code == 200
    (asked,) = site.backend.asked("GET", "notifications", "/deliveries")
    assert (asked.param("status"), asked.param("channel"), asked.param("page")) == ("dead", "email", "2")
    assert 'data-status="dead">Gửi hỏng</span>' in page.text
    assert 'action="/admin/notifications/deliveries/d-1/retry"' in page.text
    assert 'action="/admin/notifications/deliveries/d-2/retry"' not in page.text
    assert "Trang 2 / 3" in page.text
    assert "do cán bộ Phòng Văn hóa - Xã hội của từng xã đặt" in page.text  # templates, webhook: the commune's


def test_an_unknown_filter_is_not_sent(site: PortalUnderTest) -> None:
    site.backend.get("notifications", "/deliveries", listing([]))
    assert site.get("/admin/notifications", status="nonsense").status_code == 200
    (asked,) = site.backend.asked("GET", "notifications", "/deliveries")
    assert asked.param("status") is None


def test_retrying_a_delivery_asks_notifications_and_returns_to_the_list(site: PortalUnderTest) -> None:
    site.backend.on("POST", "notifications", "/deliveries/d-1/retry", delivery(1, "pending"))
    answer = site.post("/admin/notifications/deliveries/d-1/retry", {"status": "dead", "channel": ""})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/notifications?status=dead&channel=#delivery-d-1"
    assert len(site.backend.asked("POST", "notifications", "/deliveries/d-1/retry")) == 1


def test_a_retry_refused_is_shown_beside_its_delivery(site: PortalUnderTest) -> None:
    site.backend.get("notifications", "/deliveries", listing([delivery(1, "dead")]))
    site.backend.fail("POST", "notifications", "/deliveries/d-1/retry", 409,
                      "Lượt gửi đã được gửi lại / Already retried")  # fmt: skip
    page = site.post("/admin/notifications/deliveries/d-1/retry", {"status": "dead"})
    assert page.status_code == 422
    assert '<p class="field-error" id="delivery-d-1-error">Lượt gửi đã được gửi lại</p>' in page.text


def test_the_provinces_communes_are_listed_by_name(site: PortalUnderTest) -> None:
    site.backend.get("rollups", f"/rollups/provinces/{PROVINCE}/units", {
        "province": PROVINCE, "name": "Ninh Bình",
        "communes": [{"commune": "ph-37-lien-minh", "name": "Phường Liên Minh"},
                     {"commune": "xa-37-gia-vien", "name": "Xã Gia Viễn"},
                     {"commune": "xa-37-moi", "name": "xa-37-moi"}],  # a group without its display name
    })  # fmt: skip
    page = site.get("/admin/communes")
    assert page.status_code == 200
    assert "Các xã, phường của Ninh Bình" in page.text
    assert '<tr id="commune-xa-37-gia-vien"><td>xa-37-gia-vien</td><td>Xã Gia Viễn</td>' in page.text
    assert page.text.index("Phường Liên Minh") < page.text.index("Xã Gia Viễn")
    assert "Tổng số: 3" in page.text
    assert page.text.count("Đã cấp tài khoản") == 2
    assert '<tr id="commune-xa-37-moi"><td>xa-37-moi</td><td>–</td>' in page.text
    assert "Chưa có tên trong danh bạ" in page.text
