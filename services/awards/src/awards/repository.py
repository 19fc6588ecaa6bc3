"""Every Mongo query of the awards service, tenant-scoped for reads."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.mongo import Document, insert_once
from thidua_shared.tenancy import Scope

COLLECTION = "candidates"


class CandidateRepository:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._candidates = collection

    async def add_once(self, document: Document) -> bool:
        return await insert_once(self._candidates, document)

    async def list(self, scope: Scope, *, period: str | None, limit: int) -> list[Document]:
        query: dict[str, Any] = {"eligible": True}
        if period:
            query["period"] = period
        cursor = self._candidates.find(scope.apply(query), {"outbox": 0}).sort("evaluated_at", -1)
        return [doc async for doc in cursor.limit(limit)]
