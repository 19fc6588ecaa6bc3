"""Seeds the rollups' records by running a commune's events through the worker's own `APPLY`, and its summaries
through the service's `refresh`, folded in memory for a benchmark commune or read from the database for a demo one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import PERIODS, PROVINCE, CommunePlan
from benchmarks.seeding.rollups.period_events import _envelopes
from rollups.domain.aggregates import Fact, Summary
from rollups.domain.changes import fold
from rollups.repository import PARTITIONED, SUMMARIES, ReadModels, partition
from rollups.service.facts import APPLY
from rollups.service.summaries import refresh
from thidua_platform.mongo import Document

Records = dict[str, dict[str, Document]]  # collection → record id → record


def records_of(commune: CommunePlan, authority: str) -> Records:
    """Every record the worker stores for the commune's events, by collection (a change repeated is one record)."""
    records: Records = {}
    for envelope in _envelopes(commune, authority):
        _period, changes = APPLY[envelope.type](envelope)
        for change in changes:
            record = change.record()
            records.setdefault(change.collection, {})[record["_id"]] = record
    return records


def _periods_touched(records: Records) -> list[str]:
    """The periods whose summary the worker would have marked: those of any stored record."""
    touched = {str(record["period"]) for by_id in records.values() for record in by_id.values()}
    return [period for period, _year, _share in PERIODS if period in touched]


@dataclass(frozen=True)
class _Summaries(ReadModels):
    """The read models as `refresh` sees them, keeping the summaries it saves instead of writing them; with
    `planned`, the facts are the commune's planned records (folded in memory, as the repository folds them)."""

    planned: Records | None = None
    saved: list[Document] = field(default_factory=list)

    async def facts_of(self, kind: str, tenant: str, province: str, period: str) -> list[Fact]:
        if self.planned is None:
            return await super().facts_of(kind, tenant, province, period)
        name = partition(kind, tenant, period) if kind in PARTITIONED else kind
        mine = {"tenant": tenant, "province": province, "period": period}  # the repository's scoped query
        chosen = [r for r in self.planned.get(name, {}).values() if all(r.get(k) == v for k, v in mine.items())]
        return cast(list[Fact], fold(sorted(chosen, key=lambda r: str(r["_id"]))))

    async def save_summary(self, document: Summary) -> None:
        self.saved.append(cast(Document, document))


async def _summaries(models: _Summaries, tenant: str, periods: Sequence[str]) -> list[Document]:
    at = datetime.now(UTC)
    for period in periods:
        await refresh(models=models, tenant=tenant, province=PROVINCE, period=period, at=at)
    return models.saved


async def _upsert(database: AsyncDatabase[Document], summaries: Sequence[Document]) -> int:
    """Replace the summaries (a demo commune's may exist already); returns how many were new."""
    created = 0
    for summary in summaries:
        result = await database[SUMMARIES].replace_one({"_id": summary["_id"]}, summary, upsert=True)
        created += result.upserted_id is not None
    return created
