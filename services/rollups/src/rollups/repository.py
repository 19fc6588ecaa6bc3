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
# Submission and award facts live in one collection per commune and period ("submission_facts.<tenant>.<period>"):
# the embedded FerretDB rewrites a collection to update one document in it, so an update's cost follows the
# collection's size; per commune and period it stays at a commune's scale (about a thousand) whatever the province.
PARTITIONED = (SUBMISSIONS, AWARDS)
SHARED = (PROPOSALS, INDEX, SUMMARIES)


def summary_id(tenant: str, period: str) -> str:
    return f"{tenant}|{period}"


@dataclass(frozen=True)
class ReadModels:
    database: AsyncDatabase[Document]

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        return self.database[name]

    def facts(self, kind: str, tenant: str, period: str) -> AsyncCollection[Document]:
        """The collection of one commune's and period's facts of a partitioned kind."""
        return self.database[f"{kind}.{tenant}.{period}"]

    async def partitions(self, kind: str, *, tenant: str | None = None, period: str | None = None) -> list[str]:
        """Names of a kind's collections, of one commune and/or one period."""
        names = []
        for name in await self.database.list_collection_names():
            parts = name.split(".")
            if (
                len(parts) == 3
                and parts[0] == kind
                and (tenant is None or parts[1] == tenant)
                and (period is None or parts[2] == period)
            ):
                names.append(name)
        return sorted(names)

    async def read_model_names(self) -> list[str]:
        """Every read model collection (what a rebuild reproduces)."""
        partitioned = [name for kind in PARTITIONED for name in await self.partitions(kind)]
        return sorted([*SHARED, *partitioned])

    async def find_all(
        self, kind: str, scope: Scope, *, period: str | None, query: dict[str, Any] | None = None
    ) -> list[Document]:
        """A partitioned kind's facts within the scope (one commune, or every commune of a province)."""
        found: list[Document] = []
        for name in await self.partitions(kind, tenant=scope.tenant, period=period):
            found += [doc async for doc in self[name].find(scope.apply(query or {}))]
        return found

    async def set_versioned(
        self,
        facts: AsyncCollection[Document],
        fact_id: str,
        version_field: str,
        version: int | float,
        fields: dict[str, Any],
    ) -> bool:
        """Set `fields` unless a newer `version_field` is already applied. False when this change is stale.

        Read by `_id`, then write guarded by the version read (no `$or` in the filter, which FerretDB answers by
        reading the whole collection)."""
        for _attempt in range(5):
            current = await facts.find_one({"_id": fact_id}, {version_field: 1})
            if current is None:
                try:
                    await facts.insert_one({"_id": fact_id, **fields, version_field: version})
                    return True
                except PyMongoError as error:
                    if not is_duplicate_key(error):
                        raise
                    continue  # inserted meanwhile: read it again
            applied = current.get(version_field)
            if applied is not None and applied >= version:
                return False
            result = await facts.update_one(
                {"_id": fact_id, version_field: applied}, {"$set": {**fields, version_field: version}}
            )
            if result.matched_count:
                return True
        raise RuntimeError(f"{fact_id}: changed by someone else five times in a row; the event will be retried")

    async def set_fields(self, facts: AsyncCollection[Document], fact_id: str, fields: dict[str, Any]) -> None:
        await facts.update_one({"_id": fact_id}, {"$set": fields}, upsert=True)

    async def mark_dirty(self, tenant: str, province: str, period: str, at: datetime) -> None:
        await self[DIRTY].update_one(
            {"_id": summary_id(tenant, period)},
            {"$set": {"tenant": tenant, "province": province, "period": period, "marked_at": at}, "$inc": {"marks": 1}},
            upsert=True,
        )

    async def pending(self) -> int:
        """Summaries waiting to be recomputed."""
        return await self[DIRTY].count_documents({})

    async def dirty(self, limit: int = 500) -> list[Document]:
        return [doc async for doc in self[DIRTY].find({}).limit(limit)]

    async def clear_dirty(self, marker: Document) -> None:
        """Only if nothing marked it again meanwhile (then the next round recomputes it)."""
        await self[DIRTY].delete_one({"_id": marker["_id"], "marks": marker["marks"]})

    async def facts_of(self, kind: str, tenant: str, province: str, period: str) -> list[Document]:
        facts = self.facts(kind, tenant, period) if kind in PARTITIONED else self[kind]
        query = Scope(tenant=tenant, province=province).apply({"period": period})
        return [doc async for doc in facts.find(query)]

    async def index_of(self, tenant: str, province: str, period: str) -> Document | None:
        return await self[INDEX].find_one(Scope(tenant=tenant, province=province).apply({"period": period}))

    async def save_summary(self, document: Document) -> None:
        await self[SUMMARIES].replace_one({"_id": document["_id"]}, document, upsert=True)

    async def known(self, scope: Scope) -> bool:
        """Whether the scope's commune has any figures (any period)."""
        return await self[SUMMARIES].find_one(scope.apply({})) is not None

    async def summaries(self, scope: Scope, *, period: str | None) -> list[Document]:
        query: dict[str, Any] = {"period": period} if period else {}
        return [doc async for doc in self[SUMMARIES].find(scope.apply(query)).sort("_id", 1)]

    async def entrants(self, scope: Scope, *, period: str | None, scored_only: bool) -> list[Document]:
        query: dict[str, Any] = {"scored": 1, "withdrawn": {"$ne": 1}} if scored_only else {}
        found = await self.find_all(SUBMISSIONS, scope, period=period, query=query)
        return sorted(found, key=lambda d: (str(d.get("entrant_name")), str(d["_id"])))

    async def awards_of(self, scope: Scope, *, period: str | None) -> list[Document]:
        return await self.find_all(AWARDS, scope, period=period)

    async def mark_applied(self, event_time: datetime, applied_at: datetime) -> None:
        await self[FRESHNESS].update_one(
            {"_id": "events"}, {"$max": {"last_event_time": event_time, "last_applied_at": applied_at}}, upsert=True
        )

    async def freshness(self) -> Document | None:
        return await self[FRESHNESS].find_one({"_id": "events"})
