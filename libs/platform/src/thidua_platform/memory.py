"""An in-memory database and an in-process event bus, for unit tests of use cases and handlers without servers.

`memory_database()` answers the part of PyMongo's asynchronous API the repositories and the change log use (find,
find_one, insert, update, replace, delete, count, bulk_write, aggregate), interpreting queries and update operators
with mongomock, so each service's own repositories and the platform's `ChangeLog` run unchanged on it: a use case
is tested through the code that runs in production, not through a second, hand-written copy of its queries.
`InProcessBus` stands where Kafka does: the outbox relay publishes on it (`relay`), and it calls the handlers that
a worker would register, until no change is left to relay (`settle`).

What this does not prove, the integration and end-to-end tiers do on the real servers: indexes and unique keys
other than `_id`, FerretDB's and MongoDB's own answers, concurrent writers, delivery over Kafka (at least once,
redelivery, dead letters). Imported by tests only (mongomock is a development dependency).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import mongomock
from pymongo import DeleteMany, DeleteOne, InsertOne, ReplaceOne, UpdateMany, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from thidua_platform.consumer import Handler
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document
from thidua_platform.outbox import ChangeLog, OutboxRelay

Sort = str | Sequence[tuple[str, int]]


class MemoryCursor:
    """A find's answer: `sort`, `skip` and `limit` chain as on PyMongo's cursor; read with `async for`/`to_list`."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def sort(self, key: Sort, direction: int | None = None) -> MemoryCursor:
        self._cursor = self._cursor.sort(key, direction) if direction is not None else self._cursor.sort(key)
        return self

    def skip(self, count: int) -> MemoryCursor:
        self._cursor = self._cursor.skip(count)
        return self

    def limit(self, count: int) -> MemoryCursor:
        self._cursor = self._cursor.limit(count)
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        found = list(self._cursor)
        return found if length is None else found[:length]

    def __aiter__(self) -> AsyncIterator[Document]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Document]:
        for document in self._cursor:
            yield document


@dataclass(frozen=True)
class BulkResult:
    inserted_count: int = 0
    matched_count: int = 0
    modified_count: int = 0
    deleted_count: int = 0
    upserted_count: int = 0


def sent(value: Any) -> Any:
    """What the server receives: a copy, as the wire makes one. mongomock may change what it is given (it adds `_id`
    to a projection), and a caller's constant (`ScopedRepository.hidden`) must come back as it went."""
    return copy.deepcopy(value)


class MemoryCollection:
    """One collection, with PyMongo's asynchronous methods over mongomock's synchronous ones; every argument is sent
    as a copy (`sent`)."""

    def __init__(self, database: MemoryDatabase, collection: Any) -> None:
        self.database = database
        self._collection = collection

    @property
    def name(self) -> str:
        return str(self._collection.name)

    def find(self, filter: Mapping[str, Any] | None = None, projection: Any = None, **options: Any) -> MemoryCursor:
        return MemoryCursor(self._collection.find(sent(filter or {}), sent(projection), **options))

    async def find_one(self, filter: Mapping[str, Any] | None = None, projection: Any = None) -> Document | None:
        return cast(Document | None, self._collection.find_one(sent(filter or {}), sent(projection)))

    async def insert_one(self, document: Document) -> Any:
        return self._collection.insert_one(sent(document))

    async def insert_many(self, documents: Iterable[Document], *, ordered: bool = True) -> Any:
        errors, inserted = [], 0
        for index, document in enumerate(documents):
            try:
                self._collection.insert_one(sent(document))
                inserted += 1
            except DuplicateKeyError as error:
                errors.append({"index": index, "code": 11000, "errmsg": str(error)})
                if ordered:
                    break
        if errors:
            raise BulkWriteError({"writeErrors": errors, "nInserted": inserted})
        return None

    async def update_one(self, filter: Mapping[str, Any], update: Any, *, upsert: bool = False) -> Any:
        return self._collection.update_one(sent(filter), sent(update), upsert=upsert)

    async def update_many(self, filter: Mapping[str, Any], update: Any, *, upsert: bool = False) -> Any:
        return self._collection.update_many(sent(filter), sent(update), upsert=upsert)

    async def replace_one(self, filter: Mapping[str, Any], replacement: Document, *, upsert: bool = False) -> Any:
        return self._collection.replace_one(sent(filter), sent(replacement), upsert=upsert)

    async def delete_one(self, filter: Mapping[str, Any]) -> Any:
        return self._collection.delete_one(sent(filter))

    async def delete_many(self, filter: Mapping[str, Any]) -> Any:
        return self._collection.delete_many(sent(filter))

    async def find_one_and_delete(self, filter: Mapping[str, Any]) -> Document | None:
        return cast(Document | None, self._collection.find_one_and_delete(sent(filter)))

    async def count_documents(self, filter: Mapping[str, Any]) -> int:
        return int(self._collection.count_documents(sent(filter)))

    async def aggregate(self, pipeline: list[Mapping[str, Any]]) -> MemoryCursor:
        return MemoryCursor(iter(list(self._collection.aggregate(sent(pipeline)))))

    async def bulk_write(self, requests: Sequence[Any], *, ordered: bool = True) -> BulkResult:
        """Each request in turn, as the server would apply them (only the kinds PyMongo names here)."""
        counts = dict.fromkeys(("inserted", "matched", "modified", "deleted", "upserted"), 0)
        for request in requests:
            self._apply(copy.deepcopy(request), counts)
        del ordered  # applied in order either way: nothing here fails halfway
        return BulkResult(**{f"{name}_count": n for name, n in counts.items()})

    def _apply(self, request: Any, counts: dict[str, int]) -> None:
        if isinstance(request, InsertOne):
            self._collection.insert_one(request._doc)
            counts["inserted"] += 1
            return
        if isinstance(request, DeleteOne | DeleteMany):
            many = isinstance(request, DeleteMany)
            result = (self._collection.delete_many if many else self._collection.delete_one)(request._filter)
            counts["deleted"] += result.deleted_count
            return
        if isinstance(request, ReplaceOne):
            result = self._collection.replace_one(request._filter, request._doc, upsert=bool(request._upsert))
        elif isinstance(request, UpdateOne | UpdateMany):
            write = self._collection.update_many if isinstance(request, UpdateMany) else self._collection.update_one
            result = write(request._filter, request._doc, upsert=bool(request._upsert))
        else:
            raise TypeError(f"bulk_write: {type(request).__name__} is not supported in memory")
        counts["matched"] += result.matched_count
        counts["modified"] += result.modified_count
        counts["upserted"] += int(result.upserted_id is not None)

    async def create_index(self, keys: Any, **options: Any) -> str:
        return str(self._collection.create_index(keys, **options))

    async def drop(self) -> None:
        self._collection.drop()


