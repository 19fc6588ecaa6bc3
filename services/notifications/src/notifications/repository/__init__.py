"""Every Mongo query of the notifications service, one module per aggregate. Reads and writes are scoped by tenant;
the dispatcher's and the digest's sweeps across communes are the only unscoped reads, named as such, and every change
they make goes through a scoped revision of the delivery (the dispatch queue only lists deliveries; it holds no state
of its own). The reminder sweep's one unscoped read lists the few periods closing soon; what it reads and changes
after that is scoped by commune or province.

This package gives the service its `Repositories` and the indexes their queries need (`QUERY_INDEXES`, each module
declaring those of its own queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from notifications.repository import deliveries, inbox, preferences, reviews, templates, webhooks
from notifications.repository.common import scope_of
from notifications.repository.deliveries import (
    DELIVERIES,
    DISPATCH_QUEUE,
    Claim,
    DeliveryRepository,
    Settlement,
    next_due,
    queue_entry,
)
from notifications.repository.inbox import INBOX, InboxRepository
from notifications.repository.preferences import PREFERENCES, PreferencesRepository
from notifications.repository.reviews import REVIEWS, ReviewRepository
from notifications.repository.templates import TEMPLATES, TemplateRepository
from notifications.repository.webhooks import WEBHOOKS, WebhookRepository
from thidua_platform.indexes import declare
from thidua_platform.mongo import Document

__all__ = [
    "DELIVERIES",
    "DISPATCH_QUEUE",
    "INBOX",
    "PREFERENCES",
    "QUERY_INDEXES",
    "REVIEWS",
    "TEMPLATES",
    "WEBHOOKS",
    "Claim",
    "DeliveryRepository",
    "InboxRepository",
    "PreferencesRepository",
    "Repositories",
    "ReviewRepository",
    "Settlement",
    "TemplateRepository",
    "WebhookRepository",
    "ensure_indexes",
    "next_due",
    "queue_entry",
    "scope_of",
]


@dataclass(frozen=True)
class Repositories:
    inbox: InboxRepository
    deliveries: DeliveryRepository
    preferences: PreferencesRepository
    templates: TemplateRepository
    webhooks: WebhookRepository
    reviews: ReviewRepository

    @classmethod
    def of(cls, database: AsyncDatabase[Any]) -> Repositories:
        return cls(
            inbox=InboxRepository(database[INBOX]),
            deliveries=DeliveryRepository(database[DELIVERIES]),
            preferences=PreferencesRepository(database[PREFERENCES]),
            templates=TemplateRepository(database[TEMPLATES]),
            webhooks=WebhookRepository(database[WEBHOOKS]),
            reviews=ReviewRepository(database[REVIEWS]),
        )


QUERY_INDEXES = [
    *inbox.INDEXES,
    *deliveries.INDEXES,
    *preferences.INDEXES,
    *templates.INDEXES,
    *webhooks.INDEXES,
    *reviews.INDEXES,
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
