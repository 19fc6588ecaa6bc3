"""The daily digest: e-mails held for a person and a day become one e-mail, once.

A message is held for the day whose digest hour comes next (domain.delivery.digest_date), and a day's digest is
made only after that hour plus a grace, so nothing is added to a day once its digest is being made. The digest's id
is derived from (person, day): made twice, it is stored once, and only the messages it lists are marked digested.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from notifications.domain.delivery import VIETNAM, digest_due
from notifications.repository import Repositories
from notifications.service.intake import Place, new_delivery, rendered_for
from thidua_platform.audit import system_actor
from thidua_platform.tenancy import Scope

GRACE = timedelta(minutes=5)
log = logging.getLogger(__name__)


def digest_through(now: datetime, digest_hour: int) -> date:
    """The last day whose digest may be sent at `now`."""
    today = now.astimezone(VIETNAM).date()
    return today if now >= digest_due(today, digest_hour, GRACE) else today - timedelta(days=1)


async def send_digests(*, repos: Repositories, through: date, now: datetime) -> int:
    """Make the digests of every day up to `through`; returns how many new digests were stored to be sent."""
    groups = {
        (held["province"], held["recipient"]["user_id"], held["digest_date"])
        for held in await repos.deliveries.held_days(through.isoformat())
    }
    made = 0
    for province, user_id, day in sorted(groups):
        try:
            made += await _digest(repos, province, user_id, day, now)
        except Exception:  # one person's digest failing must not hold back everyone else's
            log.exception("digest of %s for %s failed; the next sweep tries again", day, user_id)
    return made


async def _digest(repos: Repositories, province: str, user_id: str, day: str, now: datetime) -> int:
    """One person's digest of one day. Province staff hear from several communes: the digest is the province's."""
    scope = Scope(province=province)
    items = await repos.deliveries.held_for(scope, user_id, day)
    if not items:
        return 0
    tenants = {item["tenant"] for item in items}
    cause = f"digest:{day}"
    place = Place(tenant=tenants.pop() if len(tenants) == 1 else None, province=province, subject=cause)
    facts = {"date": day, "items": [item["rendered"] for item in items]}
    rendered, version = await rendered_for(repos=repos, place=place, kind="digest", facts=facts)
    document = new_delivery(
        by=(system_actor("digest"), {}),
        place=place,
        channel="email",
        cause=cause,
        kind="digest",
        recipient=items[0]["recipient"],
        rendered=rendered,
        version=version,
        now=now,
        items=[item["_id"] for item in items],
    )
    digest_id = document["_id"]
    made = await repos.deliveries.add(document)
    if made:
        listed = document["items"]
    else:  # made before a crash: mark exactly what that digest carries
        existing = await repos.deliveries.get(scope, digest_id)
        listed = existing["items"] if existing else []
    await repos.deliveries.mark_digested(scope, list(listed), digest_id, now)
    return int(made)
