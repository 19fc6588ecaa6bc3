"""Every Mongo query of the notifications service. Reads and writes are scoped by tenant; the dispatcher's and the
digest's sweeps across communes are the only unscoped reads, named as such, and every change they make goes
through a scoped revision of the delivery (the dispatch queue only lists deliveries; it holds no state of its own).
The reminder sweep's one unscoped read lists the few periods closing soon; what it reads and changes after that is
scoped by commune or province."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from notifications.domain.aggregates import (
    AuditEntry,
    Choices,
    CommuneTemplate,
    Delivery,
    HeldDelivery,
    HistoryEntry,
    Message,
    PeriodDeadline,
    PersonPreferences,
    QueuedDelivery,
    QueueEntry,
    Review,
    WebhookGateway,
)
from thidua_shared.audit import entry, system_actor
from thidua_shared.events import Envelope
from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document, insert_once
from thidua_shared.repository import Revision, ScopedRepository, narrowed
from thidua_shared.tenancy import Scope

INBOX = "inbox"


def scope_of(document: Mapping[str, Any]) -> Scope:
    """The commune or province of a document (a delivery, a review, a period deadline...)."""
    return Scope(tenant=document.get("tenant"), province=document.get("province"))


def _amended(fields: Mapping[str, Any], audit: AuditEntry) -> dict[str, Any]:
    """The update that sets `fields` and appends `audit` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": audit}}


def _attempted(fields: Mapping[str, Any], history: HistoryEntry, audit: AuditEntry) -> dict[str, Any]:
    """The update that sets a delivery's `fields` and appends `history` to its attempts and `audit` to its trail."""
    return {"$set": fields, "$push": {"history": history, "audit": audit}}


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
            if current["status"] not in ("dead", "uncertain"):
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
        query = {"status": {"$in": ["pending", "sending"]}}
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


class PreferencesRepository(ScopedRepository[PersonPreferences]):
    """A person's choices of channels and digest, `_id` = their user id."""

    async def choose(self, scope: Scope, user_id: str, *, choices: Choices, audit: AuditEntry) -> PersonPreferences:
        """Store the person's `choices`: created with the audit entry, or when they exist, replaced by them (the
        last write wins, re-reading on a concurrent change) with it. Returns the stored preferences."""
        document: PersonPreferences = {
            "_id": user_id,
            "tenant": scope.tenant,
            "province": scope.province,
            "in_app": choices["in_app"],
            "email": choices["email"],
            "webhook": choices["webhook"],
            "digest": choices["digest"],
            "audit": [audit],
        }
        return await self.put(scope, document, _amended(choices, audit))


class TemplateRepository(ScopedRepository[CommuneTemplate]):
    """A commune's template versions: `_id` "<tenant>:<kind>:<version>", inserted once, never changed."""

    async def latest(self, scope: Scope, kind: str) -> CommuneTemplate | None:
        found = await self.find(scope, {"kind": kind}, limit=1, sort=("version", -1))
        return found[0] if found else None

    async def versions(self, scope: Scope, kind: str) -> list[CommuneTemplate]:
        return await self.find(scope, {"kind": kind}, limit=200, sort=("version", -1))


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


