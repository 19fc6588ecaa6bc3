"""MongoDB access through PyMongo's asyncio API (Motor is deprecated).

The embedded default server is FerretDB 1.x: no multi-document transactions, no change streams. Code here keeps to
the subset that FerretDB and MongoDB both serve (see deploy/ferretdb/check_capabilities.py).
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

from thidua_shared.tenancy import Scope

Document = dict[str, Any]


def connect(url: str) -> AsyncMongoClient[Document]:
    return AsyncMongoClient(
        url,
        uuidRepresentation="standard",
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        appname="thidua",
    )


async def ping(database: AsyncDatabase[Document]) -> None:
    await database.command("ping")


def collection(database: AsyncDatabase[Document], name: str) -> AsyncCollection[Document]:
    return database.get_collection(name)


def is_duplicate_key(error: Exception) -> bool:
    """True for a unique-key violation. FerretDB 1.x reports one caused by an upsert as a generic failure."""
    if isinstance(error, DuplicateKeyError):
        return True
    return isinstance(error, OperationFailure) and "UNIQUE constraint failed" in str(error)


async def insert_once(collection: AsyncCollection[Document], document: Document) -> bool:
    """Insert a document keyed by a deterministic `_id`; False if it exists (a redelivered event's effect)."""
    try:
        await collection.insert_one(document)
    except PyMongoError as error:
        if is_duplicate_key(error):
            return False
        raise
    return True


class ScopedRepository:
    """The queries every aggregate needs, always within a Scope, with optimistic concurrency on `revision`.

    Projections drop the outbox: it is infrastructure, never returned to callers.
    """

    hidden: dict[str, int] = {"outbox": 0, "outbox_pending": 0}  # noqa: RUF012 (read-only)

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.collection = collection

    async def add(self, document: Document) -> bool:
        return await insert_once(self.collection, {"revision": 1, **document})

    async def get(self, scope: Scope, document_id: str, **match: Any) -> Document | None:
        return await self.collection.find_one(scope.apply({"_id": document_id, **match}), self.hidden)

    async def find(
        self, scope: Scope, query: dict[str, Any], *, limit: int = 1000, sort: tuple[str, int] = ("_id", 1)
    ) -> list[Document]:
        cursor = self.collection.find(scope.apply(query), self.hidden).sort(*sort).limit(limit)
        return [document async for document in cursor]

    async def page(
        self, scope: Scope, query: dict[str, Any], *, skip: int, limit: int, sort: tuple[str, int] = ("created_at", -1)
    ) -> tuple[list[Document], int]:
        scoped = scope.apply(query)
        cursor = self.collection.find(scoped, {**self.hidden, "audit": 0}).sort(*sort).skip(skip).limit(limit)
        return [document async for document in cursor], await self.collection.count_documents(scoped)

    async def update(self, scope: Scope, document_id: str, *, revision: int, update: dict[str, Any]) -> bool:
        """Apply `update` only if nobody changed the document since `revision` was read."""
        changed = {key: dict(value) for key, value in update.items()}
        changed.setdefault("$inc", {})["revision"] = 1
        result = await self.collection.update_one(scope.apply({"_id": document_id, "revision": revision}), changed)
        return result.modified_count == 1
