"""Handlers for events from the submissions service."""

from __future__ import annotations

from scoring import service
from scoring.repository import ScoreRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import Envelope, SubmissionResubmitted, SubmissionSubmitted


def handlers(repository: ScoreRepository) -> dict[str, Handler]:
    async def on_submitted(envelope: Envelope) -> None:
        await service.score_submitted(repository=repository, envelope=envelope)

    return {SubmissionSubmitted.event_type: on_submitted, SubmissionResubmitted.event_type: on_submitted}
