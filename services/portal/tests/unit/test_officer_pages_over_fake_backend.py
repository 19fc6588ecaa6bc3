"""The commune officer's pages over a fake backend (tests/unit/fake_backend.py): entrants, criteria, dossiers,
periods and the council roster, council sessions, reports. Each renders what the services answered (Vietnamese
first, English on request), asks them with the commune's chosen period and filters, keeps what was typed when a
form comes back with its errors (the portal's own or the service's 422), and is refused to other roles."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import OPEN_PERIOD, PortalUnderTest, can_commune, listing


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.COMMUNE_OFFICER, username="lm.officer", name="Phạm Thu Hà")
    can_commune(site.backend)
    return site


OFFICER_PAGES = (
    "/officer/entrants", "/officer/entrants/e-1", "/officer/criteria", "/officer/dossiers", "/officer/dossiers/d-1",
    "/officer/periods", "/officer/sessions", "/officer/sessions/s-1", "/officer/reports", "/officer/reports/j-1",
)  # fmt: skip


@pytest.mark.parametrize("role", [Role.SUBMITTER, Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF])
def test_other_roles_are_refused_every_officer_page(role: Role) -> None:
    site = PortalUnderTest()
    site.sign_in(role)
    for path in OFFICER_PAGES:
        page = site.get(path)
        assert page.status_code == 403, path
        assert "Bạn không có quyền xem trang này" in page.text
    assert site.post("/officer/entrants", {"name": "Thôn Mới"}).status_code == 403
    assert site.backend.calls == []


# --- entrants


def entrant(n: int, kind: str = "collective", **more: Any) -> dict[str, Any]:
    return {
        "id": f"e-{n}", "name": f"Thôn Đoài {n}" if kind == "collective" else f"Đỗ Thị Lan {n}", "kind": kind,
        "target_group": "a" if kind == "collective" else "d1", "unit_type": "Thôn" if kind == "collective" else None,
        "position": None, "unit_id": None, "focal_users": ["lm.submitter"], "created_at": "2026-02-01T01:00:00Z",
        **more,
    }  # fmt: skip


def can_entrants(site: PortalUnderTest, total: int = 2) -> None:
    site.backend.get("submissions", "/entrants", listing([entrant(1), entrant(2, "individual")], total))


def test_the_entrants_list_with_its_filters(site: PortalUnderTest) -> None:
    can_entrants(site, total=120)
    page = site.get("/officer/entrants", group="d1", kind="individual", page="2")
    assert page.status_code == 200
    assert "Đối tượng thi đua" in page.text
    assert "Thôn Đoài 1" in page.text
    assert "Đỗ Thị Lan 2" in page.text
    assert "Cá nhân" in page.text
    assert "Trang 2 / 3" in page.text
    assert "(120)" in page.text
    # each entrant's group by its name, not its code
    assert " · Cán bộ, công chức, viên chức, người lao động</td>" in page.text
    assert " · d1</td>" not in page.text
    listed, units = site.backend.asked("GET", "submissions", "/entrants")
    assert (listed.param("group"), listed.param("kind"), listed.param("page")) == ("d1", "individual", "2")
    assert (units.param("kind"), units.param("page_size")) == ("collective", "200")
    site.english()
    assert "Entrants" in site.get("/officer/entrants").text


def test_an_entrant_refused_by_the_service_comes_back_with_its_errors_and_what_was_typed(
    site: PortalUnderTest,
) -> None:
    can_entrants(site)
    site.backend.fail(
        "POST", "submissions", "/entrants", 422, "Dữ liệu không hợp lệ / Invalid data",
        errors={"name": "Tên đã có / The name is taken", "focal_users.1": "Không có người dùng này / No such user"},
    )  # fmt: skip
    page = site.post("/officer/entrants", {"name": "Thôn Đoài 1", "kind": "collective", "target_group": "a",
                                            "focal_users": "lm.submitter, ai.do"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="name-error">Tên đã có<' in page.text
    assert 'id="focal_users-error">Không có người dùng này<' in page.text
    assert 'value="lm.submitter, ai.do"' in page.text
    assert 'value="Thôn Đoài 1"' in page.text
    (sent,) = site.backend.asked("POST", "submissions", "/entrants")
    assert sent.body == {"name": "Thôn Đoài 1", "kind": "collective", "target_group": "a",
                         "focal_users": ["lm.submitter", "ai.do"]}  # fmt: skip


def test_an_import_without_a_file_asks_for_one(site: PortalUnderTest) -> None:
    can_entrants(site)
    assert site.session is not None
    page = site.client.post(
        "/officer/entrants/import", data={"csrf_token": site.session.csrf}, files={"file": ("", b"", "text/plain")}
    )
    assert page.status_code == 422
    assert "Hãy chọn tệp Excel (.xlsx)" in page.text
    assert site.backend.asked("POST", "submissions", "/entrants/import") == []


def test_an_entrant_with_its_people(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/entrants/e-1", entrant(1))
    site.backend.get("submissions", "/entrants", listing([entrant(3, "individual", unit_id="e-1")]))
    page = site.get("/officer/entrants/e-1")
    assert page.status_code == 200
    assert "<h1>Thôn Đoài 1</h1>" in page.text
    assert "Cá nhân thuộc đơn vị" in page.text
    assert "Đỗ Thị Lan 3" in page.text
    (members,) = site.backend.asked("GET", "submissions", "/entrants")
    assert members.param("unit_id") == "e-1"


# --- criteria


def criteria_set() -> list[dict[str, Any]]:
    criteria = [
        {"code": "a1", "title": "Tỷ lệ hồ sơ trực tuyến", "max_points": 10, "theme": 1, "rule": {"kind": "ratio"},
         "indicator": {"name": "Hồ sơ trực tuyến", "target": 80, "unit": "%"}},
        {"code": "a2", "title": "Mô hình chuyển đổi số", "max_points": 20, "theme": 2,
         "rule": {"kind": "assessment"}, "indicator": None},
    ]  # fmt: skip
    return [{"version": 3, "frozen": False, "content": {"max_total": 30, "criteria": criteria}}]


def test_the_criteria_of_a_period_not_yet_open_may_be_adapted(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", criteria_set())
    page = site.get("/officer/criteria", period="2027", group="a")
    assert page.status_code == 200
    assert "Bộ tiêu chí" in page.text
    assert "Kỳ chưa mở: được điều chỉnh" in page.text
    assert "Tỷ lệ hồ sơ trực tuyến" in page.text
    assert 'name="max_points.a2" value="20"' in page.text
    (asked,) = site.backend.asked("GET", "submissions", "/campaigns/cmp-1/criteria-sets")
    assert (asked.param("period"), asked.param("group")) == ("2027", "a")


def test_the_criteria_of_the_open_period_are_fixed(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", criteria_set())
    page = site.get("/officer/criteria")
    assert "Kỳ đã mở: tiêu chí cố định" in page.text
    assert 'action="/officer/criteria"' not in page.text
    assert site.backend.asked("GET", "submissions", "/campaigns/cmp-1/criteria-sets")[0].param("period") == OPEN_PERIOD


def test_a_maximum_that_is_no_number_comes_back_with_what_was_typed(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", criteria_set())
    page = site.post("/officer/criteria", {"period": "2027", "group": "a", "max_points.a1": "mười",
                                            "max_points.a2": "20"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="max_points-a1-error">Phải là một số<' in page.text
    assert 'name="max_points.a1" value="mười"' in page.text
    assert site.backend.asked("PUT", "submissions", "/campaigns/cmp-1/criteria-sets/2027") == []


def test_the_services_refusal_of_a_maximum_is_shown_on_that_criterion(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", criteria_set())
    site.backend.fail(
        "PUT", "submissions", "/campaigns/cmp-1/criteria-sets/2027", 422, "Vượt giới hạn / Beyond the limits",
        errors={"criteria.1.max_points": "Chỉ được đổi ±2 điểm / At most ±2 points"},
    )  # fmt: skip
    page = site.post("/officer/criteria", {"period": "2027", "group": "a", "max_points.a1": "10",
                                            "max_points.a2": "25"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="max_points-a2-error">Chỉ được đổi ±2 điểm<' in page.text
    assert 'name="max_points.a2" value="25"' in page.text
    (sent,) = site.backend.asked("PUT", "submissions", "/campaigns/cmp-1/criteria-sets/2027")
    assert [c["max_points"] for c in sent.body["criteria"]] == [10.0, 25.0]


# --- dossiers


def dossier(status: str = "submitted") -> dict[str, Any]:
    return {
        "id": "d-1", "period": OPEN_PERIOD, "status": status, "version": 2, "submitted_at": "2026-11-20T03:00:00Z",
        "entrant": {"id": "e-1", "name": "Thôn Đoài 1", "target_group": "a", "kind": "collective"},
        "completeness": {"complete": False, "missing": ["a1"], "checked_at": "2026-11-21T03:00:00Z"},
        "return_reasons": [],
        "evidence": {"a1": {"level": None, "value": 72.5, "occurrences": None, "self_points": 9, "narrative":
                            "Đạt 72,5% hồ sơ trực tuyến", "attachments": [{"id": "f-1", "filename": "bien-ban.pdf",
                                                                             "size": 2048}]}},
        "updated_at": "2026-11-20T03:00:00Z",
    }  # fmt: skip


def can_dossier(site: PortalUnderTest, status: str = "submitted") -> None:
    site.backend.get("submissions", "/submissions/d-1", dossier(status))
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", criteria_set())
    site.backend.get("submissions", "/submissions/d-1/audit",
                     [{"at": "2026-11-20T03:00:00Z", "actor": "lm.submitter", "action": "submitted",
                       "changes": {"version": 2}}])  # fmt: skip


def test_the_dossiers_of_the_open_period_with_the_status_filter(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/submissions", listing([dossier()], total=1))
    page = site.get("/officer/dossiers", status="submitted")
    assert page.status_code == 200
    assert "Kiểm tra hồ sơ" in page.text
    assert "Thôn Đoài 1" in page.text
    assert "Thiếu a1" in page.text
    assert "<td>Phòng, ban, ngành, thôn, xóm, tổ dân phố</td>" in page.text  # the group by its name
    assert "20/11/2026 10:00" in page.text  # Vietnam time
    (asked,) = site.backend.asked("GET", "submissions", "/submissions")
    assert (asked.param("period"), asked.param("status"), asked.param("page_size")) == (OPEN_PERIOD, "submitted", "50")
    site.english()
    english = site.get("/officer/dossiers").text
    assert "Lacks a1" in english
    assert "<td>Departments, villages, residential groups</td>" in english


def test_a_dossier_with_its_evidence_and_audit(site: PortalUnderTest) -> None:
    can_dossier(site)
    page = site.get("/officer/dossiers/d-1")
    assert page.status_code == 200
    assert "Hồ sơ: Thôn Đoài 1" in page.text
    assert "Đạt 72,5% hồ sơ trực tuyến" in page.text
    assert 'href="/officer/files/f-1"' in page.text
    assert "Trả lại để bổ sung" in page.text
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page.text  # an award form the officer may propose
    (criteria,) = site.backend.asked("GET", "submissions", "/campaigns/cmp-1/criteria-sets")
    assert (criteria.param("period"), criteria.param("group")) == (OPEN_PERIOD, "a")


def test_returning_a_dossier_without_a_reason_asks_for_one(site: PortalUnderTest) -> None:
    can_dossier(site)
    page = site.post("/officer/dossiers/d-1/return", {"reason.a1": "", "reason._general": ""})
    assert page.status_code == 422
    assert 'id="reasons-error">Ghi lý do cho ít nhất một tiêu chí cần bổ sung<' in page.text
    assert site.backend.asked("POST", "submissions", "/submissions/d-1/return") == []


def test_the_services_refusal_of_a_return_is_shown_on_the_criterion(site: PortalUnderTest) -> None:
    can_dossier(site)
    site.backend.fail("POST", "submissions", "/submissions/d-1/return", 422, "Không hợp lệ / Invalid",
                      errors={"reasons.0.code": "Tiêu chí không có / No such criterion"})  # fmt: skip
    page = site.post("/officer/dossiers/d-1/return", {"reason.a1": "Thiếu biên bản"})
    assert page.status_code == 422
    assert 'id="reason-a1-error">Tiêu chí không có<' in page.text
    assert "Thiếu biên bản</textarea>" in page.text
    (sent,) = site.backend.asked("POST", "submissions", "/submissions/d-1/return")
    assert sent.body == {"reasons": [{"code": "a1", "reason": "Thiếu biên bản"}]}


def test_checking_completeness_says_what_is_missing(site: PortalUnderTest) -> None:
    site.backend.on("POST", "submissions", "/submissions/d-1/completeness",
                    {"completeness": {"complete": False, "missing": ["a1", "a3"]}})  # fmt: skip
    answer = site.post("/officer/dossiers/d-1/completeness")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/officer/dossiers/d-1#completeness"
    assert site.flash() == "Hồ sơ còn thiếu: a1, a3"


def test_a_candidate_proposed_by_hand_and_refused_keeps_the_reason(site: PortalUnderTest) -> None:
    can_dossier(site)
    site.backend.fail("POST", "awards", "/candidates", 422, "Chưa có điểm chính thức / No final score yet",
                      errors={"submission_id": "Hồ sơ chưa có điểm chính thức / No final score yet"})  # fmt: skip
    page = site.post(
        "/officer/dossiers/d-1/candidates", {"award_form": "BANG_KHEN_TINH", "reason": "Thành tích nổi bật"}
    )
    assert page.status_code == 422
    assert 'id="submission_id-error">Hồ sơ chưa có điểm chính thức<' in page.text
    assert "Thành tích nổi bật</textarea>" in page.text
    assert '<option value="BANG_KHEN_TINH" selected>' in page.text
    (sent,) = site.backend.asked("POST", "awards", "/candidates")
    assert sent.body == {"submission_id": "d-1", "award_form": "BANG_KHEN_TINH", "reason": "Thành tích nổi bật"}


# --- periods and the council roster


def can_roster(site: PortalUnderTest) -> None:
    site.backend.get("scoring", "/council", {"members": [{"username": "lm.council1", "unit_entrant_ids": ["e-1"]}]})
    site.backend.get("submissions", "/entrants", listing([entrant(1), entrant(3)]))


def test_the_periods_and_the_roster(site: PortalUnderTest) -> None:
    can_roster(site)
    page = site.get("/officer/periods")
    assert page.status_code == 200
    assert "Kỳ thi đua" in page.text
    assert "Đang nhận hồ sơ" in page.text
    assert "Chưa mở" in page.text
    assert 'value="lm.council1"' in page.text
    # a member's units are chosen by name, the ids submitted: the saved one selected, the others offered
    assert "Mã đơn vị" not in page.text
    assert '<option value="e-1" selected>Thôn Đoài 1</option>' in page.text
    assert '<option value="e-3">Thôn Đoài 3</option>' in page.text
    (units,) = site.backend.asked("GET", "submissions", "/entrants")
    assert units.param("kind") == "collective"


def test_a_roster_sends_the_units_chosen_by_name_as_ids(site: PortalUnderTest) -> None:
    can_roster(site)
    site.backend.on("PUT", "scoring", "/council", {"members": []})
    form = [("member.0.username", "lm.council1"), ("member.0.units", "e-1"), ("member.0.units", "e-3"),
            ("member.0.units", "e-1"), ("member.1.username", "lm.council2")]  # fmt: skip
    assert site.post("/officer/council", form).status_code == 303
    (sent,) = site.backend.asked("PUT", "scoring", "/council")
    assert sent.body == {
        "members": [{"username": "lm.council1", "unit_entrant_ids": ["e-1", "e-3"], "council_role": "member"},
                    {"username": "lm.council2", "unit_entrant_ids": [], "council_role": "member"}],
        "established_by": None,
    }  # fmt: skip


def test_the_standing_council_is_sent_with_its_decision_term_and_each_members_place(site: PortalUnderTest) -> None:
    can_roster(site)
    site.backend.on("PUT", "scoring", "/council", {"members": []})
    form = [("established.number", "45/QĐ-UBND"), ("established.signed_on", "2025-07-15"),
            ("established.term_from", "2025-07-15"), ("established.term_to", ""),
            ("member.0.username", "lm.chair"), ("member.0.name", "Nguyễn Văn Hưng"),
            ("member.0.position", "Chủ tịch UBND xã"), ("member.0.council_role", "chair")]  # fmt: skip
    assert site.post("/officer/council", form).status_code == 303
    (sent,) = site.backend.asked("PUT", "scoring", "/council")
    assert sent.body == {
        "members": [{"username": "lm.chair", "unit_entrant_ids": [], "name": "Nguyễn Văn Hưng",
                     "position": "Chủ tịch UBND xã", "council_role": "chair"}],
        "established_by": {"number": "45/QĐ-UBND", "signed_on": "2025-07-15", "term_from": "2025-07-15",
                           "term_to": None},
    }  # fmt: skip


def test_the_council_form_shows_the_standing_council_as_kept(site: PortalUnderTest) -> None:
    can_roster(site)
    council = {
        "members": [{"username": "lm.chair", "unit_entrant_ids": [], "name": "Nguyễn Văn Hưng",
                     "position": "Chủ tịch UBND xã", "council_role": "chair"}],
        "established_by": {"number": "45/QĐ-UBND", "signed_on": "2025-07-15", "term_from": "2025-07-15",
                           "term_to": "2030-12-31"},
    }  # fmt: skip
    site.backend.get("scoring", "/council", council)
    page = site.get("/officer/periods")
    assert page.status_code == 200
    for expected in ('value="45/QĐ-UBND"', 'value="2030-12-31"', 'value="Nguyễn Văn Hưng"', 'value="chair" selected'):
        assert expected in page.text


def test_a_window_refused_is_shown_on_its_field_in_vietnam_time(site: PortalUnderTest) -> None:
    can_roster(site)
    site.backend.fail("PUT", "submissions", "/campaigns/cmp-1/periods/2027", 422, "Không hợp lệ / Invalid",
                      errors={"closes_at": "Phải sau thời điểm mở / Must be after the opening"})  # fmt: skip
    page = site.post("/officer/periods/2027/window", {"opens_at": "2027-03-01T08:00", "closes_at": "2027-02-01T17:00"})
    assert page.status_code == 422
    assert 'id="2027-closes_at-error">Phải sau thời điểm mở<' in page.text
    assert 'value="2027-02-01T17:00"' in page.text
    (sent,) = site.backend.asked("PUT", "submissions", "/campaigns/cmp-1/periods/2027")
    assert sent.body == {"opens_at": "2027-03-01T08:00:00+07:00", "closes_at": "2027-02-01T17:00:00+07:00"}


def test_what_was_done_to_a_period_names_it(site: PortalUnderTest) -> None:
    site.backend.on("POST", "scoring", "/council/assign", {"count": 4})
    assert site.post("/officer/periods/so-ket-2027/assign").status_code == 303
    assert site.flash() == "Đã phân công chấm 4 hồ sơ Sơ kết 2027"  # the period by its name, not "so-ket-2027"


def test_closing_scoring_without_the_confirmation_asks_for_it(site: PortalUnderTest) -> None:
    can_roster(site)
    page = site.post(f"/officer/periods/{OPEN_PERIOD}/close", {})
    assert page.status_code == 422
    assert f'id="{OPEN_PERIOD}-confirm-error">Hãy đánh dấu xác nhận trước khi khóa sổ<' in page.text
    assert site.backend.asked("POST", "scoring", f"/periods/{OPEN_PERIOD}/close") == []


def test_a_roster_refused_by_scoring_shows_the_row_and_keeps_it(site: PortalUnderTest) -> None:
    can_roster(site)
    site.backend.fail("PUT", "scoring", "/council", 404, "Không tìm thấy / Not found",
                      errors={"members.1.unit_entrant_ids.0": "Không có đơn vị này / No such unit"})  # fmt: skip
    page = site.post(
        "/officer/council",
        [
            ("member.0.username", "lm.council1"),
            ("member.0.units", ""),
            ("member.1.username", "lm.council2"),
            ("member.1.units", "e-404"),
        ],
    )
    assert page.status_code == 422
    assert 'id="member-1-units-error">Không có đơn vị này<' in page.text
    assert '<option value="e-404" selected>e-404</option>' in page.text  # kept, though no unit has that id
    (sent,) = site.backend.asked("PUT", "scoring", "/council")
    assert sent.body == {
        "members": [{"username": "lm.council1", "unit_entrant_ids": [], "council_role": "member"},
                    {"username": "lm.council2", "unit_entrant_ids": ["e-404"], "council_role": "member"}],
        "established_by": None,
    }  # fmt: skip


def test_a_failing_service_shows_the_error_page_on_an_officers_page(site: PortalUnderTest) -> None:
    site.backend.fail("GET", "submissions", "/submissions", 503, "Dịch vụ tạm dừng / Service unavailable")
    page = site.get("/officer/dossiers")
    assert page.status_code == 502
    assert "Dịch vụ tạm dừng" in page.text
    assert "Traceback" not in page.text


def test_without_a_campaign_the_periods_page_says_so(site: PortalUnderTest) -> None:
    can_commune(site.backend, campaign=None)
    can_roster(site)
    page = site.get("/officer/periods")
    assert page.status_code == 200
    assert "Xã chưa áp dụng kế hoạch thi đua của tỉnh." in page.text
    assert f'id="period-{OPEN_PERIOD}"' not in page.text
    assert 'value="lm.council1"' in page.text  # the roster all the same
