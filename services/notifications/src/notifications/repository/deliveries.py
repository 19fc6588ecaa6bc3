"""E-mails and webhook calls to send, and the dispatch queue that lists those waiting. The dispatcher's and the
digest's sweeps across communes are the only unscoped reads of deliveries, named as such, and every change they make
goes through a scoped revision of the delivery (the dispatch queue only lists deliveries; it holds no state of its
own)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pymongo.asynchronous.collection import AsyncCollection

from notifications.domain.aggregates import AuditEntry, Delivery, HeldDelivery, HistoryEntry, QueuedDelivery, QueueEntry
from notifications.domain.lifecycle import PUT_BACK_FROM, QUEUED
from notifications.repository.common import _amended, _attempted
from thidua_platform.audit import entry, system_actor
from thidua_platform.envelope import Envelope
from thidua_platform.indexes import index, scoped
from thidua_platform.mongo import Document, insert_once
from thidua_platform.repository import Revision, ScopedRepository, narrowed
from thidua_platform.tenancy import Scope

DELIVERIES = "deliveries"
DISPATCH_QUEUE = "dispatch_queue"
ORPHAN_AFTER = timedelta(minutes=10)
QUEUE_FIELDS = {"_id": 1, "tenant": 1, "province": 1, "status": 1, "next_attempt_at": 1, "lease_until": 1}


def next_due(delivery: QueuedDelivery) -> datetime | None:
    """When the dispatcher should look at the delivery next; None once nothing more will be sent."""
    if delivery["status"] == "pending":
        return delivery["next_attempt_at"]
    if delivery["status"] == "sending":
        return delivery.get("lease_until") or datetime.now(UTC)
    return None


def queue_entry(delivery: QueuedDelivery, now: datetime) -> QueueEntry:
    due_at = next_due(delivery) or now
    return {
        "_id": delivery["_id"],
        "tenant": delivery["tenant"],
        "province": delivery["province"],
        "due_at": due_at,
        "queued_at": now,
    }


@dataclass(frozen=True)
class Claim:
    """A dispatcher taking a due delivery to send it: `sending` under its `token` until `lease_until`, one attempt
    more, not handed over yet; with the claim's audit entry."""

    token: str
    lease_until: datetime
    audit: AuditEntry


@dataclass(frozen=True)
class Settlement:
    """How an attempt ended, written as the claim is released: the delivery's new `fields` (its status, and when it
    was sent, died or is due again), an entry in its `history` of attempts and the `audit` entry."""

    fields: dict[str, Any]
    history: HistoryEntry
    audit: AuditEntry


def holds(delivery: Delivery, token: str) -> bool:
    """Whether the delivery is being sent under the claim `token` (no other dispatcher took it over)."""
    return delivery.get("claim") == token and delivery["status"] == "sending"


def _released(settlement: Settlement) -> dict[str, Any]:
    """The update that writes how an attempt ended and releases its claim."""
    fields = {**settlement.fields, "claim": None, "lease_until": None}
    return _attempted(fields, settlement.history, settlement.audit)


