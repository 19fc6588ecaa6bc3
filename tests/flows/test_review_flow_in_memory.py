"""A dossier's review across two services without servers: scoring and notifications, each on its own in-memory
database with its own repositories and handlers, joined by one in-process bus as Kafka joins their workers
(thidua_platform.memory). The end-to-end tier proves the same flow on the real stack
(tests/e2e/test_notifications.py, tests/e2e/portal/test_council_chair.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from notifications.consumers.events import handlers as notification_handlers
from notifications.repository import Repositories as Notifications
from notifications.service.intake import IntakeConfig
from scoring.consumers.events import handlers as scoring_handlers
from scoring.repository import Repositories as Scoring
from scoring.repository import repositories
from scoring.service import reviews
from scoring.service.council import Roster, set_roster
from scoring.service.reviews import AssessmentInput
from thidua_contracts.roles import Role
from thidua_contracts.scoring import ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import CriterionEvidence, ScoringPolicy
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, submission_submitted
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope

from .people import People

SCOPE = Scope(tenant=LIEN_MINH, province="37")
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province="37")
CRITERIA = (
    CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=40),
    CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=60, value=60, target=60),
)


@dataclass
class Commune:
    scoring: Scoring
    notifications: Notifications
    bus: InProcessBus


@pytest.fixture
async def commune() -> Commune:
    people = People()
    for username in ("lm.council1", "lm.council2", "lm.submitter"):
        people.add(username)
    people.add("td.council1", commune="ph-37-tam-diep")
    scoring = repositories(memory_database("scoring"))
    notifications = Notifications.of(memory_database("notifications"))
    bus = InProcessBus()
    bus.subscribe(scoring_handlers(scoring))
    bus.subscribe(notification_handlers(notifications, people, IntakeConfig(digest_hour=7)))
    bus.relay(scoring.scores.collection.database)
    members = {"members": [{"username": "lm.council1"}, {"username": "lm.council2"}, {"username": "td.council1"}]}
    await set_roster(repos=scoring, principal=OFFICER, scope=SCOPE, request=Roster.model_validate(members))
    return Commune(scoring, notifications, bus)


def dossier() -> Envelope:
    return envelope_of(
        submission_submitted(
            str(uuid.uuid4()),
            criteria=CRITERIA,
            entrant=entrant(id="e-9"),
            submitted_by="u-lm.submitter",
            policy=ScoringPolicy(reviewers=3),
        )
    )


async def inbox_of(commune: Commune, username: str) -> list[str]:
    inbox = commune.notifications.inbox
    messages, _total = await inbox.page(SCOPE, f"u-{username}", unread_only=False, skip=0, limit=50)
    return sorted(message["kind"] for message in messages)


async def test_reviewers_are_told_and_their_reviews_kept_until_the_score_is_final(commune: Commune) -> None:
    submitted = dossier()
    delivered = await commune.bus.receive(submitted)

    assert await inbox_of(commune, "lm.submitter") == ["submission_submitted"]
    assigned = sorted(e.payload(ReviewAssigned).reviewer for e in delivered if e.type == ReviewAssigned.event_type)
    assert assigned == ["lm.council1", "lm.council2", "td.council1"]
    assert await inbox_of(commune, "lm.council1") == ["review_assigned"]
    assert await inbox_of(commune, "lm.council2") == ["review_assigned"]
    # a name on the roster that belongs to another commune is assigned by scoring, never told by notifications
    assert await inbox_of(commune, "td.council1") == []
    open_reviews = await commune.notifications.reviews.find(SCOPE, {"kind": "review", "status": "open"})
    assert sorted(r["reviewer"] for r in open_reviews) == assigned

    for reviewer in assigned:
        roles = frozenset({Role.COUNCIL_MEMBER})
        principal = Principal(f"u-{reviewer}", reviewer, roles, tenant=LIEN_MINH, province="37")
        await reviews.assess(
            repos=commune.scoring,
            principal=principal,
            scope=SCOPE,
            submission_id=submitted.subject,
            code="a3",
            request=AssessmentInput(points=30),
        )
    delivered = await commune.bus.settle()

    assert ScoreFinalised.event_type in {e.type for e in delivered}
    assert await commune.notifications.reviews.find(SCOPE, {"kind": "review", "status": "open"}) == []
    assert await inbox_of(commune, "lm.submitter") == ["submission_scored", "submission_submitted"]


async def test_a_redelivered_assignment_tells_nobody_twice(commune: Commune) -> None:
    delivered = await commune.bus.receive(dossier())
    for event in delivered:  # Kafka delivers at least once: everything again
        await commune.bus.deliver(event)
    await commune.bus.settle()

    assert await inbox_of(commune, "lm.council1") == ["review_assigned"]
    assert await inbox_of(commune, "lm.council2") == ["review_assigned"]
    e_mails = await commune.notifications.deliveries.find(SCOPE, {"kind": "review_assigned"})
    assert sorted(d["recipient"]["username"] for d in e_mails) == ["lm.council1", "lm.council2"]
