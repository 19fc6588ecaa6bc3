"""The read models and every query on them.

Facts (a submission, an award to one recipient, a proposal, a commune's index) are stored as the changes events
made to them (`rollups.domain.changes`): inserts keyed by what they say, so a duplicated or replayed event counts
once, folded into facts when read. Summaries per (commune, period) are recomputed from the facts whenever a fact of
theirs changed (a `dirty` marker), so they are exact and the same after a rebuild.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from bson import Binary
from pymongo import ReplaceOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from rollups.domain.aggregates import (
    AuditEntry,
    DirtyMarker,
    Fact,
    FactRecord,
    Freshness,
    ListingRow,
    ReportJob,
    Standing,
    Summary,
)
from rollups.domain.changes import Change, fold
from rollups.domain.lifecycle import OPEN
from rollups.domain.listing import LISTING_ORDER, best_first, finalised
from thidua_platform.indexes import declare, index, scoped
from thidua_platform.mongo import Document, duplicate_key
from thidua_platform.tenancy import Scope

SUBMISSIONS, AWARDS, PROPOSALS, INDEX = "submission_facts", "award_facts", "proposal_facts", "index_facts"
SUMMARIES, DIRTY, FRESHNESS = "summaries", "dirty", "freshness"
# a commune's entrants as their pages show them, one row per submission, rewritten with the period's summary
LISTING = "entrant_listing"
LISTING_WRITES_PER_COMMAND = 500
JOBS, FILES = "report_jobs", "report_files"
# Submission and award facts live in one collection per commune and period ("submission_facts.<tenant>.<period>"),
# so a commune's reads and a summary's recomputation read that commune's records only, whatever the province's size.
PARTITIONED = (SUBMISSIONS, AWARDS)
INSERTS_PER_COMMAND = 500
SHARED = (PROPOSALS, INDEX, SUMMARIES)


def summary_id(tenant: str, period: str) -> str:
    return f"{tenant}|{period}"


def partition(kind: str, tenant: str, period: str) -> str:
    """The collection of one commune's and period's facts of a partitioned kind."""
    return f"{kind}.{tenant}.{period}"


@dataclass(frozen=True)
class ReadModels:
    database: AsyncDatabase[Document]

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        return self.database[name]

    def _records(self, name: str) -> AsyncCollection[FactRecord]:
        """A collection of facts' change records."""
        return cast(AsyncCollection[FactRecord], self.database[name])

    def facts(self, kind: str, tenant: str, period: str) -> AsyncCollection[FactRecord]:
        """The collection of one commune's and period's facts of a partitioned kind."""
        return self._records(partition(kind, tenant, period))

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

    async def contents(self, name: str) -> AsyncIterator[FactRecord | Summary]:
        """A read model's documents (facts' change records, or summaries) in `_id` order, without the moment a
        summary was computed (what a rebuild's digest compares)."""
        async for document in self[name].find({}, {"refreshed_at": 0}).sort("_id", 1):
            yield cast(FactRecord | Summary, document)

    async def empty(self) -> None:
        """Drop every read model and the markers beside them (before a rebuild)."""
        for name in (*await self.read_model_names(), LISTING, DIRTY, FRESHNESS):
            await self[name].drop()

    @property
    def reports(self) -> ReportJobs:
        return ReportJobs(self.database)

    async def find_all(
        self, kind: str, scope: Scope, *, period: str | None, keep: Callable[[Fact], bool] | None = None
    ) -> list[Fact]:
        """A partitioned kind's facts within the scope (one commune, or every commune of a province)."""
        found: list[Fact] = []
        for name in await self.partitions(kind, tenant=scope.tenant, period=period):
            found += await self._facts(self._records(name), scope.apply({}))
        return [fact for fact in found if keep is None or keep(fact)]

    async def _facts(self, collection: AsyncCollection[FactRecord], query: dict[str, Any]) -> list[Fact]:
        return cast(list[Fact], fold([record async for record in collection.find(query)]))

    async def apply_changes(self, changes: Sequence[Change]) -> None:
        """Store the changes: inserts only; one already stored (a redelivered event) is a duplicate key, skipped."""
        by_collection: dict[str, list[Document]] = {}
        for change in changes:
            by_collection.setdefault(change.collection, []).append(change.record())
        for name, records in by_collection.items():
            unique = list({record["_id"]: record for record in records}.values())
            for start in range(0, len(unique), INSERTS_PER_COMMAND):
                try:
                    await self[name].insert_many(unique[start : start + INSERTS_PER_COMMAND], ordered=False)
                except BulkWriteError as error:
                    if not all(duplicate_key(failure) for failure in error.details.get("writeErrors", [])):
                        raise

    async def mark_dirty(self, summaries: Sequence[tuple[str, str, str]], at: datetime) -> None:
        """Mark (tenant, province, period) summaries for recomputation."""
        await self[DIRTY].bulk_write(
            [
                UpdateOne(
                    {"_id": summary_id(tenant, period)},
                    {
                        "$set": {"tenant": tenant, "province": province, "period": period, "marked_at": at},
                        "$inc": {"marks": 1},
                    },
                    upsert=True,
                )
                for tenant, province, period in summaries
            ],
            ordered=False,
        )

    async def pending(self) -> int:
        """Summaries waiting to be recomputed."""
        return await self[DIRTY].count_documents({})

    async def dirty(self, limit: int = 500) -> list[DirtyMarker]:
        return [cast(DirtyMarker, doc) async for doc in self[DIRTY].find({}).limit(limit)]

    async def clear_dirty(self, marker: DirtyMarker) -> None:
        """Only if nothing marked it again meanwhile (then the next round recomputes it)."""
        await self[DIRTY].delete_one({"_id": marker["_id"], "marks": marker["marks"]})

    async def facts_of(self, kind: str, tenant: str, province: str, period: str) -> list[Fact]:
        facts = self.facts(kind, tenant, period) if kind in PARTITIONED else self._records(kind)
        return await self._facts(facts, Scope(tenant=tenant, province=province).apply({"period": period}))

    async def index_of(self, tenant: str, province: str, period: str) -> Fact | None:
        found = await self.facts_of(INDEX, tenant, province, period)
        return found[0] if found else None

    async def save_summary(self, document: Summary) -> None:
        await self[SUMMARIES].replace_one({"_id": document["_id"]}, document, upsert=True)

    async def known(self, scope: Scope) -> bool:
        """Whether the scope's commune has any figures (any period)."""
        return await self[SUMMARIES].find_one(scope.apply({})) is not None

    async def summaries(self, scope: Scope, *, period: str | None) -> list[Summary]:
        query: dict[str, Any] = {"period": period} if period else {}
        return [cast(Summary, doc) async for doc in self[SUMMARIES].find(scope.apply(query)).sort("_id", 1)]

    async def standings(self, scope: Scope, *, period: str | None) -> list[Standing]:
        """The summaries in scope as far as ranking communes needs them: commune, period, scores and index."""
        query: dict[str, Any] = {"period": period} if period else {}
        shown = {"tenant": 1, "period": 1, "scored": 1, "points": 1, "index.overall": 1}
        return [cast(Standing, doc) async for doc in self[SUMMARIES].find(scope.apply(query), shown)]

    async def entrants(
        self, scope: Scope, *, period: str | None, scored_only: bool, skip: int, limit: int
    ) -> tuple[list[Fact], int]:
        """A page of the commune's submission facts (finalised ones only, when asked), best final score first, those
        without one last, then by entrant name; and how many there are. Facts are folded from their change records
        as they are read, so the page is cut from the commune's folded facts (its partitions, ADR 0010)."""
        found = await self.find_all(SUBMISSIONS, scope, period=period, keep=finalised if scored_only else None)
        found.sort(key=best_first)
        return found[skip : skip + limit], len(found)

    async def save_listing(self, tenant: str, period: str, rows: Sequence[ListingRow]) -> int:
        """Store the period's rows, writing only those that differ from what is stored (a score moves a few rows;
        most stay where they were). Returns how many were written."""
        stored = {
            row["_id"]: row async for row in self._listing.find({"tenant": tenant, "period": period}, {"tenant": 0})
        }
        changed = [row for row in rows if _differs(stored.get(row["_id"]), row)]
        for start in range(0, len(changed), LISTING_WRITES_PER_COMMAND):
            batch = changed[start : start + LISTING_WRITES_PER_COMMAND]
            await self._listing.bulk_write(
                [ReplaceOne({"_id": row["_id"]}, row, upsert=True) for row in batch], ordered=False
            )
        return len(changed)

    async def listing(
        self, scope: Scope, *, period: str, scored_only: bool, skip: int, limit: int
    ) -> tuple[list[ListingRow], int]:
        """A page of the commune's entrants of one period, the best final score first (finalised ones only, when
        asked), and how many there are: an index walk, whatever the commune's size."""
        query: dict[str, Any] = {"period": period}
        if scored_only:
            query["finalised"] = True
        scoped = scope.apply(query)
        cursor = self._listing.find(scoped).sort(list(LISTING_ORDER)).skip(skip).limit(limit)
        return [row async for row in cursor], await self._listing.count_documents(scoped)

    async def has_listing(self, scope: Scope, *, period: str) -> bool:
        """Whether the summary loop wrote the commune's listing of the period (a row of any submission)."""
        return await self._listing.find_one(scope.apply({"period": period}), {"_id": 1}) is not None

    @property
    def _listing(self) -> AsyncCollection[ListingRow]:
        return cast(AsyncCollection[ListingRow], self.database[LISTING])

    async def awards_of(self, scope: Scope, *, period: str | None) -> list[Fact]:
        return await self.find_all(AWARDS, scope, period=period)

    async def mark_applied(self, event_time: datetime, applied_at: datetime) -> None:
        await self[FRESHNESS].update_one(
            {"_id": "events"}, {"$max": {"last_event_time": event_time, "last_applied_at": applied_at}}, upsert=True
        )

    async def freshness(self) -> Freshness | None:
        return cast(Freshness | None, await self[FRESHNESS].find_one({"_id": "events"}))


