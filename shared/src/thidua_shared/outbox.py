"""Transactional outbox without multi-document transactions.

An aggregate's state change and the events it causes are written in ONE document update: the events go into the
document's `outbox` array and `outbox_pending` is set. The relay (in the worker) publishes pending events with the
idempotent producer, then pulls them from the array. A crash between publish and pull republishes the same event
(same id); consumers deduplicate by construction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.events import Envelope
from thidua_shared.kafka import EventPublisher
from thidua_shared.mongo import Document

log = logging.getLogger(__name__)


def outbox_insert(document: Document, events: list[Envelope]) -> Document:
    """The document to insert, carrying its events."""
    return {**document, "outbox": [e.model_dump(mode="json") for e in events], "outbox_pending": bool(events)}


def outbox_update(update: dict[str, Any], events: list[Envelope]) -> dict[str, Any]:
    """An update that also appends `events` to the document's outbox, atomically with the change."""
    merged = {key: dict(value) for key, value in update.items()}
    merged.setdefault("$push", {})["outbox"] = {"$each": [e.model_dump(mode="json") for e in events]}
    merged.setdefault("$set", {})["outbox_pending"] = True
    return merged


class OutboxRelay:
    """Publishes the outbox of every document in the given collections. Infrastructure: crosses tenants."""

    def __init__(
        self, *, collections: list[AsyncCollection[Document]], publisher: EventPublisher, poll_seconds: float
    ) -> None:
        self.collections = collections
        self.publisher = publisher
        self.poll_seconds = poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                published = await self.drain_once()
            except Exception:
                log.exception("outbox relay failed; retrying")
                published = 0
            if not published:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.poll_seconds)

    async def drain_once(self, batch: int = 200) -> int:
        published = 0
        for collection in self.collections:
            cursor = collection.find({"outbox_pending": True}, {"outbox": 1}).limit(batch)
            async for document in cursor:
                published += await self._publish_document(collection, document)
        return published

    async def backlog(self) -> int:
        return sum([await c.count_documents({"outbox_pending": True}) for c in self.collections])

    async def _publish_document(self, collection: AsyncCollection[Document], document: Document) -> int:
        stored = document.get("outbox", [])
        events = [Envelope.model_validate(raw) for raw in stored]
        if events:
            await self.publisher.publish_many((event.topic, event) for event in events)
            # Removed by exact value: FerretDB 1.x ignores $pull with a condition ({"id": {"$in": ...}}).
            await collection.update_one({"_id": document["_id"]}, {"$pullAll": {"outbox": stored}})
        # Cleared only if nothing new arrived meanwhile: a writer sets the flag in the same update as its push.
        await collection.update_one(
            {"_id": document["_id"], "outbox": {"$size": 0}}, {"$set": {"outbox_pending": False}}
        )
        return len(events)
