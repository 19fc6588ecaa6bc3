"""Reminding council members of reviews still open before their period closes.

The service keeps, from events only, each assignment (review.assigned), the criteria its member has assessed
(assessment.recorded), whether the score was finalised (score.finalised), and each period's closing time
(campaign.published). A sweep tells the member once, `days_before` the period closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.adapters.directory import Directory
from notifications.domain.aggregates import PeriodDeadline
from notifications.domain.notices import reminder
from notifications.repository import Repositories, scope_of
from notifications.service.intake import IntakeConfig, Place, notify
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import CampaignPublished
from thidua_platform.audit import from_event, now
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import Scope, event_scope

log = logging.getLogger(__name__)


def _period_id(tenant: str | None, province: str, code: str) -> str:
    return f"period:{tenant or province}:{code}"


async def review_assigned(*, repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(ReviewAssigned)
    await repos.reviews.add(
        {
            "_id": f"review:{event.assignment_id}",
            "kind": "review",
            "tenant": envelope.tenant,
            "province": envelope.province,
            "reviewer": event.reviewer,
            "submission_id": event.submission_id,
            "submission_version": event.submission_version,
            "period": event.period,
            "entrant": event.entrant.name if event.entrant else "",
            "criteria": list(event.criteria),
            "assessed": [],
            "status": "open",
            "reminded": False,
            "audit": [from_event(envelope.id, envelope.type, "assigned", now(), status="open")],
        }
    )


async def assessment_recorded(*, repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(AssessmentRecorded)
    scope = event_scope(envelope)
    query = {"kind": "review", "submission_id": event.submission_id, "reviewer": event.reviewer}
    for review in await repos.reviews.find(scope, {**query, "submission_version": event.submission_version}):
        await repos.reviews.record_assessment(
            scope,
            review["_id"],
            criterion=event.criterion,
            audit=lambda status: from_event(
                envelope.id, envelope.type, "assessed", now(), criterion=event.criterion, status=status
            ),
        )


async def score_finalised(*, repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(ScoreFinalised)
    audit = from_event(envelope.id, envelope.type, "finalised", now(), status="done")
    await repos.reviews.finish_open(event_scope(envelope), submission_id=event.submission_id, audit=audit)


async def campaign_published(*, repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(CampaignPublished)
    for period in event.periods:
        audited = from_event(envelope.id, envelope.type, "period_set", now(), closes_at=period.closes_at)
        await repos.reviews.set_deadline(
            event_scope(envelope),
            _period_id(envelope.tenant, envelope.province, period.code),
            code=period.code,
            closes_at=period.closes_at,
            audit=audited,
        )


@dataclass(frozen=True)
class ReminderPolicy:
    days_before: float = 3.0


async def _governed(repos: Repositories, period: PeriodDeadline) -> tuple[Scope, set[str]]:
    """Whose reviews a period document's deadline governs, by the rule "the commune's own campaign first, else the
    province's": a commune's period, that commune's reviews of its code; a province's period, the reviews of its
    code in the province's communes that have no period of their own with that code. Returns the scope and the
    communes left out of it."""
    province = period["province"]
    if period.get("tenant") or province is None:  # a period without a commune names its province
        return scope_of(period), set()
    return Scope(province=province), await repos.reviews.communes_with_own_period(province, period["code"])


async def send_reminders(
    *,
    repos: Repositories,
    directory: Directory,
    policy: ReminderPolicy,
    config: IntakeConfig,
    now: datetime,
) -> int:
    """Remind every member whose review is open when its period closes within `days_before`; returns how many.

    Reads what is due only: the periods whose reminder window holds `now` (closes_at - days_before <= now <
    closes_at), then for each the open, not yet reminded reviews it governs (see `_governed`); the open reviews of
    periods not closing soon are never read, however many the province holds."""
    sent = 0
    for period in await repos.reviews.periods_closing(now, now + timedelta(days=policy.days_before)):
        closes: datetime = period["closes_at"]
        scope, own_periods = await _governed(repos, period)
        async for review in repos.reviews.due_reviews(scope, period["code"], except_tenants=own_periods):
            place = Place(tenant=review["tenant"], province=review["province"], subject=review["submission_id"])
            try:
                await notify(
                    repos=repos,
                    directory=directory,
                    notice=reminder(review, closes.isoformat()),
                    place=place,
                    config=config,
                    now=now,
                )
            except Exception:  # one review failing (say, the directory is down) must not hold back the others
                log.exception("reminder of %s failed; the next sweep tries again", review["_id"])
                continue
            sent += await repos.reviews.mark_reminded(scope_of(review), review["_id"], now)
    return sent
