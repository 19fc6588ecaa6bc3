"""The digital-transformation index per commune and period, its settings per province, and the communes waiting to
have it recomputed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import cast

from pymongo.asynchronous.collection import AsyncCollection

from scoring.domain.aggregates import AuditEntry, Index, IndexFields, IndexMark, PillarSettings, ProvinceSettings
from scoring.repository.documents import _amended
from thidua_platform.audit import now
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document, insert_once
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

INDEXES = "indexes"
INDEX_QUEUE = "index_queue"  # communes whose index a final score (or a return, a withdrawal) has made stale
INDEX_SETTINGS = "index_settings"


@dataclass(frozen=True)
class IndexComputation:
    """A commune's index as computed for one attempt to store it: its fields, the audit entry and the events."""

    fields: IndexFields
    audit: AuditEntry
    events: Sequence[Envelope]


class IndexRepository(ScopedRepository[Index]):
    """The digital-transformation index per commune and period, `_id` = `<commune>:<period>`."""

    async def record(
        self,
        index_id: str,
        *,
        tenant: str,
        province: str,
        period: str,
        compute: Callable[[int], Awaitable[IndexComputation]],
    ) -> bool:
        """Store the commune's index as `compute` makes it for the revision it replaces (0: the first), computed
        again on every attempt (a concurrent recomputation leaves no stale value behind). False if the index
        disappeared meanwhile."""
        scope = Scope(tenant=tenant, province=province)
        if await self.get(scope, index_id) is None:
            first = await compute(0)
            document: Index = {
                "_id": index_id,
                "tenant": tenant,
                "province": province,
                "period": period,
                "digital_government": first.fields["digital_government"],
                "digital_economy": first.fields["digital_economy"],
                "digital_society": first.fields["digital_society"],
                "overall": first.fields["overall"],
                "indicators": first.fields["indicators"],
                "computed_at": first.fields["computed_at"],
                "audit": [first.audit],
            }
            if await self.add(document, first.events):
                return True

        async def change(current: Index) -> Revision:
            computed = await compute(current["revision"])
            return Revision(_amended(computed.fields, computed.audit), computed.events)

        return await self.revise(scope, index_id, change) is not None


class IndexSettingsRepository(ScopedRepository[ProvinceSettings]):
    """The index's settings per province, `_id` = the province."""

    async def replace(
        self, scope: Scope, province: str, *, revision: int, settings: PillarSettings, audit: AuditEntry
    ) -> bool:
        """Replace the settings as read at `revision`; False if they changed since."""
        return await self.update(scope, province, revision=revision, update=_amended({"settings": settings}, audit))


@dataclass
class IndexQueue:
    """Communes whose index must be recomputed. A mark is inserted per cause and never updated, so a mark made while
    a recomputation runs survives it; the worker's index loop reads the marks, recomputes each commune once, and
    deletes exactly the marks it read. (Recomputing reads every final score of the commune and period: once per
    commune and sweep, not once per final score.)"""

    collection: AsyncCollection[Document]

    async def mark(
        self,
        *,
        tenant: str,
        province: str,
        period: str,
        cause: str,
        cause_type: str,
        traceparent: str | None = None,
    ) -> None:
        mark: IndexMark = {
            "_id": f"{tenant}:{period}:{cause}",
            "tenant": tenant,
            "province": province,
            "period": period,
            "cause": cause,
            "cause_type": cause_type,
            "traceparent": traceparent,
            "marked_at": now(),
        }
        await insert_once(self.collection, cast(Document, mark))

    async def marked(self, limit: int = 10_000) -> list[IndexMark]:
        return [cast(IndexMark, mark) async for mark in self.collection.find({}).sort("marked_at", 1).limit(limit)]

    async def done(self, marks: Sequence[IndexMark]) -> None:
        for mark in marks:
            await self.collection.delete_one({"_id": mark["_id"]})
