"""Handlers for events from the scoring service."""

from __future__ import annotations

from awards import service
from awards.repository import CandidateRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import Envelope, ScoreFinalised


def handlers(repository: CandidateRepository) -> dict[str, Handler]:
    async def on_score_finalised(envelope: Envelope) -> None:
        await service.evaluate_score(repository=repository, envelope=envelope)

    return {ScoreFinalised.event_type: on_score_finalised}
