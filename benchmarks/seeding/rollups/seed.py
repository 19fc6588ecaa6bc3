"""The rollups seeder's entry points: `seed` writes a commune's records and summaries, and `forget` removes them:
a benchmark commune's whole, a demo commune's only what `seed` wrote, its summaries recomputed."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import PERIODS, PROVINCE, CommunePlan, ProvincePlan
from benchmarks.seeding.rollups.common import DATABASE
from benchmarks.seeding.rollups.facts import Records, _periods_touched, _Summaries, _summaries, _upsert, records_of
from benchmarks.seeding.rollups.period_events import _authority
from benchmarks.seeding.writer import delete_ids, insert_all
from rollups.repository import (
    AWARDS,
    INDEX,
    LISTING,
    PARTITIONED,
    PROPOSALS,
    SUBMISSIONS,
    SUMMARIES,
    ReadModels,
    partition,
    summary_id,
)
from thidua_platform.mongo import Document


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing province-wide: the province's view is the communes' summaries."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    tenant = commune.commune.tenant
    records = records_of(commune, await _authority(client, commune))
    inserted = 0
    for name, by_id in records.items():
        inserted += await insert_all(database[name], by_id.values())
    periods = _periods_touched(records)
    if commune.commune.seeded_only:
        summaries = await _summaries(_Summaries(database, planned=records), tenant, periods)
        return inserted + await insert_all(database[SUMMARIES], summaries)
    # a demo commune's partitions hold the demo's facts too: its summaries count both
    summaries = await _summaries(_Summaries(database), tenant, periods)
    return inserted + await _upsert(database, summaries)


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    if commune.commune.seeded_only:
        return await _forget_commune(database, commune.commune.tenant)
    return await _forget_in_demo(database, commune, records_of(commune, await _authority(client, commune)))


async def _forget_commune(database: AsyncDatabase[Document], tenant: str) -> int:
    """A benchmark commune: all its records and summaries, and its partitions (which only `seed` created)."""
    deleted = 0
    for kind in PARTITIONED:
        for period, _year, _share in PERIODS:
            facts = database[partition(kind, tenant, period)]
            deleted += (await facts.delete_many({"tenant": tenant})).deleted_count
            if await facts.count_documents({}, limit=1) == 0:
                await facts.drop()
    for name in (PROPOSALS, INDEX, SUMMARIES, LISTING):
        deleted += (await database[name].delete_many({"tenant": tenant})).deleted_count
    return deleted


async def _forget_in_demo(database: AsyncDatabase[Document], commune: CommunePlan, records: Records) -> int:
    """A demo commune: only the records `seed` wrote; a partition left empty was `seed`'s and goes; each period's
    summary is recomputed from the demo's own facts, or removed if none are left (the demo never had it)."""
    tenant = commune.commune.tenant
    deleted = 0
    for name, by_id in records.items():
        if name.split(".")[0] == AWARDS:
            # by fact (decision and candidate, both the plan's alone): a record's id also hashes the issuer, which
            # follows the demo's letterhead
            facts = sorted({str(record["fact"]) for record in by_id.values()})
            deleted += (await database[name].delete_many({"fact": {"$in": facts}})).deleted_count
        else:
            deleted += await delete_ids(database[name], by_id.keys())
        if name.split(".")[0] in PARTITIONED and await database[name].count_documents({}, limit=1) == 0:
            await database[name].drop()
    left: list[str] = []
    gone: list[str] = []
    models = ReadModels(database)
    for period in _periods_touched(records):
        kinds = (SUBMISSIONS, AWARDS, PROPOSALS, INDEX)
        remaining = [await models.facts_of(kind, tenant, PROVINCE, period) for kind in kinds]
        (left if any(remaining) else gone).append(period)
    await _upsert(database, await _summaries(_Summaries(database), tenant, left))  # their listings too
    for period in gone:
        await database[LISTING].delete_many({"tenant": tenant, "period": period})
    return deleted + await delete_ids(database[SUMMARIES], [summary_id(tenant, period) for period in gone])
