"""Atomic aggregate changes and the transactional outbox, on a server without atomic conditional updates.

FerretDB 1.x applies `update_one` as read-modify-write: two concurrent updates guarded by the same `revision` can
both succeed and one silently overwrites the other. Inserts of one `_id`, however, are atomic: exactly one wins.
So every change to an aggregate first *claims* its next revision by inserting a change record with
`_id = "<collection>:<aggregate id>:<revision>"` into the `changes` collection. Only the claim's winner applies the
update; it records the claim's nonce in the aggregate (`applied_changes`) in the same document write.

The change record is also the outbox: it carries the events the change causes. The relay (in the worker) publishes
the events of applied changes, per aggregate in revision order, with the idempotent producer, then deletes the
record. A writer that died between claiming and finishing leaves an unapplied record; once it is older than
`STALE_AFTER` the relay completes it (the aggregate still at the previous revision: apply; nonce already recorded:
applied) or drops it (the aggregate moved on without it), so an event is published only for a change that happened.
A crash after publishing and before deleting republishes the same events; consumers deduplicate by event id.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Any, Protocol

from bson import json_util
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from pymongo.asynchronous.database import AsyncDatabase

from thidua_platform.envelope import Envelope
from thidua_platform.loops import poll
from thidua_platform.mongo import Document, insert_once
from thidua_platform.telemetry import context_from_traceparent, traceparent_of

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

CHANGES = "changes"
STALE_AFTER = timedelta(seconds=30)


def change_id(collection: str, aggregate_id: str, revision: int) -> str:
    return f"{collection}:{aggregate_id}:{revision}"


def plain(key: str, value: Any) -> bool:
    """A guard entry that is a field equal to a plain value (no operator, no document, no list)."""
    return not key.startswith("$") and "." not in key and not isinstance(value, dict | list)


def _merge(update: dict[str, Any], *, revision: int, nonce: str) -> dict[str, Any]:
    """The update plus what every change writes: the new revision and the applied change's nonce."""
    merged = {operator: dict(fields) for operator, fields in update.items()}
    merged.setdefault("$set", {})["revision"] = revision
    merged.setdefault("$push", {})["applied_changes"] = nonce
    return merged


class ChangeLog:
    """Writes aggregates of one database so that each revision has exactly one writer and its events are kept."""

    def __init__(self, database: AsyncDatabase[Document]) -> None:
        self.database = database
        self.changes = database[CHANGES]

    def _record(
        self,
        collection: str,
        aggregate_id: str,
        revision: int,
        *,
        kind: str,
        payload: Any,
        guard: dict[str, Any],
        events: Sequence[Envelope],
    ) -> Document:
        return {
            "_id": change_id(collection, aggregate_id, revision),
            "nonce": uuid.uuid4().hex,
            "collection": collection,
            "aggregate_id": aggregate_id,
            "revision": revision,
            "kind": kind,
            # extended JSON: updates have `$` keys, which stored documents cannot
            "payload": json_util.dumps(payload),
            "guard": json_util.dumps(guard),
            "events": [event.model_dump(mode="json") for event in events],
            "applied": False,
            "created_at": datetime.now(UTC),
        }

    async def insert(self, collection: str, document: Document, events: Sequence[Envelope] = ()) -> bool:
        """A new aggregate at revision 1. False if its `_id` (or another unique key) already exists."""
        if not events:
            return await insert_once(self.database[collection], {**document, "revision": 1, "applied_changes": []})
        record = self._record(collection, document["_id"], 1, kind="insert", payload=document, guard={}, events=events)
        if not await insert_once(self.changes, record):
            return False
        created = {**document, "revision": 1, "applied_changes": [record["nonce"]]}
        if not await insert_once(self.database[collection], created):
            await self.changes.delete_one({"_id": record["_id"]})
            return False
        await self._mark_applied(record["_id"])
        return True

    async def update(
        self,
        collection: str,
        aggregate_id: str,
        *,
        revision: int,
        update: dict[str, Any],
        guard: dict[str, Any],
        events: Sequence[Envelope] = (),
    ) -> bool:
        """Move the aggregate from `revision` to `revision + 1`. False if someone else changed it first."""
        record = self._record(
            collection, aggregate_id, revision + 1, kind="update", payload=update, guard=guard, events=events
        )
        if not await insert_once(self.changes, record):
            return False
        try:
            applied = await self._apply(record, update, guard)
        except BaseException:
            await self.changes.delete_one({"_id": record["_id"]})  # nothing happened: nothing to complete
            raise
        if not applied:
            await self.changes.delete_one({"_id": record["_id"]})
            return False
        await self._mark_applied(record["_id"])
        return True

    async def _apply(self, record: Document, update: dict[str, Any], guard: dict[str, Any]) -> bool:
        """Apply the claimed change if the aggregate is still at the previous revision and matches the guard.
        Plain-value guards are checked on the aggregate read by `_id`, then the update addresses it by `_id` alone
        (FerretDB answers only a lone `_id` from an index, docs/adr/0012): safe because the claim makes this writer
        the only one that can move the aggregate from that revision. Guards with operators go into the filter."""
        collection = self.database[record["collection"]]
        merged = _merge(update, revision=record["revision"], nonce=record["nonce"])
        target = {"_id": record["aggregate_id"], "revision": record["revision"] - 1}
        if not all(plain(key, value) for key, value in guard.items()):
            result = await collection.update_one({"$and": [guard, target]} if guard else target, merged)
            return result.matched_count == 1
        current = await collection.find_one({"_id": record["aggregate_id"]}, {"revision": 1, **dict.fromkeys(guard, 1)})
        if current is None or any(current.get(key) != value for key, value in {**guard, **target}.items()):
            return False
        result = await collection.update_one({"_id": record["aggregate_id"]}, merged)
        return result.matched_count == 1

    async def _mark_applied(self, record_id: str) -> None:
        await self.changes.update_one({"_id": record_id}, {"$set": {"applied": True}})

    async def complete(self, record: Document) -> bool:
        """Finish a change whose writer stopped midway. True if the change happened (its events may go out)."""
        aggregate = await self.database[record["collection"]].find_one({"_id": record["aggregate_id"]})
        if aggregate is not None and record["nonce"] in aggregate.get("applied_changes", []):
            done = True
        elif record["kind"] == "insert" and aggregate is None:
            document = json_util.loads(record["payload"])
            done = await insert_once(
                self.database[record["collection"]], {**document, "revision": 1, "applied_changes": [record["nonce"]]}
            )
        elif record["kind"] == "update" and aggregate is not None and aggregate["revision"] == record["revision"] - 1:
            done = await self._apply(record, json_util.loads(record["payload"]), json_util.loads(record["guard"]))
        else:
            done = False
        if done:
            await self._mark_applied(record["_id"])
        else:
            log.warning("dropping change %s: the aggregate moved on without it", record["_id"])
            await self.changes.delete_one({"_id": record["_id"]})
        return done


