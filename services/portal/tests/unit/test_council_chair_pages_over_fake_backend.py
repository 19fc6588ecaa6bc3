"""The council member's and the commune chairman's pages over a fake backend (tests/unit/fake_backend.py): the
review queue, a review with its scoring form and recusal, the sessions and the ballot paper, the decisions and the
proposals upward. Each renders what the services answered (Vietnamese first, English on request), asks them for the
chosen period, keeps what was typed when a form comes back with its errors, and is refused to other roles."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import OPEN_PERIOD, PortalUnderTest, can_commune, listing


def signed_in(role: Role, username: str) -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(role, username=username, name="Vũ Minh Đức" if role == Role.COUNCIL_MEMBER else "Trần Thị Bình")
    can_commune(site.backend)
    return site


@pytest.fixture
def member() -> PortalUnderTest:
    return signed_in(Role.COUNCIL_MEMBER, "lm.council1")


@pytest.fixture
def chair() -> PortalUnderTest:
    return signed_in(Role.COMMUNE_CHAIR, "lm.chair")


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (Role.SUBMITTER, ("/council/reviews", "/council/reviews/d-1", "/council/sessions", "/council/sessions/s-1",
                          "/chair/decisions", "/chair/proposals", "/chair/proposals/p-1")),
        (Role.COMMUNE_OFFICER, ("/council/reviews", "/council/sessions", "/chair/decisions", "/chair/proposals")),
        (Role.COMMUNE_CHAIR, ("/council/reviews", "/council/reviews/d-1")),  # the chairman votes, does not score
        (Role.COUNCIL_MEMBER, ("/chair/decisions", "/chair/proposals", "/chair/proposals/p-1")),
        (Role.PROVINCE_STAFF, ("/council/sessions", "/chair/decisions")),
    ],
)  # fmt: skip
def test_other_roles_are_refused(role: Role, paths: tuple[str, ...]) -> None:
    site = PortalUnderTest()
    site.sign_in(role)
    for path in paths:
        page = site.get(path)
        assert page.status_code == 403, path
        assert "Bạn không có quyền xem trang này" in page.text
    assert site.backend.calls == []


# --- reviews


def review_view(**more: Any) -> dict[str, Any]:
    return {
        "submission_id": "d-1", "blind": False, "entrant": {"name": "Thôn Đoài"}, "period": OPEN_PERIOD,
        "submission_version": 2, "reviews_done": 1, "reviews_wanted": 3,
        "criteria": [{"code": "a2", "title": "Mô hình chuyển đổi số", "max_points": 20,
                      "narrative": "Chợ 4.0 ở thôn Đoài", "attachments": [{"id": "f-1", "filename": "anh.jpg",
                                                                            "size": 10240}]}],
        "my_assessments": {}, **more,
    }  # fmt: skip


def test_the_review_queue_shows_the_next_dossier(member: PortalUnderTest) -> None:
    member.backend.get("scoring", "/reviews/queue", {"next": review_view(), "waiting": 4})
    page = member.get("/council/reviews")
    assert page.status_code == 200
    assert "Hồ sơ cần chấm" in page.text
    assert "Thôn Đoài" in page.text
    assert 'data-testid="waiting">Hồ sơ đang chờ bạn chấm: <strong>4</strong>' in page.text
    assert 'href="/council/reviews/d-1"' in page.text
    member.english()
    assert "Review queue" in member.get("/council/reviews").text


def test_a_blind_review_leaves_the_entrant_out(member: PortalUnderTest) -> None:
    member.backend.get("scoring", "/reviews/d-1", review_view(blind=True, entrant=None,
                                                               my_assessments={"a2": {"points": 17.5,
                                                                                      "comment": "Tốt"}}))  # fmt: skip
    page = member.get("/council/reviews/d-1")
    assert page.status_code == 200
    assert "Chấm kín: không hiển thị tên" in page.text
    assert "Thôn Đoài" not in page.text
    assert 'name="a2.points" type="text" value="17,5"' in page.text
    assert "Tốt</textarea>" in page.text


def test_points_that_are_no_number_come_back_with_what_was_typed(member: PortalUnderTest) -> None:
    member.backend.get("scoring", "/reviews/d-1", review_view())
    page = member.post("/council/reviews/d-1", {"a2.points": "mười bảy", "a2.comment": "Khá"})
    assert page.status_code == 422
    assert 'id="a2-points-error">Phải là một số<' in page.text
    assert 'value="mười bảy"' in page.text
    assert "Khá</textarea>" in page.text
    assert "Đã lưu 0 tiêu chí" in page.text
    assert member.backend.asked("PUT", "scoring", "/reviews/d-1/assessments/a2") == []


def test_the_services_refusal_of_points_is_shown_on_the_criterion(member: PortalUnderTest) -> None:
    member.backend.get("scoring", "/reviews/d-1", review_view())
    member.backend.fail("PUT", "scoring", "/reviews/d-1/assessments/a2", 422, "Không hợp lệ / Invalid",
                        errors={"points": "Tối đa 20 điểm / At most 20 points"})  # fmt: skip
    page = member.post("/council/reviews/d-1", {"a2.points": "21,5", "a2.comment": ""})
    assert page.status_code == 422
    assert 'id="a2-points-error">Tối đa 20 điểm<' in page.text
    assert 'value="21,5"' in page.text
    (sent,) = member.backend.asked("PUT", "scoring", "/reviews/d-1/assessments/a2")
    assert sent.body == {"points": 21.5, "comment": None}


def test_stepping_aside_needs_a_reason(member: PortalUnderTest) -> None:
    member.backend.get("scoring", "/reviews/d-1", review_view())
    page = member.post("/council/reviews/d-1/recuse", {"reason": ""})
    assert page.status_code == 422
    assert 'id="reason-error">Hãy nêu lý do xin không chấm<' in page.text
    member.backend.on("POST", "scoring", "/reviews/d-1/recuse", status=204)
    answer = member.post("/council/reviews/d-1/recuse", {"reason": "Hồ sơ của thôn tôi"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/council/reviews"


# --- sessions and ballots


def council_session(status: str = "voting", ballots: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": "s-1", "title": "Phiên họp xét khen thưởng năm 2026", "period": OPEN_PERIOD,
        "held_at": "2026-12-10T02:00:00Z", "location": "Hội trường UBND xã", "ballot_mode": "secret",
        "status": status, "quorum_required": 2,
        "members": [{"username": "lm.council1", "name": "Vũ Minh Đức"},
                    {"username": "lm.chair", "name": "Trần Thị Bình"}],
        "present": ["lm.council1", "lm.chair"], "ballots": ballots or [],
        "candidates": [
            {"candidate_id": "c-1", "entrant": {"name": "Thôn Đoài"}, "award_form": "GIAY_KHEN_XA", "total": 91.5,
             "grade": "Xuất sắc / Excellent", "recused": []},
            {"candidate_id": "c-2", "entrant": {"name": "Thôn Bắc"}, "award_form": "GIAY_KHEN_XA", "total": 88,
             "grade": "Tốt / Good", "recused": [{"member": "lm.council1"}]},
        ],
        "results": [],
    }  # fmt: skip


def test_the_sessions_of_the_chosen_period_with_the_members_ballot(member: PortalUnderTest) -> None:
    member.backend.get("awards", "/sessions", listing([council_session()]))
    page = member.get("/council/sessions", period="2025")
    assert page.status_code == 200
    assert "Phiên họp Hội đồng và bỏ phiếu" in page.text
    assert "Phiên họp xét khen thưởng năm 2026" in page.text
    assert "Đang biểu quyết" in page.text
    assert "Chưa bỏ phiếu" in page.text
    (asked,) = member.backend.asked("GET", "awards", "/sessions")
    assert (asked.param("period"), asked.param("page_size")) == ("2025", "200")


def test_the_ballot_paper_leaves_out_the_candidates_the_member_is_recused_from(member: PortalUnderTest) -> None:
    member.backend.get("awards", "/sessions/s-1", council_session())
    page = member.get("/council/sessions/s-1")
    assert page.status_code == 200
    assert "Phiếu biểu quyết" in page.text
    assert 'name="vote.c-1"' in page.text
    assert 'name="vote.c-2"' not in page.text
    assert "Bạn không biểu quyết đối với" in page.text
    assert "Thôn Bắc" in page.text
    member.english()
    assert "Ballot paper" in member.get("/council/sessions/s-1").text


def test_a_ballot_leaving_a_candidate_without_a_vote_comes_back(chair: PortalUnderTest) -> None:
    chair.backend.get("awards", "/sessions/s-1", council_session())
    page = chair.post("/council/sessions/s-1/ballot", {"vote.c-1": "yes"})
    assert page.status_code == 422
    assert 'id="vote-c-2-error">Hãy chọn Đồng ý hoặc Không đồng ý<' in page.text
    assert 'name="vote.c-1" value="yes" required checked' in page.text  # the vote given is kept
    assert chair.backend.asked("PUT", "awards", "/sessions/s-1/ballot") == []


def test_a_ballot_cast(member: PortalUnderTest) -> None:
    member.backend.get("awards", "/sessions/s-1", council_session())
    member.backend.on("PUT", "awards", "/sessions/s-1/ballot", {"member": "lm.council1"})
    answer = member.post("/council/sessions/s-1/ballot", {"vote.c-1": "no"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/council/sessions/s-1"
    (sent,) = member.backend.asked("PUT", "awards", "/sessions/s-1/ballot")
    assert sent.body == {"votes": [{"candidate_id": "c-1", "vote": "no"}]}
    assert member.flash() == "Bạn đã bỏ phiếu"


# --- the chairman's decisions and proposals


def candidate(n: int, form: str = "GIAY_KHEN_XA") -> dict[str, Any]:
    return {"id": f"c-{n}", "award_form": form, "total": 90 - n, "entrant": {"name": f"Thôn {n}"},
            "grade": "Xuất sắc / Excellent", "council": {"yes": 5}}  # fmt: skip


def can_decisions(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/candidates", listing([candidate(1), candidate(2)]))
    site.backend.get(
        "awards",
        "/decisions",
        listing(
            [
                {
                    "number": "7/QĐ-UBND",
                    "signed_on": "2026-12-01",
                    "award_form": "GIAY_KHEN_XA",
                    "pdf": "/decisions/q-7/document.pdf",
                    "recipients": [{"entrant": {"name": "Thôn 9"}}],
                }
            ]
        ),
    )


def test_the_decisions_page_lists_the_chosen_periods_candidates(chair: PortalUnderTest) -> None:
    can_decisions(chair)
    page = chair.get("/chair/decisions", period="2025")
    assert page.status_code == 200
    assert "Quyết định khen thưởng" in page.text
    assert "Chờ quyết định" in page.text
    assert "Giấy khen của Chủ tịch UBND xã" in page.text
    assert "Thôn 1" in page.text
    assert "Thôn 2" in page.text
    assert "7/QĐ-UBND" in page.text
    assert 'href="/chair/decisions/q-7/document.pdf"' in page.text
    assert 'value="Trần Thị Bình"' in page.text  # the signer, by default the chairman
    (candidates,) = chair.backend.asked("GET", "awards", "/candidates")
    assert (candidates.param("period"), candidates.param("status")) == ("2025", "eligible_here")
    assert chair.backend.asked("GET", "awards", "/decisions")[0].param("period") == "2025"
    chair.english()
    assert "Award decisions" in chair.get("/chair/decisions").text


def test_a_decision_without_its_number_comes_back_with_the_candidates_chosen(chair: PortalUnderTest) -> None:
    can_decisions(chair)
    page = chair.post("/chair/decisions", [
        ("award_form", "GIAY_KHEN_XA"), ("period", OPEN_PERIOD), ("number", ""), ("signed_on", "2026-12-05"),
        ("signer_name", "Trần Thị Bình"), ("candidate_ids", "c-2"),
    ])  # fmt: skip
    assert page.status_code == 422
    assert 'id="GIAY_KHEN_XA-number-error">Không được để trống<' in page.text
    assert 'value="c-2" checked' in page.text
    assert 'value="c-1" checked' not in page.text
    assert 'value="2026-12-05"' in page.text
    assert chair.backend.asked("POST", "awards", "/decisions") == []


def test_the_services_refusal_of_a_decision_is_shown_on_its_field(chair: PortalUnderTest) -> None:
    can_decisions(chair)
    chair.backend.fail("POST", "awards", "/decisions", 409, "Trùng số / Duplicate number",
                       errors={"number": "Số quyết định đã dùng / The number is taken"})  # fmt: skip
    page = chair.post("/chair/decisions", [
        ("award_form", "GIAY_KHEN_XA"), ("period", OPEN_PERIOD), ("number", "7/QĐ-UBND"), ("signed_on", "2026-12-05"),
        ("signer_name", "Trần Thị Bình"), ("candidate_ids", "c-1"),
    ])  # fmt: skip
    assert page.status_code == 422
    assert 'id="GIAY_KHEN_XA-number-error">Số quyết định đã dùng<' in page.text
    assert 'value="7/QĐ-UBND"' in page.text
    assert "Trùng số" in page.text
    (sent,) = chair.backend.asked("POST", "awards", "/decisions")
    assert sent.body == {
        "award_form": "GIAY_KHEN_XA",
        "period": OPEN_PERIOD,
        "number": "7/QĐ-UBND",
        "signed_on": "2026-12-05",
        "signer_name": "Trần Thị Bình",
        "candidate_ids": ["c-1"],
    }


def proposal(status: str = "province_awarded") -> dict[str, Any]:
    return {
        "id": "p-1", "number": "15/TTr-UBND", "signed_on": "2026-12-02", "period": OPEN_PERIOD,
        "award_form": "BANG_KHEN_TINH", "status": status, "status_name": "Tỉnh đã khen / Awarded by the province",
        "signer_name": "Trần Thị Bình", "addressee": "Chủ tịch UBND tỉnh", "tenant": "ph-37-lien-minh",
        "recipients": [{"entrant": {"name": "Thôn Đoài"}, "total": 95, "grade": "Xuất sắc / Excellent"}],
        "province_outcome": {"level": "province", "outcome": "awarded", "number": "88/QĐ-UBND",
                             "signed_on": "2026-12-20", "issuer": "Chủ tịch UBND tỉnh", "reason": None,
                             "at": "2026-12-20T03:00:00Z"},
        "central_outcome": None,
    }  # fmt: skip


def test_the_proposals_page_lists_the_upward_candidates_and_the_answers(chair: PortalUnderTest) -> None:
    chair.backend.get("awards", "/candidates", listing([candidate(3, "BANG_KHEN_TINH")]))
    chair.backend.get("awards", "/proposals", listing([proposal()]))
    page = chair.get("/chair/proposals")
    assert page.status_code == 200
    assert "Tờ trình đề nghị cấp trên khen thưởng" in page.text
    assert "Thôn 3" in page.text
    assert "15/TTr-UBND" in page.text
    assert "Tỉnh đã khen" in page.text
    assert "88/QĐ-UBND" in page.text
    assert 'value="Chủ tịch Ủy ban nhân dân tỉnh (qua Sở Nội vụ)"' in page.text
    (candidates,) = chair.backend.asked("GET", "awards", "/candidates")
    assert (candidates.param("period"), candidates.param("status")) == (OPEN_PERIOD, "eligible_upward")


def test_a_proposal_with_its_dossier(chair: PortalUnderTest) -> None:
    chair.backend.get("awards", "/proposals/p-1", proposal())
    chair.backend.get("awards", "/proposals/p-1/dossier", {
        "documents": [{"kind": "to-trinh", "title": "Tờ trình / Proposal",
                       "href": "/proposals/p-1/documents/to-trinh.pdf"}],
        "evidence": [{"entrant": "Thôn Đoài", "criterion": "a2", "filename": "anh.jpg"}],
    })  # fmt: skip
    page = chair.get("/chair/proposals/p-1")
    assert page.status_code == 200
    assert "Tờ trình số 15/TTr-UBND" in page.text
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page.text
    assert 'href="/chair/proposals/p-1/documents/to-trinh.pdf"' in page.text
    assert "anh.jpg" in page.text


def test_a_failing_awards_service_shows_the_error_page_to_the_chairman(chair: PortalUnderTest) -> None:
    chair.backend.fail("GET", "awards", "/candidates", 503, "Dịch vụ tạm dừng / Service unavailable")
    page = chair.get("/chair/decisions")
    assert page.status_code == 502
    assert "Dịch vụ tạm dừng" in page.text
    assert "Traceback" not in page.text