class MemoryDatabase:
    """A database held in this process; collections are made on first use, as on the server."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._database: Any = mongomock.MongoClient(tz_aware=True)[name]  # as thidua_platform.mongo.connect
        self._collections: dict[str, MemoryCollection] = {}

    def __getitem__(self, name: str) -> MemoryCollection:
        return self.get_collection(name)

    def get_collection(self, name: str) -> MemoryCollection:
        if name not in self._collections:
            self._collections[name] = MemoryCollection(self, self._database[name])
        return self._collections[name]

    async def command(self, name: str) -> dict[str, Any]:
        if name != "ping":
            raise NotImplementedError(f"command {name!r} in memory")
        return {"ok": 1}

    async def list_collection_names(self) -> list[str]:
        return list(self._database.list_collection_names())


def memory_database(name: str = "") -> AsyncDatabase[Document]:
    """A fresh in-memory database, typed as the repositories take it."""
    return cast(AsyncDatabase[Document], MemoryDatabase(name or f"memory_{uuid.uuid4().hex[:8]}"))


@dataclass
class InProcessBus:
    """Kafka's place in a unit test: what a service's outbox relay publishes goes, in order, to every handler
    subscribed to its type (as each consumer group would receive it), and is kept in `published`."""

    subscribers: list[Mapping[str, Handler]] = field(default_factory=list)
    relays: list[OutboxRelay] = field(default_factory=list)
    published: list[Envelope] = field(default_factory=list)
    pending: list[Envelope] = field(default_factory=list)

    def subscribe(self, handlers: Mapping[str, Handler]) -> None:
        """A consumer group: its handlers by event type (a worker's `handlers(repos)`)."""
        self.subscribers.append(handlers)

    def relay(self, database: AsyncDatabase[Document]) -> None:
        """Relay this database's outbox onto the bus, as its worker's relay does onto Kafka."""
        self.relays.append(OutboxRelay(changes=ChangeLog(database), publisher=self, poll_seconds=0))

    async def publish(self, topic: str, envelope: Envelope) -> None:
        del topic  # one bus: the topic is the event type's (envelope.topic)
        self.published.append(envelope)
        self.pending.append(envelope)

    async def publish_many(self, items: Iterable[tuple[str, Envelope]]) -> None:
        for topic, envelope in items:
            await self.publish(topic, envelope)

    async def deliver(self, envelope: Envelope) -> None:
        """One event to every subscriber that handles its type."""
        for handlers in self.subscribers:
            handler = handlers.get(envelope.type)
            if handler is not None:
                await handler(envelope)

    async def receive(self, envelope: Envelope) -> list[Envelope]:
        """An event from outside the services under test, delivered, then `settle`: the events that followed."""
        await self.deliver(envelope)
        return await self.settle()

    async def settle(self, *, rounds: int = 50) -> list[Envelope]:
        """Relay every outbox and deliver what it published, again until nothing is left (an event's handler may
        cause events of its own); the events delivered, in order. Fails if it does not settle in `rounds`."""
        delivered: list[Envelope] = []
        for _ in range(rounds):
            for relay in self.relays:
                await relay.drain_once()
            if not self.pending:
                return delivered
            batch, self.pending = self.pending, []
            for envelope in batch:
                await self.deliver(envelope)
                delivered.append(envelope)
        raise AssertionError(f"the bus did not settle in {rounds} rounds: events keep causing events")
