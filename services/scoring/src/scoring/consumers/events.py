"""Handlers: submissions to score, statuses to follow, criteria sets and entrants to keep, final scores to index."""

from __future__ import annotations

from scoring.repository import Repositories
from scoring.service import criteria, entrants, index, provisional
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import (
    CriteriaSetPublished,
    EntrantRecorded,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_platform.consumer import Handler
from thidua_platform.envelope import Envelope


def handlers(repos: Repositories) -> dict[str, Handler]:
    async def on_submitted(envelope: Envelope) -> None:
        await provisional.score_submitted(repos=repos, envelope=envelope)

    async def on_status(envelope: Envelope) -> None:
        await provisional.follow_status(repos=repos, envelope=envelope)

    async def on_criteria_set(envelope: Envelope) -> None:
        await criteria.on_published(repos=repos, envelope=envelope)

    async def on_entrant(envelope: Envelope) -> None:
        await entrants.on_recorded(repos=repos, envelope=envelope)

    async def on_final(envelope: Envelope) -> None:
        await index.on_final(repos=repos, envelope=envelope)

    return {
        SubmissionSubmitted.event_type: on_submitted,
        SubmissionResubmitted.event_type: on_submitted,
        SubmissionReturned.event_type: on_status,
        SubmissionWithdrawn.event_type: on_status,
        CriteriaSetPublished.event_type: on_criteria_set,
        EntrantRecorded.event_type: on_entrant,
        ScoreFinalised.event_type: on_final,
    }
