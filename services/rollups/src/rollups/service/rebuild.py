"""Rebuilding the read models from the events alone (`thidua-rollups-rebuild`, `thidua-ops read-models rebuild`).

Empties the read models, applies each event read from the topics with the worker's own code, recomputes every summary
and gives a digest of the result. Run twice up to the same offsets, it gives the same digest; run against a settled
live database, the same digest as the live read models. Reading the topics is `rollups.consumers.replay`'s; the
command around it (the refusal when events were deleted, the live group moved past the replayed events) is
`rollups.bootstrap.rebuild_read_models`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from rollups.repository import ReadModels
from rollups.service.facts import apply_events, unreadable
from rollups.service.summaries import refresh_dirty
from thidua_platform.envelope import Envelope
from thidua_platform.text import stored_text

Offsets = dict[tuple[str, int], int]
# Reads the events to replay (in a thread), giving each to its argument in order; returns how many messages it read.
Replay = Callable[[Callable[[Envelope], None]], int]
BATCH = 500


@dataclass(frozen=True)
class Rebuilt:
    events: int
    skipped: int
    seconds: float
    digest: str


def refusal(trimmed: Offsets) -> str:
    where = ", ".join(f"{topic}[{partition}] starts at offset {low}" for (topic, partition), low in trimmed.items())
    return (
        "rebuild: từ chối — các topic không còn giữ đủ sự kiện từ đầu, dựng lại sẽ thiếu dữ liệu / refused: the "
        f"topics no longer hold every event from the beginning, a rebuild would silently miss some: {where}. The "
        "domain topics must keep every event (retention.ms=-1, retention.bytes=-1: docs/adr/0010-rollups.md)."
    )


async def digest(*, models: ReadModels) -> str:
    """A fingerprint of every read model, without the moments summaries were computed."""
    hashing = hashlib.sha256()
    for name in await models.read_model_names():
        async for document in models.contents(name):
            hashing.update(json.dumps(document, sort_keys=True, default=str).encode())
    return hashing.hexdigest()


async def rebuild(*, models: ReadModels, read: Replay, progress: Callable[[int], None]) -> Rebuilt:
    """Empty the read models, apply the events `read` gives, recompute every summary."""
    began = time.monotonic()
    await models.empty()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Envelope | None] = asyncio.Queue(maxsize=1000)

    def on_event(envelope: Envelope) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(envelope), loop).result()

    async def produce() -> int:
        try:
            return await asyncio.to_thread(read, on_event)
        finally:
            await queue.put(None)

    reading = asyncio.create_task(produce())
    applied, reported = 0, 0
    batch: list[Envelope] = []
    with stored_text():  # events as they were published, as the live consumer reads them (thidua_platform.text)
        while True:
            envelope = await queue.get()
            if envelope is not None and not unreadable(envelope):
                batch.append(envelope)
            if batch and (envelope is None or len(batch) >= BATCH or queue.empty()):
                await apply_events(models=models, envelopes=batch, now=max(e.time for e in batch))
                applied += len(batch)
                batch = []
                if applied - reported >= 1000:
                    progress(applied)
                    reported = applied
            if envelope is None:
                break
        read_messages = await reading
        while await refresh_dirty(models=models):
            pass
    return Rebuilt(
        events=applied,
        skipped=read_messages - applied,
        seconds=time.monotonic() - began,
        digest=await digest(models=models),
    )
