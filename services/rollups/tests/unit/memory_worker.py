"""The rollups worker without servers, for the unit tests of its use cases: its read models (`ReadModels`, the
production repository) on an in-memory database, its handlers (`consumers/events.py`) subscribed to an in-process bus
as Kafka's consumer group would be, and one pass of the summary loop (`refresh_dirty`) where the worker polls
(thidua_platform.memory). Events are built from the contracts, at times the tests choose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from rollups.consumers.events import batch_handler, handlers
from rollups.domain.aggregates import Summary
from rollups.repository import ReadModels
from rollups.service.summaries import refresh_dirty
from thidua_contracts.awards import (
    AwardCandidateProposed,
    AwardDecided,
    AwardLevel,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
)
from thidua_contracts.roles import Role
from thidua_contracts.scoring import CriterionScore, IndexComputed, ScoreFinalised
from thidua_contracts.submissions import (
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.terms import EntrantRef
from thidua_contracts.testing import LIEN_MINH, entrant, score_finalised, submission_submitted
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, EventData, new_event
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope

PROVINCE, PERIOD = "37", "2025"
YEN_THANG = "ph-37-yen-thang"  # another commune of the same province
T0 = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province=PROVINCE)
STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province=PROVINCE)
OTHER_OFFICER = Principal(
    "u-yt-officer", "yt.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=YEN_THANG, province=PROVINCE
)
OTHER_STAFF = Principal("u-staff-36", "tb.staff", frozenset({Role.PROVINCE_STAFF}), province="36")


def commune(tenant: str = LIEN_MINH) -> Scope:
    return Scope(tenant=tenant, province=PROVINCE)


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def event(data: EventData, *, tenant: str = LIEN_MINH, minute: float = 0) -> Envelope:
    """`data` as a service publishes it, from the commune `tenant`, made `minute`s after T0."""
    subject = str(getattr(data, "submission_id", None) or getattr(data, "proposal_id", None) or tenant)
    return new_event(data, source="tests", subject=subject, tenant=tenant, province=PROVINCE, time=at(minute))


def person(entrant_id: str, name: str, *, kind: str = "collective", group: str = "a") -> EntrantRef:
    return entrant(id=entrant_id, name=name, kind=kind, target_group=group)


DONG_HUNG = person("e-1", "Thôn Đông Hưng")


def submitted(
    submission_id: str, who: EntrantRef = DONG_HUNG, *, version: int = 1, period: str = PERIOD
) -> SubmissionSubmitted:
    fields = {"version": version, "period": period, "entrant": who}
    if version > 1:
        return SubmissionResubmitted.model_validate(submission_submitted(submission_id, **fields).model_dump())
    return submission_submitted(submission_id, **fields)


def returned(submission_id: str, who: EntrantRef = DONG_HUNG, *, version: int = 1) -> SubmissionReturned:
    return SubmissionReturned(
        submission_id=submission_id,
        version=version,
        period=PERIOD,
        entrant=who,
        submitted_by="u-1",
        returned_by="u-officer",
        reasons=(),
    )


def withdrawn(submission_id: str, who: EntrantRef = DONG_HUNG, *, version: int = 1) -> SubmissionWithdrawn:
    return SubmissionWithdrawn(
        submission_id=submission_id, version=version, period=PERIOD, entrant=who, withdrawn_by="u-1"
    )


def theme(number: int, points: float, max_points: float) -> CriterionScore:
    return CriterionScore(
        code=f"t{number}", theme=number, rule="ratio", inputs={}, max_points=max_points, points=points, explanation=""
    )


def finalised(
    submission_id: str,
    total: float,
    grade: str,
    who: EntrantRef = DONG_HUNG,
    *,
    version: int = 1,
    period: str = PERIOD,
    criteria: Sequence[CriterionScore] = (),
) -> ScoreFinalised:
    return score_finalised(
        submission_id,
        total=total,
        grade=grade,
        entrant=who,
        submission_version=version,
        period=period,
        criteria=tuple(criteria),
    )


def candidate(submission_id: str, who: EntrantRef = DONG_HUNG) -> AwardCandidateProposed:
    return AwardCandidateProposed(
        candidate_id=f"c-{submission_id}",
        submission_id=submission_id,
        submission_version=1,
        period=PERIOD,
        entrant=who,
        submitted_by="u-1",
        award_form="GIAY_KHEN_XA",
        round="yearly",
        total=92.0,
        grade="Xuất sắc",
    )


def recipients(*whom: EntrantRef) -> tuple[AwardRecipient, ...]:
    return tuple(AwardRecipient(candidate_id=f"c-{who.id}", entrant=who) for who in whom)


def decided(
    decision_id: str, *whom: EntrantRef, form: str = "GIAY_KHEN_XA", level: AwardLevel = "commune"
) -> AwardDecided:
    return AwardDecided(
        decision_id=decision_id,
        award_form=form,
        period=PERIOD,
        round="yearly",
        level=level,
        number=f"{decision_id}/QĐ-UBND",
        signed_on=date(2026, 1, 10),
        issuer="UBND xã Liên Minh",
        recipients=recipients(*whom),
    )


def proposed(proposal_id: str, *whom: EntrantRef, form: str = "BANG_KHEN_TINH") -> AwardProposalSubmitted:
    return AwardProposalSubmitted(
        proposal_id=proposal_id,
        award_form=form,
        period=PERIOD,
        number=f"{proposal_id}/TTr-UBND",
        recipients=recipients(*whom),
        proposed_by="u-chair",
    )


def answered(
    proposal_id: str,
    outcome: Literal["awarded", "rejected", "returned", "forwarded_to_central"],
    *whom: EntrantRef,
    form: str = "BANG_KHEN_TINH",
) -> AwardProposalDecided:
    return AwardProposalDecided(
        proposal_id=proposal_id,
        award_form=form,
        period=PERIOD,
        level="province",
        outcome=outcome,
        recipients=recipients(*whom),
        decided_by="u-staff",
    )


def index(overall: float) -> IndexComputed:
    return IndexComputed(
        period=PERIOD,
        digital_government=overall,
        digital_economy=overall,
        digital_society=overall,
        overall=overall,
        indicators=12,
    )


class Rollups:
    """The worker as it runs, in memory: the read models, the handlers its consumer registers on the bus."""

    def __init__(self) -> None:
        self.models = ReadModels(memory_database("rollups"))
        self.bus = InProcessBus()
        self.bus.subscribe(handlers(self.models))
        self.batch = batch_handler(self.models)

    async def receive(self, *envelopes: Envelope) -> None:
        """Each event delivered one by one, as the consumer's fallback path does; the rollups publish nothing."""
        for envelope in envelopes:
            assert await self.bus.receive(envelope) == []

    async def refresh(self) -> int:
        """One pass of the worker's summary loop; how many summaries it recomputed."""
        return await refresh_dirty(models=self.models)

    async def summary(self, tenant: str = LIEN_MINH, period: str = PERIOD) -> Summary | None:
        found = await self.models.summaries(commune(tenant), period=period)
        return found[0] if found else None

    async def in_progress(self, tenant: str = LIEN_MINH) -> dict[str, int]:
        """The commune's work in progress, the counts that are not zero."""
        summary = await self.summary(tenant)
        assert summary is not None
        return {kind: n for kind, n in summary["in_progress"].items() if n}
