"""Every Mongo query of the submissions service. All reads and writes are scoped by tenant or province."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.mongo import Document
from thidua_shared.tenancy import Scope

COLLECTION = "submissions"


class SubmissionRepository:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._submissions = collection

    async def add(self, document: Document) -> None:
        await self._submissions.insert_one(document)

    async def get(self, scope: Scope, submission_id: str) -> Document | None:
        return await self._submissions.find_one(scope.apply({"_id": submission_id}), {"outbox": 0})

    async def list(self, scope: Scope, *, period: str | None, limit: int) -> list[Document]:
        query: dict[str, Any] = {"period": period} if period else {}
        cursor = self._submissions.find(scope.apply(query), {"outbox": 0, "audit": 0}).sort("created_at", -1)
        return [doc async for doc in cursor.limit(limit)]

    async def update(self, scope: Scope, submission_id: str, *, version: int, update: dict[str, Any]) -> bool:
        """Applies `update` only if the stored version is still `version` (optimistic concurrency)."""
        result = await self._submissions.update_one(scope.apply({"_id": submission_id, "version": version}), update)
        return result.modified_count == 1
