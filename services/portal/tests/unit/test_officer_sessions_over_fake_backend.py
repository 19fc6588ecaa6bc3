"""The commune officer's council sessions and reports over a fake backend (tests/unit/fake_backend.py): the
candidates of the chosen period evaluated and kept or taken off the list, convening a session, the letterhead,
attendance, opening and closing the vote, and the commune's report. Each page renders what the services answered,
asks them for the chosen period, and keeps what was typed when a form comes back with its errors."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import OPEN_PERIOD, TENANT, PortalUnderTest, can_commune, listing


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.COMMUNE_OFFICER, username="lm.officer", name="Phạm Thu Hà")
    can_commune(site.backend)
    return site


def can_roster(site: PortalUnderTest) -> None:
    site.backend.get("scoring", "/council", {"members": [{"username": "lm.council1", "unit_entrant_ids": ["e-1"]}]})


# --- council sessions


def candidate(n: int, status: str = "under_review") -> dict[str, Any]:
    return {
        "id": f"c-{n}", "entrant": {"id": f"e-{n}", "name": f"Thôn Đoài {n}"}, "award_form": "GIAY_KHEN_XA",
        "total": 91.5, "grade": "Xuất sắc / Excellent", "status": status, "status_name": "Đang xét / Under review",
        "computed": {"reasons": []}, "officer_review": None,
    }  # fmt: skip


def council_session(status: str = "convened") -> dict[str, Any]:
    return {
        "id": "s-1", "title": "Phiên họp xét khen thưởng năm 2026", "period": OPEN_PERIOD,
        "held_at": "2026-12-10T02:00:00Z", "location": "Hội trường UBND xã", "chair": "lm.chair", "secretary": None,
        "ballot_mode": "secret", "status": status, "quorum_required": 2,
        "members": [{"username": "lm.council1", "name": "Vũ Minh Đức", "role": "Thành viên"},
                    {"username": "lm.chair", "name": "Trần Thị Bình", "role": "Chủ tịch Hội đồng"}],
        "present": ["lm.council1", "lm.chair"] if status != "convened" else [],
        "ballots": [{"member": "lm.council1", "at": "2026-12-10T02:30:00Z"}] if status != "convened" else [],
        "candidates": [{"candidate_id": "c-1", "entrant": {"name": "Thôn Đoài 1"}, "award_form": "GIAY_KHEN_XA",
                        "total": 91.5, "grade": "Xuất sắc / Excellent", "recused": []}],
        "results": [{"candidate_id": "c-1", "entrant": {"name": "Thôn Đoài 1"}, "award_form": "GIAY_KHEN_XA",
                     "yes": 2, "no": 0, "abstain": 0, "recused": 0, "passed": True,
                     "pass_rule": "Quá nửa số thành viên / Over half the members"}] if status == "closed" else [],
    }  # fmt: skip


def can_sessions(site: PortalUnderTest) -> None:
    can_roster(site)
    site.backend.get("awards", "/candidates", listing([candidate(1), candidate(2, "eligible_here")]))
    site.backend.get("awards", "/sessions", listing([council_session()]))
    site.backend.get("awards", "/letterhead", {"issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "parent_body": "",
                                               "place": "Liên Minh", "authority": "UBND xã"})  # fmt: skip


def test_the_sessions_page_lists_the_chosen_periods_candidates_and_sessions(site: PortalUnderTest) -> None:
    can_sessions(site)
    page = site.get("/officer/sessions", period="2025", status="under_review")
    assert page.status_code == 200
    assert "Phiên họp Hội đồng" in page.text
    assert "Thôn Đoài 2" in page.text
    assert "Phiên họp xét khen thưởng năm 2026" in page.text
    assert 'data-status="convened">Đã triệu tập, chưa mở biểu quyết</span></li>' in page.text  # words, not a code
    assert 'value="ỦY BAN NHÂN DÂN XÃ LIÊN MINH"' in page.text
    (candidates,) = site.backend.asked("GET", "awards", "/candidates")
    assert (candidates.param("period"), candidates.param("status")) == ("2025", "under_review")
    assert site.backend.asked("GET", "awards", "/sessions")[0].param("period") == "2025"


def test_a_session_refused_by_awards_shows_the_members_row_and_keeps_what_was_typed(site: PortalUnderTest) -> None:
    can_sessions(site)
    site.backend.fail("POST", "awards", "/sessions", 422, "Không hợp lệ / Invalid",
                      errors={"members.0.username": "Không phải thành viên Hội đồng / Not on the council"})  # fmt: skip
    page = site.post("/officer/sessions", {
        "period": OPEN_PERIOD, "roster_size": "1", "title": "Phiên họp tháng Mười Hai", "location": "Hội trường",
        "chair": "lm.chair", "member.0.username": "lm.council9", "member.0.name": "Hoàng Văn Em",
        "member.0.include": "true", "ballot_mode": "secret",
    })  # fmt: skip
    assert page.status_code == 422
    assert 'id="member-0-username-error">Không phải thành viên Hội đồng<' in page.text
    assert 'value="Phiên họp tháng Mười Hai"' in page.text
    assert 'value="lm.council9"' in page.text
    (sent,) = site.backend.asked("POST", "awards", "/sessions")
    assert sent.body["members"] == [{"username": "lm.council9", "name": "Hoàng Văn Em"}]


def test_the_rules_applied_to_the_periods_candidates_are_shown(site: PortalUnderTest) -> None:
    can_sessions(site)
    site.backend.on("POST", "awards", "/candidates/evaluate", {"items": [
        {"entrant": {"name": "Thôn Đoài 7"}, "total": 96.5, "rank": 1, "eligible": True, "reasons": []},
        {"entrant": {"name": "Thôn Nam"}, "total": 60, "rank": None, "eligible": False,
         "reasons": ["Điểm dưới 80 / Below 80"]},
    ]})  # fmt: skip
    page = site.post("/officer/sessions/evaluate", {"period": OPEN_PERIOD, "award_form": "GIAY_KHEN_XA"})
    assert page.status_code == 200
    assert "Kết quả xét điều kiện" in page.text
    assert "Thôn Đoài 7" in page.text
    assert "96,5 (#1)" in page.text
    assert "Điểm dưới 80" in page.text
    (sent,) = site.backend.asked("POST", "awards", "/candidates/evaluate")
    assert sent.body == {"period": OPEN_PERIOD, "award_form": "GIAY_KHEN_XA"}


def test_taking_a_candidate_off_without_a_reason_shows_the_services_message(site: PortalUnderTest) -> None:
    can_sessions(site)
    site.backend.fail("POST", "awards", "/candidates/c-1/review", 422, "Không hợp lệ / Invalid",
                      errors={"reason": "Cần nêu lý do / A reason is needed"})  # fmt: skip
    page = site.post("/officer/candidates/c-1/review", {"period": OPEN_PERIOD, "included": "false", "reason": ""})
    assert page.status_code == 422
    assert 'id="c-1-reason-error">Cần nêu lý do<' in page.text
    (sent,) = site.backend.asked("POST", "awards", "/candidates/c-1/review")
    assert sent.body == {"included": False, "reason": ""}


def test_a_letterhead_refused_keeps_what_was_typed(site: PortalUnderTest) -> None:
    can_sessions(site)
    site.backend.fail("PUT", "awards", "/letterhead", 422, "Không hợp lệ / Invalid",
                      errors={"issuing_body": "Viết chữ in hoa / Use capitals"})  # fmt: skip
    page = site.post(
        "/officer/letterhead",
        {
            "period": OPEN_PERIOD,
            "letterhead.issuing_body": "Ủy ban xã",
            "letterhead.place": "Liên Minh",
            "letterhead.authority": "UBND xã",
        },
    )
    assert page.status_code == 422
    assert 'id="letterhead-issuing_body-error">Viết chữ in hoa<' in page.text
    assert 'value="Ủy ban xã"' in page.text


def test_opening_the_vote_refused_names_the_attendance(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-1", council_session())
    site.backend.fail("POST", "awards", "/sessions/s-1/open", 422, "Chưa đủ số có mặt / No quorum",
                      errors={"present.0": "Cần ít nhất 2 người / At least 2 people"})  # fmt: skip
    page = site.post("/officer/sessions/s-1/open", [("present", "lm.council1")])
    assert page.status_code == 422
    assert 'id="present-error">Cần ít nhất 2 người<' in page.text
    assert 'name="present" value="lm.council1" checked' in page.text
    assert 'name="present" value="lm.chair" checked' not in page.text
    (sent,) = site.backend.asked("POST", "awards", "/sessions/s-1/open")
    assert sent.body == {"present": ["lm.council1"]}


def test_closing_the_vote_leads_to_the_results(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/sessions/s-1/close", council_session("closed"))
    answer = site.post("/officer/sessions/s-1/close")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/officer/sessions/s-1#results"
    assert site.flash() == "Đã kết thúc và kiểm phiếu"


def test_a_convened_session_with_its_attendance_form(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-1", council_session())
    page = site.get("/officer/sessions/s-1")
    assert page.status_code == 200
    assert "Đánh dấu thành viên có mặt" in page.text
    assert "Vũ Minh Đức – Thành viên" in page.text
    assert "Giấy khen của Chủ tịch UBND xã" in page.text


def test_a_closed_session_with_its_results(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-1", council_session("closed"))
    page = site.get("/officer/sessions/s-1")
    assert "Kết quả biểu quyết" in page.text
    assert "Thông qua" in page.text
    assert "Quá nửa số thành viên" in page.text


# --- reports


def job(status: str = "ready") -> dict[str, Any]:
    return {
        "id": "j-1", "period": OPEN_PERIOD, "status": status, "progress": 100 if status == "ready" else 40,
        "step": "Đang tổng hợp / Aggregating", "created_at": "2026-12-01T01:00:00Z",
        "finished_at": "2026-12-01T01:01:00Z" if status == "ready" else None, "error": None,
        "files": {"workbook": "/rollups/reports/j-1/report.xlsx"} if status == "ready" else {},
    }  # fmt: skip


def test_requesting_the_communes_report_leads_to_its_progress(site: PortalUnderTest) -> None:
    page = site.get("/officer/reports")
    assert page.status_code == 200
    assert "Báo cáo của xã" in page.text
    site.backend.on("POST", "rollups", "/rollups/reports", {"id": "j-1"}, status=202)
    answer = site.post("/officer/reports", {"period": OPEN_PERIOD, "idempotency_key": "k-1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/officer/reports/j-1"
    again = site.post("/officer/reports", {"period": OPEN_PERIOD, "idempotency_key": "k-1"})
    assert again.headers["location"] == "/officer/reports/j-1"
    (sent,) = site.backend.asked("POST", "rollups", "/rollups/reports")  # the form sent twice acted once
    assert sent.body == {"kind": "commune", "commune": TENANT, "period": OPEN_PERIOD}
    site.backend.get("rollups", "/rollups/reports/j-1", job())
    progress = site.get("/officer/reports/j-1")
    assert "Đã xong" in progress.text
    assert 'href="/officer/reports/j-1/report.xlsx"' in progress.text


def test_a_report_refused_shows_the_services_message_on_the_period(site: PortalUnderTest) -> None:
    site.backend.fail("POST", "rollups", "/rollups/reports", 422, "Không hợp lệ / Invalid",
                      errors={"period": "Kỳ chưa có số liệu / No figures for the period"})  # fmt: skip
    page = site.post("/officer/reports", {"period": "2027"})
    assert page.status_code == 422
    assert 'id="period-error">Kỳ chưa có số liệu<' in page.text
    assert '<option value="2027" selected>' in page.text