@dataclass(frozen=True)
class ReportJobs:
    """Reports asked for, with their progress, and their files. Each job and file carries the commune or province it
    belongs to and is read within a scope. A job is not a ChangeLog aggregate, but each status change counts a
    `revision` and pushes one `audit` entry in the same write."""

    database: AsyncDatabase[Document]

    async def in_progress(self, requested_by: str) -> int:
        """How many of this person's reports are queued or running."""
        query = {"requested_by": requested_by, "status": {"$in": list(OPEN)}}
        return await self.database[JOBS].count_documents(query)

    async def add(self, job: ReportJob) -> None:
        await self.database[JOBS].insert_one(cast(Document, job))

    async def advance(self, scope: Scope, job_id: str, fields: dict[str, Any], *, audit: AuditEntry | None) -> None:
        """Set the job's progress `fields`; with `audit`, a status change: a revision with that entry."""
        update: dict[str, Any] = {"$set": fields}
        if audit is not None:
            update |= {"$inc": {"revision": 1}, "$push": {"audit": audit}}
        await self.database[JOBS].update_one(scope.apply({"_id": job_id}), update)

    async def job(self, scope: Scope, job_id: str) -> ReportJob | None:
        return cast(ReportJob | None, await self.database[JOBS].find_one(scope.apply({"_id": job_id})))

    async def save_file(self, scope: Scope, job_id: str, extension: str, content: bytes) -> None:
        await self.database[FILES].replace_one(
            {"_id": f"{job_id}:{extension}", **scope.filter()},
            {"tenant": scope.tenant, "province": scope.province, "data": Binary(content), "size": len(content)},
            upsert=True,
        )

    async def file(self, scope: Scope, job_id: str, extension: str) -> bytes | None:
        found = await self.database[FILES].find_one(scope.apply({"_id": f"{job_id}:{extension}"}))
        return None if found is None else bytes(found["data"])


def _differs(stored: Mapping[str, Any] | None, row: ListingRow) -> bool:
    """Whether the stored row (read without its tenant) is not the row as computed now."""
    return stored is None or any(stored.get(field) != value for field, value in row.items() if field != "tenant")


QUERY_INDEXES = [
    *scoped([SUMMARIES, PROPOSALS, INDEX], "period"),
    # a commune's entrants a page at a time: every submission, or the finalised ones (province staff)
    index(LISTING, "tenant", "period", *(field for field, _ in LISTING_ORDER)),
    index(LISTING, "tenant", "period", "finalised", *(field for field, _ in LISTING_ORDER)),
    index(JOBS, "requested_by", "status"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
