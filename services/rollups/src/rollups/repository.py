"""The read model: one fact document per submission, updated idempotently from events.

Counting a fact per submission (instead of incrementing counters) is what makes a duplicated or replayed event
count once: applying the same event again sets the same fields to the same values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import PyMongoError

from thidua_shared.mongo import Document, is_duplicate_key
from thidua_shared.tenancy import Scope

FACTS = "submission_facts"
FRESHNESS = "freshness"
MEASURES = ("submitted", "returned", "withdrawn", "scored", "candidate", "total")
# A withdrawn dossier's score and candidacy no longer count, even if their events arrive after the withdrawal.
STILL_IN = {"withdrawn": {"$ne": 1}}
MEASURE_FILTERS: dict[str, dict[str, Any]] = {"scored": STILL_IN, "candidate": STILL_IN, "total": STILL_IN}


class FactRepository:
    def __init__(self, facts: AsyncCollection[Document], freshness: AsyncCollection[Document]) -> None:
        self._facts = facts
        self._freshness = freshness

    async def set_fields(self, submission_id: str, fields: dict[str, Any]) -> None:
        await self._facts.update_one({"_id": submission_id}, {"$set": fields}, upsert=True)

    async def set_versioned(self, submission_id: str, version_field: str, version: int, fields: dict[str, Any]) -> bool:
        """Set `fields` unless a newer `version_field` is already applied. False when this one is stale."""
        stale_or_missing = {"$or": [{version_field: {"$lt": version}}, {version_field: {"$exists": False}}]}
        try:
            await self._facts.update_one(
                {"_id": submission_id, **stale_or_missing},
                {"$set": {**fields, version_field: version}},
                upsert=True,
            )
        except PyMongoError as error:
            if is_duplicate_key(error):
                return False
            raise
        return True

    async def mark_applied(self, event_time: datetime, applied_at: datetime) -> None:
        await self._freshness.update_one(
            {"_id": "events"},
            {"$max": {"last_event_time": event_time, "last_applied_at": applied_at}},
            upsert=True,
        )

    async def freshness(self) -> Document | None:
        return await self._freshness.find_one({"_id": "events"})

    async def per_commune(self, scope: Scope, *, period: str | None) -> dict[str, dict[str, float]]:
        """Sums of each measure per commune: {commune: {measure: sum}}.

        One `$sum` per pipeline: FerretDB 1.x computes only the first accumulator of a `$group`.
        """
        query: dict[str, Any] = {"period": period} if period else {}
        sums: dict[str, dict[str, float]] = {}
        for measure in MEASURES:
            pipeline: list[dict[str, Any]] = [
                {"$match": scope.apply({**query, **MEASURE_FILTERS.get(measure, {})})},
                {"$group": {"_id": "$tenant", measure: {"$sum": f"${measure}"}}},
            ]
            async for row in await self._facts.aggregate(pipeline):
                sums.setdefault(row["_id"], dict.fromkeys(MEASURES, 0.0))[measure] = row[measure]
        return dict(sorted(sums.items()))
