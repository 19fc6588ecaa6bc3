"""Who reviews a dossier, in memory (in_memory.Scoring): reviewers chosen as dossiers arrive, a newer version taking
over the reviews of an earlier one, the waiting dossiers given reviewers once the council is seated, and the reviews
following the roster when the officer changes it. A dossier wants two reviews unless its policy says otherwise."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from scoring.service import assignment, reviews
from scoring.service.council import Roster
from scoring.service.finalisation import close_period
from scoring.service.reviews import Recusal
from thidua_contracts.scoring import ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import ScoringPolicy
from thidua_contracts.testing import entrant
from thidua_platform.envelope import Envelope
from thidua_platform.problems import NotFound

from .in_memory import INDICATORS, OFFICER, SCOPE, WITH_ASSESSMENT, Scoring, member, resubmitted, returned, submitted

UNIT = str(uuid.uuid4())  # the entrants' village, as submissions announces its entrants: a UUID
HEAD = {"username": "lm.council1", "unit_entrant_ids": [UNIT]}  # heads the village: never asked to review it


def of_the_unit(**more: object) -> Envelope:
    """A dossier of the village, with one criterion for the council to assess."""
    return submitted(WITH_ASSESSMENT, entrant=entrant(id=UNIT), **more)


async def change_council(scoring: Scoring, *members: dict[str, Any]) -> list[str]:
    """The officer changes the roster through the use case the API calls; the members as stored."""
    request = Roster.model_validate({"members": list(members)})
    council = await assignment.change_council(repos=scoring.repos, principal=OFFICER, scope=SCOPE, request=request)
    return [m["username"] for m in council["members"]]


async def assigned(scoring: Scoring) -> list[str]:
    """The reviewers scoring has told of a new review since last asked."""
    events = await scoring.settle()
    return sorted(e.payload(ReviewAssigned).reviewer for e in events if e.type == ReviewAssigned.event_type)


async def test_a_dossier_with_nothing_to_assess_needs_no_reviewer() -> None:
    scoring = await Scoring.with_council()
    envelope = submitted(INDICATORS)
    await scoring.receive(envelope)
    score = await scoring.repos.scores.latest(SCOPE, envelope.subject)
    assert score is not None

    assert await assignment.assign(repos=scoring.repos, scope=SCOPE, score=score, actor="u-officer") == []
    assert await scoring.reviewers(envelope.subject) == {}


async def test_reviewers_are_the_least_loaded_eligible_members() -> None:
    scoring = await Scoring.with_council((HEAD, {"username": "lm.council2"}, {"username": "lm.council3"}))
    first, second = of_the_unit(policy=ScoringPolicy(reviewers=1)), of_the_unit(policy=ScoringPolicy(reviewers=1))
    await scoring.receive(first)
    await scoring.receive(second)

    assert await scoring.reviewers(first.subject) == {"lm.council2": "pending"}  # a tie: by name
    assert await scoring.reviewers(second.subject) == {"lm.council3": "pending"}  # lm.council2 has one open


async def test_a_newer_version_takes_over_the_open_reviews_of_the_earlier_one_even_unreturned() -> None:
    scoring = await Scoring.with_council()
    first = submitted(WITH_ASSESSMENT)
    await scoring.receive(first)
    await scoring.assess("lm.council3", first.subject, 35)
    # the version 2 arrives though its return was never seen (a dead-lettered event)
    await scoring.receive(resubmitted(first, WITH_ASSESSMENT))

    assert await scoring.reviewers(first.subject, 1) == {"lm.council2": "superseded", "lm.council3": "done"}
    assert await scoring.reviewers(first.subject, 2) == {"lm.council2": "pending", "lm.council3": "pending"}
    offered, waiting = await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE)
    assert offered is not None
    assert (offered["submission_version"], waiting) == (2, 1)


async def test_a_member_who_recused_from_a_dossier_is_not_asked_to_review_its_next_version() -> None:
    scoring = await Scoring.with_council((HEAD, *({"username": f"lm.council{n}"} for n in (2, 3, 4))))
    first = of_the_unit()
    await scoring.receive(first)
    await reviews.recuse(
        repos=scoring.repos,
        principal=member("lm.council2"),
        scope=SCOPE,
        submission_id=first.subject,
        request=Recusal(reason="Vợ tôi là trưởng thôn"),
    )
    await scoring.receive(returned(first))

    await scoring.receive(resubmitted(first, WITH_ASSESSMENT))

    assert await scoring.reviewers(first.subject, 2) == {"lm.council3": "pending", "lm.council4": "pending"}


async def test_the_officer_gives_reviewers_to_the_periods_waiting_dossiers_once_the_council_is_seated() -> None:
    scoring = Scoring()  # no council yet: dossiers wait
    waiting = [submitted(WITH_ASSESSMENT), submitted(WITH_ASSESSMENT, policy=ScoringPolicy(reviewers=1))]
    earlier, back = submitted(WITH_ASSESSMENT, period="2024"), submitted(WITH_ASSESSMENT)
    for envelope in (*waiting, earlier, back, submitted(INDICATORS)):
        await scoring.receive(envelope)
    await scoring.receive(returned(back))
    assert await assigned(scoring) == []
    await scoring.seat(
        ({"username": "lm.council1", "unit_entrant_ids": ["e-1"]}, {"username": "lm.council2"}, {"username": "lm.x"})
    )

    assert await assignment.assign_waiting(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 3

    assert await scoring.reviewers(waiting[0].subject) == {"lm.council2": "pending", "lm.x": "pending"}
    assert len(await scoring.reviewers(waiting[1].subject)) == 1
    assert await scoring.reviewers(back.subject) == {}  # returned: not reviewed until it comes back
    assert await scoring.reviewers(earlier.subject) == {}  # another period
    assert len(await assigned(scoring)) == 3
    assert await assignment.assign_waiting(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 0
    # a period closed while no council sat: its final dossiers need no reviewers
    assert await close_period(repos=scoring.repos, scope=SCOPE, period="2024", actor="u-officer") == 1
    assert await assignment.assign_waiting(repos=scoring.repos, scope=SCOPE, period="2024", actor="u-officer") == 0
    assert await scoring.reviewers(earlier.subject) == {}


async def test_a_dossier_returned_in_its_latest_version_waits_even_when_an_earlier_versions_return_was_lost() -> None:
    # version 1's return never reached scoring (dead-lettered, say): version 1 still reads "submitted", but the dossier
    # is the latest version's, which the officer returned, so nobody is asked to review either version
    scoring = Scoring()
    first = submitted(WITH_ASSESSMENT)
    second = resubmitted(first, WITH_ASSESSMENT)
    for envelope in (first, second, returned(second)):
        await scoring.receive(envelope)
    await scoring.seat(({"username": "lm.council2"}, {"username": "lm.x"}))

    assert await assignment.assign_waiting(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 0
    assert await scoring.reviewers(first.subject) == {}
    assert await assigned(scoring) == []


async def test_a_member_dropped_from_the_council_is_released_and_another_member_asked() -> None:
    scoring = await Scoring.with_council((HEAD, {"username": "lm.council2"}, {"username": "lm.council3"}))
    dossier = of_the_unit()
    await scoring.receive(dossier)
    await scoring.settle()

    stored = await change_council(scoring, HEAD, {"username": "lm.council3"}, {"username": "lm.council4"})

    assert stored == ["lm.council1", "lm.council3", "lm.council4"]
    assert await scoring.reviewers(dossier.subject) == {
        "lm.council2": "released",
        "lm.council3": "pending",
        "lm.council4": "pending",
    }
    assert await assigned(scoring) == ["lm.council4"]
    assert await reviews.queue(repos=scoring.repos, principal=member("lm.council2"), scope=SCOPE) == (None, 0)


async def test_a_member_who_now_heads_the_unit_is_released_but_a_finished_review_stands() -> None:
    others = ({"username": "lm.council2"}, {"username": "lm.council3"}, {"username": "lm.council4"})
    scoring = await Scoring.with_council((HEAD, *others))
    dossier = of_the_unit()
    await scoring.receive(dossier)
    await scoring.assess("lm.council2", dossier.subject, 30)
    await scoring.settle()
    heads = [{"username": name, "unit_entrant_ids": [UNIT]} for name in ("lm.council2", "lm.council3")]

    await change_council(scoring, HEAD, *heads, {"username": "lm.council4"})

    assert await scoring.reviewers(dossier.subject) == {
        "lm.council2": "done",  # finished before the conflict was known: it counts
        "lm.council3": "released",
        "lm.council4": "pending",
    }
    assert await assigned(scoring) == ["lm.council4"]


async def test_a_release_that_leaves_no_one_to_ask_finalises_with_the_reviews_in() -> None:
    scoring = await Scoring.with_council((HEAD, {"username": "lm.council2"}, {"username": "lm.council3"}))
    dossier = of_the_unit()
    await scoring.receive(dossier)
    await scoring.assess("lm.council2", dossier.subject, 20)
    await scoring.settle()

    await change_council(scoring, HEAD, {"username": "lm.council2"})

    published = [e for e in await scoring.settle() if e.type == ScoreFinalised.event_type]
    assert [(e.payload(ScoreFinalised).total, e.payload(ScoreFinalised).reason) for e in published] == [
        (80.0, "all_reviews_in")  # 60 + lm.council2's 20
    ]
    assert await scoring.reviewers(dossier.subject) == {"lm.council2": "done", "lm.council3": "released"}


async def test_a_member_released_from_a_dossier_is_not_asked_again_on_returning_to_the_council() -> None:
    scoring = await Scoring.with_council((HEAD, {"username": "lm.council2"}, {"username": "lm.council3"}))
    dossier = of_the_unit()
    await scoring.receive(dossier)
    await change_council(scoring, HEAD, {"username": "lm.council3"})
    await change_council(scoring, HEAD, {"username": "lm.council2"}, {"username": "lm.council3"})

    assert await assignment.assign_waiting(repos=scoring.repos, scope=SCOPE, period="2025", actor="u-officer") == 0
    assert await scoring.reviewers(dossier.subject) == {"lm.council2": "released", "lm.council3": "pending"}


async def test_a_roster_naming_an_entrant_scoring_does_not_know_changes_nothing() -> None:
    scoring = await Scoring.with_council((HEAD, {"username": "lm.council2"}, {"username": "lm.council3"}))
    dossier = of_the_unit()
    await scoring.receive(dossier)
    unknown = str(uuid.uuid4())

    with pytest.raises(NotFound) as refused:
        await change_council(scoring, {"username": "lm.council2", "unit_entrant_ids": [UNIT, unknown]})

    assert [e["field"] for e in refused.value.extensions["errors"]] == ["members.0.unit_entrant_ids.1"]
    council = await scoring.repos.councils.get(SCOPE, SCOPE.commune)
    assert council is not None
    assert [m["username"] for m in council["members"]] == ["lm.council1", "lm.council2", "lm.council3"]
    assert await scoring.reviewers(dossier.subject) == {"lm.council2": "pending", "lm.council3": "pending"}
