"""Ad-hoc awards (khen thưởng đột xuất; docs/adr/0026) over a fake backend (tests/unit/fake_backend.py): the year's
ad-hoc candidates with their achievement and evidence, a proposal for an entrant of the list or one named, refusals
beside their field with what was typed kept, an ad-hoc session convened, and the session page of an ad-hoc
candidate (no score)."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import PortalUnderTest, can_commune, listing

ACHIEVEMENT = "Hướng dẫn 320 người dân kích hoạt VNeID mức 2 trong 10 ngày"


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.COMMUNE_OFFICER, username="lm.officer", name="Phạm Thu Hà")
    can_commune(site.backend)
    return site


def ad_hoc_candidate(**more: Any) -> dict[str, Any]:
    return {
        "id": "c-9", "period": "2026", "round": "ad_hoc", "award_form": "GIAY_KHEN_XA", "total": None, "grade": None,
        "submission_id": None, "status": "under_review", "status_name": "Đang xét / Under review",
        "entrant": {"id": "e-3", "name": "Đội thanh niên tình nguyện thôn Đoài", "kind": "collective",
                    "target_group": "a"},
        "ad_hoc": {"achievement": ACHIEVEMENT, "achieved_on": "2026-10-05", "proposed_by": "lm.officer",
                   "evidence": [{"title": "Báo cáo của Công an xã", "reference": "Số 12/BC-CA, 15/10/2026"}]},
        "computed": None, "officer_review": None, **more,
    }  # fmt: skip


def can_ad_hoc(site: PortalUnderTest) -> None:
    scored = {**ad_hoc_candidate(), "id": "c-1", "round": "yearly", "ad_hoc": None, "total": 91.5,
              "entrant": {"id": "e-1", "name": "Thôn Nam"}}  # fmt: skip
    site.backend.get("awards", "/candidates", listing([ad_hoc_candidate(), scored]))
    site.backend.get("submissions", "/entrants", listing([
        {"id": "e-1", "name": "Thôn Nam", "kind": "collective", "target_group": "a"},
        {"id": "e-2", "name": "Nguyễn Thị Lan", "kind": "individual", "target_group": "d1", "unit_id": "e-1"},
    ]))  # fmt: skip


def test_the_years_ad_hoc_candidates_with_their_achievement_and_evidence(site: PortalUnderTest) -> None:
    can_ad_hoc(site)
    page = site.get("/officer/ad-hoc", year="2026")
    assert page.status_code == 200
    assert "Khen thưởng đột xuất" in page.text
    listed = page.text.split('data-testid="ad-hoc-candidates"')[1].split("</ul>\n<p>")[0]
    assert "Đội thanh niên tình nguyện thôn Đoài" in listed
    assert "Thôn Nam" not in listed  # the round's candidate is not an ad-hoc one
    assert ACHIEVEMENT in listed
    assert "Báo cáo của Công an xã — Số 12/BC-CA, 15/10/2026" in listed
    assert "05/10/2026" in listed
    assert 'href="/officer/sessions?period=2026#convene"' in page.text
    assert '<option value="e-2">Nguyễn Thị Lan</option>' in page.text  # the entrants to choose from
    (asked,) = site.backend.asked("GET", "awards", "/candidates")
    assert asked.param("period") == "2026"


def test_a_proposal_for_an_entrant_of_the_list_sends_its_id_and_the_evidence_lines(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/candidates/ad-hoc", ad_hoc_candidate(), status=201)
    page = site.post("/officer/ad-hoc", {
        "entrant_id": "e-1", "entrant.name": "", "award_form": "GIAY_KHEN_XA", "achievement": f"  {ACHIEVEMENT}  ",
        "achieved_on": "2026-10-05",
        "evidence": "Báo cáo của Công an xã | Số 12/BC-CA, 15/10/2026\n\nẢnh buổi hướng dẫn\n",
    })  # fmt: skip
    assert page.status_code == 303
    assert page.headers["location"] == "/officer/ad-hoc?year=2026#candidate-c-9"
    (sent,) = site.backend.asked("POST", "awards", "/candidates/ad-hoc")
    assert sent.body == {
        "entrant_id": "e-1", "award_form": "GIAY_KHEN_XA", "achievement": ACHIEVEMENT, "achieved_on": "2026-10-05",
        "evidence": [{"title": "Báo cáo của Công an xã", "reference": "Số 12/BC-CA, 15/10/2026"},
                     {"title": "Ảnh buổi hướng dẫn"}],
    }  # fmt: skip
    assert site.flash() == "Đã đề xuất khen thưởng đột xuất cho “Đội thanh niên tình nguyện thôn Đoài”"


def test_a_proposal_for_an_entrant_not_in_the_list_names_it(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/candidates/ad-hoc", ad_hoc_candidate(), status=200)  # already proposed
    page = site.post("/officer/ad-hoc", {
        "entrant_id": "", "entrant.name": "Trần Văn Bình", "entrant.kind": "individual",
        "entrant.target_group": "d1", "entrant.unit_id": "e-1", "award_form": "BANG_KHEN_TINH",
        "achievement": "Cứu người đuối nước", "achieved_on": "2026-07-01", "evidence": "",
    })  # fmt: skip
    assert page.status_code == 303
    (sent,) = site.backend.asked("POST", "awards", "/candidates/ad-hoc")
    assert sent.body["entrant"] == {"name": "Trần Văn Bình", "kind": "individual", "target_group": "d1",
                                    "unit_id": "e-1"}  # fmt: skip
    assert "entrant_id" not in sent.body
    assert sent.body["evidence"] == []


def test_the_services_refusals_are_shown_beside_their_fields_with_what_was_typed(site: PortalUnderTest) -> None:
    can_ad_hoc(site)
    site.backend.fail("POST", "awards", "/candidates/ad-hoc", 422, "Không hợp lệ / Invalid", errors={
        "achieved_on": "Ngày chưa đến / A day to come",
        "evidence.1.title": "Không được để trống / Required",
        "entrant.unit_id": "Không phải đơn vị của xã / Not a unit of the commune",
    })  # fmt: skip
    page = site.post("/officer/ad-hoc", {
        "entrant.name": "Trần Văn Bình", "entrant.kind": "individual", "entrant.target_group": "d1",
        "entrant.unit_id": "e-1", "award_form": "GIAY_KHEN_XA", "achievement": "Cứu người đuối nước",
        "achieved_on": "2026-12-31", "evidence": "Biên bản xác nhận | Số 3\n| Số 4",
    })  # fmt: skip
    assert page.status_code == 422
    assert 'id="achieved_on-error">Ngày chưa đến<' in page.text
    assert 'id="evidence-error">Dòng 2: Không được để trống<' in page.text
    assert 'id="entrant-unit_id-error">Không phải đơn vị của xã<' in page.text
    assert 'value="Trần Văn Bình"' in page.text
    assert "Cứu người đuối nước</textarea>" in page.text
    assert 'value="2026-12-31"' in page.text
    assert '<option value="individual" selected>' in page.text


def test_another_communes_entrant_is_named_beside_the_choice(site: PortalUnderTest) -> None:
    can_ad_hoc(site)
    site.backend.fail("POST", "awards", "/candidates/ad-hoc", 404, "Không tìm thấy / Not found",
                      errors={"entrant_id": "Không phải đối tượng của xã / Not an entrant of the commune"})  # fmt: skip
    page = site.post("/officer/ad-hoc", {"entrant_id": "e-77", "award_form": "GIAY_KHEN_XA",
                                         "achievement": ACHIEVEMENT, "achieved_on": "2026-10-05"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="entrant_id-error">Không phải đối tượng của xã<' in page.text


def test_a_proposal_without_an_entrant_comes_back_before_the_service_is_asked(site: PortalUnderTest) -> None:
    can_ad_hoc(site)
    page = site.post("/officer/ad-hoc", {"entrant_id": "", "entrant.name": "", "award_form": "GIAY_KHEN_XA",
                                         "achievement": ACHIEVEMENT, "achieved_on": "2026-10-05"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="entrant_id-error">Chọn đối tượng trong danh sách' in page.text
    assert ACHIEVEMENT + "</textarea>" in page.text
    assert site.backend.asked("POST", "awards", "/candidates/ad-hoc") == []


def test_an_ad_hoc_session_is_convened_from_the_sessions_form(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/sessions", {"id": "s-9", "candidates": [{"candidate_id": "c-9"}]}, status=201)
    page = site.post("/officer/sessions", {
        "period": "2026", "roster_size": "0", "title": "Phiên họp xét khen thưởng đột xuất", "location": "Hội trường",
        "chair": "lm.chair", "member.0.username": "lm.council1", "member.0.name": "Vũ Minh Đức", "ad_hoc": "true",
    })  # fmt: skip
    assert page.status_code == 303
    (sent,) = site.backend.asked("POST", "awards", "/sessions")
    assert sent.body["ad_hoc"] is True
    assert sent.body["period"] == "2026"


def test_a_rounds_session_sends_no_ad_hoc_flag(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/sessions", {"id": "s-1", "candidates": []}, status=201)
    site.post("/officer/sessions", {"period": "2026", "roster_size": "0", "title": "Phiên họp", "location": "UBND",
                                    "chair": "lm.chair"})  # fmt: skip
    (sent,) = site.backend.asked("POST", "awards", "/sessions")
    assert "ad_hoc" not in sent.body


def test_the_session_page_shows_an_ad_hoc_candidates_achievement_without_a_score(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-9", {
        "id": "s-9", "title": "Phiên họp xét khen thưởng đột xuất", "period": "2026", "round": "ad_hoc",
        "held_at": "2026-12-10T02:00:00Z", "location": "Hội trường UBND xã", "chair": "lm.chair", "secretary": None,
        "ballot_mode": "secret", "status": "convened", "quorum_required": 2, "present": [], "ballots": [],
        "members": [{"username": "lm.council1", "name": "Vũ Minh Đức", "role": "Thành viên"}],
        "candidates": [{"candidate_id": "c-9", "entrant": {"name": "Đội thanh niên tình nguyện"},
                        "award_form": "GIAY_KHEN_XA", "total": None, "grade": None, "recused": [],
                        "achievement": ACHIEVEMENT}],
        "results": [],
    })  # fmt: skip
    page = site.get("/officer/sessions/s-9")
    assert page.status_code == 200
    assert f'<span class="achievement">{ACHIEVEMENT}</span>' in page.text


def test_the_sessions_page_lists_an_ad_hoc_candidate_by_its_achievement(site: PortalUnderTest) -> None:
    site.backend.get("scoring", "/council", {"members": []})
    site.backend.get("awards", "/candidates", listing([ad_hoc_candidate()]))
    site.backend.get("awards", "/sessions", listing([]))
    site.backend.get("awards", "/letterhead", {})
    page = site.get("/officer/sessions", period="2026")
    assert page.status_code == 200
    assert ACHIEVEMENT in page.text
    assert "– điểm" not in page.text
    assert 'name="ad_hoc" value="true"' in page.text


def test_the_members_ballot_paper_shows_an_ad_hoc_candidates_achievement_instead_of_a_score() -> None:
    member = PortalUnderTest()
    member.sign_in(Role.COUNCIL_MEMBER, username="lm.council1", name="Vũ Minh Đức")
    can_commune(member.backend)
    member.backend.get("awards", "/sessions/s-9", {
        "id": "s-9", "title": "Phiên họp xét khen thưởng đột xuất", "period": "2026", "round": "ad_hoc",
        "held_at": "2026-12-10T02:00:00Z", "location": "Hội trường UBND xã", "ballot_mode": "secret",
        "status": "voting", "quorum_required": 2, "present": ["lm.council1"], "ballots": [],
        "members": [{"username": "lm.council1", "name": "Vũ Minh Đức"}],
        "candidates": [{"candidate_id": "c-9", "entrant": {"name": "Đội thanh niên tình nguyện"},
                        "award_form": "GIAY_KHEN_XA", "total": None, "grade": None, "recused": [],
                        "achievement": ACHIEVEMENT}],
        "results": [],
    })  # fmt: skip
    page = member.get("/council/sessions/s-9")
    assert page.status_code == 200
    assert 'name="vote.c-9"' in page.text
    assert f"Thành tích đột xuất: {ACHIEVEMENT}" in page.text
    assert "– điểm" not in page.text
