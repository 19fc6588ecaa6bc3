"""What a final score leaves in the awards service (awards.service.intake), without servers: the score as scoring
finalised it, each criterion included, and the commune award's candidacy kept up to date with newer versions of the
dossier while the list is open; on the service's own repositories over an in-memory database, its outbox relayed onto
an in-process bus (in_memory.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from awards.domain.aggregates import Candidate
from awards.service.common import candidate_id
from awards.service.intake import scored_criterion
from awards.service.sessions import convene
from thidua_contracts.awards import AwardCandidateProposed
from thidua_contracts.scoring import CriterionScore, ScoreFinalised
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised
from thidua_platform.envelope import Envelope

from .in_memory import OFFICER, PERIOD, SCOPE, Awards, session_request

HAMLET = entrant(id="e-hamlet", name="Thôn Đông Hưng", target_group="a")
CRITERIA = (
    CriterionScore(
        code="TC1",
        theme=1,
        rule="ratio",
        inputs={"achieved": 45.0, "target": 50.0},
        max_points=20.0,
        points=18.0,
        explanation="45/50 hộ đạt gia đình văn hóa",
    ),
    CriterionScore(code="TC9", rule="manual", inputs={}, max_points=10.0, points=10.0, explanation="Hội đồng chấm"),
)
HAMLET_GK = candidate_id(LIEN_MINH, PERIOD, "GIAY_KHEN_XA", HAMLET.id)


@pytest.fixture
def awards() -> Awards:
    return Awards()


def final(version: int, total: float, **overrides: object) -> Envelope:
    fields = {"submission_version": version, "period": PERIOD, "total": total, "entrant": HAMLET} | overrides
    return envelope_of(score_finalised("s-hamlet", **fields))


async def hamlet_candidate(awards: Awards) -> Candidate:
    document = await awards.repos.candidates.get(SCOPE, HAMLET_GK)
    assert document is not None
    return document


def test_a_criterions_final_score_is_kept_as_scoring_sent_it() -> None:
    for criterion in CRITERIA:
        assert scored_criterion(criterion) == criterion.model_dump()
    kept = scored_criterion(CRITERIA[0])
    kept["inputs"]["achieved"] = 0.0
    assert CRITERIA[0].inputs["achieved"] == 45.0  # the score keeps its own inputs, not the event's


async def test_a_final_score_is_kept_with_every_criterion_it_was_scored_on(awards: Awards) -> None:
    scored = final(1, 28.0, max_total=30.0, grade="Xuất sắc", criteria=CRITERIA)

    await awards.receive(scored)

    kept = await awards.repos.scores.get(SCOPE, "s-hamlet")
    assert kept is not None
    assert [dict(c) for c in kept["criteria"]] == [c.model_dump() for c in CRITERIA]
    assert (kept["version"], kept["total"], kept["max_total"]) == (1, 28.0, 30.0)
    assert abs(kept["finalised_at"] - scored.time) < timedelta(milliseconds=1)  # as the event's time, stored


async def test_a_newer_version_of_the_dossier_brings_the_candidate_up_to_date_while_the_list_is_open(
    awards: Awards,
) -> None:
    assert [e.type for e in await awards.receive(final(1, 85.0, grade="Tốt"))] == [AwardCandidateProposed.event_type]

    assert await awards.receive(final(2, 93.0, grade="Xuất sắc")) == []  # the candidacy is announced once

    refreshed = await hamlet_candidate(awards)
    assert (refreshed["submission_version"], refreshed["total"], refreshed["grade"]) == (2, 93.0, "Xuất sắc")
    last = refreshed["audit"][-1]
    assert last["action"] == "score_refreshed"
    assert last["changes"] == {
        "event": ScoreFinalised.event_type,
        "submission_id": "s-hamlet",
        "submission_version": 2,
        "total": 93.0,
        "grade": "Xuất sắc",
    }


async def test_an_older_version_arriving_late_changes_nothing(awards: Awards) -> None:
    await awards.receive(final(2, 93.0))

    await awards.receive(final(1, 85.0))

    kept = await hamlet_candidate(awards)
    assert (kept["submission_version"], kept["total"]) == (2, 93.0)
    assert [a["action"] for a in kept["audit"]] == ["proposed"]
    score = await awards.repos.scores.get(SCOPE, "s-hamlet")
    assert score is not None
    assert (score["version"], score["total"]) == (2, 93.0)


async def test_once_before_the_council_a_candidate_keeps_the_score_the_council_sees(awards: Awards) -> None:
    await awards.receive(final(1, 85.0))
    await convene(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=session_request())

    await awards.receive(final(2, 99.0))

    kept = await hamlet_candidate(awards)
    assert (kept["status"], kept["submission_version"], kept["total"]) == ("in_session", 1, 85.0)
    score = await awards.repos.scores.get(SCOPE, "s-hamlet")
    assert score is not None
    assert (score["version"], score["total"]) == (2, 99.0)  # the score itself is the newest
