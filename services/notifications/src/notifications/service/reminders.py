"""Reminding council members of reviews still open before their period closes.

The service keeps, from events only, each assignment (review.assigned), the criteria its member has assessed
(assessment.recorded), whether the score was finalised (score.finalised), and each period's closing time
(campaign.published). A sweep tells the member once, `days_before` the period closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications.directory import Directory
from notifications.domain.notices import reminder
from notifications.repository import Repositories, scope_of
from notifications.service.intake import IntakeConfig, Place, notify
from thidua_shared.audit import entry, from_event, now, system_actor
from thidua_shared.events import AssessmentRecorded, CampaignPublished, Envelope, ReviewAssigned, ScoreFinalised
from thidua_shared.mongo import Document
from thidua_shared.repository import Revision
from thidua_shared.tenancy import Scope

log = logging.getLogger(__name__)


def _scope(envelope: Envelope) -> Scope:
    return Scope(tenant=envelope.tenant, province=envelope.province)


def _period_id(tenant: str | None, province: str, code: str) -> str:
    return f"period:{tenant or province}:{code}"


async def review_assigned(repos: Repositories, envelope: Envelope) -> None:
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


async def assessment_recorded(repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(AssessmentRecorded)
    scope = _scope(envelope)
    query = {"kind": "review", "submission_id": event.submission_id, "reviewer": event.reviewer}
    for review in await repos.reviews.find(scope, {**query, "submission_version": event.submission_version}):

        async def change(current: Document) -> Revision | None:
            assessed = set(current["assessed"]) | {event.criterion}
            if assessed == set(current["assessed"]):
                return None
            done = set(current["criteria"]) <= assessed
            status = "done" if done else current["status"]
            audited = from_event(
                envelope.id, envelope.type, "assessed", now(), criterion=event.criterion, status=status
            )
            return Revision({"$set": {"assessed": sorted(assessed), "status": status}, "$push": {"audit": audited}})

        await repos.reviews.revise(scope, review["_id"], change)


async def score_finalised(repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(ScoreFinalised)
    await repos.reviews.collection.update_many(
        _scope(envelope).apply({"kind": "review", "submission_id": event.submission_id, "status": "open"}),
        {
            "$set": {"status": "done"},
            "$inc": {"revision": 1},
            "$push": {"audit": from_event(envelope.id, envelope.type, "finalised", now(), status="done")},
        },
    )


async def campaign_published(repos: Repositories, envelope: Envelope) -> None:
    event = envelope.payload(CampaignPublished)
    for period in event.periods:
        document = {
            "_id": _period_id(envelope.tenant, envelope.province, period.code),
            "kind": "period",
            "tenant": envelope.tenant,
            "province": envelope.province,
            "code": period.code,
            "closes_at": period.closes_at,
        }
        audited = from_event(envelope.id, envelope.type, "period_set", now(), closes_at=period.closes_at)
        await repos.reviews.put(
            _scope(envelope),
            {**document, "audit": [audited]},
            {"$set": {"closes_at": period.closes_at}, "$push": {"audit": audited}},
        )


@dataclass(frozen=True)
class ReminderPolicy:
    days_before: float = 3.0


async def _closing(repos: Repositories, review: Document) -> datetime | None:
    """The period's closing time: the commune's own campaign, else the province's."""
    province = review["province"]
    for scope, owner in ((scope_of(review), review["tenant"]), (Scope(province=province), province)):
        period = await repos.reviews.get(scope, _period_id(owner, province, review["period"]))
        if period is not None:
            closes: datetime = period["closes_at"]
            return closes
    return None


async def send_reminders(
    *,
    repos: Repositories,
    directory: Directory,
    policy: ReminderPolicy,
    config: IntakeConfig,
    now: datetime,
) -> int:
    """Remind every member whose review is open when its period closes within `days_before`; returns how many."""
    sent = 0
    for review in await repos.reviews.open_reviews():
        closes = await _closing(repos, review)
        if closes is None or not (closes - timedelta(days=policy.days_before) <= now < closes):
            continue
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
        await repos.reviews.collection.update_one(
            scope_of(review).apply({"_id": review["_id"]}),
            {
                "$set": {"reminded": True},
                "$inc": {"revision": 1},
                "$push": {"audit": entry(system_actor("reminders"), "reminded", now, reminded=True)},
            },
        )
        sent += 1
    return sent