class ReviewRepository(ScopedRepository[Review]):
    """Council members' open reviews (kind "review") and the periods' deadlines (kind "period", one per commune or
    province and period code), kept to remind before a period closes.

    The reminder sweep reads what is due only: the few periods closing soon (`periods_closing`), then, for each, the
    open reviews not yet reminded of that period within its commune or province (`due_reviews`); never the open
    reviews of periods that are not closing.

    The aggregate the repository reads and writes is the review; the period documents beside them in the collection
    are read by `periods_closing` and written by `set_deadline`."""

    @property
    def _deadlines(self) -> ScopedRepository[PeriodDeadline]:
        """This repository, as that of the period documents (the same collection and change log)."""
        return cast(ScopedRepository[PeriodDeadline], self)

    async def periods_closing(self, after: datetime, through: datetime, limit: int = 10_000) -> list[PeriodDeadline]:
        """Across communes and provinces (the reminder sweep): period documents with `after < closes_at <= through`.
        Period documents are few (one per commune or province and period code)."""
        query = {"kind": "period", "closes_at": {"$gt": after, "$lte": through}}
        cursor = self.collection.find(query, {**self.hidden, "audit": 0}).sort("closes_at", 1).limit(limit)
        return [cast(PeriodDeadline, doc) async for doc in cursor]

    async def communes_with_own_period(self, province: str, code: str) -> set[str]:
        """The communes of the province that have a period document of their own with this code (their campaign's
        deadline, not the province's, applies to their reviews)."""
        query = {"kind": "period", "code": code}
        cursor = self.collection.find(Scope(province=province).apply(query), {"tenant": 1}).limit(100_000)
        return {doc["tenant"] async for doc in cursor if doc.get("tenant")}

    async def due_reviews(
        self, scope: Scope, period: str, *, except_tenants: Iterable[str] = (), batch: int = 500
    ) -> AsyncIterator[Review]:
        """The open reviews of `period` within the scope whose member was not reminded yet, but those of
        `except_tenants`; read in batches by `_id` (no cursor stays open while the caller sends), without their
        audit trail. An equality on (province, tenant, period, status, reminded): the index below serves it."""
        query: dict[str, Any] = {"kind": "review", "period": period, "status": "open", "reminded": False}
        excluded = sorted(except_tenants)
        if excluded:
            query["tenant"] = {"$nin": excluded}
        after: str | None = None
        while True:
            page = {**query, "_id": {"$gt": after}} if after is not None else query
            cursor = self.collection.find(scope.apply(page), {**self.hidden, "audit": 0}).sort("_id", 1).limit(batch)
            found = [cast(Review, doc) async for doc in cursor]
            for doc in found:
                yield doc
            if len(found) < batch:
                return
            after = found[-1]["_id"]

    async def record_assessment(
        self, scope: Scope, review_id: str, *, criterion: str, audit: Callable[[str], AuditEntry]
    ) -> bool:
        """Add `criterion` to what the review's member assessed, the review `done` once every one of its criteria
        is (re-reading on a concurrent change), with the entry `audit` makes for the review's status at each
        attempt; False when the review is missing or had the criterion already."""

        async def change(current: Review) -> Revision | None:
            assessed = set(current["assessed"]) | {criterion}
            if assessed == set(current["assessed"]):
                return None
            done = set(current["criteria"]) <= assessed
            status = "done" if done else current["status"]
            return Revision(_amended({"assessed": sorted(assessed), "status": status}, audit(status)))

        return await self.revise(scope, review_id, change) is not None

    async def set_deadline(
        self, scope: Scope, period_id: str, *, code: str, closes_at: datetime, audit: AuditEntry
    ) -> PeriodDeadline:
        """The closing time of the period `code` in the commune or province of `scope` (`_id` = `period_id`):
        created with the audit entry, or when it exists changed (the last write wins) with it."""
        document: PeriodDeadline = {
            "_id": period_id,
            "kind": "period",
            "tenant": scope.tenant,
            "province": scope.province,
            "code": code,
            "closes_at": closes_at,
            "audit": [audit],
        }
        return await self._deadlines.put(scope, document, _amended({"closes_at": closes_at}, audit))

    async def mark_reminded(self, scope: Scope, review_id: str, at: datetime) -> bool:
        """Note that the review's member was reminded: a revision with its audit entry; False if it already was."""
        result = await self.collection.update_one(
            scope.apply({"_id": review_id, "kind": "review", "reminded": False}),
            {
                "$set": {"reminded": True},
                "$inc": {"revision": 1},
                "$push": {"audit": entry(system_actor("reminders"), "reminded", at, reminded=True)},
            },
        )
        return result.modified_count == 1

    async def finish_open(self, scope: Scope, *, submission_id: str, audit: AuditEntry) -> None:
        """The dossier's score is final: every review of it still open is done (nothing is left to remind of), each
        a revision with the `audit` entry, in one write."""
        await self.collection.update_many(
            scope.apply({"kind": "review", "submission_id": submission_id, "status": "open"}),
            {"$set": {"status": "done"}, "$inc": {"revision": 1}, "$push": {"audit": audit}},
        )


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


QUERY_INDEXES = [
    index(INBOX, "recipient", "-created_at", "-_id"),  # a person's inbox, a page at a time, newest first
    # how many messages a person has, and how many unread, within a commune (tenant and province) or a province:
    # counted on the index without reading a message (the database counts an index's slice when the query's every
    # condition is one of its leading keys, as MongoDB counts on an index)
    index(INBOX, "recipient", "province", "tenant"),
    index(INBOX, "recipient", "read_at", "province", "tenant"),
    *scoped([INBOX, "preferences", "templates", "webhooks"]),
    *scoped(["deliveries"], "status"),
    *scoped(["deliveries"], "-created_at"),  # an overseer's deliveries, a page at a time, newest first
    index("deliveries", "tenant", "province", "status"),  # a commune's deliveries counted, of a status or all
    index("deliveries", "status"),
    *scoped(["reviews"], "submission_id"),
    # the reminder sweep: the periods closing soon, which communes have their own period, then the reviews due
    index("reviews", "kind", "closes_at"),
    index("reviews", "province", "kind", "code"),
    index("reviews", "province", "period", "status", "reminded", "tenant"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
