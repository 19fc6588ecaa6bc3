"""What people read of scores, in memory (in_memory.Scoring): a dossier's breakdown with its rank in its target group,
several dossiers' at once, and the commune's leaderboard. Dossiers are scored by the worker's handlers as they arrive;
one with indicators only is final at once."""

from __future__ import annotations

import uuid

import pytest

from scoring.service import views
from thidua_contracts.roles import Role
from thidua_contracts.submissions import CriterionEvidence
from thidua_contracts.testing import LIEN_MINH, entrant
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.problems import NotFound
from thidua_platform.tenancy import Scope

from .in_memory import (
    OFFICER,
    SCOPE,
    TAM_DIEP,
    WITH_ASSESSMENT,
    Scoring,
    member,
    resubmitted,
    returned,
    submitted,
    withdrawn,
)

HOA = Principal("u-hoa", "lm.hoa", frozenset({Role.SUBMITTER}), tenant=LIEN_MINH, province="37")
CHAIR = Principal("u-chair", "lm.chair", frozenset({Role.COMMUNE_CHAIR}), tenant=LIEN_MINH, province="37")
STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province="37")
OTHER_PROVINCE = Principal("u-qn", "qn.staff", frozenset({Role.PROVINCE_STAFF}), province="22")


def scored(total: float, *, name: str = "Thôn Đông Hưng", group: str = "a", **overrides: object) -> Envelope:
    """A dossier of one indicator worth `total` of 100 points, submitted by Hoa: final as soon as it is scored."""
    criteria = (CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=100, value=total, target=100),)
    fields: dict[str, object] = {"submitted_by": HOA.user_id} | overrides
    return submitted(criteria, entrant=entrant(id=str(uuid.uuid4()), name=name, target_group=group), **fields)


@pytest.fixture
async def scoring() -> Scoring:
    return await Scoring.with_council()


async def arrive(scoring: Scoring, *envelopes: Envelope) -> list[str]:
    """Each event delivered to scoring's handlers in turn; the dossiers' ids."""
    for envelope in envelopes:
        await scoring.receive(envelope)
    return [envelope.subject for envelope in envelopes]


async def test_a_final_dossier_is_read_with_its_rank_among_its_own_target_group(scoring: Scoring) -> None:
    ninety, seventy, _other_group = await arrive(scoring, scored(90), scored(70), scored(95, group="b"))

    answer = await views.breakdown(repos=scoring.repos, principal=OFFICER, submission_id=seventy)

    assert answer["rank"] == 2  # behind the 90 of group a; the 95 of group b is another ranking
    assert (answer["provisional"]["submission_id"], answer["provisional"]["total"]) == (seventy, 70.0)
    assert (answer["final"]["total"], answer["final"]["grade"], answer["final"]["reason"]) == (
        70.0,
        "Khá",
        "nothing_to_review",
    )
    best = await views.breakdown(repos=scoring.repos, principal=CHAIR, submission_id=ninety)
    assert (best["rank"], best["final"]["grade"]) == (1, "Xuất sắc")


async def test_a_dossier_still_under_review_has_a_provisional_score_but_no_final_one_and_no_rank(
    scoring: Scoring,
) -> None:
    (dossier,) = await arrive(scoring, submitted(WITH_ASSESSMENT, submitted_by=HOA.user_id))

    answer = await views.breakdown(repos=scoring.repos, principal=OFFICER, submission_id=dossier)

    assert (answer["final"], answer["rank"]) == (None, None)
    points = {c["code"]: c["points"] for c in answer["provisional"]["criteria"]}
    assert points == {"a3": 0.0, "b1": 60.0}  # the council's criterion waits for its reviews
    assert answer["provisional"]["total"] == 60.0


async def test_a_submitter_reads_the_dossiers_they_submitted_and_no_one_elses(scoring: Scoring) -> None:
    hers, theirs = await arrive(scoring, scored(80), scored(85, submitted_by="u-lan"))

    assert (await views.breakdown(repos=scoring.repos, principal=HOA, submission_id=hers))["rank"] == 2
    with pytest.raises(NotFound, match=theirs):
        await views.breakdown(repos=scoring.repos, principal=HOA, submission_id=theirs)


async def test_a_council_member_reads_no_breakdown_even_of_a_dossier_they_review(scoring: Scoring) -> None:
    (dossier,) = await arrive(scoring, submitted(WITH_ASSESSMENT))
    assert "lm.council2" in await scoring.reviewers(dossier)

    with pytest.raises(NotFound):  # a blind review stays blind: members read dossiers through their reviews
        await views.breakdown(repos=scoring.repos, principal=member("lm.council2"), submission_id=dossier)


async def test_province_staff_read_their_provinces_communes_and_a_commune_only_its_own(scoring: Scoring) -> None:
    (elsewhere,) = await arrive(scoring, scored(75, tenant=TAM_DIEP))

    answer = await views.breakdown(repos=scoring.repos, principal=STAFF, submission_id=elsewhere)
    assert (answer["provisional"]["tenant"], answer["rank"]) == (TAM_DIEP, 1)
    for outsider in (OFFICER, OTHER_PROVINCE):
        with pytest.raises(NotFound):
            await views.breakdown(repos=scoring.repos, principal=outsider, submission_id=elsewhere)
    with pytest.raises(NotFound, match="no-such-dossier"):
        await views.breakdown(repos=scoring.repos, principal=STAFF, submission_id="no-such-dossier")


