"""Council members' open reviews and the periods' deadlines, kept from events to remind before a period closes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from typing import Any, cast

from notifications.domain.aggregates import AuditEntry, PeriodDeadline, Review
from notifications.repository.common import _amended
from thidua_platform.audit import entry, system_actor
from thidua_platform.indexes import index, scoped
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

REVIEWS = "reviews"


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
        """Note that the review's member was reminded: a revision with its audit entry, through the change log like
        every other change of a review (a write beside it could interleave with an assessment's revision and leave
        the trail one entry longer than the revisions); False if it already was."""

        async def change(current: Review) -> Revision | None:
            if current.get("kind") != "review" or current["reminded"]:
                return None
            return Revision(
                _amended({"reminded": True}, entry(system_actor("reminders"), "reminded", at, reminded=True))
            )

        return await self.revise(scope, review_id, change) is not None

    async def finish_open(self, scope: Scope, *, submission_id: str, audit: AuditEntry) -> None:
        """The dossier's score is final: every review of it still open is done (nothing is left to remind of), each
        a revision with the `audit` entry, through the change log."""

        async def change(current: Review) -> Revision | None:
            return Revision(_amended({"status": "done"}, audit)) if current["status"] == "open" else None

        query = {"kind": "review", "submission_id": submission_id, "status": "open"}
        cursor = self.collection.find(scope.apply(query), {"_id": 1}).limit(10_000)
        for review_id in [doc["_id"] async for doc in cursor]:
            await self.revise(scope, review_id, change)


INDEXES = [
    *scoped([REVIEWS], "submission_id"),
    # the reminder sweep: the periods closing soon, which communes have their own period, then the reviews due
    index(REVIEWS, "kind", "closes_at"),
    index(REVIEWS, "province", "kind", "code"),
    index(REVIEWS, "province", "period", "status", "reminded", "tenant"),
]
