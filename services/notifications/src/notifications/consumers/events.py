"""Handlers: events that tell someone something, and the events that keep reviews and deadlines for reminders."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Protocol

from notifications.adapters.directory import Directory
from notifications.domain.notices import NOTICES, notices_for
from notifications.repository import Repositories
from notifications.service import reminders
from notifications.service.intake import IntakeConfig, Place, notify
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import CampaignPublished
from thidua_platform.consumer import Handler
from thidua_platform.envelope import Envelope


class Effect(Protocol):
    """A use case that keeps something from an event (for reminders)."""

    def __call__(self, *, repos: Repositories, envelope: Envelope) -> Awaitable[None]: ...


# What the service keeps from events besides telling people.
KEPT: dict[str, Effect] = {
    ReviewAssigned.event_type: reminders.review_assigned,
    AssessmentRecorded.event_type: reminders.assessment_recorded,
    ScoreFinalised.event_type: reminders.score_finalised,
    CampaignPublished.event_type: reminders.campaign_published,
}


def handlers(repos: Repositories, directory: Directory, config: IntakeConfig) -> dict[str, Handler]:
    async def handle(envelope: Envelope) -> None:
        keep = KEPT.get(envelope.type)
        if keep is not None:
            await keep(repos=repos, envelope=envelope)
        place = Place(tenant=envelope.tenant, province=envelope.province, subject=envelope.subject)
        for notice in notices_for(envelope):
            await notify(
                repos=repos, directory=directory, notice=notice, place=place, config=config, now=datetime.now(UTC)
            )

    return dict.fromkeys({*NOTICES, *KEPT}, handle)
