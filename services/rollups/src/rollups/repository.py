"""The read models and every query on them.

Facts are one document per thing counted (a submission, an award to one recipient, a proposal, a commune's index),
keyed by its own id and changed by setting fields under a version guard: applying the same event again sets the same
values, so a duplicated or replayed event counts once. Summaries per (commune, period) are recomputed from the facts
whenever a fact of theirs changed (a `dirty` marker), so they are exact and the same after a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from thidua_shared.mongo import Document, is_duplicate_key
from thidua_shared.tenancy import Scope

SUBMISSIONS, AWARDS, PROPOSALS, INDEX = "submission_facts", "award_facts", "proposal_facts", "index_facts"
SUMMARIES, DIRTY, FRESHNESS = "summaries", "dirty", "freshness"
READ_MODELS = (SUBMISSIONS, AWARDS, PROPOSALS, INDEX, SUMMARIES)


def summary_id(tenant: str, period: str) -> str:
    return f"{tenant}|{period}"


@dataclass(frozen=True)
class ReadModels:
    database: AsyncDatabase[Document]

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        return self.database[name]

    async def set_versioned(
        self, collection: str, fact_id: str, version_field: str, version: int | float, fields: dict[str, Any]
    ) -> bool:
        """Set `fields` unless a newer `version_field` is already applied. False when this change is stale."""
        stale_or_missing = {"$or": [{version_field: {"$lt": version}}, {version_field: {"$exists": False}}]}
        try:
            await self[collection].update_one(
                {"_id": fact_id, **stale_or_missing}, {"$set": {**fields, version_field: version}}, upsert=True
            )
        except PyMongoError as error:
            if is_duplicate_key(error):
                return False
            raise
        return True

    async def set_fields(self, collection: str, fact_id: str, fields: dict[str, Any]) -> None:
        await self[collection].update_one({"_id": fact_id}, {"$set": fields}, upsert=True)

    async def mark_dirty(self, tenant: str, province: str, period: str, at: datetime) -> None:
        await self[DIRTY].update_one(
            {"_id": summary_id(tenant, period)},
            {"$set": {"tenant": tenant, "province": province, "period": period, "marked_at": at}},
            upsert=True,
        )

    async def pending(self) -> int:
        """Summaries waiting to be recomputed."""
        return await self[DIRTY].count_documents({})

    async def dirty(self, limit: int = 500) -> list[Document]:
        return [doc async for doc in self[DIRTY].find({}).limit(limit)]

    async def clear_dirty(self, marker: Document) -> None:
        """Only if nothing marked it again meanwhile (then the next round recomputes it)."""
        await self[DIRTY].delete_one({"_id": marker["_id"], "marked_at": marker["marked_at"]})

    async def facts_of(self, collection: str, tenant: str, province: str, period: str) -> list[Document]:
        query = Scope(tenant=tenant, province=province).apply({"period": period})
        return [doc async for doc in self[collection].find(query)]

    async def index_of(self, tenant: str, province: str, period: str) -> Document | None:
        return await self[INDEX].find_one(Scope(tenant=tenant, province=province).apply({"period": period}))

    async def save_summary(self, document: Document) -> None:
        await self[SUMMARIES].replace_one({"_id": document["_id"]}, document, upsert=True)

    async def summaries(self, scope: Scope, *, period: str | None) -> list[Document]:
        query: dict[str, Any] = {"period": period} if period else {}
        return [doc async for doc in self[SUMMARIES].find(scope.apply(query)).sort("_id", 1)]

    async def entrants(self, scope: Scope, *, period: str | None, scored_only: bool) -> list[Document]:
        query: dict[str, Any] = {"period": period} if period else {}
        if scored_only:
            query |= {"scored": 1, "withdrawn": {"$ne": 1}}
        return [doc async for doc in self[SUBMISSIONS].find(scope.apply(query)).sort("entrant_name", 1).limit(20_000)]

    async def awards_of(self, scope: Scope, *, period: str | None) -> list[Document]:
        query: dict[str, Any] = {"period": period} if period else {}
        return [doc async for doc in self[AWARDS].find(scope.apply(query)).limit(50_000)]

    async def mark_applied(self, event_time: datetime, applied_at: datetime) -> None:
        await self[FRESHNESS].update_one(
            {"_id": "events"}, {"$max": {"last_event_time": event_time, "last_applied_at": applied_at}}, upsert=True
        )

    async def freshness(self) -> Document | None:
        return await self[FRESHNESS].find_one({"_id": "events"})
