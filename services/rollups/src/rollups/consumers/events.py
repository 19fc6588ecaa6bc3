"""Every domain event feeds the read model."""

from __future__ import annotations

from rollups import service
from rollups.repository import FactRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
    ScoreFinalised,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)


def handlers(repository: FactRepository) -> dict[str, Handler]:
    async def apply(envelope: Envelope) -> None:
        await service.apply_event(repository=repository, envelope=envelope)

    return {
        event.event_type: apply
        for event in (
            SubmissionSubmitted,
            SubmissionResubmitted,
            SubmissionReturned,
            SubmissionWithdrawn,
            ScoreFinalised,
            AwardCandidateProposed,
        )
    }
