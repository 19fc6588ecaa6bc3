"""Scoring's handlers and use cases without servers, as its worker runs them (in_memory.Scoring): submissions scored,
reviewers assigned, returns and withdrawals followed, final scores marking the index."""

from __future__ import annotations

import pytest

from scoring.service import reviews
from scoring.service.finalisation import close_period
from scoring.service.index import recompute_marked
from thidua_contracts.scoring import AssessmentRecorded, IndexComputed, ReviewAssigned, ScoreComputed, ScoreFinalised
from thidua_contracts.submissions import (
    CriteriaSetPublished,
    EntrantRecorded,
    ScoringPolicy,
    SubmissionReturned,
    SubmissionWithdrawn,
)
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of
from thidua_platform.problems import Conflict, NotFound

from .in_memory import INDICATORS, SCOPE, WITH_ASSESSMENT, Scoring, member, submitted, types


@pytest.fixture
async def scoring() -> Scoring:
    return await Scoring.with_council()


async def test_a_dossier_with_nothing_to_assess_is_final_at_once(scoring: Scoring) -> None:
    envelope = submitted(INDICATORS)
    published = await scoring.receive(envelope)

    assert types(published) == sorted([ScoreComputed.event_type, ScoreFinalised.event_type])
    final = next(e for e in published if e.type == ScoreFinalised.event_type).payload(ScoreFinalised)
    assert (final.total, final.grade, final.reason) == (90.0, "Xuất sắc", "nothing_to_review")
    stored = await scoring.repos.finals.latest(SCOPE, envelope.subject)
    assert stored is not None
    assert stored["total"] == 90.0
    # the final score, delivered back to scoring's own handler, marks the commune's index of the period
    assert {(m["tenant"], m["period"]) for m in await scoring.repos.index_queue.marked()} == {(LIEN_MINH, "2025")}
    assert await recompute_marked(repos=scoring.repos) == 1
    assert types(await scoring.bus.settle()) == [IndexComputed.event_type]


async def test_a_redelivered_submission_changes_nothing(scoring: Scoring) -> None:
    envelope = submitted(INDICATORS)
    first = await scoring.receive(envelope)
    again = await scoring.receive(envelope)

    assert again == []
    assert len(first) == 2
    assert len(await scoring.repos.scores.find(SCOPE, {"submission_id": envelope.subject})) == 1


async def test_assessment_criteria_go_to_reviewers_without_a_conflict_and_the_last_review_finalises(
    scoring: Scoring,
) -> None:
    envelope = submitted(WITH_ASSESSMENT, policy=ScoringPolicy(reviewers=2))
    published = await scoring.receive(envelope)

    assert types(published) == sorted([ReviewAssigned.event_type] * 2 + [ScoreComputed.event_type])
    # lm.council1 heads the entrant's unit (e-1): never asked
    assert sorted(e.data["reviewer"] for e in published if e.type == ReviewAssigned.event_type) == [
        "lm.council2",
        "lm.council3",
    ]
    assert await scoring.repos.finals.latest(SCOPE, envelope.subject) is None

    for reviewer, points in (("lm.council2", 30), ("lm.council3", 40)):
        await scoring.assess(reviewer, envelope.subject, points)
    published = [e for e in await scoring.bus.settle() if e.source == "thidua/scoring"]

    assert types(published) == sorted([AssessmentRecorded.event_type] * 2 + [ScoreFinalised.event_type])
    final = next(e for e in published if e.type == ScoreFinalised.event_type).payload(ScoreFinalised)
    assert (final.total, final.reason) == (95.0, "all_reviews_in")  # 60 + the mean of 30 and 40
    with pytest.raises(Conflict, match="chốt"):
        await scoring.assess("lm.council2", envelope.subject, 10)


async def test_a_member_with_a_conflict_cannot_assess(scoring: Scoring) -> None:
    envelope = submitted(WITH_ASSESSMENT)
    await scoring.receive(envelope)

    with pytest.raises(NotFound):
        await scoring.assess("lm.council1", envelope.subject, 10)


@pytest.mark.parametrize("change", ["returned", "withdrawn"])
async def test_a_returned_or_withdrawn_dossier_leaves_the_reviewers_queues(scoring: Scoring, change: str) -> None:
    envelope = submitted(WITH_ASSESSMENT)
    await scoring.receive(envelope)
    common = {"submission_id": envelope.subject, "version": 1, "period": "2025", "entrant": entrant()}
    follow = (
        SubmissionReturned(**common, submitted_by="u-1", returned_by="u-officer", reasons=())
        if change == "returned"
        else SubmissionWithdrawn(**common, withdrawn_by="u-1")
    )
    await scoring.receive(envelope_of(follow))

    score = await scoring.repos.scores.latest(SCOPE, envelope.subject)
    assert score is not None
    assert score["status"] == change
    assignments = await scoring.repos.assignments.of_version(SCOPE, envelope.subject, 1)
    assert {a["status"] for a in assignments} == {"closed"}
    view, waiting = await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE)
    assert (view, waiting) == (None, 0)
    # nothing final: the period's close leaves a returned or withdrawn dossier out
    assert await close_period(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 0


async def test_closing_the_period_finalises_with_the_reviews_that_are_in(scoring: Scoring) -> None:
    envelope = submitted(WITH_ASSESSMENT)
    await scoring.receive(envelope)

    assert await close_period(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 1
    published = [e for e in await scoring.bus.settle() if e.source == "thidua/scoring"]
    assert types(published) == [ScoreFinalised.event_type]
    assert published[0].payload(ScoreFinalised).reason == "period_closed"


async def test_criteria_sets_and_entrants_are_kept_once(scoring: Scoring) -> None:
    published = CriteriaSetPublished(
        criteria_set_id="cs-1",
        campaign_id="c-1",
        period="2025",
        target_group="a",
        version=1,
        max_total=100,
        criteria=INDICATORS,
    )
    recorded = EntrantRecorded(entrant_id="e-7", kind="collective", target_group="a")
    for _ in range(2):  # a redelivery replaces with the same
        assert await scoring.receive(envelope_of(published)) == []
        assert await scoring.receive(envelope_of(recorded)) == []

    assert len(await scoring.repos.criteria_sets.find(SCOPE, {})) == 1
    assert await scoring.repos.entrants.communes_of(["e-7", "e-8"]) == {"e-7": LIEN_MINH}
