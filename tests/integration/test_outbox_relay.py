"""The outbox relay on the real database and broker: what a document carries is published, then cleared."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from thidua_shared.kafka import EventPublisher, broker_reachable
from thidua_shared.mongo import connect
from thidua_shared.outbox import OutboxRelay, outbox_insert, outbox_update
from thidua_shared.testing import envelope_of, read_messages, submission_submitted

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
pytestmark = pytest.mark.skipif(not broker_reachable(BOOTSTRAP), reason="needs the stack: deploy/stack up")


async def test_pending_events_are_published_once_and_cleared() -> None:
    client = connect(MONGO_URL)
    database = client[f"thidua_test_{uuid.uuid4().hex[:8]}"]
    collection = database["submissions"]
    publisher = EventPublisher(BOOTSTRAP, "test-relay")
    subject = str(uuid.uuid4())
    first, second = envelope_of(submission_submitted(subject)), envelope_of(submission_submitted(subject, version=2))
    try:
        await collection.insert_one(outbox_insert({"_id": subject, "status": "submitted"}, [first]))
        await collection.update_one({"_id": subject}, outbox_update({"$set": {"status": "resubmitted"}}, [second]))
        relay = OutboxRelay(collections=[collection], publisher=publisher, poll_seconds=0.1)
        assert await relay.backlog() == 1
        assert await relay.drain_once() == 2
        assert await relay.drain_once() == 0  # nothing is published twice
        stored = await collection.find_one({"_id": subject})
        assert stored is not None and stored["outbox"] == [] and stored["outbox_pending"] is False
        assert await relay.backlog() == 0
        found = read_messages(BOOTSTRAP, first.topic, count=2, accept=lambda m: m.key() == subject.encode())
        assert [json.loads(m.value() or b"{}")["id"] for m in found] == [str(first.id), str(second.id)]
    finally:
        await publisher.close()
        await client.drop_database(database.name)
        await client.close()
