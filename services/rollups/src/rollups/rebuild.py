"""Rebuild the read models from the events alone: `thidua-rollups-rebuild`.

Refuses to run (exit status 3) when a partition of a domain topic no longer starts at offset 0: events were deleted
and the result would silently lack them. Otherwise reads every domain topic from its beginning up to the end offsets
taken at the start, applies each event with the worker's own code into empty read models, recomputes every summary,
and prints a digest of the result. Run twice up to the same offsets, it prints the same digest; run against a settled
live database, the same digest as the live read models (`--digest-only` prints that one).

    thidua-rollups-rebuild --database thidua_rollups_rebuilt       # into a scratch database, compare digests
    thidua-rollups-rebuild --replace                                # into the live database: stop the worker first;
                                                                    # its group then resumes after the replayed events
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from confluent_kafka.admin import AdminClient
from pydantic import ValidationError

from rollups.bootstrap import GROUP_ID
from rollups.repository import ReadModels
from rollups.service.facts import apply_events, unreadable
from rollups.service.summaries import refresh_dirty
from rollups.settings import RollupsSettings
from thidua_shared.events import DOMAIN_TOPICS, Envelope
from thidua_shared.lag import partitions_of
from thidua_shared.mongo import connect
from thidua_shared.text import stored_text

Offsets = dict[tuple[str, int], int]
BATCH = 500


@dataclass(frozen=True)
class Rebuilt:
    events: int
    skipped: int
    seconds: float
    digest: str


def trimmed_partitions(bootstrap: str, topics: Sequence[str] = DOMAIN_TOPICS) -> Offsets:
    """The partitions of `topics` whose history no longer starts at offset 0, with where it starts now: events before
    that were deleted (by retention, or by hand) and a replay would silently miss them."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "thidua-rollups-rebuild-probe"})
    try:
        earliest = {
            (tp.topic, tp.partition): consumer.get_watermark_offsets(tp, timeout=10, cached=False)[0]
            for tp in partitions_of(consumer, topics, timeout=10)
        }
    finally:
        consumer.close()
    return {key: low for key, low in sorted(earliest.items()) if low != 0}


def refusal(trimmed: Offsets) -> str:
    where = ", ".join(f"{topic}[{partition}] starts at offset {low}" for (topic, partition), low in trimmed.items())
    return (
        "rebuild: từ chối — các topic không còn giữ đủ sự kiện từ đầu, dựng lại sẽ thiếu dữ liệu / refused: the "
        f"topics no longer hold every event from the beginning, a rebuild would silently miss some: {where}. The "
        "domain topics must keep every event (retention.ms=-1, retention.bytes=-1: docs/adr/0010-rollups.md)."
    )


def end_offsets(bootstrap: str) -> Offsets:
    """Where each partition of the domain topics ends now: the replay stops there."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "thidua-rollups-rebuild-probe"})
    try:
        return {
            (tp.topic, tp.partition): consumer.get_watermark_offsets(tp, timeout=10)[1]
            for tp in partitions_of(consumer, DOMAIN_TOPICS, timeout=10)
        }
    finally:
        consumer.close()


def replay(bootstrap: str, until: Offsets, on_event: Callable[[Envelope], None]) -> int:
    """Feed every event before `until` to `on_event`, partition by partition in order; returns how many messages."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"thidua-rollups-rebuild-{time.time_ns()}",
            "enable.auto.commit": False,
            "enable.partition.eof": True,
        }
    )
    wanted = {key: end for key, end in until.items() if end > 0}
    consumer.assign([TopicPartition(t, p, OFFSET_BEGINNING) for (t, p) in wanted])
    read = 0
    try:
        while wanted:
            message = consumer.poll(1.0)
            if message is None:
                continue
            key = (message.topic() or "", message.partition() or 0)
            if message.error():
                continue  # end of partition before `until` is reached means it was trimmed meanwhile: keep polling
            if key not in wanted or (message.offset() or 0) >= wanted[key]:
                wanted.pop(key, None)
                continue
            read += 1
            with contextlib.suppress(ValidationError):  # malformed: the live consumer dead-letters it; counts nowhere
                on_event(Envelope.model_validate_json(message.value() or b""))
            if (message.offset() or 0) + 1 >= wanted[key]:
                wanted.pop(key)
    finally:
        consumer.close()
    return read