class DeliveryRepository(ScopedRepository[Delivery]):
    """E-mails and webhook calls, one document per (cause, recipient, channel), claimed by revision to be sent.

    What is waiting to be sent is also listed in a small queue collection (`dispatch_queue`: the delivery's id, its
    commune and when it is next due), because FerretDB answers any filter but a lone `_id` by reading the whole
    collection: looking for due deliveries among every one ever sent grew with each e-mail (a second a poll at
    ~10,000). The queue entry is written before the delivery (a crash between leaves an entry without a delivery,
    which the dispatcher drops), moved when the delivery's next attempt moves, and deleted once it is settled; the
    worker re-lists pending deliveries at start (`enqueue_unlisted`), so the queue can be rebuilt from the deliveries.
    """

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        super().__init__(collection)
        self.queue = collection.database[DISPATCH_QUEUE]

    async def add(self, document: Delivery, events: Sequence[Envelope] = ()) -> bool:
        if document["status"] == "pending":
            await insert_once(self.queue, cast(Document, queue_entry(document, datetime.now(UTC))))
        return await super().add(document, events)

    async def due(self, now: datetime, limit: int) -> list[QueueEntry]:
        """Across communes: queue entries whose time has come (pending deliveries, and sends whose claim lapsed)."""
        cursor = self.queue.find({"due_at": {"$lte": now}}).sort("due_at", 1)
        return [cast(QueueEntry, doc) async for doc in cursor.limit(limit)]

    async def claim(
        self, scope: Scope, delivery_id: str, *, take: Callable[[Delivery], Claim | Settlement | None]
    ) -> Delivery | None:
        """Claim the delivery as `take` decides from what was read (re-reading on a concurrent change): a `Claim`
        moves it to `sending` under the claim's token, one attempt more, its handover cleared; a `Settlement` ends
        it instead (a lapsed claim not to be sent again); None leaves it as it is. Returns the delivery as revised,
        or None when it is missing or `take` declined; 409 if contention does not clear."""

        async def change(current: Delivery) -> Revision | None:
            decided = take(current)
            if decided is None:
                return None
            if isinstance(decided, Settlement):
                return Revision(_released(decided))
            claim = {
                "status": "sending",
                "claim": decided.token,
                "lease_until": decided.lease_until,
                "handed_over_at": None,
            }
            return Revision({"$set": claim, "$inc": {"attempts": 1}, "$push": {"audit": decided.audit}})

        return await self.revise(scope, delivery_id, change)

    async def record_handover(
        self, scope: Scope, delivery_id: str, *, token: str, at: datetime, audit: AuditEntry
    ) -> bool:
        """Record that the e-mail is handed over to the mail server (`handed_over_at`), if the delivery is still
        being sent under the claim `token` (re-reading on a concurrent change); False when it is missing or no
        longer under that claim."""

        async def change(current: Delivery) -> Revision | None:
            if not holds(current, token):
                return None
            return Revision(_amended({"handed_over_at": at}, audit))

        return await self.revise(scope, delivery_id, change) is not None

    async def record_outcome(self, scope: Scope, delivery_id: str, *, token: str, outcome: Settlement) -> bool:
        """Write how the attempt ended and release the claim, if the delivery is still being sent under the claim
        `token` (re-reading on a concurrent change); False when it is missing or its claim lapsed and someone else
        took the delivery over."""

        async def change(current: Delivery) -> Revision | None:
            if not holds(current, token):
                return None
            return Revision(_released(outcome))

        return await self.revise(scope, delivery_id, change) is not None

    async def put_back(
        self, scope: Scope, delivery_id: str, *, at: datetime, history: HistoryEntry, audit: AuditEntry
    ) -> Delivery | None:
        """Put a dead or uncertain delivery back to be sent at `at` with a fresh set of attempts and no handover
        (re-reading on a concurrent change), with its history and audit entries. Returns the delivery as revised,
        or None when it is missing or neither dead nor uncertain. The caller lists it again (`enqueue`)."""

        async def change(current: Delivery) -> Revision | None:
            if current["status"] not in PUT_BACK_FROM:
                return None
            fields = {"status": "pending", "attempts": 0, "next_attempt_at": at, "handed_over_at": None}
            return Revision(_attempted(fields, history, audit))

        return await self.revise(scope, delivery_id, change)

    async def requeue(
        self, entry: QueueEntry | Document, now: datetime, *, orphan_after: timedelta = ORPHAN_AFTER
    ) -> None:
        """Bring the queue entry (as `due` lists it, or as read from the queue) in line with its delivery: due when
        it is next due, gone once it is settled (or when its delivery never came to exist)."""
        delivery = await self.collection.find_one({"_id": entry["_id"]}, QUEUE_FIELDS)
        if delivery is None:
            if entry.get("queued_at") and entry["queued_at"] <= now - orphan_after:
                await self.queue.delete_one({"_id": entry["_id"]})
            return
        due_at = next_due(cast(QueuedDelivery, delivery))
        if due_at is None:
            await self.queue.delete_one({"_id": entry["_id"]})
        elif due_at != entry.get("due_at"):
            await self.queue.update_one({"_id": entry["_id"]}, {"$set": {"due_at": due_at}})

    async def enqueue(self, delivery: Delivery) -> None:
        """List a delivery put back to pending (an operator's retry)."""
        if not await insert_once(self.queue, cast(Document, queue_entry(delivery, datetime.now(UTC)))):
            await self.queue.update_one({"_id": delivery["_id"]}, {"$set": {"due_at": next_due(delivery)}})

    async def enqueue_unlisted(self) -> int:
        """At start: list every pending or sending delivery the queue lacks (deliveries made before the queue
        existed, or a queue lost); one read of the deliveries per start. Returns how many were listed."""
        query = {"status": {"$in": list(QUEUED)}}
        listed = 0
        now = datetime.now(UTC)
        async for delivery in self.collection.find(query, QUEUE_FIELDS):
            queued = queue_entry(cast(QueuedDelivery, delivery), now)
            listed += await insert_once(self.queue, cast(Document, queued))
        return listed

    async def overseen(
        self, scope: Scope | None, *, status: str | None, channel: str | None, skip: int, limit: int
    ) -> tuple[list[Delivery], int]:
        """A page of the deliveries an overseer sees, newest first, without their rendered content, and how many
        there are: within the scope, or across communes for an operator (no scope); of one status and/or channel
        when given."""
        query = narrowed(scope.filter() if scope else {}, (("status", status), ("channel", channel)))
        cursor = self.collection.find(query, {**self.hidden, "rendered": 0}).sort("created_at", -1).skip(skip)
        found = [cast(Delivery, doc) async for doc in cursor.limit(limit)]
        return found, await self.collection.count_documents(query)

    async def overseen_one(self, scope: Scope | None, delivery_id: str) -> Delivery | None:
        """One delivery an overseer sees: within the scope, or of any commune for an operator (no scope)."""
        if scope is None:
            return cast(Delivery | None, await self.collection.find_one({"_id": delivery_id}, self.hidden))
        return await self.get(scope, delivery_id)

    async def held_days(self, through: str) -> list[HeldDelivery]:
        """Across communes: (recipient, day) of e-mails held for a digest of `through` or earlier."""
        query = {"status": "held", "digest_date": {"$lte": through}}
        projection = {"_id": 1, "tenant": 1, "province": 1, "recipient": 1, "digest_date": 1}
        return [cast(HeldDelivery, doc) async for doc in self.collection.find(query, projection).limit(10_000)]

    async def held_for(self, scope: Scope, user_id: str, day: str) -> list[Delivery]:
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


INDEXES = [
    *scoped([DELIVERIES], "status"),
    *scoped([DELIVERIES], "-created_at"),  # an overseer's deliveries, a page at a time, newest first
    index(DELIVERIES, "tenant", "province", "status"),  # a commune's deliveries counted, of a status or all
    index(DELIVERIES, "status"),
]
