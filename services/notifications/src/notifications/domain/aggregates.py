"""The notifications service's documents as they are stored: each TypedDict's keys are a document's fields
(docs/adr/0018).

Every aggregate written through the change log (deliveries, preferences, templates, reviews and period deadlines)
also has `revision`, which the change log sets when the document is added (absent from one not yet added), and
`audit`, its trail (ADR 0011), which lists and pages leave out; the change log's `applied_changes` is never read
(`ScopedRepository.hidden`). `tenant` and `province` are typed as the code that writes them has them: a `Scope`'s
`tenant` and `province` may be None in type (a commune's document always names its commune, and every document its
province), an event envelope's or a notice's `province` may not.

The in-app inbox and the dispatch queue are plain collections (inserted once, no change log); the dispatcher and the
digest read a few fields of deliveries only (`QueuedDelivery`, `HeldDelivery`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

AuditEntry = dict[str, Any]  # who, when, what: `at`, `actor`, `action`, `changes` (thidua_platform.audit builds them)
Digest = Literal["off", "daily"]


class Texts(TypedDict):
    """A message's four texts, Vietnamese and English: a template's parts, or what they rendered."""

    subject_vi: str
    body_vi: str
    subject_en: str
    body_en: str


# --- the in-app inbox ------------------------------------------------------------------------------------------------


class Message(TypedDict):
    """A person's in-app message (`inbox`), `_id` derived from (cause, recipient, "in_app"); inserted once, then only
    `read_at` changes."""

    _id: str
    tenant: str | None
    province: str
    recipient: str  # the person's user id
    kind: str
    subject: str
    title_vi: str
    body_vi: str
    title_en: str
    body_en: str
    cause: str
    created_at: datetime
    read_at: datetime | None


# --- deliveries and the dispatch queue -------------------------------------------------------------------------------


class Recipient(TypedDict):
    user_id: str
    username: str
    email: str | None  # a webhook's recipient may have none; an e-mail's always has one


class HistoryEntry(TypedDict):
    """One attempt at sending a delivery, or an operator's retry (`actor`)."""

    at: datetime
    attempt: int
    outcome: str
    error: str | None
    actor: NotRequired[str]


class QueuedDelivery(TypedDict):
    """What the dispatch queue needs of a delivery to know when it is next due (`repository.QUEUE_FIELDS`)."""

    _id: str
    tenant: str | None
    province: str
    status: str  # pending, sending, sent, held, digested, dead, uncertain
    next_attempt_at: datetime
    lease_until: datetime | None


class Delivery(QueuedDelivery):
    """An e-mail or webhook call (`deliveries`), one per (cause, recipient, channel), or a day's digest."""

    channel: str  # email or webhook
    cause: str
    kind: str
    subject: str
    recipient: Recipient
    rendered: NotRequired[Texts]  # left out of an overseer's list
    template_version: int
    digest_date: str | None  # held for the digest of that day (ISO date)
    attempts: int
    last_error: str | None
    created_at: datetime
    history: list[HistoryEntry]
    traceparent: str | None
    items: NotRequired[list[str]]  # a digest: the held deliveries it carries
    claim: NotRequired[str | None]  # the token of the dispatcher sending it, once one claimed it
    handed_over_at: NotRequired[datetime | None]
    sent_at: NotRequired[datetime]
    dead_at: NotRequired[datetime]
    digest_id: NotRequired[str]
    digested_at: NotRequired[datetime]
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class HeldDelivery(TypedDict):
    """Who an e-mail held for a digest is for, and the day (`DeliveryRepository.held_days`)."""

    _id: str
    tenant: str | None
    province: str
    recipient: Recipient
    digest_date: str


class QueueEntry(TypedDict):
    """A delivery waiting to be sent (`dispatch_queue`), `_id` the delivery's."""

    _id: str
    tenant: str | None
    province: str
    due_at: datetime
    queued_at: datetime


# --- a person's preferences, a commune's templates and gateway -------------------------------------------------------


class Choices(TypedDict):
    """What a person chose: each channel on or off, and e-mails one by one or once a day."""

    in_app: bool
    email: bool
    webhook: bool
    digest: Digest


class PersonPreferences(TypedDict):
    """A person's choices (`preferences`), `_id` their user id; a choice missing from the document is the default
    (`domain.delivery.Preferences.of`)."""

    _id: str
    tenant: str | None
    province: str | None
    in_app: NotRequired[bool]
    email: NotRequired[bool]
    webhook: NotRequired[bool]
    digest: NotRequired[Digest]
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class TemplateVersion(Texts):
    """A version of a kind's template: a commune's, or the built-in one (version 0, never stored)."""

    kind: str
    version: int
    builtin: bool


class CommuneTemplate(TemplateVersion):
    """A commune's version of a template (`templates`), `_id` "<tenant>:<kind>:<version>", inserted once."""

    _id: str
    tenant: str | None
    province: str | None
    created_by: str  # the username
    created_at: datetime
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class WebhookGateway(TypedDict):
    """A commune's gateway (`webhooks`), `_id` the tenant; saved by a scoped upsert that counts the revision."""

    _id: str
    tenant: str
    province: str | None
    url: str
    enabled: bool
    secret: str
    revision: int
    audit: NotRequired[list[AuditEntry]]


# --- reviews and period deadlines, kept to remind council members ----------------------------------------------------


class Review(TypedDict):
    """A council member's review of a dossier (`reviews`, kind "review"), `_id` "review:<assignment id>"."""

    _id: str
    kind: Literal["review"]
    tenant: str | None
    province: str
    reviewer: str  # the member's username
    submission_id: str
    submission_version: int
    period: str
    entrant: str  # the entrant's name
    criteria: list[str]
    assessed: list[str]
    status: str  # open, done
    reminded: bool
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class PeriodDeadline(TypedDict):
    """When a period closes in a commune or a province (`reviews`, kind "period"), `_id`
    "period:<tenant or province>:<code>"."""

    _id: str
    kind: Literal["period"]
    tenant: str | None
    province: str | None
    code: str
    closes_at: datetime
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]
