"""Consumer lag of a group: how many events on the topics it reads it has not handled (committed) yet."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from confluent_kafka import Consumer, TopicPartition


def partitions_of(consumer: Consumer, topics: Sequence[str], *, timeout: float) -> list[TopicPartition]:
    """Every partition of those topics that exist."""
    existing = consumer.list_topics(timeout=timeout).topics
    return [TopicPartition(t, p) for t in topics if t in existing for p in existing[t].partitions]


@dataclass
class LagProbe:
    """The lag of `group_id` over `topics` — the topics the group subscribes to, and only those: a partition the
    group never committed on counts whole, so a topic it does not read would count as lag for ever."""

    bootstrap: str
    group_id: str
    topics: Sequence[str]
    cache_seconds: float = 2.0
    _cached: tuple[float, int | None] = field(default=(0.0, None))

    async def lag(self) -> int | None:
        """Messages behind, summed over the partitions; None if Kafka did not answer."""
        at, value = self._cached
        if time.monotonic() - at < self.cache_seconds:
            return value
        value = await asyncio.to_thread(self.measure)
        self._cached = (time.monotonic(), value)
        return value

    def measure(self) -> int | None:
        """Measured now, not cached (blocking: the API calls it off the event loop through `lag`)."""
        by_partition = self.by_partition()
        return None if by_partition is None else sum(by_partition.values())

    def by_partition(self) -> dict[tuple[str, int], int] | None:
        """Messages behind on each (topic, partition); None if Kafka did not answer."""
        consumer = Consumer(
            {"bootstrap.servers": self.bootstrap, "group.id": self.group_id, "enable.auto.commit": False}
        )
        try:
            committed = consumer.committed(partitions_of(consumer, self.topics, timeout=3), timeout=3)
            behind: dict[tuple[str, int], int] = {}
            for tp in committed:
                low, high = consumer.get_watermark_offsets(tp, timeout=3, cached=False)
                behind[(tp.topic, tp.partition)] = max(0, high - (tp.offset if tp.offset >= 0 else low))
            return behind
        except Exception:
            return None
        finally:
            consumer.close()
