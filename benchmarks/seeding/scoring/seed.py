"""The scoring seeder's entry points: `seed` writes a commune's documents (and its roster when it has none), and
`forget` removes them: a benchmark commune's by tenant, a demo commune's only those `seed` wrote."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import PROVINCE, CommunePlan, ProvincePlan
from benchmarks.seeding.scoring.common import DATABASE, OFFICER
from benchmarks.seeding.scoring.commune import _criteria_sets, _first_day, _known_entrants, build
from benchmarks.seeding.scoring.council import _council, _roster
from benchmarks.seeding.writer import delete_ids, insert_all
from scoring.domain.index import IndexSettings
from scoring.repository import (
    ASSESSMENTS,
    ASSIGNMENT_SLOTS,
    ASSIGNMENTS,
    COUNCILS,
    CRITERIA_SETS,
    ENTRANTS,
    FINALS,
    INDEXES,
    SCORES,
    repositories,
)
from scoring.service.index import settings_for
from thidua_platform.mongo import Document


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing province-wide: the index settings stay the province's (or the defaults)."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    members, new_roster = await _council(database, commune)
    seeded = build(commune, members, await settings_for(repos=repositories(database), province=PROVINCE))
    if new_roster:
        seeded.add(COUNCILS, _roster(commune.commune.tenant, members, _first_day(commune)))
    seeded.add(ENTRANTS, *_known_entrants(commune))
    if commune.commune.seeded_only:
        seeded.add(CRITERIA_SETS, *_criteria_sets(commune.commune.tenant))
    inserted = await asyncio.gather(*(insert_all(database[name], docs) for name, docs in seeded.collections.items()))
    return sum(inserted)


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = client[DATABASE]
    tenant = commune.commune.tenant
    if commune.commune.seeded_only:
        collections = (
            SCORES,
            FINALS,
            COUNCILS,
            ASSIGNMENTS,
            ASSIGNMENT_SLOTS,
            ASSESSMENTS,
            INDEXES,
            CRITERIA_SETS,
            ENTRANTS,
        )
        return sum([(await database[name].delete_many({"tenant": tenant})).deleted_count for name in collections])
    return await _forget_in_demo(database, commune)


async def _forget_in_demo(database: AsyncDatabase[Document], commune: CommunePlan) -> int:
    """In a demo commune, only what `seed` wrote: the seeded dossiers' documents, found from their ids and slots
    (whatever the roster is now), and the index and roster documents whose audit says this module wrote them."""
    members, _new = await _council(database, commune)
    seeded = build(commune, members, IndexSettings())
    deleted = await delete_ids(database[SCORES], [d["_id"] for d in seeded.of(SCORES)])
    deleted += await delete_ids(database[FINALS], [d["_id"] for d in seeded.of(FINALS)])
    deleted += await delete_ids(database[ENTRANTS], [e.id for e in commune.entrants])
    codes = {
        c["submission_id"]: [e["code"] for e in c["evidence"] if e["rule"] == "assessment"] for c in seeded.of(SCORES)
    }
    for submission_id, assessed in codes.items():
        slots = await _slots_of(database, submission_id)
        assignments = [s["assignment_id"] for s in slots]
        deleted += await delete_ids(database[ASSESSMENTS], [f"{a}:{code}" for a in assignments for code in assessed])
        deleted += await delete_ids(database[ASSIGNMENTS], assignments)
        deleted += await delete_ids(database[ASSIGNMENT_SLOTS], [s["_id"] for s in slots])
    deleted += await _delete_if_ours(database, INDEXES, seeded.of(INDEXES))
    roster = await database[COUNCILS].find_one({"_id": commune.commune.tenant})
    if roster is not None and [a["actor"] for a in roster.get("audit", [])] == [OFFICER]:
        deleted += await delete_ids(database[COUNCILS], [roster["_id"]])
    return deleted


async def _slots_of(database: AsyncDatabase[Document], submission_id: str) -> list[Document]:
    slots = []
    number = 1
    while (slot := await database[ASSIGNMENT_SLOTS].find_one({"_id": f"{submission_id}#{number}"})) is not None:
        slots.append(slot)
        number += 1
    return slots


async def _delete_if_ours(database: AsyncDatabase[Document], collection: str, ours: Sequence[Document]) -> int:
    """Delete documents that are still as `seed` wrote them (the same first audit entry's actor): the demo's own
    index of a period, which `seed` left alone, is kept."""
    deleted = 0
    for document in ours:
        current = await database[collection].find_one({"_id": document["_id"]})
        if current is not None and current["audit"][0]["actor"] == document["audit"][0]["actor"]:
            deleted += await delete_ids(database[collection], [document["_id"]])
    return deleted