async def test_a_returned_dossier_keeps_its_final_score_but_leaves_the_ranking(scoring: Scoring) -> None:
    first = scored(90)
    dossier, second = await arrive(scoring, first, scored(60))
    await scoring.receive(returned(first))

    answer = await views.breakdown(repos=scoring.repos, principal=OFFICER, submission_id=dossier)
    assert answer["provisional"]["status"] == "returned"
    assert (answer["final"]["total"], answer["rank"]) == (90.0, None)
    assert (await views.breakdown(repos=scoring.repos, principal=OFFICER, submission_id=second))["rank"] == 1


async def test_a_resubmitted_dossier_is_read_as_its_latest_version_not_final_until_reviewed(scoring: Scoring) -> None:
    first = scored(90)
    (dossier,) = await arrive(scoring, first)
    await scoring.receive(returned(first))
    await scoring.receive(resubmitted(first, WITH_ASSESSMENT))

    answer = await views.breakdown(repos=scoring.repos, principal=OFFICER, submission_id=dossier)
    assert answer["provisional"]["submission_version"] == 2
    assert (answer["final"], answer["rank"]) == (None, None)  # version 1's final score is not version 2's
    board = await views.leaderboard(repos=scoring.repos, scope=SCOPE, period="2025", group="a")
    assert board == []


async def test_several_breakdowns_come_in_the_order_asked_leaving_out_what_the_reader_may_not_read(
    scoring: Scoring,
) -> None:
    first, lans, second = await arrive(scoring, scored(70), scored(80, submitted_by="u-lan"), scored(90))
    (review,) = await arrive(scoring, submitted(WITH_ASSESSMENT, submitted_by=HOA.user_id))
    asked = [second, "no-such-dossier", lans, review, first]

    hers = await views.breakdowns(repos=scoring.repos, principal=HOA, submission_ids=asked)
    assert [(a["provisional"]["submission_id"], a["rank"]) for a in hers] == [(second, 1), (review, None), (first, 3)]
    everyone = await views.breakdowns(repos=scoring.repos, principal=OFFICER, submission_ids=asked)
    assert [a["provisional"]["submission_id"] for a in everyone] == [second, lans, review, first]
    for answer in everyone:  # each as the single read answers it
        alone = await views.breakdown(
            repos=scoring.repos, principal=OFFICER, submission_id=answer["provisional"]["submission_id"]
        )
        assert (answer["final"], answer["rank"]) == (alone["final"], alone["rank"])


async def test_several_breakdowns_of_nothing_the_reader_may_read_are_an_empty_list(scoring: Scoring) -> None:
    (theirs,) = await arrive(scoring, scored(80, submitted_by="u-lan"))

    assert await views.breakdowns(repos=scoring.repos, principal=HOA, submission_ids=[theirs, "none"]) == []
    assert await views.breakdowns(repos=scoring.repos, principal=member("lm.council2"), submission_ids=[theirs]) == []


async def test_province_staff_see_each_dossier_ranked_within_its_own_commune(scoring: Scoring) -> None:
    low, high = await arrive(scoring, scored(60), scored(80))
    (elsewhere,) = await arrive(scoring, scored(70, tenant=TAM_DIEP))

    answers = await views.breakdowns(repos=scoring.repos, principal=STAFF, submission_ids=[elsewhere, low, high])

    ranked = [(a["provisional"]["tenant"], a["final"]["total"], a["rank"]) for a in answers]
    assert ranked == [(TAM_DIEP, 70.0, 1), (LIEN_MINH, 60.0, 2), (LIEN_MINH, 80.0, 1)]


async def test_the_leaderboard_ranks_a_groups_final_scores_ties_sharing_a_rank_then_by_name(scoring: Scoring) -> None:
    await arrive(
        scoring,
        scored(80, name="Thôn Bình"),
        scored(95, name="Thôn Cầu"),
        scored(80, name="Thôn An"),
        scored(55, name="Thôn Ấp"),
    )

    board = await views.leaderboard(repos=scoring.repos, scope=SCOPE, period="2025", group="a")

    assert [(r["entrant"]["name"], r["total"], r["grade"], r["rank"]) for r in board] == [
        ("Thôn Cầu", 95.0, "Xuất sắc", 1),
        ("Thôn An", 80.0, "Tốt", 2),
        ("Thôn Bình", 80.0, "Tốt", 2),
        ("Thôn Ấp", 55.0, "Đạt", 4),
    ]
    assert set(board[0]) == {"submission_id", "submission_version", "entrant", "total", "grade", "rank"}
    assert board[0]["submission_version"] == 1


async def test_the_leaderboard_lists_only_standing_final_scores_of_the_group_commune_and_period(
    scoring: Scoring,
) -> None:
    standing = scored(70, name="Thôn Đứng")
    gone, back = scored(90, name="Thôn Rút"), scored(85, name="Thôn Trả")
    await arrive(
        scoring,
        standing,
        gone,
        back,
        scored(99, name="Nhóm khác", group="b"),
        scored(98, name="Kỳ khác", period="2024"),
        scored(97, name="Xã khác", tenant=TAM_DIEP),
        submitted(WITH_ASSESSMENT, entrant=entrant(id=str(uuid.uuid4()), name="Đang chấm")),
    )
    await arrive(scoring, withdrawn(gone), returned(back))

    board = await views.leaderboard(repos=scoring.repos, scope=SCOPE, period="2025", group="a")

    assert [(r["submission_id"], r["entrant"]["name"], r["rank"]) for r in board] == [
        (standing.subject, "Thôn Đứng", 1)
    ]
    elsewhere = await views.leaderboard(
        repos=scoring.repos, scope=Scope(tenant=TAM_DIEP, province="37"), period="2025", group="a"
    )
    assert [r["entrant"]["name"] for r in elsewhere] == ["Xã khác"]