async def digest(models: ReadModels) -> str:
    """A fingerprint of every read model, without the moments summaries were computed."""
    hashing = hashlib.sha256()
    for name in await models.read_model_names():
        async for document in models.contents(name):
            hashing.update(json.dumps(document, sort_keys=True, default=str).encode())
    return hashing.hexdigest()


async def rebuild(models: ReadModels, bootstrap: str, until: Offsets, progress: Callable[[int], None]) -> Rebuilt:
    """Empty the read models, apply the events up to `until`, recompute every summary."""
    began = time.monotonic()
    await models.empty()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Envelope | None] = asyncio.Queue(maxsize=1000)

    def on_event(envelope: Envelope) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(envelope), loop).result()

    async def produce() -> int:
        try:
            return await asyncio.to_thread(replay, bootstrap, until, on_event)
        finally:
            await queue.put(None)

    reading = asyncio.create_task(produce())
    applied, reported = 0, 0
    batch: list[Envelope] = []
    with stored_text():  # events as they were published, as the live consumer reads them (thidua_shared.text)
        while True:
            envelope = await queue.get()
            if envelope is not None and not unreadable(envelope):
                batch.append(envelope)
            if batch and (envelope is None or len(batch) >= BATCH or queue.empty()):
                await apply_events(models, batch, now=max(e.time for e in batch))
                applied += len(batch)
                batch = []
                if applied - reported >= 1000:
                    progress(applied)
                    reported = applied
            if envelope is None:
                break
        read = await reading
        while await refresh_dirty(models):
            pass
    return Rebuilt(
        events=applied, skipped=read - applied, seconds=time.monotonic() - began, digest=await digest(models)
    )


def ensure_worker_stopped(bootstrap: str) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    group = admin.describe_consumer_groups([GROUP_ID])[GROUP_ID].result(timeout=10)
    if group.members:
        raise SystemExit(
            f"the {GROUP_ID} group still has {len(group.members)} member(s): stop the rollups worker first"
        )


def commit_group(bootstrap: str, until: Offsets) -> None:
    """Make the live group resume after the replayed events (the worker must be stopped)."""
    ensure_worker_stopped(bootstrap)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP_ID, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(t, p, end) for (t, p), end in until.items()], asynchronous=False)
    finally:
        consumer.close()


def print_progress(applied: int, _total: int) -> None:
    print(f"  … {applied} events applied", file=sys.stderr)


async def run(args: argparse.Namespace, progress: Callable[[int, int], None] = print_progress) -> int:
    """`progress(applied, total)`: total is the messages on the partitions (events of other kinds included)."""
    settings = RollupsSettings()
    client = connect(settings.mongo_url, appname="thidua-rollups-rebuild")
    name = settings.database_name if args.replace else args.database
    models = ReadModels(client[name])
    try:
        if args.digest_only:
            print(await digest(models))
            return 0
        trimmed = trimmed_partitions(settings.kafka_bootstrap, DOMAIN_TOPICS)
        if trimmed:
            print(refusal(trimmed), file=sys.stderr)
            return 3
        if args.replace:
            ensure_worker_stopped(settings.kafka_bootstrap)
        until = end_offsets(settings.kafka_bootstrap)
        print(f"rebuild: {sum(until.values())} messages on {len(until)} partitions into {name}", file=sys.stderr)
        total = sum(until.values())
        result = await rebuild(models, settings.kafka_bootstrap, until, lambda applied: progress(applied, total))
        if args.replace:
            commit_group(settings.kafka_bootstrap, until)
        print(
            f"rebuild: {result.events} events applied in {result.seconds:.1f} s ({result.skipped} malformed or "
            "unreadable skipped, as the live consumer dead-letters them)",
            file=sys.stderr,
        )
        print(result.digest)
        return 0
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="thidua_rollups_rebuilt", help="scratch database to rebuild into")
    parser.add_argument("--replace", action="store_true", help="rebuild the live database (worker stopped)")
    parser.add_argument("--digest-only", action="store_true", help="print the digest of the database and stop")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
