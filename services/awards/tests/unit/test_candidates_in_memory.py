"""The candidate list without servers (in_memory_awards): the form's rule applied to the period's final scores
(evaluate_list), the officer keeping or taking off a candidate (review) or adding one by hand (add), and the list's
pages. tests/e2e/test_awards_flow.py goes the same way through the HTTP API on the real stack."""

from __future__ import annotations

from typing import Any

import pytest

from awards.domain.aggregates import Candidate
from awards.service.candidates import AddRequest, EvaluateRequest, ReviewRequest, add, evaluate_list, list_candidates
from awards.service.candidates import review as review_candidate
from awards.service.common import candidate_id
from thidua_contracts.awards import AwardCandidateProposed, AwardCandidateReviewed
from thidua_contracts.terms import EntrantRef
from thidua_contracts.testing import LIEN_MINH, entrant
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound, Problem, Unprocessable

from .in_memory_awards import DONG_HUNG, OFFICER, SCHOOL, SCOPE, TAM_DIEP, TAM_DIEP_SCOPE, TEACHER, Awards

YEN_BINH = entrant(id="e-yen-binh", name="Thôn Yên Bình", kind="collective", target_group="a")
DONG_TAM = entrant(id="e-dong-tam", name="Thôn Đồng Tâm", kind="collective", target_group="a")
BAC_SON = entrant(id="e-bac-son", name="Thôn Bắc Sơn", kind="collective", target_group="a")


@pytest.fixture
def awards() -> Awards:
    return Awards()


def cid(who: EntrantRef, form: str = "GIAY_KHEN_XA", period: str = "2025") -> str:
    return candidate_id(LIEN_MINH, period, form, who.id)


async def evaluate(awards: Awards, form: str, period: str = "2025") -> dict[str, dict[str, Any]]:
    """The officer evaluates the form's rule; each entrant's row of the answer by entrant id."""
    rows = await evaluate_list(
        repos=awards.repos, principal=OFFICER, scope=SCOPE, request=EvaluateRequest(period=period, award_form=form)
    )
    return {r["entrant"]["id"]: r for r in rows}


async def review(awards: Awards, identifier: str, *, included: bool, reason: str) -> Candidate:
    request = ReviewRequest(included=included, reason=reason)
    return await review_candidate(
        repos=awards.repos, principal=OFFICER, scope=SCOPE, identifier=identifier, request=request
    )


async def add_by_hand(awards: Awards, submission_id: str, form: str, reason: str = "Thành tích tiêu biểu") -> Candidate:
    request = AddRequest(submission_id=submission_id, award_form=form, reason=reason)
    return await add(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)


def field_of(problem: pytest.ExceptionInfo[Problem]) -> str:
    [error] = problem.value.extensions["errors"]
    return str(error["field"])


async def status(awards: Awards, identifier: str) -> str:
    return str((await awards.candidate(identifier))["status"])


async def test_a_form_not_awarded_in_the_round_cannot_be_evaluated(awards: Awards) -> None:
    with pytest.raises(Unprocessable) as refused:
        await evaluate(awards, "CO_THI_DUA_TINH")  # the provincial flag goes to the final review only
    assert field_of(refused) == "award_form"


async def test_the_provincial_list_takes_the_best_of_each_group_within_the_quota(awards: Awards) -> None:
    for who, total in ((DONG_HUNG, 96), (YEN_BINH, 93), (SCHOOL, 91), (TEACHER, 85)):
        await awards.score(who, total)
    await awards.published()

    rows = await evaluate(awards, "BANG_KHEN_TINH")  # at least 90 points, 10% of each group (at least one)

    assert {k: (r["eligible"], r["rank"]) for k, r in rows.items()} == {
        DONG_HUNG.id: (True, 1),
        YEN_BINH.id: (False, 2),
        SCHOOL.id: (True, 1),
        TEACHER.id: (False, None),
    }
    assert any("hạn mức" in reason for reason in rows[YEN_BINH.id]["reasons"])
    assert any("dưới mức" in reason for reason in rows[TEACHER.id]["reasons"])
    listed = await awards.repos.candidates.find(SCOPE, {"award_form": "BANG_KHEN_TINH"})
    assert sorted(c["entrant"]["id"] for c in listed) == [DONG_HUNG.id, SCHOOL.id]
    assert {(c["status"], c["computed"]["eligible"], c["audit"][0]["actor"]) for c in listed} == {
        ("under_review", True, OFFICER.user_id)
    }
    proposed = [e.payload(AwardCandidateProposed) for e in await awards.published()]
    assert sorted((p.award_form, p.entrant.id, p.total) for p in proposed) == [
        ("BANG_KHEN_TINH", DONG_HUNG.id, 96),
        ("BANG_KHEN_TINH", SCHOOL.id, 91),
    ]


