"""A commune's webhook gateway (Zalo OA, SMS)."""

from __future__ import annotations

from typing import Any

from notifications.domain.aggregates import AuditEntry, WebhookGateway
from thidua_platform.indexes import scoped
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

WEBHOOKS = "webhooks"


class WebhookRepository(ScopedRepository[WebhookGateway]):
    """A commune's gateway: `_id` is the tenant. Saved by a plain scoped upsert (the last write wins), so the secret
    is never copied into the change log; each save still counts a revision and pushes its audit entry (without the
    secret) in the same write."""

    async def save(self, scope: Scope, fields: dict[str, Any], audit: AuditEntry) -> WebhookGateway | None:
        tenant = scope.tenant
        await self.collection.update_one(
            {"_id": tenant, "tenant": tenant, "province": scope.province},
            {"$set": fields, "$push": {"audit": audit}, "$inc": {"revision": 1}},
            upsert=True,
        )
        return await self.get(scope, tenant or "")


INDEXES = scoped([WEBHOOKS])
