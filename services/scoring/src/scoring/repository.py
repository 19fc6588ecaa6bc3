"""Every Mongo query of the scoring service, tenant-scoped for reads."""

from __future__ import annotations

from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.mongo import Document, insert_once
from thidua_shared.tenancy import Scope

COLLECTION = "scores"


class ScoreRepository:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._scores = collection

    async def add_once(self, document: Document) -> bool:
        """Insert a score keyed by submission and version; False if it was already stored (a redelivery)."""
        return await insert_once(self._scores, document)

    async def latest(self, scope: Scope, submission_id: str) -> Document | None:
        cursor = self._scores.find(scope.apply({"submission_id": submission_id}), {"outbox": 0})
        async for document in cursor.sort("submission_version", -1).limit(1):
            return document
        return None
