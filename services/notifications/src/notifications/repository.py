"""Every Mongo query of the notifications service. The inbox is scoped by tenant and recipient."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.mongo import Document, insert_once
from thidua_shared.tenancy import Scope

INBOX = "inbox"


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
