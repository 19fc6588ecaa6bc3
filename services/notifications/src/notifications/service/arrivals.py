"""What the service does with an event that reaches it: keeps what reminders need (reviews, assessments, final
scores, period deadlines), then tells the people the event's notices name."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Protocol

from notifications.adapters.directory import Directory
from notifications.domain.notices import NOTICES, notices_for
from notifications.repository import Repositories
from notifications.service import reminders
from notifications.service.intake import IntakeConfig, Place, notify
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import CampaignPublished
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
FOLLOWED = frozenset({*NOTICES, *KEPT})  # the event types the worker handles


async def arrived(
    *, repos: Repositories, directory: Directory, config: IntakeConfig, envelope: Envelope, now: datetime
) -> None:
    keep = KEPT.get(envelope.type)
    if keep is not None:
        await keep(repos=repos, envelope=envelope)
    place = Place(tenant=envelope.tenant, province=envelope.province, subject=envelope.subject)
    for notice in notices_for(envelope):
        await notify(repos=repos, directory=directory, notice=notice, place=place, config=config, now=now)
