"""Changes and the outbox on the real database and broker (FerretDB has no atomic conditional update)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from thidua_contracts.testing import envelope_of, submission_submitted
from thidua_platform.kafka import EventPublisher, broker_reachable
from thidua_platform.mongo import Document
from thidua_platform.outbox import STALE_AFTER, ChangeLog, OutboxRelay
from thidua_platform.repository import Reviser, Revision, ScopedRepository
from thidua_platform.tenancy import Scope
from thidua_platform.testing import read_messages, scratch_database

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")


@pytest.fixture(autouse=True)
def stack_is_up() -> None:
    if not broker_reachable(BOOTSTRAP):
        pytest.fail("needs the running stack (the broker is unreachable): deploy/stack up")


GUARD = {"tenant": "ph-37-lien-minh"}


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


async def test_concurrent_writers_of_one_revision_one_wins_nothing_is_lost(database: AsyncDatabase[Document]) -> None:
    changes = ChangeLog(database)
    for trial in range(10):
        aggregate = f"s-{trial}"
        assert await changes.insert("submissions", {"_id": aggregate, **GUARD, "items": []})
        outcomes = await asyncio.gather(
            *[
                changes.update("submissions", aggregate, revision=1, update={"$push": {"items": n}}, guard=GUARD)
                for n in range(6)
            ]
        )
        stored = await database["submissions"].find_one({"_id": aggregate})
        assert stored is not None
        assert outcomes.count(True) == 1, (outcomes, stored)
        assert len(stored["items"]) == 1, (outcomes, stored)
        assert stored["revision"] == 2, (outcomes, stored)
    assert not await changes.update("submissions", "s-0", revision=1, update={"$set": {"x": 1}}, guard=GUARD)
    assert not await changes.update(
        "submissions", "s-0", revision=2, update={"$set": {"x": 1}}, guard={"tenant": "ph-51-son-mai"}
    )  # another commune's scope changes nothing


async def test_events_are_published_in_order_once_and_forgotten(database: AsyncDatabase[Document]) -> None:
    changes = ChangeLog(database)
    publisher = EventPublisher(BOOTSTRAP, "test-relay")
    subject = str(uuid.uuid4())
    first, second = envelope_of(submission_submitted(subject)), envelope_of(submission_submitted(subject, version=2))
    try:
        assert await changes.insert("submissions", {"_id": subject, **GUARD, "status": "submitted"}, [first])
        assert await changes.update(
            "submissions", subject, revision=1, update={"$set": {"status": "resubmitted"}}, guard=GUARD, events=[second]
        )
        relay = OutboxRelay(changes=changes, publisher=publisher, poll_seconds=0.1)
        assert await relay.backlog() == 2
        assert await relay.drain_once() == 2
        assert await relay.drain_once() == 0
        assert await relay.backlog() == 0  # nothing is published twice
        found = read_messages(BOOTSTRAP, first.topic, count=2, accept=lambda m: m.key() == subject.encode())
        assert [json.loads(m.value() or b"{}")["id"] for m in found] == [str(first.id), str(second.id)]
    finally:
        await publisher.close()


async def test_an_interrupted_change_is_completed_or_dropped(database: AsyncDatabase[Document]) -> None:
    changes = ChangeLog(database)
    publisher = EventPublisher(BOOTSTRAP, "test-relay")
    relay = OutboxRelay(changes=changes, publisher=publisher, poll_seconds=0.1)
    aggregate, missing = str(uuid.uuid4()), f"no-such-dossier-{uuid.uuid4()}"
    long_ago = datetime.now(UTC) - STALE_AFTER - timedelta(seconds=1)
    try:
        await changes.insert("submissions", {"_id": aggregate, **GUARD, "status": "draft"})
        # a writer claimed revision 2 and stopped before applying it
        claimed = changes._record(
            "submissions",
            aggregate,
            2,
            kind="update",
            payload={"$set": {"status": "submitted"}},
            guard=GUARD,
            events=[envelope_of(submission_submitted(aggregate))],
        )
        await database["changes"].insert_one({**claimed, "created_at": long_ago})
        # a change to a dossier that does not exist can never apply
        orphan = changes._record(
            "submissions",
            missing,
            1,
            kind="update",
            payload={"$set": {"x": 1}},
            guard=GUARD,
            events=[envelope_of(submission_submitted(missing))],
        )
        await database["changes"].insert_one({**orphan, "created_at": long_ago})
        assert await relay.drain_once() == 2
        stored = await database["submissions"].find_one({"_id": aggregate})
        assert stored is not None
        assert (stored["status"], stored["revision"]) == ("submitted", 2)
        assert claimed["nonce"] in stored["applied_changes"]
        assert await relay.backlog() == 0
        published = read_messages(
            BOOTSTRAP, "thidua.submissions", count=1, accept=lambda m: m.key() == missing.encode(), timeout=3
        )
        assert published == []  # the dropped change's event never went out
    finally:
        await publisher.close()


async def test_revisions_rebuilt_on_the_newer_revision_all_land(database: AsyncDatabase[Document]) -> None:
    repo = ScopedRepository(database["submissions"])
    scope = Scope(tenant="ph-37-lien-minh", province="37")
    await repo.add({"_id": "s", "tenant": scope.tenant, "province": "37", "items": []})

    def adding(item: int) -> Reviser:
        async def change(current: Document) -> Revision:
            return Revision({"$set": {"items": [*current["items"], item]}})  # depends on what was read

        return change

    await asyncio.gather(*[repo.revise(scope, "s", adding(n)) for n in range(4)])
    stored = await repo.get(scope, "s")
    assert stored is not None
    assert sorted(stored["items"]) == [0, 1, 2, 3]
    assert stored["revision"] == 5

    async def decline(_current: Document) -> Revision | None:
        return None

    assert await repo.revise(scope, "s", decline) is None
    assert await repo.revise(Scope(tenant="ph-51-son-mai", province="51"), "s", adding(9)) is None  # out of scope
