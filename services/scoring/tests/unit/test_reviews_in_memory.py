"""A council member's reviews, in memory (in_memory.Scoring): the dossier they review, their queue, their assessments
and their recusal. The commune's council is lm.council1 (who heads the entrant's unit, so is never asked),
lm.council2 and lm.council3; a dossier wants two reviews unless its policy says otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.service import reviews
from scoring.service.finalisation import close_period
from scoring.service.reviews import AssessmentInput, Recusal
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_platform.audit import entry
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable

from .in_memory import COUNCIL, SCOPE, WITH_ASSESSMENT, Scoring, member, returned, submitted, types

TWO_TO_ASSESS = (
    CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=40, narrative="Sổ sách thôn số hóa"),
    CriterionEvidence(code="a4", theme=4, rule="assessment", max_points=20),
    CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=40, value=40, target=40),
)


@pytest.fixture
async def scoring() -> Scoring:
    return await Scoring.with_council()


async def dossier(scoring: Scoring, criteria: tuple[CriterionEvidence, ...] = WITH_ASSESSMENT, **more: object) -> str:
    envelope = submitted(criteria, **more)
    await scoring.receive(envelope)
    return envelope.subject


async def view(scoring: Scoring, reviewer: str, submission_id: str) -> dict[str, Any]:
    return await reviews.review_view(
        repos=scoring.repos, principal=member(reviewer), scope=SCOPE, submission_id=submission_id
    )


async def recuse(scoring: Scoring, reviewer: str, submission_id: str, reason: str = "Người thân trong đơn vị") -> int:
    return await reviews.recuse(
        repos=scoring.repos,
        principal=member(reviewer),
        scope=SCOPE,
        submission_id=submission_id,
        request=Recusal(reason=reason),
    )


def of_type(events: list[Envelope], event_type: str) -> list[Envelope]:
    return [e for e in events if e.type == event_type]


async def test_a_reviewer_reads_the_criteria_to_assess_and_how_many_reviews_are_in(scoring: Scoring) -> None:
    submission_id = await dossier(scoring, TWO_TO_ASSESS)
    await scoring.assess("lm.council3", submission_id, 30)
    await scoring.assess("lm.council3", submission_id, 15, code="a4")

    seen = await view(scoring, "lm.council2", submission_id)

    assert [(c["code"], c["narrative"]) for c in seen["criteria"]] == [("a3", "Sổ sách thôn số hóa"), ("a4", None)]
    assert (seen["reviews_done"], seen["reviews_wanted"], seen["my_assessments"]) == (1, 2, {})
    assert seen["entrant"]["name"] == "Thôn Đông Hưng"
    blind = await dossier(scoring, policy=ScoringPolicy(blind=True))
    assert (await view(scoring, "lm.council2", blind))["entrant"] is None


async def test_only_a_member_asked_to_review_a_dossier_may_read_it(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)

    with pytest.raises(NotFound):  # lm.council1 heads the entrant's unit: never asked
        await view(scoring, "lm.council1", submission_id)
    with pytest.raises(NotFound, match="no-such-dossier"):
        await view(scoring, "lm.council2", "no-such-dossier")


async def test_a_returned_dossier_is_neither_read_nor_assessed_by_its_reviewers(scoring: Scoring) -> None:
    envelope = submitted(WITH_ASSESSMENT)
    await scoring.receive(envelope)
    await scoring.receive(returned(envelope))

    with pytest.raises(Conflict, match="trả lại"):
        await view(scoring, "lm.council2", envelope.subject)
    with pytest.raises(Conflict, match="trả lại"):
        await scoring.assess("lm.council2", envelope.subject, 20)
    assert await scoring.repos.assessments.find(SCOPE, {}) == []


async def test_a_member_no_longer_on_the_council_may_not_review(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)
    await scoring.seat(tuple(m for m in COUNCIL if m["username"] != "lm.council2"))

    with pytest.raises(Forbidden, match="Hội đồng"):
        await view(scoring, "lm.council2", submission_id)
    with pytest.raises(Forbidden, match="Hội đồng"):
        await scoring.assess("lm.council2", submission_id, 20)


async def test_a_member_whose_roster_now_names_the_entrants_unit_may_not_review_it(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)
    await scoring.seat((*COUNCIL[:1], {"username": "lm.council2", "unit_entrant_ids": ["e-1"]}, *COUNCIL[2:]))

    with pytest.raises(Forbidden, match="Xung đột"):
        await view(scoring, "lm.council2", submission_id)
    with pytest.raises(Forbidden, match="Xung đột"):
        await scoring.assess("lm.council2", submission_id, 20)


async def test_an_assessment_is_of_one_of_the_dossiers_assessment_criteria_within_its_maximum(
    scoring: Scoring,
) -> None:
    submission_id = await dossier(scoring)

    for code in ("b1", "zz"):  # b1 is an indicator, scored by its rule; zz is none of the dossier's criteria
        with pytest.raises(NotFound, match=code):
            await scoring.assess("lm.council2", submission_id, 10, code=code)
    with pytest.raises(Unprocessable) as refused:
        await scoring.assess("lm.council2", submission_id, 40.5)
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["points"]
    assert "40" in refused.value.detail
    assert await scoring.repos.assessments.find(SCOPE, {}) == []
    assert await scoring.settle() == []
    assert (await scoring.assess("lm.council2", submission_id, 40))["my_assessments"]["a3"]["points"] == 40


async def test_a_review_is_done_when_every_criterion_is_assessed_and_points_may_change_until_then(
    scoring: Scoring,
) -> None:
    submission_id = await dossier(scoring, TWO_TO_ASSESS)

    first = await scoring.assess("lm.council2", submission_id, 10)
    assert first["my_assessments"] == {"a3": {"points": 10, "comment": None}}
    assert (await scoring.reviewers(submission_id))["lm.council2"] == "pending"
    changed = await reviews.assess(
        repos=scoring.repos,
        principal=member("lm.council2"),
        scope=SCOPE,
        submission_id=submission_id,
        code="a3",
        request=AssessmentInput(points=32.5, comment="Có minh chứng đầy đủ"),
    )
    assert changed["my_assessments"] == {"a3": {"points": 32.5, "comment": "Có minh chứng đầy đủ"}}
    done = await scoring.assess("lm.council2", submission_id, 18, code="a4")

    assert (done["reviews_done"], (await scoring.reviewers(submission_id))["lm.council2"]) == (1, "done")
    stored = await scoring.repos.assessments.get(SCOPE, f"{submission_id}:1:lm.council2:a3")
    assert stored is not None
    assert (stored["points"], stored["revision"]) == (32.5, 2)
    assert [a["action"] for a in stored["audit"]] == ["assessed", "reassessed"]
    recorded = [e.payload(AssessmentRecorded) for e in of_type(await scoring.settle(), AssessmentRecorded.event_type)]
    assert sorted((r.criterion, r.points) for r in recorded) == [("a3", 10), ("a3", 32.5), ("a4", 18)]


async def test_the_queue_offers_first_the_dossier_with_the_fewest_reviews_done(scoring: Scoring) -> None:
    earlier, later = await dossier(scoring), await dossier(scoring)
    await scoring.assess("lm.council3", earlier, 20)

    offered, waiting = await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE)

    assert offered is not None
    assert (offered["submission_id"], offered["reviews_done"], waiting) == (later, 0, 2)
    await scoring.assess("lm.council2", later, 25)
    offered, waiting = await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE)
    assert offered is not None
    assert (offered["submission_id"], waiting) == (earlier, 1)
    await scoring.assess("lm.council2", earlier, 25)  # its last review: final
    assert await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE) == (None, 0)


async def test_the_queue_leaves_out_a_dossier_returned_before_its_reviews_were_closed(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)
    # the worker marked the score returned and stopped before closing its reviews (a redelivery will finish)
    await scoring.repos.scores.mark_status(
        SCOPE, f"{submission_id}:1", "returned", unless=(), audit=lambda at: entry("u-officer", "returned", at)
    )

    assert len(await scoring.repos.assignments.pending_of(SCOPE, "lm.council2")) == 1
    assert await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE) == (None, 0)


async def test_a_member_dropped_from_the_council_is_offered_nothing_but_told_what_waits(scoring: Scoring) -> None:
    await dossier(scoring)
    await scoring.seat(tuple(m for m in COUNCIL if m["username"] != "lm.council2"))

    assert await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE) == (None, 1)


async def test_a_member_who_recuses_is_replaced_and_sees_the_dossier_no_more(scoring: Scoring) -> None:
    await scoring.seat((*COUNCIL, {"username": "lm.council4"}))
    submission_id = await dossier(scoring)
    assert await scoring.reviewers(submission_id) == {"lm.council2": "pending", "lm.council3": "pending"}

    assert await recuse(scoring, "lm.council2", submission_id, "Con tôi là trưởng thôn") == 1

    assert await scoring.reviewers(submission_id) == {
        "lm.council2": "recused",
        "lm.council3": "pending",
        "lm.council4": "pending",
    }
    assigned = [e.payload(ReviewAssigned) for e in of_type(await scoring.settle(), ReviewAssigned.event_type)]
    assert [(a.reviewer, a.assigned_by) for a in assigned] == [("lm.council4", "u-lm.council2")]
    recusal = await scoring.repos.assignments.get(SCOPE, f"{submission_id}:1:lm.council2")
    assert recusal is not None
    assert recusal["audit"][-1]["changes"] == {"reason": "Con tôi là trưởng thôn"}
    with pytest.raises(NotFound):
        await view(scoring, "lm.council2", submission_id)
    with pytest.raises(NotFound):  # once is enough
        await recuse(scoring, "lm.council2", submission_id)


async def test_a_recusal_that_leaves_no_one_to_ask_finalises_with_the_reviews_that_are_in(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)
    await scoring.assess("lm.council3", submission_id, 30)
    await scoring.settle()

    assert await recuse(scoring, "lm.council2", submission_id) == 0

    published = await scoring.settle()
    assert types(published) == [ScoreFinalised.event_type]
    final = published[0].payload(ScoreFinalised)
    assert (final.total, final.reason) == (90.0, "all_reviews_in")  # 60 + lm.council3's 30


async def test_a_reviewer_who_recuses_after_assessing_no_longer_counts(scoring: Scoring) -> None:
    submission_id = await dossier(scoring)
    await scoring.assess("lm.council2", submission_id, 10)

    assert await recuse(scoring, "lm.council2", submission_id) == 0  # no one left to ask: lm.council3 still reviews
    assert await scoring.repos.finals.latest(SCOPE, submission_id) is None
    await scoring.assess("lm.council3", submission_id, 40)

    final = await scoring.repos.finals.latest(SCOPE, submission_id)
    assert final is not None
    assert final["total"] == 100.0  # 60 + 40: lm.council2's 10 does not count


async def test_no_one_recuses_from_a_dossier_whose_score_is_final_or_that_they_do_not_review(
    scoring: Scoring,
) -> None:
    reviewed, closed = await dossier(scoring), await dossier(scoring, period="2024")
    for reviewer in ("lm.council2", "lm.council3"):
        await scoring.assess(reviewer, reviewed, 20)
    assert await close_period(repos=scoring.repos, scope=SCOPE, period="2024", actor="u-officer") == 1

    with pytest.raises(Conflict, match="chốt"):  # a finished review of a final score stands
        await recuse(scoring, "lm.council2", reviewed)
    with pytest.raises(NotFound):  # the period's close closed the open review
        await recuse(scoring, "lm.council2", closed)
    with pytest.raises(NotFound):
        await recuse(scoring, "lm.council1", reviewed)
    with pytest.raises(NotFound):
        await recuse(scoring, "lm.council2", "no-such-dossier")
    assert (await scoring.reviewers(reviewed))["lm.council2"] == "done"
