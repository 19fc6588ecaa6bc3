"""The notifications seeder's entry points: `seed` writes a commune's messages, deliveries and reviews, and
`forget` removes them: a benchmark commune's by tenant, a demo commune's by the ids seeding makes."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.notifications.award_rounds import seed_awards
from benchmarks.seeding.notifications.common import ASSESSED, COLLECTIONS, DATABASE
from benchmarks.seeding.notifications.deliveries import Documents, Pipeline
from benchmarks.seeding.notifications.dossiers import seed_dossier
from benchmarks.seeding.notifications.recipients import cast_of
from benchmarks.seeding.plan import LARGE, CommunePlan, ProvincePlan
from benchmarks.seeding.writer import delete_ids, insert_all
from thidua_platform.mongo import Document

_criteria: dict[str, tuple[str, ...]] = {}


async def assessment_criteria(client: AsyncMongoClient[Document]) -> dict[str, tuple[str, ...]]:
    """The council's criteria by target group, from the demo's criteria sets (read once); ASSESSED otherwise."""
    if not _criteria:
        _criteria.update(ASSESSED)
        query = {"tenant": LARGE, "period": "2026"}
        async for found in client["thidua_submissions"]["criteria_sets"].find(query, {"content": 1}):
            content = found.get("content") or {}
            codes = tuple(c["code"] for c in content.get("criteria", []) if c["rule"]["kind"] == "assessment")
            if codes:
                _criteria[content["target_group"]] = codes
    return _criteria


async def documents(client: AsyncMongoClient[Document], commune: CommunePlan, now: datetime) -> Documents:
    cast = await cast_of(commune)
    criteria = await assessment_criteria(client)
    pipeline = Pipeline(commune.commune.tenant, now)
    for dossier in commune.dossiers:
        seed_dossier(pipeline, cast, dossier, criteria[dossier.entrant.target_group])
    for period in sorted({(d.period, d.year) for d in commune.dossiers}):
        seed_awards(pipeline, cast, commune, *period)
    return pipeline.out


def _database(client: AsyncMongoClient[Document]) -> AsyncDatabase[Document]:
    return client[DATABASE]


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing of the province's own: its periods' deadlines came with the demo's campaign (period:37:<code>)."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = _database(client)
    made = await documents(client, commune, datetime.now(UTC))
    return sum([await insert_all(database[name], docs) for name, docs in made.by_collection()])


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = _database(client)
    tenant = commune.commune.tenant
    if commune.commune.seeded_only:
        return sum([(await database[name].delete_many({"tenant": tenant})).deleted_count for name in COLLECTIONS])
    # the demo's own documents share the commune: only the ids seeding makes, recomputed (reminders included,
    # whichever day they were seeded on)
    made = await documents(client, commune, datetime.max.replace(tzinfo=UTC))
    return sum([await delete_ids(database[name], [d["_id"] for d in docs]) for name, docs in made.by_collection()])
