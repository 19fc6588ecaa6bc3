"""The worker's summary loop (`summaries.keep_fresh`, as bootstrap.py runs it beside the consumer) without servers:
while it runs, a commune whose facts changed has its summary recomputed, again after each new change, a pass that
fails is tried again, and the loop ends when the worker stops. The read models in memory, filled by the worker's own
handlers (memory_worker). Each test waits for the state it needs with a deadline (`eventually`), never a fixed time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from rollups.domain.aggregates import DirtyMarker
from rollups.repository import ReadModels
from rollups.service.summaries import keep_fresh
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.testing import eventually

from .memory_worker import YEN_THANG, Rollups, event, finalised, person, submitted

WITHIN = 5.0  # seconds: each wait below ends as soon as its state is there, in milliseconds here
LAN = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")


@pytest.fixture
def rollups() -> Rollups:
    return Rollups()


@dataclass(frozen=True)
class Unreliable(ReadModels):
    """The read models on a database whose reads of the markers fail with `failures` in turn, then answer."""

    failures: list[Exception] = field(default_factory=list)

    async def dirty(self, limit: int = 500) -> list[DirtyMarker]:
        if self.failures:
            raise self.failures.pop(0)
        return await super().dirty(limit)


@contextlib.asynccontextmanager
async def running(models: ReadModels, *, poll_seconds: float = 0.01) -> AsyncIterator[asyncio.Task[None]]:
    """The summary loop running as the worker runs it; told to stop on the way out, and awaited."""
    stop = asyncio.Event()
    loop = asyncio.create_task(keep_fresh(models=models, stop=stop, poll_seconds=poll_seconds))
    try:
        yield loop
    finally:
        stop.set()
        await asyncio.wait_for(loop, WITHIN)


async def scored_of(rollups: Rollups, tenant: str, scored: int) -> bool:
    """Whether the commune's summary counts `scored` dossiers scored, with nothing left marked to recompute."""
    summary = await rollups.summary(tenant)
    return summary is not None and summary["scored"] == scored and await rollups.models.dirty() == []


async def test_the_running_loop_recomputes_each_changed_commune_and_again_after_each_new_change(
    rollups: Rollups,
) -> None:
    await rollups.receive(event(submitted("s-1")), event(finalised("s-1", 92.0, "Xuất sắc")))
    assert await rollups.summary() is None  # the handlers mark the commune; the loop recomputes it

    async with running(rollups.models) as loop:
        await eventually(lambda: scored_of(rollups, LIEN_MINH, 1), within=WITHIN, what="one dossier scored")
        summary = await rollups.summary()
        assert summary is not None
        assert summary["average_score"] == 92.0

        await rollups.receive(
            event(submitted("s-2", LAN), minute=1), event(finalised("s-2", 80.0, "Khá", LAN), minute=1)
        )
        yen_thang = person("e-9", "Thôn Yên Thắng")
        await rollups.receive(
            event(submitted("s-9", yen_thang), tenant=YEN_THANG),
            event(finalised("s-9", 71.0, "Khá", yen_thang), tenant=YEN_THANG),
        )
        await eventually(lambda: scored_of(rollups, LIEN_MINH, 2), within=WITHIN, what="the second scored")
        await eventually(lambda: scored_of(rollups, YEN_THANG, 1), within=WITHIN, what="Yên Thắng's summary")
        assert not loop.done()

    assert loop.exception() is None
    summary = await rollups.summary()
    assert summary is not None
    assert summary["average_score"] == 86.0


async def test_the_loop_ends_when_the_worker_stops_without_waiting_out_its_pause(rollups: Rollups) -> None:
    await rollups.receive(event(submitted("s-1")), event(finalised("s-1", 92.0, "Xuất sắc")))
    # a long poll: the loop ending promptly when told (`running` awaits it WITHIN seconds) proves the stop interrupts
    # its pause rather than the pause running out
    async with running(rollups.models, poll_seconds=60) as loop:
        await eventually(lambda: scored_of(rollups, LIEN_MINH, 1), within=WITHIN, what="the summary made")
        assert not loop.done()

    assert loop.exception() is None


async def test_a_pass_that_fails_is_tried_again_and_the_loop_goes_on(rollups: Rollups) -> None:
    """The markers cannot be read once (the database unreachable): the loop logs it, pauses, and tries again."""
    await rollups.receive(event(submitted("s-1")), event(finalised("s-1", 92.0, "Xuất sắc")))
    failures: list[Exception] = [ConnectionError("cơ sở dữ liệu không trả lời / the database did not answer")]
    models = Unreliable(rollups.models.database, failures=failures)

    async with running(models) as loop:
        await eventually(lambda: scored_of(rollups, LIEN_MINH, 1), within=WITHIN, what="the summary made")
        assert not loop.done()

    assert failures == []  # it did fail once
