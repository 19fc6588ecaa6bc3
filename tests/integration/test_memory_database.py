"""The in-memory database answers as the server does, for what the repositories and the change log ask of it: every
test here runs twice, on the running stack's database and in memory (thidua_platform.memory), with the same
assertions. A use case's unit test on the memory database is worth what this agreement is worth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import ReplaceOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from thidua_contracts.testing import LIEN_MINH, envelope_of, submission_submitted
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.mongo import Document
from thidua_platform.outbox import CHANGES
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

SCOPE = Scope(tenant=LIEN_MINH, province="37")
OTHER = Scope(tenant="ph-37-tam-diep", province="37")
PROVINCE = Scope(province="37")
AT = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(params=["server", "memory"])
async def database(request: pytest.FixtureRequest) -> AsyncIterator[AsyncDatabase[Document]]:
    if request.param == "memory":
        yield memory_database()
        return
    async with scratch_database() as database:
        yield database


def dossier(number: int, *, tenant: str = LIEN_MINH, **fields: Any) -> Document:
    return {
        "_id": f"d-{number:02d}",
        "tenant": tenant,
        "province": "37",
        "period": "2026",
        "status": "draft",
        "total": float(number % 4),
        "created_at": AT + timedelta(minutes=number),
        "audit": [{"action": "created"}],
        **fields,
    }


async def test_add_get_and_the_scope(database: AsyncDatabase[Document]) -> None:
    dossiers = ScopedRepository[Document](database["dossiers"])
    assert await dossiers.add(dossier(1))
    assert not await dossiers.add(dossier(1))  # the id is taken: the second writer loses

    found = await dossiers.get(SCOPE, "d-01")
    assert found is not None
    assert (found["revision"], found["status"]) == (1, "draft")
    assert found["created_at"] == AT + timedelta(minutes=1)  # read back aware, in UTC (connect's tz_aware)
    assert found["created_at"].utcoffset() == timedelta(0)
    assert "applied_changes" not in found
    assert await dossiers.get(OTHER, "d-01") is None
    assert await dossiers.get(PROVINCE, "d-01") is not None
    assert await dossiers.get(SCOPE, "d-01", status="submitted") is None
    assert await dossiers.get(SCOPE, "d-01", status={"$in": ["draft", "returned"]}) is not None


async def test_an_update_applies_once_per_revision(database: AsyncDatabase[Document]) -> None:
    dossiers = ScopedRepository[Document](database["dossiers"])
    await dossiers.add(dossier(1))
    change = {"$set": {"status": "submitted"}, "$push": {"audit": {"action": "submitted"}}}

    assert await dossiers.update(SCOPE, "d-01", revision=1, update=change)
    assert not await dossiers.update(SCOPE, "d-01", revision=1, update=change)  # read before the first: stale
    assert not await dossiers.update(OTHER, "d-01", revision=2, update=change)  # another commune's: not found

    found = await dossiers.get(SCOPE, "d-01")
    assert found is not None
    assert (found["revision"], found["status"], len(found["audit"])) == (2, "submitted", 2)

    async def total_up(current: Document) -> Revision | None:
        return Revision({"$inc": {"total": 1}}) if current["total"] < 3 else None

    revised = await dossiers.revise(SCOPE, "d-01", total_up)
    assert revised is not None
    assert (revised["revision"], revised["total"]) == (3, 2.0)


async def test_find_and_page_filter_sort_and_count_alike(database: AsyncDatabase[Document]) -> None:
    dossiers = ScopedRepository[Document](database["dossiers"])
    for number in range(1, 13):
        await dossiers.add(dossier(number, status="submitted" if number % 3 else "draft"))
    await dossiers.add(dossier(20, tenant="ph-37-tam-diep"))

    listed = await dossiers.find(SCOPE, {"status": {"$in": ["draft"]}}, sort=("created_at", -1), limit=3)
    assert [d["_id"] for d in listed] == ["d-12", "d-09", "d-06"]
    page, total = await dossiers.page(SCOPE, {"status": "submitted"}, skip=2, limit=3, sort=("total", -1))
    assert total == 8
    # equal totals keep one order: by _id in the sort's direction
    assert [(d["_id"], d["total"]) for d in page] == [("d-10", 2.0), ("d-02", 2.0), ("d-05", 1.0)]
    assert all("audit" not in d for d in page)
    assert [d["_id"] for d in await dossiers.find(PROVINCE, {"_id": {"$in": ["d-01", "d-20", "d-99"]}})] == [
        "d-01",
        "d-20",
    ]
    unaudited = await dossiers.find(SCOPE, {"_id": "d-01"}, audited=False)
    assert "audit" not in unaudited[0]


async def test_the_outbox_relays_each_aggregates_events_in_order_once(database: AsyncDatabase[Document]) -> None:
    dossiers = ScopedRepository[Document](database["dossiers"])
    first, second = (envelope_of(submission_submitted(f"d-0{n}")) for n in (1, 2))
    await dossiers.add(dossier(1), [first])
    await dossiers.update(SCOPE, "d-01", revision=1, update={"$set": {"status": "submitted"}}, events=[second])
    bus = InProcessBus()
    seen: list[str] = []

    async def handle(envelope: Any) -> None:
        seen.append(envelope.subject)

    bus.subscribe({first.type: handle})
    bus.relay(database)

    assert [e.id for e in await bus.settle()] == [first.id, second.id]
    assert seen == ["d-01", "d-02"]
    assert await bus.settle() == []  # the change records are gone: nothing is published twice
    assert await database[CHANGES].count_documents({}) == 0


async def test_bulk_writes_upsert_increment_and_replace(database: AsyncDatabase[Document]) -> None:
    marks = database["marks"]
    mark = UpdateOne({"_id": "m-1"}, {"$set": {"tenant": LIEN_MINH}, "$inc": {"marks": 1}}, upsert=True)
    await marks.bulk_write([mark, mark], ordered=False)
    await marks.bulk_write([ReplaceOne({"_id": "m-2"}, {"tenant": LIEN_MINH, "n": 2}, upsert=True)])
    await marks.bulk_write([ReplaceOne({"_id": "m-2"}, {"tenant": LIEN_MINH, "n": 3}, upsert=True)])

    assert await marks.find_one({"_id": "m-1"}) == {"_id": "m-1", "tenant": LIEN_MINH, "marks": 2}
    assert await marks.find_one({"_id": "m-2"}) == {"_id": "m-2", "tenant": LIEN_MINH, "n": 3}
    await marks.update_many({"tenant": LIEN_MINH}, {"$inc": {"seen": 1}, "$push": {"log": "x"}})
    assert [d["seen"] async for d in marks.find({}).sort("_id", 1)] == [1, 1]
    assert await marks.find_one_and_delete({"_id": "m-1"}) is not None
    assert await marks.count_documents({}) == 1


async def test_insert_many_reports_duplicates_and_keeps_the_rest(database: AsyncDatabase[Document]) -> None:
    facts = database["facts"]
    await facts.insert_one({"_id": "f-2"})
    with pytest.raises(BulkWriteError) as raised:
        await facts.insert_many([{"_id": "f-1"}, {"_id": "f-2"}, {"_id": "f-3"}], ordered=False)

    assert [error["code"] for error in raised.value.details["writeErrors"]] == [11000]
    assert [d["_id"] async for d in facts.find({}).sort("_id", 1)] == ["f-1", "f-2", "f-3"]


async def test_a_group_count_aggregates_alike(database: AsyncDatabase[Document]) -> None:
    registrations = database["registrations"]
    for number, group in enumerate(("a", "a", "b")):
        await registrations.insert_one({"_id": f"r-{number}", "tenant": LIEN_MINH, "group": group})
    pipeline = [{"$group": {"_id": {"tenant": "$tenant", "group": "$group"}, "n": {"$sum": 1}}}]

    rows = [row async for row in await registrations.aggregate(pipeline)]
    assert sorted((row["_id"]["group"], row["n"]) for row in rows) == [("a", 2), ("b", 1)]
