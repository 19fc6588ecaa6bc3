"""The in-process bus and the memory database (thidua_platform.memory): the bus delivers each event to every
subscriber of its type, once, and refuses to go on for ever when events keep causing events; the database keeps
what it is given as it was."""

from __future__ import annotations

import pytest

from thidua_contracts.testing import LIEN_MINH, envelope_of, submission_submitted
from thidua_platform.envelope import Envelope
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope


async def test_each_subscriber_of_a_type_receives_the_event_once() -> None:
    bus = InProcessBus()
    received: dict[str, list[str]] = {"one": [], "two": []}
    event = envelope_of(submission_submitted("d-1"))

    async def one(envelope: Envelope) -> None:
        received["one"].append(envelope.subject)

    async def two(envelope: Envelope) -> None:
        received["two"].append(envelope.subject)

    bus.subscribe({event.type: one})
    bus.subscribe({event.type: two, "thidua.other.v1": one})
    await bus.publish_many([(event.topic, event)])

    assert await bus.settle() == [event]
    assert received == {"one": ["d-1"], "two": ["d-1"]}
    assert await bus.settle() == []
    assert bus.published == [event]


async def test_events_that_keep_causing_events_do_not_settle() -> None:
    bus = InProcessBus()

    async def echo(envelope: Envelope) -> None:
        await bus.publish(envelope.topic, envelope)

    event = envelope_of(submission_submitted("d-1"))
    bus.subscribe({event.type: echo})
    await bus.publish(event.topic, event)

    with pytest.raises(AssertionError, match="did not settle in 3 rounds"):
        await bus.settle(rounds=3)


async def test_the_memory_database_changes_nothing_it_is_given() -> None:
    """A read in memory must not touch the caller's projection: mongomock adds `_id` to what it is handed, and the
    repositories' shared `hidden` projection, changed so, broke every later read on the real server."""
    database = memory_database()
    repository = ScopedRepository[Document](database["things"])
    before = dict(ScopedRepository.hidden)
    query = {"kind": {"$in": ["a"]}}
    await repository.add({"_id": "t-1", "tenant": LIEN_MINH, "province": "37", "kind": "a"})

    assert await repository.get(Scope(tenant=LIEN_MINH, province="37"), "t-1") is not None
    assert len(await repository.find(Scope(tenant=LIEN_MINH, province="37"), query)) == 1
    assert ScopedRepository.hidden == before
    assert query == {"kind": {"$in": ["a"]}}