def publishing_span(event: Envelope) -> Span:
    """The relay's part of the event's trace (the consumers' spans are children of the event's own context)."""
    return tracer.start_span(
        f"publish {event.type}",
        context=context_from_traceparent(event.traceparent),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": event.topic,
            "messaging.message.id": str(event.id),
            "thidua.tenant": event.tenant or "",
        },
    )


def traced(event: Envelope, span: Span) -> Envelope:
    """The event as published: every message carries a trace. One recorded outside any trace (a background task
    that started no span) begins its trace at its publishing span, so its consumers' spans still form a tree."""
    if event.traceparent:
        return event
    return event.model_copy(update={"traceparent": traceparent_of(span)})


class Publisher(Protocol):
    """Where the relay puts events: Kafka (`kafka.EventPublisher`), or the in-process bus of unit tests
    (`memory.InProcessBus`)."""

    async def publish_many(self, items: Iterable[tuple[str, Envelope]]) -> None: ...


class OutboxRelay:
    """Publishes the events of applied changes, in revision order per aggregate, then forgets the change."""

    def __init__(self, *, changes: ChangeLog, publisher: Publisher, poll_seconds: float) -> None:
        self.changes = changes
        self.publisher = publisher
        self.poll_seconds = poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        await poll(stop, self.drain_once, every=self.poll_seconds, what="outbox relay")

    async def drain_once(self, batch: int = 500) -> int:
        """Returns how many change records were settled (published or dropped)."""
        cursor = self.changes.changes.find({}).sort("created_at", 1).limit(batch)
        records = [record async for record in cursor]
        settled = 0
        by_aggregate = sorted(records, key=lambda r: (r["collection"], r["aggregate_id"], r["revision"]))
        for aggregate, group in groupby(by_aggregate, key=lambda r: (r["collection"], r["aggregate_id"])):
            try:
                settled += await self._drain_aggregate(list(group))
            except Exception:  # one aggregate's trouble must not stop every other aggregate's events
                log.exception("outbox relay: change records of %s are stuck; other aggregates go on", aggregate)
        return settled

    async def _drain_aggregate(self, group: list[Document]) -> int:
        """One aggregate's records in revision order; stops at a record whose writer may still be at work."""
        settled = 0
        for record in group:
            if not record["applied"]:
                if datetime.now(UTC) - record["created_at"] < STALE_AFTER:
                    break
                if not await self.changes.complete(record):
                    settled += 1
                    continue
            recorded = [Envelope.model_validate(raw) for raw in record["events"]]
            spans = [publishing_span(event) for event in recorded]
            events = [traced(event, span) for event, span in zip(recorded, spans, strict=True)]
            try:
                await self.publisher.publish_many((event.topic, event) for event in events)
            except Exception as exc:
                for span in spans:
                    span.record_exception(exc)
                    span.set_status(Status(StatusCode.ERROR, "not published; the relay tries again"))
                raise
            finally:
                for span in spans:
                    span.end()
            await self.changes.changes.delete_one({"_id": record["_id"]})
            settled += 1
        return settled

    async def backlog(self) -> int:
        return await self.changes.changes.count_documents({})
