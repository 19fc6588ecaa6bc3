"""From a notice to what each recipient receives: the in-app message at once, and an e-mail or webhook delivery
stored for the dispatcher (or held for the day's digest), each once per (cause, recipient, channel).

Everything is keyed by derived ids and inserted once, so a redelivered or replayed event stores nothing new and
sends nothing again; a recipient who appears in the directory later does receive it on a replay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notifications.adapters.directory import Directory, Person
from notifications.domain.aggregates import Delivery, Message, Recipient
from notifications.domain.delivery import OUTBOUND, Channel, Preferences, delivery_id, digest_date
from notifications.domain.notices import Notice
from notifications.domain.templates import BUILTIN, PARTS, InvalidTemplate, Rendered, Template, render, texts
from notifications.repository import Repositories
from notifications.service.recipients import everyone
from thidua_platform.audit import entry, event_actor, system_actor
from thidua_platform.telemetry import current_traceparent
from thidua_platform.tenancy import Scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    """Where a notice belongs: its commune (tenant), province, and the aggregate it is about."""

    tenant: str | None
    province: str
    subject: str


@dataclass(frozen=True)
class IntakeConfig:
    digest_hour: int


async def template_for(*, repos: Repositories, place: Place, kind: str) -> tuple[Template, int]:
    """The commune's latest version of the kind's template, or the built-in one (version 0)."""
    if place.tenant:
        stored = await repos.templates.latest(Scope(tenant=place.tenant, province=place.province), kind)
        if stored is not None:
            return Template(**{part: stored[part] for part in PARTS}), int(stored["version"])
    return BUILTIN[kind], 0


async def rendered_for(*, repos: Repositories, place: Place, kind: str, facts: dict[str, Any]) -> tuple[Rendered, int]:
    template, version = await template_for(repos=repos, place=place, kind=kind)
    try:
        return render(template, facts), version
    except InvalidTemplate as exc:  # checked when saved; a fact missing at run time falls back, loudly
        log.warning("template %s v%s of %s failed (%s); the built-in one is used", kind, version, place.tenant, exc)
        return render(BUILTIN[kind], facts), 0


async def notify(
    *, repos: Repositories, directory: Directory, notice: Notice, place: Place, config: IntakeConfig, now: datetime
) -> int:
    """Tell everyone the notice concerns. Returns how many new deliveries (of any channel) were stored."""
    people = await everyone(
        audiences=notice.audience, tenant=place.tenant, province=place.province, directory=directory
    )
    if not people:
        return 0
    rendered, version = await rendered_for(repos=repos, place=place, kind=notice.kind, facts=notice.facts)
    stored = 0
    for person in people:
        # a province's staff keep their preferences at the province, commune users at their commune
        prefs = Preferences.of(await repos.preferences.get(Scope(province=place.province), person.user_id))
        if prefs.in_app:
            stored += await _in_app(repos, notice, place, person, rendered, now)
        for channel in OUTBOUND:
            if prefs.wants(channel) and await _outbound(
                repos, notice, place, person, channel, rendered, version, prefs, config, now
            ):
                stored += 1
    return stored


async def _in_app(
    repos: Repositories, notice: Notice, place: Place, person: Person, rendered: Rendered, now: datetime
) -> int:
    document: Message = {
        "_id": delivery_id(notice.cause, person.user_id, "in_app"),
        "tenant": place.tenant,
        "province": place.province,
        "recipient": person.user_id,
        "kind": notice.kind,
        "subject": place.subject,
        "title_vi": rendered.subject_vi,
        "body_vi": rendered.body_vi,
        "title_en": rendered.subject_en,
        "body_en": rendered.body_en,
        "cause": notice.cause,
        "created_at": now,
        "read_at": None,
    }
    return int(await repos.inbox.add_once(document))


async def _outbound(
    repos: Repositories,
    notice: Notice,
    place: Place,
    person: Person,
    channel: Channel,
    rendered: Rendered,
    version: int,
    prefs: Preferences,
    config: IntakeConfig,
    now: datetime,
) -> bool:
    if channel == "email" and not person.email:
        return False
    held = channel == "email" and prefs.digest == "daily"
    document = new_delivery(
        by=notice_actor(notice),
        place=place,
        channel=channel,
        cause=notice.cause,
        kind=notice.kind,
        recipient={"user_id": person.user_id, "username": person.username, "email": person.email},
        rendered=rendered,
        version=version,
        now=now,
        held_for=digest_date(now, config.digest_hour).isoformat() if held else None,
    )
    return await repos.deliveries.add(document)


def notice_actor(notice: Notice) -> tuple[str, dict[str, Any]]:
    """Who makes the deliveries of a notice: the event it came from, or the sweep that raised it (reminders)."""
    if notice.event_type:
        return event_actor(notice.cause), {"event": notice.event_type}
    return system_actor(notice.kind), {}


def new_delivery(
    *,
    by: tuple[str, dict[str, Any]],
    place: Place,
    channel: Channel,
    cause: str,
    kind: str,
    recipient: Recipient,
    rendered: Rendered,
    version: int,
    now: datetime,
    held_for: str | None = None,
    items: list[str] | None = None,
) -> Delivery:
    """A delivery to send now (or held for the digest of the day `held_for`); `by` is its creator, as an audit
    actor and what the entry says of the cause. A digest lists the `items` (held deliveries) it carries."""
    actor, cause_fields = by
    status = "held" if held_for else "pending"
    created = entry(actor, "queued", now, **cause_fields, channel=channel, kind=kind, status=status)
    delivery: Delivery = {
        "_id": delivery_id(cause, recipient["user_id"], channel),
        "tenant": place.tenant,
        "province": place.province,
        "channel": channel,
        "cause": cause,
        "kind": kind,
        "subject": place.subject,
        "recipient": recipient,
        "rendered": texts(rendered),
        "template_version": version,
        "status": status,
        "digest_date": held_for,
        "attempts": 0,
        "next_attempt_at": now,
        "lease_until": None,
        "last_error": None,
        "created_at": now,
        "history": [],
        "audit": [created],
        # the trace of the event that caused it: its sending, minutes or a digest later, continues that trace
        "traceparent": current_traceparent(),
    }
    if items is not None:
        delivery["items"] = items
    return delivery
