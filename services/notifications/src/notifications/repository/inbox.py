"""The in-app inbox: one message per (cause, recipient), inserted once, read by its recipient within a scope."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from pymongo.asynchronous.collection import AsyncCollection

from notifications.domain.aggregates import Message
from thidua_platform.indexes import index, scoped
from thidua_platform.mongo import Document, insert_once
from thidua_platform.tenancy import Scope

INBOX = "inbox"


class InboxRepository:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._inbox = collection

    async def add_once(self, document: Message) -> bool:
        return await insert_once(self._inbox, cast(Document, document))

    async def page(
        self, scope: Scope, recipient: str, *, unread_only: bool, skip: int, limit: int
    ) -> tuple[list[Message], int]:
        """A page of the person's messages within the scope, newest first (the unread ones only, when asked), and
        how many there are. Ties in time are ordered by id, so that pages neither repeat nor skip a message."""
        query: dict[str, object] = {"recipient": recipient}
        if unread_only:
            query["read_at"] = None
        scoped = scope.apply(query)
        cursor = self._inbox.find(scoped).sort([("created_at", -1), ("_id", -1)]).skip(skip).limit(limit)
        return [cast(Message, doc) async for doc in cursor], await self._inbox.count_documents(scoped)

    async def unread_count(self, scope: Scope, recipient: str) -> int:
        return await self._inbox.count_documents(scope.apply({"recipient": recipient, "read_at": None}))

    async def mark_read(self, scope: Scope, recipient: str, message_id: str, at: datetime) -> Message | None:
        await self._inbox.update_one(
            scope.apply({"_id": message_id, "recipient": recipient, "read_at": None}), {"$set": {"read_at": at}}
        )
        found = await self._inbox.find_one(scope.apply({"_id": message_id, "recipient": recipient}))
        return cast(Message | None, found)


INDEXES = [
    index(INBOX, "recipient", "-created_at", "-_id"),  # a person's inbox, a page at a time, newest first
    # how many messages a person has, and how many unread, within a commune (tenant and province) or a province:
    # counted on the index without reading a message (the database counts an index's slice when the query's every
    # condition is one of its leading keys, as MongoDB counts on an index)
    index(INBOX, "recipient", "province", "tenant"),
    index(INBOX, "recipient", "read_at", "province", "tenant"),
    *scoped([INBOX]),
]
