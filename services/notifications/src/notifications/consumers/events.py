"""Handlers for the events that concern a person."""

from __future__ import annotations

from notifications import service
from notifications.repository import InboxRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
    ScoreFinalised,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
)


def handlers(repository: InboxRepository) -> dict[str, Handler]:
    async def deliver(envelope: Envelope) -> None:
        await service.deliver_in_app(repository=repository, envelope=envelope)

    return {
        event.event_type: deliver
        for event in (
            SubmissionSubmitted,
            SubmissionResubmitted,
            SubmissionReturned,
            ScoreFinalised,
            AwardCandidateProposed,
        )
    }
