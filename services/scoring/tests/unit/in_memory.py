"""The scoring service in memory, for the unit tests of its handlers and use cases: its own repositories and change log
on an in-memory database, its outbox relayed onto an in-process bus that calls the handlers its worker registers
(thidua_platform.memory). Nothing here opens a connection; the integration and end-to-end tiers prove the same flows
on the real database and Kafka."""

from __future__ import annotations

import uuid
from typing import Any

from scoring.consumers.events import handlers
from scoring.repository import Repositories, repositories
from scoring.service import reviews
from scoring.service.council import Roster, set_roster
from scoring.service.reviews import AssessmentInput
from thidua_contracts.roles import Role
from thidua_contracts.submissions import (
    CriterionEvidence,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, submission_submitted
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope

TAM_DIEP = "ph-37-tam-diep"  # another commune of the same province (37)
SCOPE = Scope(tenant=LIEN_MINH, province="37")
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province="37")
INDICATORS = (CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=100, value=45, target=50),)
WITH_ASSESSMENT = (
    CriterionEvidence(code="a3", theme=3, rule="assessment", max_points=40),
    CriterionEvidence(code="b1", theme=1, rule="ratio", max_points=60, value=60, target=60),
)
# the commune's council: lm.council1 heads the unit e-1 (the default entrant of thidua_contracts.testing)
COUNCIL: tuple[dict[str, Any], ...] = (
    {"username": "lm.council1", "unit_entrant_ids": ["e-1"]},
    {"username": "lm.council2"},
    {"username": "lm.council3"},
)


def member(username: str) -> Principal:
    return Principal(f"u-{username}", username, frozenset({Role.COUNCIL_MEMBER}), tenant=LIEN_MINH, province="37")


def submitted(criteria: tuple[CriterionEvidence, ...], **overrides: object) -> Envelope:
    """A new dossier of xã Liên Minh in province 37 (unless `tenant` and `province` say another commune), submitted with
    these criteria."""
    tenant, province = str(overrides.pop("tenant", LIEN_MINH)), str(overrides.pop("province", "37"))
    fields: dict[str, Any] = {"entrant": entrant()} | overrides
    dossier = submission_submitted(str(uuid.uuid4()), criteria=criteria, **fields)
    return envelope_of(dossier, tenant=tenant, province=province)


def _follow(envelope: Envelope, change: SubmissionReturned | SubmissionWithdrawn | SubmissionResubmitted) -> Envelope:
    return envelope_of(change, tenant=str(envelope.tenant), province=envelope.province)


def returned(envelope: Envelope) -> Envelope:
    """The officer returns the submitted version for correction."""
    dossier = envelope.payload(SubmissionSubmitted)
    fields = dossier.model_dump(include={"submission_id", "version", "period", "entrant", "submitted_by"})
    return _follow(envelope, SubmissionReturned(**fields, returned_by="u-officer", reasons=()))


def withdrawn(envelope: Envelope) -> Envelope:
    """The submitter withdraws the submitted version."""
    dossier = envelope.payload(SubmissionSubmitted)
    fields = dossier.model_dump(include={"submission_id", "version", "period", "entrant", "submitted_by"})
    return _follow(envelope, SubmissionWithdrawn(**fields, withdrawn_by=dossier.submitted_by))


def resubmitted(envelope: Envelope, criteria: tuple[CriterionEvidence, ...]) -> Envelope:
    """The dossier corrected and submitted again as its next version, with these criteria."""
    dossier = envelope.payload(SubmissionSubmitted)
    again = dossier.model_dump() | {"version": dossier.version + 1, "criteria": criteria}
    return _follow(envelope, SubmissionResubmitted.model_validate(again))


def types(events: list[Envelope]) -> list[str]:
    """The events' types, sorted: the relay keeps each aggregate's events in order, not one order across them."""
    return sorted(event.type for event in events)


class Scoring:
    """The service as its worker runs it, in memory: repositories, handlers subscribed, outbox relayed."""

    def __init__(self) -> None:
        self.repos: Repositories = repositories(memory_database("scoring"))
        self.bus = InProcessBus()
        self.bus.subscribe(handlers(self.repos))
        self.bus.relay(self.repos.scores.collection.database)

    @classmethod
    async def with_council(cls, members: tuple[dict[str, Any], ...] = COUNCIL) -> Scoring:
        """The service with xã Liên Minh's council roster set by its officer (as stored, unchecked)."""
        service = cls()
        await service.seat(members)
        return service

    async def seat(self, members: tuple[dict[str, Any], ...]) -> None:
        """The officer sets the roster as it is stored, without following it (assignment.change_council does)."""
        roster = Roster.model_validate({"members": list(members)})
        await set_roster(repos=self.repos, principal=OFFICER, scope=SCOPE, request=roster)

    async def receive(self, envelope: Envelope) -> list[Envelope]:
        """Deliver an event from another service, then everything it causes; what scoring published."""
        return [e for e in await self.bus.receive(envelope) if e.source == "thidua/scoring"]

    async def settle(self) -> list[Envelope]:
        """Relay and deliver what the use cases called since stored; what scoring published."""
        return [e for e in await self.bus.settle() if e.source == "thidua/scoring"]

    async def assess(self, reviewer: str, submission_id: str, points: float, code: str = "a3") -> dict[str, Any]:
        """The member's points for one assessment criterion of the dossier (a3 unless told); their view after it."""
        return await reviews.assess(
            repos=self.repos,
            principal=member(reviewer),
            scope=SCOPE,
            submission_id=submission_id,
            code=code,
            request=AssessmentInput(points=points),
        )

    async def reviewers(self, submission_id: str, version: int = 1) -> dict[str, str]:
        """Each member asked to review the version, with their assignment's status."""
        assignments = await self.repos.assignments.of_version(SCOPE, submission_id, version)
        return {a["reviewer"]: a["status"] for a in assignments}
