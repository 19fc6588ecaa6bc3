"""Rebuilding the read models from past events (rollups.service.rebuild) without servers: the events are fed from a
list where `thidua-rollups-rebuild` reads them from Kafka (rollups.consumers.replay), into read models on an in-memory
database, and the result is compared with the same events delivered live to the worker's handlers (memory_worker)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import pytest

from rollups.domain.aggregates import ListingRow
from rollups.repository import ReadModels
from rollups.service.rebuild import Rebuilt, digest, rebuild, refusal
from rollups.service.views import entrants
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.envelope import Envelope

from .memory_worker import (
    DONG_HUNG,
    OFFICER,
    PERIOD,
    STAFF,
    YEN_THANG,
    Rollups,
    answered,
    candidate,
    commune,
    decided,
    event,
    finalised,
    index,
    person,
    proposed,
    returned,
    submitted,
    theme,
    withdrawn,
)

LAN = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")
YEN = person("e-9", "Thôn Yên Thắng")


def history() -> list[Envelope]:
    """A period of two communes, as the topics keep it."""
    return [
        event(submitted("s-1"), minute=1),
        event(submitted("s-2", LAN), minute=2),
        event(returned("s-2", LAN), minute=3),
        event(submitted("s-2", LAN, version=2), minute=4),
        event(finalised("s-1", 92.0, "Xuất sắc", criteria=[theme(1, 40, 50)]), minute=5),
        event(finalised("s-2", 78.0, "Khá", LAN, version=2), minute=6),
        event(candidate("s-1"), minute=7),
        event(decided("d-1", DONG_HUNG), minute=8),
        event(proposed("p-1", DONG_HUNG), minute=9),
        event(answered("p-1", "awarded", DONG_HUNG), minute=10),
        event(index(0.7), minute=11),
        event(submitted("s-3", person("e-3", "Hội Phụ nữ", group="b")), minute=12),
        event(withdrawn("s-3", person("e-3", "Hội Phụ nữ", group="b")), minute=13),
        event(submitted("s-9", YEN), tenant=YEN_THANG, minute=14),
        event(finalised("s-9", 71.0, "Khá", YEN), tenant=YEN_THANG, minute=15),
    ]


def feeding(events: Sequence[Envelope]) -> Callable[[Callable[[Envelope], None]], int]:
    """The rebuild's reader over a list: each event given in order, how many messages were read."""

    def read(on_event: Callable[[Envelope], None]) -> int:
        for envelope in events:
            on_event(envelope)
        return len(events)

    return read


async def rebuilt_from(events: Sequence[Envelope], models: ReadModels | None = None) -> tuple[ReadModels, Rebuilt]:
    target = models or Rollups().models
    progress: list[int] = []
    result = await rebuild(models=target, read=feeding(events), progress=progress.append)
    assert progress == []  # reported every 1,000 events
    return target, result


async def live(events: Sequence[Envelope]) -> Rollups:
    rollups = Rollups()
    await rollups.receive(*events)
    await rollups.refresh()
    return rollups


async def listing(models: ReadModels, tenant: str = LIEN_MINH) -> list[ListingRow]:
    rows, _ = await models.listing(commune(tenant), period=PERIOD, scored_only=False, skip=0, limit=100)
    return rows


async def test_a_rebuild_from_past_events_gives_the_read_models_of_live_delivery() -> None:
    worker = await live(history())
    models, result = await rebuilt_from(history())

    assert (result.events, result.skipped) == (15, 0)
    assert result.digest == await digest(models=worker.models) == await digest(models=models)
    for tenant in (LIEN_MINH, YEN_THANG):
        rebuilt = await models.summaries(commune(tenant), period=PERIOD)
        kept = await worker.models.summaries(commune(tenant), period=PERIOD)
        assert [{**s, "refreshed_at": None} for s in rebuilt] == [{**s, "refreshed_at": None} for s in kept]
        assert await listing(models, tenant) == await listing(worker.models, tenant)
    assert await models.pending() == 0
    freshness = await models.freshness()
    assert freshness is not None
    assert freshness["last_event_time"] == history()[-1].time
    for principal in (OFFICER, STAFF):
        page = await entrants(models=models, principal=principal, tenant=LIEN_MINH, period=PERIOD, skip=0, limit=20)
        assert page == await entrants(
            models=worker.models, principal=principal, tenant=LIEN_MINH, period=PERIOD, skip=0, limit=20
        )


async def test_a_rebuild_is_the_same_whatever_order_the_partitions_interleave_in() -> None:
    """Topics keep order per partition, not across them: any order gives the same digest."""
    shuffled = history() * 2
    random.Random(3).shuffle(shuffled)  # noqa: S311 (an order, not a secret)
    _, once = await rebuilt_from(history())
    _, again = await rebuilt_from(shuffled)
    assert again.digest == once.digest
    assert again.events == 30


async def test_a_rebuild_replaces_what_the_read_models_held_before() -> None:
    stale = await live([event(submitted("s-old", person("e-0", "Thôn Cũ"), period="2024"))])
    assert await stale.models.partitions("submission_facts", period="2024") != []

    models, result = await rebuilt_from(history(), stale.models)

    assert await models.partitions("submission_facts", period="2024") == []
    assert result.digest == (await rebuilt_from(history()))[1].digest


async def test_a_malformed_event_is_skipped_as_the_live_consumer_dead_letters_it() -> None:
    broken = history()[0].model_copy(update={"data": {"submission_id": "s-x"}})
    _, result = await rebuilt_from([*history(), broken])
    _, clean = await rebuilt_from(history())
    assert (result.events, result.skipped) == (15, 1)
    assert result.digest == clean.digest


async def test_an_empty_history_rebuilds_empty_read_models() -> None:
    models, result = await rebuilt_from([])
    assert (result.events, result.skipped) == (0, 0)
    assert result.digest == await digest(models=Rollups().models)
    assert await models.summaries(commune(), period=None) == []


def test_the_refusal_names_each_partition_that_lost_its_first_events() -> None:
    message = refusal({("thidua.submissions", 0): 120, ("thidua.awards", 2): 7})
    assert "thidua.submissions[0] starts at offset 120" in message
    assert "thidua.awards[2] starts at offset 7" in message


@pytest.mark.parametrize("size", [1, 7])
async def test_events_replayed_in_any_batch_size_rebuild_the_same(size: int) -> None:
    """The rebuild applies what has been read so far as one batch: cut anywhere, the read models are the same."""
    worker = Rollups()
    events = history()
    for start in range(0, len(events), size):
        await worker.batch(events[start : start + size])
    await worker.refresh()
    _, result = await rebuilt_from(events)
    assert await digest(models=worker.models) == result.digest
