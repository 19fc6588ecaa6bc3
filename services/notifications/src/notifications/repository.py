"""Every Mongo query of the notifications service. Reads and writes are scoped by tenant; the dispatcher's and the
digest's sweeps across communes are the only unscoped reads, named as such, and every change they make goes
through a scoped revision of the delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from thidua_shared.audit import entry, system_actor
from thidua_shared.mongo import Document, insert_once
from thidua_shared.repository import ScopedRepository
from thidua_shared.tenancy import Scope

INBOX = "inbox"


def scope_of(document: Document) -> Scope:
    return Scope(tenant=document.get("tenant"), province=document.get("province"))


class InboxRepository:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._inbox = collection

    async def add_once(self, document: Document) -> bool:
        return await insert_once(self._inbox, document)

    async def list(self, scope: Scope, recipient: str, *, unread_only: bool, limit: int) -> list[Document]:
        query: dict[str, object] = {"recipient": recipient}
        if unread_only:
            query["read_at"] = None
        cursor = self._inbox.find(scope.apply(query)).sort("created_at", -1)
        return [doc async for doc in cursor.limit(limit)]

    async def unread_count(self, scope: Scope, recipient: str) -> int:
        return await self._inbox.count_documents(scope.apply({"recipient": recipient, "read_at": None}))

    async def mark_read(self, scope: Scope, recipient: str, message_id: str, at: datetime) -> Document | None:
        await self._inbox.update_one(
            scope.apply({"_id": message_id, "recipient": recipient, "read_at": None}), {"$set": {"read_at": at}}
        )
        return await self._inbox.find_one(scope.apply({"_id": message_id, "recipient": recipient}))


class DeliveryRepository(ScopedRepository):
    """E-mails and webhook calls, one document per (cause, recipient, channel), claimed by revision to be sent."""

    async def due(self, now: datetime, limit: int) -> list[Document]:
        """Across communes: pending deliveries whose time has come, and sends whose claim lapsed (a dispatcher
        died mid-send)."""
        query = {
            "$or": [
                {"status": "pending", "next_attempt_at": {"$lte": now}},
                {"status": "sending", "lease_until": {"$lte": now}},
            ]
        }
        cursor = self.collection.find(query, {"_id": 1, "tenant": 1, "province": 1}).sort("next_attempt_at", 1)
        return [doc async for doc in cursor.limit(limit)]

    async def held_days(self, through: str) -> list[Document]:
        """Across communes: (recipient, day) of e-mails held for a digest of `through` or earlier."""
        query = {"status": "held", "digest_date": {"$lte": through}}
        projection = {"_id": 1, "tenant": 1, "province": 1, "recipient": 1, "digest_date": 1}
        return [doc async for doc in self.collection.find(query, projection).limit(10_000)]

    async def held_for(self, scope: Scope, user_id: str, day: str) -> list[Document]:
        query = {"status": "held", "recipient.user_id": user_id, "digest_date": day, "channel": "email"}
        return await self.find(scope, query, limit=100_000, sort=("created_at", 1))

    async def mark_digested(self, scope: Scope, ids: list[str], digest_id: str, at: datetime) -> None:
        """A revision of each held delivery, with its audit entry, in one write per delivery set."""
        await self.collection.update_many(
            scope.apply({"_id": {"$in": ids}, "status": "held"}),
            {
                "$set": {"status": "digested", "digest_id": digest_id, "digested_at": at},
                "$inc": {"revision": 1},
                "$push": {"audit": entry(system_actor("digest"), "digested", at, status="digested", digest=digest_id)},
            },
        )


class PreferencesRepository(ScopedRepository):
    pass


class TemplateRepository(ScopedRepository):
    """A commune's template versions: `_id` "<tenant>:<kind>:<version>", inserted once, never changed."""

    async def latest(self, scope: Scope, kind: str) -> Document | None:
        found = await self.find(scope, {"kind": kind}, limit=1, sort=("version", -1))
        return found[0] if found else None

    async def versions(self, scope: Scope, kind: str) -> list[Document]:
        return await self.find(scope, {"kind": kind}, limit=200, sort=("version", -1))


class WebhookRepository(ScopedRepository):
    """A commune's gateway: `_id` is the tenant. Saved by a plain scoped upsert (the last write wins), so the secret
    is never copied into the change log; each save still counts a revision and pushes its audit entry (without the
    secret) in the same write."""

    async def save(self, scope: Scope, fields: dict[str, Any], audit: dict[str, Any]) -> Document | None:
        tenant = scope.tenant
        await self.collection.update_one(
            {"_id": tenant, "tenant": tenant, "province": scope.province},
            {"$set": fields, "$push": {"audit": audit}, "$inc": {"revision": 1}},
            upsert=True,
        )
        return await self.get(scope, tenant or "")


class ReviewRepository(ScopedRepository):
    """Council members' open reviews and the periods' deadlines, kept to remind before a period closes."""

    async def open_reviews(self, limit: int = 10_000) -> list[Document]:
        """Across communes: reviews not done and not yet reminded."""
        query = {"kind": "review", "status": "open", "reminded": False}
        return [doc async for doc in self.collection.find(query).limit(limit)]


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
            deliveries=DeliveryRepository(database["deliveries"]),
            preferences=PreferencesRepository(database["preferences"]),
            templates=TemplateRepository(database["templates"]),
            webhooks=WebhookRepository(database["webhooks"]),
            reviews=ReviewRepository(database["reviews"]),
        )