async def test_evaluating_again_with_nothing_changed_writes_nothing(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 96)
    await evaluate(awards, "BANG_KHEN_TINH")
    await awards.published()
    before = await awards.candidate(cid(DONG_HUNG, "BANG_KHEN_TINH"))

    again = await evaluate(awards, "BANG_KHEN_TINH")

    assert again[DONG_HUNG.id]["eligible"] is True
    assert await awards.candidate(cid(DONG_HUNG, "BANG_KHEN_TINH")) == before
    assert await awards.published() == []


async def test_the_commune_list_leaves_out_those_the_quota_does_not_reach(awards: Awards) -> None:
    for who, total in ((DONG_HUNG, 95), (YEN_BINH, 90), (DONG_TAM, 85), (BAC_SON, 82)):
        await awards.score(who, total)  # each meets 80 points: the score alone proposes all four
    assert [await status(awards, cid(w)) for w in (DONG_HUNG, YEN_BINH, DONG_TAM, BAC_SON)] == ["under_review"] * 4

    await evaluate(awards, "GIAY_KHEN_XA")  # 30% of four villages: one

    assert [await status(awards, cid(w)) for w in (DONG_HUNG, YEN_BINH, DONG_TAM, BAC_SON)] == [
        "under_review",
        "excluded",
        "excluded",
        "excluded",
    ]
    left_out = await awards.candidate(cid(YEN_BINH))
    assert left_out["computed"]["eligible"] is False
    assert left_out["audit"][-1]["action"] == "evaluated"


async def test_entrants_tied_at_the_cutoff_stay_off_until_the_officer_adds_one_with_a_reason(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 90)
    await awards.score(YEN_BINH, 90)
    rows = await evaluate(awards, "GIAY_KHEN_XA")
    assert all("đồng điểm ở ngưỡng" in " ".join(r["reasons"]) for r in rows.values())
    assert {await status(awards, cid(DONG_HUNG)), await status(awards, cid(YEN_BINH))} == {"excluded"}
    await awards.published()

    added = await add_by_hand(awards, f"s-{DONG_HUNG.id}-2025", "GIAY_KHEN_XA", "Dẫn đầu phong trào chuyển đổi số")

    assert added["_id"] == cid(DONG_HUNG)
    assert added["status"] == "under_review"
    assert added["officer_review"]["reason"] == "Dẫn đầu phong trào chuyển đổi số"
    [reviewed] = [e.payload(AwardCandidateReviewed) for e in await awards.published()]
    assert (reviewed.candidate_id, reviewed.included, reviewed.reviewed_by) == (cid(DONG_HUNG), True, "u-officer")

    await awards.score(DONG_TAM, 91)  # a better village: the two at 90 now miss the quota outright
    await evaluate(awards, "GIAY_KHEN_XA")
    kept = await awards.candidate(cid(DONG_HUNG))
    assert (kept["status"], kept["computed"]["eligible"]) == ("under_review", False)  # the officer's addition stands
    assert await status(awards, cid(YEN_BINH)) == "excluded"
    assert await status(awards, cid(DONG_TAM)) == "under_review"


