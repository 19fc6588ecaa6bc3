"""Province staff's pages over a fake backend (tests/unit/fake_backend.py): the dashboard, a commune's figures, the
proposals received and the province's decision on one, the consolidated report. Each renders what the services
answered (Vietnamese first, English on request), asks them for the staff's own province and the chosen period,
keeps what was typed when the decision comes back with its errors, and is refused to other roles."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import CATALOGUE, PROVINCE, PortalUnderTest, listing

FRESHNESS = {"last_event_time": "2026-12-06T01:00:00Z", "last_applied_at": None, "lag": 0, "pending_summaries": 0}
INDEX = {"overall": 0.625, "digital_government": 0.7, "digital_economy": 0.5, "digital_society": None}
PAGES = ("/province/dashboard", "/province/communes/ph-37-lien-minh", "/province/proposals", "/province/proposals/p-1",
         "/province/reports", "/province/reports/j-1")  # fmt: skip


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.PROVINCE_STAFF, username="nb.staff", name="Lý Thị Hoa", tenant=None)
    site.backend.get("awards", "/catalogue", CATALOGUE)
    site.backend.get("rollups", f"/rollups/provinces/{PROVINCE}/units", {
        "province": PROVINCE, "name": "Tỉnh Ninh Bình",
        "communes": [{"commune": "ph-37-lien-minh", "name": "Xã Liên Minh"}],
    })  # fmt: skip
    return site


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCE_ADMIN])
def test_other_roles_are_refused_the_province_pages(role: Role) -> None:
    site = PortalUnderTest()
    site.sign_in(role)
    for path in PAGES:
        page = site.get(path)
        assert page.status_code == 403, path
        assert "Bạn không có quyền xem trang này" in page.text
    assert site.post("/province/reports", {"period": "2026"}).status_code == 403
    assert site.backend.calls == []


def test_staff_of_no_province_are_refused() -> None:
    site = PortalUnderTest()
    site.sign_in(Role.PROVINCE_STAFF, tenant=None, province=None)
    for path in ("/province/dashboard", "/province/proposals", "/province/reports"):
        assert site.get(path).status_code == 403, path
    assert site.backend.calls == []


def commune(code: str, rank: int | None, score: float | None, name: str = "") -> dict[str, Any]:
    return {
        "commune": code, "name": name or code, "rank": rank, "index_rank": 1 if rank else None, "scored": 12,
        "average_score": score, "grades": {}, "awards": {"total": 3, "by_form": {"GIAY_KHEN_XA": 3}},
        "pending_upward": 1, "index": INDEX if rank else None, "in_progress": None,
    }  # fmt: skip


def test_the_dashboard_ranks_the_communes_of_the_staffs_province(site: PortalUnderTest) -> None:
    site.backend.get("rollups", f"/rollups/provinces/{PROVINCE}", {
        "communes": [commune("ph-37-khong-hang", None, None, "Xã Không Hạng"),
                     commune("ph-37-lien-minh", 1, 88.25, "Xã Liên Minh")],
        "province_name": "Tỉnh Ninh Bình", "total": 129, "freshness": FRESHNESS,
        "totals": {"communes": 129, "scored": 1500, "average_score": 80.5, "pending_upward": 4, "index": INDEX,
                   "awards": {"total": 42, "by_form": {"GIAY_KHEN_XA": 40, "BANG_KHEN_TINH": 2}},
                   "proposals": {"awarded": 3, "pending": 4}},
    })  # fmt: skip
    page = site.get("/province/dashboard", period="2027", page="2")
    assert page.status_code == 200
    assert '– <span data-testid="province-name">Tỉnh Ninh Bình</span></h1>' in page.text  # by its name
    assert f"tỉnh {PROVINCE}" not in page.text
    assert '<a href="/province/communes/ph-37-lien-minh?period=2027">Xã Liên Minh</a>' in page.text
    assert ">ph-37-khong-hang<" not in page.text  # an unranked commune is listed by its name too
    assert "1.500" in page.text
    assert "80,5" in page.text
    assert page.text.index('data-commune="ph-37-lien-minh"') < page.text.index('data-commune="ph-37-khong-hang"')
    assert "88,25" in page.text
    assert "62,5 (1)" in page.text
    assert "Trang 2 / 3" in page.text
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page.text
    assert "Được khen" in page.text
    (asked,) = site.backend.asked("GET", "rollups", f"/rollups/provinces/{PROVINCE}")
    assert (asked.param("period"), asked.param("page"), asked.param("page_size")) == ("2027", "2", "50")
    site.english()
    english = site.get("/province/dashboard", period="2027")
    assert "Province dashboard" in english.text
    assert "1,500" in english.text


def test_a_communes_figures_and_entrants(site: PortalUnderTest) -> None:
    site.backend.get("rollups", "/rollups/communes/ph-37-lien-minh",
                     {"figures": commune("ph-37-lien-minh", 1, 88.25, "Xã Liên Minh")})  # fmt: skip
    site.backend.get("rollups", "/rollups/communes/ph-37-lien-minh/entrants", {
        "items": [{"submission_id": "d-1", "period": "2026", "entrant_id": "e-1", "entrant_name": "Thôn Đoài",
                   "entrant_kind": "unit", "target_group": "a", "status": None, "total": 95.5, "grade": None,
                   "awards": []}],
        "total": 1, "freshness": FRESHNESS,
    })  # fmt: skip
    page = site.get("/province/communes/ph-37-lien-minh", period="2026")
    assert page.status_code == 200
    assert "<h1>Xã Liên Minh</h1>" in page.text
    assert "ph-37-lien-minh</h1>" not in page.text
    assert "Thôn Đoài" in page.text
    assert "95,5" in page.text
    assert "Giấy khen của Chủ tịch UBND xã: 3" in page.text
    assert "Chính quyền số" in page.text
    (asked,) = site.backend.asked("GET", "rollups", "/rollups/communes/ph-37-lien-minh/entrants")
    assert (asked.param("period"), asked.param("page")) == ("2026", "1")


def proposal(status: str = "submitted_to_province", **more: Any) -> dict[str, Any]:
    return {
        "id": "p-1", "number": "15/TTr-UBND", "signed_on": "2026-12-02", "tenant": "ph-37-lien-minh", "period": "2026",
        "award_form": "BANG_KHEN_TINH", "status": status, "status_name": "Đã trình tỉnh / Submitted to the province",
        "signer_name": "Trần Thị Bình", "addressee": "Chủ tịch UBND tỉnh",
        "recipients": [{"entrant": {"name": "Thôn Đoài"}, "total": 95, "grade": "Xuất sắc / Excellent"}],
        "province_outcome": None, "central_outcome": None, **more,
    }  # fmt: skip


def test_the_proposals_received_pending_and_decided_each_asked_on_its_own(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/proposals", lambda call: listing(
        [proposal()] if call.param("status") == "submitted_to_province" else [proposal("province_awarded", id="p-2")],
        total=3))  # fmt: skip
    page = site.get("/province/proposals", period="2026", decided="2")
    assert page.status_code == 200
    assert "Tờ trình nhận được" in page.text
    assert "15/TTr-UBND" in page.text
    assert "Thôn Đoài" in page.text
    assert 'data-proposal="p-2"' in page.text
    assert "Đã trình tỉnh" in page.text
    assert "<td>Xã Liên Minh</td>" in page.text  # the commune by its name
    assert "<td>ph-37-lien-minh</td>" not in page.text
    pending, decided = site.backend.asked("GET", "awards", "/proposals")
    assert (pending.param("period"), pending.params["status"], pending.param("page")) == (
        "2026", ["submitted_to_province"], "1")  # fmt: skip
    assert decided.params["status"] == ["returned", "province_awarded", "province_rejected", "forwarded_to_central",
                                        "central_awarded", "central_rejected"]  # fmt: skip
    assert (decided.param("page"), decided.param("page_size")) == ("2", "20")


def can_proposal(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/proposals/p-1", proposal())
    site.backend.get("awards", "/proposals/p-1/dossier", {
        "documents": [{"kind": "bao-cao-thanh-tich", "title": "Báo cáo thành tích / Achievements",
                       "href": "/proposals/p-1/documents/bao-cao-thanh-tich.pdf?candidate_id=c-1"}],
        "evidence": [],
    })  # fmt: skip


def test_a_pending_proposal_with_its_dossier_and_the_decision_form(site: PortalUnderTest) -> None:
    can_proposal(site)
    page = site.get("/province/proposals/p-1")
    assert page.status_code == 200
    assert "Tờ trình 15/TTr-UBND" in page.text
    assert "Ghi quyết định của tỉnh" in page.text
    assert 'href="/province/proposals/p-1/documents/bao-cao-thanh-tich.pdf?candidate_id=c-1"' in page.text
    assert 'id="outcome-awarded" name="outcome" value="awarded" checked' in page.text
    assert "<dd>Xã Liên Minh</dd>" in page.text
    site.english()
    assert "Record the province&#39;s decision" in site.get("/province/proposals/p-1").text


def test_an_award_without_its_number_comes_back_with_what_was_typed(site: PortalUnderTest) -> None:
    can_proposal(site)
    page = site.post(
        "/province/proposals/p-1/outcome",
        {"outcome": "awarded", "number": "", "signed_on": "2026-12-20", "issuer": "Chủ tịch UBND tỉnh"},
    )
    assert page.status_code == 422
    assert 'id="number-error">Bắt buộc nhập<' in page.text
    assert 'value="2026-12-20"' in page.text
    assert 'value="Chủ tịch UBND tỉnh"' in page.text
    assert site.backend.asked("POST", "awards", "/proposals/p-1/outcome") == []


def test_the_services_refusal_of_a_decision_is_shown_on_its_field(site: PortalUnderTest) -> None:
    can_proposal(site)
    site.backend.fail("POST", "awards", "/proposals/p-1/outcome", 422, "Không hợp lệ / Invalid",
                      errors={"signed_on": "Ngày ký trước ngày trình / Signed before the proposal"})  # fmt: skip
    page = site.post(
        "/province/proposals/p-1/outcome",
        {"outcome": "awarded", "number": "88/QĐ-UBND", "signed_on": "2026-11-01", "issuer": "UBND tỉnh"},
    )
    assert page.status_code == 422
    assert 'id="signed_on-error">Ngày ký trước ngày trình<' in page.text
    assert 'value="88/QĐ-UBND"' in page.text
    (sent,) = site.backend.asked("POST", "awards", "/proposals/p-1/outcome")
    assert sent.body == {"outcome": "awarded", "number": "88/QĐ-UBND", "signed_on": "2026-11-01",
                         "issuer": "UBND tỉnh"}  # fmt: skip


def test_a_proposal_decided_meanwhile_says_so(site: PortalUnderTest) -> None:
    can_proposal(site)
    site.backend.fail("POST", "awards", "/proposals/p-1/outcome", 409, "Xung đột / Conflict")
    page = site.post("/province/proposals/p-1/outcome", {"outcome": "rejected", "reason": "Chưa đủ điều kiện"})
    assert page.status_code == 409
    assert "Tờ trình này đã có kết quả, không ghi lại được." in page.text
    assert "Chưa đủ điều kiện</textarea>" in page.text


def test_without_names_from_the_rollups_the_pages_show_codes(site: PortalUnderTest) -> None:
    site.backend.fail("GET", "rollups", f"/rollups/provinces/{PROVINCE}/units", 503, "Tạm dừng / Unavailable")
    site.backend.get("awards", "/proposals", listing([proposal()]))
    page = site.get("/province/proposals")
    assert page.status_code == 200
    assert "<td>ph-37-lien-minh</td>" in page.text


def test_the_province_named_as_signed_in_when_the_rollups_do_not_know_it() -> None:
    site = PortalUnderTest()
    site.sign_in(Role.PROVINCE_STAFF, username="nb.staff", tenant=None, unit_name="Tỉnh Ninh Bình")
    site.backend.get("awards", "/catalogue", CATALOGUE)
    site.backend.get("rollups", f"/rollups/provinces/{PROVINCE}", {
        "communes": [], "total": 0, "freshness": FRESHNESS,
        "totals": {"scored": 0, "average_score": None, "pending_upward": 0, "index": None,
                   "awards": {"total": 0, "by_form": {}}, "proposals": {}},
    })  # fmt: skip
    page = site.get("/province/dashboard")
    assert '<span data-testid="province-name">Tỉnh Ninh Bình</span>' in page.text
    assert "Tỉnh chưa có xã nào." in page.text
    assert "Tỉnh Ninh Bình" in site.get("/province/reports").text


def test_the_consolidated_report_is_asked_for_the_staffs_province(site: PortalUnderTest) -> None:
    page = site.get("/province/reports", period="2026")
    assert page.status_code == 200
    assert "Báo cáo tổng hợp của tỉnh" in page.text
    assert '<option value="2026" selected>' in page.text
    site.backend.on("POST", "rollups", "/rollups/reports", {"id": "j-1"}, status=202)
    answer = site.post("/province/reports", {"period": "2026", "idempotency_key": "k-1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/province/reports/j-1"
    (sent,) = site.backend.asked("POST", "rollups", "/rollups/reports")
    assert sent.body == {"kind": "province", "province": PROVINCE, "period": "2026"}
    assert sent.headers["idempotency-key"] == "k-1"
    site.backend.get("rollups", "/rollups/reports/j-1", {
        "id": "j-1", "code": PROVINCE, "period": "2026", "status": "failed", "progress": 40,
        "step": "Tổng hợp / Aggregating", "created_at": "2026-12-01T01:00:00Z", "finished_at": None,
        "error": "Thiếu số liệu / Figures missing", "files": {},
    })  # fmt: skip
    progress = site.get("/province/reports/j-1")
    assert "Không lập được báo cáo: Thiếu số liệu" in progress.text


def test_a_report_refused_is_shown_on_the_period(site: PortalUnderTest) -> None:
    site.backend.fail("POST", "rollups", "/rollups/reports", 422, "Không hợp lệ / Invalid",
                      errors={"period": "Kỳ không có / No such period"})  # fmt: skip
    page = site.post("/province/reports", {"period": "2030"})
    assert page.status_code == 422
    assert 'id="period-error">Kỳ không có<' in page.text


def test_a_failing_rollups_service_shows_the_error_page(site: PortalUnderTest) -> None:
    site.backend.fail("GET", "rollups", f"/rollups/provinces/{PROVINCE}", 500, "Lỗi hệ thống / Internal error")
    page = site.get("/province/dashboard")
    assert page.status_code == 502
    assert "Lỗi hệ thống" in page.text
    assert "Traceback" not in page.text
