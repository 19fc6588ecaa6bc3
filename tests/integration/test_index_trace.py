"""The index.computed event, made by scoring's background loop outside any request or event, continues the trace of
the event that marked the commune's index stale (on the real database; the event read from the outbox record)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from pymongo.asynchronous.database import AsyncDatabase

from scoring.repository import Repositories, repositories
from scoring.service import index
from thidua_contracts.scoring import IndexComputed
from thidua_platform.mongo import Document
from thidua_platform.outbox import CHANGES
from thidua_platform.testing import eventually, scratch_database

LIEN_MINH, TAM_DIEP = "ph-37-lien-minh", "ph-37-tam-diep"
FINALISED = "thidua.scoring.score.finalised.v1"


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


async def index_events(database: AsyncDatabase[Document]) -> dict[str, dict[str, Any]]:
    """The index.computed events waiting in the outbox, by subject."""
    records = database[CHANGES].find({})
    events = [event async for record in records for event in record["events"]]
    return {event["subject"]: event for event in events if event["type"] == IndexComputed.event_type}


async def past_the_latest_mark(repos: Repositories) -> bool:
    latest = max(mark["marked_at"] for mark in await repos.index_queue.marked())
    return datetime.now(UTC) - latest >= timedelta(milliseconds=1)


def parts(traceparent: str) -> tuple[str, str]:
    version, trace_id, span_id, _flags = traceparent.split("-")
    assert version == "00"
    assert len(trace_id) == 32
    assert len(span_id) == 16
    return trace_id, span_id


async def test_an_index_computed_event_continues_its_causes_trace(
    database: AsyncDatabase[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    repos = repositories(database)
    monkeypatch.setattr(index, "tracer", TracerProvider().get_tracer("test"))  # the worker's tracer records spans
    cause = f"00-{'a1' * 16}-{'b2' * 8}-01"
    earlier = f"00-{'c3' * 16}-{'d4' * 8}-01"
    for n, traceparent in enumerate((earlier, cause)):
        await repos.index_queue.mark(
            tenant=LIEN_MINH,
            province="37",
            period="2026",
            cause=f"final-{n}",
            cause_type=FINALISED,
            traceparent=traceparent,
        )
        # marks are read in the order of `marked_at`, which the database keeps to the millisecond: waits until the
        # clock has left the latest mark's millisecond, so the next mark is stored as later (at most 5 s)
        await eventually(lambda: past_the_latest_mark(repos), within=5, every=0.001, what="the next millisecond")
    # a cause without a trace (or a mark made before marks kept it): the recomputation starts a trace of its own
    await repos.index_queue.mark(tenant=TAM_DIEP, province="37", period="2026", cause="old", cause_type=FINALISED)

    assert await index.recompute_marked(repos=repos) == 2
    events = await index_events(database)
    trace_id, span_id = parts(events[f"{LIEN_MINH}:2026"]["traceparent"])
    assert trace_id == "a1" * 16
    assert span_id != "b2" * 8  # the latest cause's trace, the recomputation's own span
    untraced_cause = parts(events[f"{TAM_DIEP}:2026"]["traceparent"])
    assert untraced_cause[0] not in {"a1" * 16, "c3" * 16}