async def test_a_barred_entrant_comes_off_the_list_though_the_officer_kept_them_and_returns_when_cleared(
    awards: Awards,
) -> None:
    await awards.score(DONG_HUNG, 95)
    await review(awards, cid(DONG_HUNG), included=True, reason="Giữ trong danh sách")
    await awards.bar(DONG_HUNG, "discipline")

    rows = await evaluate(awards, "GIAY_KHEN_XA")
    assert any("kỷ luật" in reason for reason in rows[DONG_HUNG.id]["reasons"])
    assert await status(awards, cid(DONG_HUNG)) == "excluded"
    with pytest.raises(Unprocessable) as refused:  # the law bars them, not the officer
        await review(awards, cid(DONG_HUNG), included=True, reason="Xét lại")
    assert field_of(refused) == "included"
    assert "discipline" in refused.value.extensions["errors"][0]["message"]

    await awards.bar(DONG_HUNG)  # the discipline ended
    await evaluate(awards, "GIAY_KHEN_XA")
    assert await status(awards, cid(DONG_HUNG)) == "under_review"


async def test_the_officers_removal_stands_when_a_lifted_flag_makes_the_entrant_eligible_again(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 95)
    await awards.bar(DONG_HUNG, "investigation")
    await evaluate(awards, "GIAY_KHEN_XA")
    await awards.published()

    removed = await review(awards, cid(DONG_HUNG), included=False, reason="Đang bị thanh tra,\nchờ kết luận")

    assert (removed["status"], removed["officer_review"]["included"]) == ("excluded", False)
    assert removed["officer_review"]["reason"] == "Đang bị thanh tra,\nchờ kết luận"  # line breaks are kept
    [reviewed] = [e.payload(AwardCandidateReviewed) for e in await awards.published()]
    assert (reviewed.included, reviewed.reason, reviewed.entrant.id) == (
        False,
        "Đang bị thanh tra,\nchờ kết luận",
        DONG_HUNG.id,
    )
    await awards.bar(DONG_HUNG)
    rows = await evaluate(awards, "GIAY_KHEN_XA")
    assert rows[DONG_HUNG.id]["eligible"] is True
    assert await status(awards, cid(DONG_HUNG)) == "excluded"


async def test_before_the_council_the_list_follows_the_newest_dossiers_score(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 93, submission_id="s-first")
    await evaluate(awards, "BANG_KHEN_TINH")
    await awards.score(DONG_HUNG, 96, submission_id="s-again")  # a new dossier replaces the withdrawn one
    await awards.score(DONG_HUNG, 97, submission_id="s-again", version=2)

    rows = await evaluate(awards, "BANG_KHEN_TINH")

    assert rows[DONG_HUNG.id]["total"] == 97
    current = await awards.candidate(cid(DONG_HUNG, "BANG_KHEN_TINH"))
    assert (current["submission_id"], current["submission_version"], current["total"]) == ("s-again", 2, 97)
    assert [a["action"] for a in current["audit"]] == ["evaluated", "evaluated"]


async def test_once_the_council_has_voted_the_list_no_longer_changes_the_candidate(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 92)
    await awards.council()
    passed = await awards.candidate(cid(DONG_HUNG))
    assert passed["status"] == "eligible_here"

    await awards.score(DONG_HUNG, 99, version=2)
    await evaluate(awards, "GIAY_KHEN_XA")
    assert await awards.candidate(cid(DONG_HUNG)) == passed  # it keeps what the council saw
    with pytest.raises(Conflict) as refused:
        await review(awards, cid(DONG_HUNG), included=False, reason="Bỏ")
    assert refused.value.extensions["status_now"] == "eligible_here"


async def test_only_the_communes_own_candidates_can_be_reviewed(awards: Awards) -> None:
    await awards.score(DONG_HUNG, 95, tenant=TAM_DIEP)
    theirs = candidate_id(TAM_DIEP, "2025", "GIAY_KHEN_XA", DONG_HUNG.id)
    assert (await awards.candidate(theirs, TAM_DIEP_SCOPE))["status"] == "under_review"

    for identifier in (theirs, "no-such-candidate"):
        with pytest.raises(NotFound):
            await review(awards, identifier, included=False, reason="Bỏ")
    assert "officer_review" not in await awards.candidate(theirs, TAM_DIEP_SCOPE)


