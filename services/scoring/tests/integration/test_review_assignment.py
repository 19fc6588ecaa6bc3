"""Assigning reviewers on the real database: each new assignment keeps one ReviewAssigned event in its change record
(the outbox), a repeated assignment or a redelivered submission keeps none, and a blind policy withholds the entrant.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from opentelemetry import context
from pymongo.asynchronous.database import AsyncDatabase

from scoring.repository import Repositories, repositories
from scoring.service import assignment
from scoring.service.council import Roster, set_roster
from scoring.service.provisional import score_submitted
from thidua_contracts.scoring import ReviewAssigned
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, submission_submitted
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document
from thidua_platform.outbox import CHANGES
from thidua_platform.telemetry import context_from_traceparent
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

SCOPE = Scope(tenant=LIEN_MINH, province="37")
OFFICER = Principal(
    user_id="u-officer", username="lm.officer", roles=frozenset({"commune_officer"}), tenant=LIEN_MINH, province="37"
)
CRITERIA = (
    CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=30),
    CriterionEvidence(code="a4", theme=4, rule="assessment", max_points=20),
    CriterionEvidence(code="a8", theme=3, rule="ratio", max_points=50, value=45, target=50),
)
TRACEPARENT = "00-" + "c" * 32 + "-" + "d" * 16 + "-01"


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


@pytest.fixture
async def repos(database: AsyncDatabase[Document]) -> Repositories:
    repos = repositories(database)
    members = [{"username": "lm.council1", "unit_entrant_ids": ["e-1"]}, {"username": "lm.council2"}]
    members += [{"username": "lm.council3"}]
    await set_roster(repos=repos, principal=OFFICER, scope=SCOPE, request=Roster.model_validate({"members": members}))
    return repos


def submitted(*, blind: bool = False) -> Envelope:
    return envelope_of(
        submission_submitted(
            str(uuid.uuid4()), criteria=CRITERIA, policy=ScoringPolicy(reviewers=2, blind=blind), entrant=entrant()
        )
    )


async def assigned_events(database: AsyncDatabase[Document]) -> list[Envelope]:
    """The ReviewAssigned events kept in the assignments' change records, by reviewer."""
    records = [record async for record in database[CHANGES].find({"collection": "assignments"})]
    events = [Envelope.model_validate(raw) for record in records for raw in record["events"]]
    return sorted((e for e in events if e.type == ReviewAssigned.event_type), key=lambda e: e.data["reviewer"])


async def test_each_new_assignment_keeps_one_review_assigned_event(
    repos: Repositories, database: AsyncDatabase[Document]
) -> None:
    envelope = submitted()
    trace = context_from_traceparent(TRACEPARENT)
    assert trace is not None
    token = context.attach(trace)  # as the consumer runs a handler: within the trace of the event it handles
    try:
        await score_submitted(repos=repos, envelope=envelope)
    finally:
        context.detach(token)

    events = await assigned_events(database)
    # lm.council1 heads the entrant's unit: a conflict, never asked
    assert [e.payload(ReviewAssigned).reviewer for e in events] == ["lm.council2", "lm.council3"]
    submission_id = envelope.subject
    first = events[0].payload(ReviewAssigned)
    assert first == ReviewAssigned(
        assignment_id=f"{submission_id}:1:lm.council2",
        submission_id=submission_id,
        submission_version=1,
        period="2025",
        reviewer="lm.council2",
        criteria=("a3", "a4"),
        entrant=entrant(),
        assigned_by=f"event:{envelope.id}",  # the worker assigns because of the submission event
    )
    assert await repos.assignments.get(SCOPE, first.assignment_id) is not None
    for event in events:
        assert (event.subject, event.tenant, event.province) == (submission_id, LIEN_MINH, "37")
        assert event.source == "thidua/scoring"
        assert event.topic == "thidua.scoring"
        assert event.traceparent is not None
        assert event.traceparent.split("-")[1] == "c" * 32

    # a repeated assignment and a redelivered submission create no assignment, so no event
    score = await repos.scores.latest(SCOPE, submission_id)
    assert score is not None
    assert await assignment.assign(repos=repos, scope=SCOPE, score=score, actor="u-officer") == []
    await score_submitted(repos=repos, envelope=envelope)
    assert [e.id for e in await assigned_events(database)] == [e.id for e in events]


async def test_a_blind_policy_keeps_the_entrant_from_the_reviewer(
    repos: Repositories, database: AsyncDatabase[Document]
) -> None:
    await score_submitted(repos=repos, envelope=submitted(blind=True))

    events = [e.payload(ReviewAssigned) for e in await assigned_events(database)]
    assert len(events) == 2
    assert all(e.entrant is None and e.criteria == ("a3", "a4") for e in events)
    assert "Thôn Đông Hưng" not in str([e.model_dump() for e in events])
