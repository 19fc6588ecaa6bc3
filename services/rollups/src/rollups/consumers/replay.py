"""The domain topics as the rebuild reads them (`rollups.service.rebuild`): where each partition's history starts
and ends now, every event before those ends in order, and the rollups group moved past them."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from confluent_kafka.admin import AdminClient
from pydantic import ValidationError

from rollups.service.rebuild import Offsets
from thidua_contracts.topology import DOMAIN_TOPICS
from thidua_platform.envelope import Envelope
from thidua_platform.lag import partitions_of


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


def end_offsets(bootstrap: str, topics: Sequence[str] = DOMAIN_TOPICS) -> Offsets:
    """Where each partition of `topics` ends now: the replay stops there."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "thidua-rollups-rebuild-probe"})
    try:
        return {
            (tp.topic, tp.partition): consumer.get_watermark_offsets(tp, timeout=10)[1]
            for tp in partitions_of(consumer, topics, timeout=10)
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


def ensure_worker_stopped(bootstrap: str, group_id: str) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    group = admin.describe_consumer_groups([group_id])[group_id].result(timeout=10)
    if group.members:
        raise SystemExit(
            f"the {group_id} group still has {len(group.members)} member(s): stop the rollups worker first"
        )


def commit_group(bootstrap: str, group_id: str, until: Offsets) -> None:
    """Make the live group resume after the replayed events (the worker must be stopped)."""
    ensure_worker_stopped(bootstrap, group_id)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group_id, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(t, p, end) for (t, p), end in until.items()], asynchronous=False)
    finally:
        consumer.close()