async def test_the_list_is_paged_highest_total_first_within_its_filters(awards: Awards) -> None:
    for who, total in ((DONG_HUNG, 84), (SCHOOL, 97), (TEACHER, 91)):
        await awards.score(who, total)
    await awards.score(YEN_BINH, 88, period="2026")
    await review(awards, cid(TEACHER), included=False, reason="Bỏ")

    def page(number: int) -> PageRequest:
        return PageRequest(page=number, page_size=2)

    first, total = await list_candidates(
        repos=awards.repos, scope=SCOPE, period="2025", award_form="GIAY_KHEN_XA", status=None, paging=page(1)
    )
    second, _ = await list_candidates(
        repos=awards.repos, scope=SCOPE, period="2025", award_form="GIAY_KHEN_XA", status=None, paging=page(2)
    )
    assert total == 3
    assert [c["total"] for c in first + second] == [97, 91, 84]
    excluded, count = await list_candidates(
        repos=awards.repos, scope=SCOPE, period=None, award_form=None, status="excluded", paging=page(1)
    )
    assert (count, [c["entrant"]["id"] for c in excluded]) == (1, [TEACHER.id])


async def test_the_officer_adds_an_entrant_the_rule_leaves_out_and_the_addition_stands(awards: Awards) -> None:
    await awards.score(TEACHER, 85)
    await awards.published()

    added = await add_by_hand(awards, f"s-{TEACHER.id}-2025", "BANG_KHEN_TINH", "Giáo viên dạy giỏi cấp tỉnh")

    assert (added["award_form"], added["status"], added["total"]) == ("BANG_KHEN_TINH", "under_review", 85)
    assert added["officer_review"] == {
        "included": True,
        "reason": "Giáo viên dạy giỏi cấp tỉnh",
        "by": OFFICER.user_id,
        "at": added["officer_review"]["at"],
    }
    assert [a["action"] for a in added["audit"]] == ["added", "reviewed"]
    assert [e.type for e in await awards.published()] == [AwardCandidateReviewed.event_type]
    rows = await evaluate(awards, "BANG_KHEN_TINH")  # 85 is below the province's 90 points
    assert rows[TEACHER.id]["eligible"] is False
    assert await status(awards, added["_id"]) == "under_review"


async def test_an_entrant_is_added_by_hand_only_from_a_final_score_of_the_commune(awards: Awards) -> None:
    await awards.score(SCHOOL, 90, tenant=TAM_DIEP)
    for submission in ("s-unknown", f"s-{SCHOOL.id}-2025"):  # none, and another commune's
        with pytest.raises(Unprocessable) as refused:
            await add_by_hand(awards, submission, "GIAY_KHEN_XA")
        assert field_of(refused) == "submission_id"
    assert await awards.repos.candidates.find(SCOPE, {}) == []


@pytest.mark.parametrize(
    ("who", "period", "form", "field", "why"),
    [
        (SCHOOL, "2025", "CO_THI_DUA_TINH", "award_form", "không xét trong đợt này"),  # a flag: final review only
        (TEACHER, "tong-ket-2030", "CO_THI_DUA_TINH", "award_form", "loại đối tượng"),  # a flag: collectives only
    ],
)
async def test_an_entrant_is_added_by_hand_only_for_a_form_open_to_them(
    awards: Awards, who: EntrantRef, period: str, form: str, field: str, why: str
) -> None:
    await awards.score(who, 99, period=period)
    with pytest.raises(Unprocessable) as refused:
        await add_by_hand(awards, f"s-{who.id}-{period}", form)
    assert field_of(refused) == field
    assert why in refused.value.extensions["errors"][0]["message"]
    assert await awards.repos.candidates.find(SCOPE, {"award_form": form}) == []


async def test_a_barred_entrant_cannot_be_added_by_hand(awards: Awards) -> None:
    await awards.score(TEACHER, 85)
    await awards.bar(TEACHER, "complaint")
    with pytest.raises(Unprocessable) as refused:
        await add_by_hand(awards, f"s-{TEACHER.id}-2025", "BANG_KHEN_TINH")
    assert field_of(refused) == "submission_id"
    assert await awards.repos.candidates.find(SCOPE, {"award_form": "BANG_KHEN_TINH"}) == []
