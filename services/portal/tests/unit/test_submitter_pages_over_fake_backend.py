"""A unit's focal officer's pages over a fake backend (tests/unit/fake_backend.py): registrations, dossiers with
their evidence, scores and awards. Each renders what the services answered (Vietnamese first, English on request),
asks them for the chosen period, keeps what was typed when a form comes back with its errors, and is refused to
roles that do not file dossiers."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import OPEN_PERIOD, PortalUnderTest, can_commune, listing


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.SUBMITTER, username="lm.submitter", name="Đặng Văn Giang")
    can_commune(site.backend)
    return site


UNIT = {"id": "e-1", "name": "Thôn Đoài", "target_group": "a", "kind": "collective"}
CRITERIA = [
    {"code": "a1", "title": "Tỷ lệ hồ sơ trực tuyến", "max_points": 10, "theme": 1, "rule": {"kind": "ratio"},
     "indicator": {"name": "Hồ sơ trực tuyến", "target": 80, "unit": "%"}},
    {"code": "a2", "title": "Hoàn thành kế hoạch chuyển đổi số", "max_points": 20, "theme": 1,
     "rule": {"kind": "level"}, "indicator": None},
]  # fmt: skip


def can_unit(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/entrants", listing([UNIT]))
    site.backend.get("submissions", "/entrants/e-1", UNIT)
    site.backend.get("submissions", "/campaigns/cmp-1/criteria-sets", [{"content": {"criteria": CRITERIA}}])


@pytest.mark.parametrize("role", [Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF])
def test_roles_that_file_no_dossiers_are_refused(role: Role) -> None:
    site = PortalUnderTest()
    site.sign_in(role)
    for path in ("/submitter/registrations", "/submitter/dossiers", "/submitter/dossiers/d-1", "/submitter/results"):
        page = site.get(path)
        assert page.status_code == 403, path
        assert "Bạn không có quyền xem trang này" in page.text
    assert site.post("/submitter/dossiers", {"period": OPEN_PERIOD, "entrant_id": "e-1"}).status_code == 403
    assert site.backend.calls == []


def test_an_officer_may_file_for_a_unit_too() -> None:
    site = PortalUnderTest()
    site.sign_in(Role.COMMUNE_OFFICER)
    can_commune(site.backend)
    can_unit(site)
    site.backend.get("submissions", "/registrations", listing([]))
    assert site.get("/submitter/registrations").status_code == 200


# --- registrations


def test_the_registrations_of_the_open_period(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get(
        "submissions",
        "/registrations",
        listing(
            [{"entrant": {"name": "Thôn Đoài"}, "targets": {"a1": 85.5}, "created_at": "2026-02-02T01:00:00Z"}], 41
        ),
    )
    page = site.get("/submitter/registrations")
    assert page.status_code == 200
    assert "Đăng ký thi đua" in page.text
    assert "(đang nhận hồ sơ)" in page.text
    assert "a1: 85,5" in page.text
    assert "Trang 1 / 3" in page.text
    assert "(41)" in page.text
    (asked,) = site.backend.asked("GET", "submissions", "/registrations")
    assert (asked.param("period"), asked.param("page_size")) == (OPEN_PERIOD, "20")
    site.english()
    assert "a1: 85.5" in site.get("/submitter/registrations").text


def test_the_registration_form_asks_the_criteria_of_the_entrants_group(site: PortalUnderTest) -> None:
    can_unit(site)
    page = site.get("/submitter/registrations/new", period=OPEN_PERIOD, entrant_id="e-1")
    assert page.status_code == 200
    assert f"Đăng ký thi đua: Năm {OPEN_PERIOD}" in page.text
    assert "a1 – Hồ sơ trực tuyến (%)" in page.text
    assert "a2 –" not in page.text
    (asked,) = site.backend.asked("GET", "submissions", "/campaigns/cmp-1/criteria-sets")
    assert (asked.param("period"), asked.param("group")) == (OPEN_PERIOD, "a")


def test_a_target_that_is_no_number_comes_back_with_what_was_typed(site: PortalUnderTest) -> None:
    can_unit(site)
    page = site.post("/submitter/registrations", {"period": OPEN_PERIOD, "entrant_id": "e-1", "target.a1": "tám"})
    assert page.status_code == 422
    assert 'id="target-a1-error">Phải là một số<' in page.text
    assert 'value="tám"' in page.text
    assert site.backend.asked("POST", "submissions", "/registrations") == []


def test_the_services_refusal_of_a_target_is_shown_on_its_field(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.fail("POST", "submissions", "/registrations", 422, "Không hợp lệ / Invalid",
                      errors={"targets.a1": "Thấp hơn chỉ tiêu chung / Below the default target"})  # fmt: skip
    page = site.post("/submitter/registrations", {"period": OPEN_PERIOD, "entrant_id": "e-1", "target.a1": "7,5",
                                                  "idempotency_key": "k-7"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="target-a1-error">Thấp hơn chỉ tiêu chung<' in page.text
    assert 'value="7,5"' in page.text
    (sent,) = site.backend.asked("POST", "submissions", "/registrations")
    assert sent.body == {"period": OPEN_PERIOD, "entrant_id": "e-1", "targets": {"a1": 7.5}}
    assert sent.headers["idempotency-key"] == "k-7"


# --- dossiers


def dossier(status: str = "draft", **more: Any) -> dict[str, Any]:
    return {
        "id": "d-1", "period": OPEN_PERIOD, "status": status, "version": 1, "submitted_at": None,
        "entrant": UNIT, "updated_at": "2026-03-01T08:00:00+00:00", "return_reasons": [],
        "evidence": {"a1": {"value": 72.5, "level": None, "occurrences": None, "narrative": "Đạt 72,5%",
                            "self_points": 9, "attachments": [{"id": "f-1", "filename": "bao-cao.pdf",
                                                               "size": 4096}]}},
        **more,
    }  # fmt: skip


def test_the_dossiers_of_the_chosen_period(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions", listing([dossier()]))
    page = site.get("/submitter/dossiers", period="2025")
    assert page.status_code == 200
    assert "Hồ sơ thi đua" in page.text
    assert "Thôn Đoài" in page.text
    assert "Nháp" in page.text
    assert '<option value="2025" selected>' in page.text
    (asked,) = site.backend.asked("GET", "submissions", "/submissions")
    assert (asked.param("period"), asked.param("page"), asked.param("page_size")) == ("2025", "1", "20")


def test_a_dossier_refused_by_the_service_keeps_the_entrant_chosen(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions", listing([]))
    site.backend.fail("POST", "submissions", "/submissions", 409, "Đã có hồ sơ / Already filed",
                      errors={"entrant_id": "Đơn vị đã có hồ sơ kỳ này / The unit has a dossier already"})  # fmt: skip
    page = site.post("/submitter/dossiers", {"period": OPEN_PERIOD, "entrant_id": "e-1"})
    assert page.status_code == 422
    assert 'id="entrant_id-error">Đơn vị đã có hồ sơ kỳ này<' in page.text
    assert '<option value="e-1" selected>' in page.text


def test_a_dossier_with_its_criteria_and_evidence(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions/d-1", dossier())
    page = site.get("/submitter/dossiers/d-1")
    assert page.status_code == 200
    assert "Hồ sơ: Thôn Đoài" in page.text
    assert "Tiêu chí và minh chứng" in page.text
    assert 'name="value" type="text" value="72.5"' in page.text
    assert "Đạt 72,5%</textarea>" in page.text
    assert 'href="/submitter/files/f-1"' in page.text
    assert "Nộp hồ sơ" in page.text
    site.english()
    assert "Criteria and evidence" in site.get("/submitter/dossiers/d-1").text


def test_a_returned_dossier_shows_the_reasons(site: PortalUnderTest) -> None:
    can_unit(site)
    reasons = [{"code": "a1", "reason": "Thiếu biên bản"}, {"code": None, "reason": "Bổ sung chữ ký"}]
    site.backend.get("submissions", "/submissions/d-1", dossier("returned", return_reasons=reasons))
    page = site.get("/submitter/dossiers/d-1")
    assert "Hồ sơ bị trả lại để bổ sung — lý do" in page.text
    assert "Cần bổ sung: Thiếu biên bản" in page.text
    assert "Bổ sung chữ ký" in page.text
    assert "Nộp lại hồ sơ" in page.text


def test_evidence_that_is_no_number_comes_back_with_what_was_typed(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions/d-1", dossier())
    page = site.post("/submitter/dossiers/d-1/evidence/a1", {"kind": "ratio", "value": "nhiều", "narrative": "Tốt"})
    assert page.status_code == 422
    assert 'id="a1-value-error">Phải là một số<' in page.text
    assert 'value="nhiều"' in page.text
    assert "Tốt</textarea>" in page.text
    assert site.backend.asked("PUT", "submissions", "/submissions/d-1/evidence/a1") == []


def test_the_services_refusal_of_evidence_is_shown_on_the_criterions_field(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions/d-1", dossier())
    site.backend.fail("PUT", "submissions", "/submissions/d-1/evidence/a2", 422, "Không hợp lệ / Invalid",
                      errors={"evidence.level": "Chọn mức hoàn thành / Choose the level"})  # fmt: skip
    page = site.post("/submitter/dossiers/d-1/evidence/a2", {"kind": "level", "narrative": "Đã làm"})
    assert page.status_code == 422
    assert 'id="a2-level-error">Chọn mức hoàn thành<' in page.text
    assert "Đã làm</textarea>" in page.text
    (sent,) = site.backend.asked("PUT", "submissions", "/submissions/d-1/evidence/a2")
    assert sent.body == {"narrative": "Đã làm"}


def test_attaching_without_a_file_asks_for_one(site: PortalUnderTest) -> None:
    can_unit(site)
    site.backend.get("submissions", "/submissions/d-1", dossier())
    assert site.session is not None
    page = site.client.post(
        "/submitter/dossiers/d-1/evidence/a1/attachments",
        data={"csrf_token": site.session.csrf},
        files={"file": ("", b"", "text/plain")},
    )
    assert page.status_code == 422
    assert 'id="a1-file-error">Hãy chọn một tệp<' in page.text


def test_submitting_leads_back_to_the_dossier_with_a_message(site: PortalUnderTest) -> None:
    site.backend.on("POST", "submissions", "/submissions/d-1/submit", dossier("submitted"))
    answer = site.post("/submitter/dossiers/d-1/submit")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/submitter/dossiers/d-1"
    assert site.flash() == "Đã nộp hồ sơ"


# --- results


def test_the_results_ask_each_service_once_for_the_pages_dossiers(site: PortalUnderTest) -> None:
    other = {**dossier("submitted"), "id": "d-2", "entrant": {**UNIT, "id": "e-2", "name": "Thôn Bắc"}}
    site.backend.get("submissions", "/submissions", listing([dossier("submitted"), other, {**dossier(), "id": "d-3"}]))
    provisional = {"submission_id": "d-1", "total": 81.5, "max_total": 100, "grade": "Tốt / Good",
                   "criteria": [{"code": "a1", "points": 9, "max_points": 10,
                                 "explanation": "72,5% của 80% / 72.5% of 80%"}]}  # fmt: skip
    site.backend.get("scoring", "/scores", {"items": [{"provisional": provisional, "final": None, "rank": None}]})
    site.backend.get(
        "awards",
        "/history",
        listing(
            [
                {
                    "entrant": {"id": "e-2"},
                    "award_name": "Giấy khen xã",
                    "period": "2025",
                    "decision": {"number": "12/QĐ-UBND", "signed_on": "2025-12-20"},
                }
            ]
        ),
    )
    page = site.get("/submitter/results")
    assert page.status_code == 200
    assert "Điểm và khen thưởng" in page.text
    assert "Điểm tạm tính" in page.text
    assert "81,5 / 100 · Tốt" in page.text
    assert "Giấy khen xã (Năm 2025) — 12/QĐ-UBND, 20/12/2025" in page.text
    (scores,) = site.backend.asked("GET", "scoring", "/scores")
    assert scores.params["submission_id"] == ["d-1", "d-2"]  # a draft has no score to ask for
    (history,) = site.backend.asked("GET", "awards", "/history")
    assert history.params["entrant_id"] == ["e-1", "e-2"]
    site.english()
    assert "Provisional score" in site.get("/submitter/results").text


def test_a_failing_scoring_service_shows_the_error_page_on_the_results(site: PortalUnderTest) -> None:
    site.backend.get("submissions", "/submissions", listing([dossier("submitted")]))
    site.backend.fail("GET", "scoring", "/scores", 500, "Lỗi hệ thống / Internal error")
    site.backend.get("awards", "/history", listing([]))
    page = site.get("/submitter/results")
    assert page.status_code == 502
    assert "Lỗi hệ thống" in page.text
    assert "Traceback" not in page.text
