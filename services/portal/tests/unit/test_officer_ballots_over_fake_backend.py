"""The officer's part in a council's vote over a fake backend (tests/unit/fake_backend.py): choosing the counting
committee when opening the vote, recording an absent member's written opinion, and entering the counting committee's
count of a paper vote; each form sends what the service expects and, refused, shows the error beside its field."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import OPEN_PERIOD, PortalUnderTest, can_commune
from .test_officer_sessions_over_fake_backend import can_sessions, council_session


@pytest.fixture
def site() -> PortalUnderTest:
    site = PortalUnderTest()
    site.sign_in(Role.COMMUNE_OFFICER, username="lm.officer", name="Phạm Thu Hà")
    can_commune(site.backend)
    return site


def paper_session(**changes: Any) -> dict[str, Any]:
    """Voting on paper, lm.chair present and lm.council1 absent, nobody's opinion in yet."""
    return council_session("voting") | {"counting": "paper", "present": ["lm.chair"], "ballots": []} | changes


def test_opening_the_vote_sends_the_counting_committee_its_head_first(site: PortalUnderTest) -> None:
    site.backend.on("POST", "awards", "/sessions/s-1/open", council_session("voting"))
    form = [("present", "lm.council1"), ("present", "lm.chair"), ("committee_head", "lm.chair"),
            ("committee", "lm.council1"), ("committee", "lm.chair")]  # fmt: skip
    answer = site.post("/officer/sessions/s-1/open", form)
    assert answer.status_code == 303
    (sent,) = site.backend.asked("POST", "awards", "/sessions/s-1/open")
    assert sent.body == {"present": ["lm.council1", "lm.chair"], "counting_committee": ["lm.chair", "lm.council1"]}


def test_a_paper_vote_shows_the_count_form_and_the_absent_members_opinion_form(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-1", paper_session(counting_committee=["lm.chair"]))
    page = site.get("/officer/sessions/s-1")
    assert page.status_code == 200
    assert "Kết quả kiểm phiếu của Ban kiểm phiếu" in page.text
    assert 'name="yes.c-1"' in page.text
    assert 'action="/officer/sessions/s-1/written/lm.council1"' in page.text
    assert 'action="/officer/sessions/s-1/written/lm.chair"' not in page.text  # present: votes in person
    assert "Trần Thị Bình (Trưởng ban)" in page.text


def test_the_committees_count_is_sent_as_numbers_and_a_refusal_names_the_candidate(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/sessions/s-1", paper_session())
    site.backend.fail("PUT", "awards", "/sessions/s-1/paper-count", 422, "Không khớp / The count does not add up",
                      errors={"candidates.0": "3 phiếu, vượt 1 phiếu hợp lệ / more votes than 1 valid papers",
                              "valid": "nhiều hơn số phiếu thu về / more than returned"})  # fmt: skip
    form = {"issued": "1", "returned": "1", "valid": "2", "yes.c-1": "3", "no.c-1": "", "abstain.c-1": "0"}
    page = site.post("/officer/sessions/s-1/paper-count", form)
    assert page.status_code == 422
    assert 'id="count-c-1-error">3 phiếu, vượt 1 phiếu hợp lệ<' in page.text
    assert 'id="valid-error">nhiều hơn số phiếu thu về<' in page.text
    (sent,) = site.backend.asked("PUT", "awards", "/sessions/s-1/paper-count")
    assert sent.body == {
        "issued": 1, "returned": 1, "valid": 2,
        "candidates": [{"candidate_id": "c-1", "yes": 3, "no": 0, "abstain": 0}],
    }  # fmt: skip


def test_a_written_opinion_is_sent_for_the_member_named_in_the_path(site: PortalUnderTest) -> None:
    site.backend.on("PUT", "awards", "/sessions/s-1/written-opinions/lm.council1", paper_session())
    answer = site.post("/officer/sessions/s-1/written/lm.council1", {"vote.c-1": "no"})
    assert answer.status_code == 303
    assert site.flash() == "Đã ghi ý kiến bằng văn bản"
    (sent,) = site.backend.asked("PUT", "awards", "/sessions/s-1/written-opinions/lm.council1")
    assert sent.body == {"votes": [{"candidate_id": "c-1", "vote": "no"}]}


def test_the_convening_form_seats_the_standing_council_with_names_places_chair_and_secretary(
    site: PortalUnderTest,
) -> None:
    can_sessions(site)
    council = [
        {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "council_role": "chair"},
        {"username": "lm.council1", "name": "Trần Thị Thủy", "council_role": "member"},
        {"username": "lm.council2", "name": "Lê Văn Đức", "council_role": "secretary"},
    ]
    site.backend.get("scoring", "/council", {"members": council, "established_by": None})
    page = site.get("/officer/sessions", period=OPEN_PERIOD)
    assert page.status_code == 200
    for expected in (
        'name="member.0.name" type="text" value="Nguyễn Văn Hưng"',
        'name="member.0.role" type="text" value="Chủ tịch Hội đồng"',
        'name="member.2.role" type="text" value="Thư ký Hội đồng"',
        'name="chair" type="text" value="lm.chair"',
        'name="secretary" type="text" value="lm.council2"',
    ):  # fmt: skip
        assert expected in page.text
