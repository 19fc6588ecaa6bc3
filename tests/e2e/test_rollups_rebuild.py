"""Rebuilding the rollups from the events alone reproduces the live read models, and twice the same: the operator's
`thidua-rollups-rebuild` against the real Kafka topics and the real database."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable

import httpx

from rollups.consumers.replay import end_offsets, replay
from rollups.repository import ReadModels
from rollups.service.rebuild import Rebuilt, digest, rebuild
from thidua_platform.testing import scratch_database

from .conftest import eventually
from .world import rollups_settled

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")


async def live_digest() -> str:
    async with scratch_database() as any_database:
        return await digest(models=ReadModels(any_database.client["thidua_rollups"]))


async def rebuilt_twice(until: dict[tuple[str, int], int]) -> tuple[Rebuilt, Rebuilt]:
    async with scratch_database() as one, scratch_database() as two:
        read = functools.partial(replay, BOOTSTRAP, until)
        first = await rebuild(models=ReadModels(one), read=read, progress=lambda _n: None)
        second = await rebuild(models=ReadModels(two), read=read, progress=lambda _n: None)
        return first, second


def test_a_rebuild_reproduces_the_live_read_models_exactly(http: httpx.Client, token: Callable[[str], str]) -> None:
    staff = token("nb.staff")

    def settled_offsets() -> dict[tuple[str, int], int] | None:
        """The topics' ends, once the live worker has applied and summarised everything before them."""
        if not rollups_settled(http, staff):
            return None
        until = end_offsets(BOOTSTRAP)
        return until if rollups_settled(http, staff) and end_offsets(BOOTSTRAP) == until else None

    def settled_digest() -> tuple[dict[tuple[str, int], int], str] | None:
        """The live read models' digest, taken while no event came after the offsets it is compared at (a service's
        own loop — scoring's index sweep, say — may publish at any moment)."""
        until = settled_offsets()
        if until is None:
            return None
        live = asyncio.run(live_digest())
        return (until, live) if end_offsets(BOOTSTRAP) == until and rollups_settled(http, staff) else None

    until, live = eventually(settled_digest, what="the rollups to settle")
    first, second = asyncio.run(rebuilt_twice(until))
    assert first.events > 0
    assert first.events == second.events
    assert first.digest == second.digest  # replayed twice: identical
    assert first.digest == live, "the rebuild differs from the live read models"
