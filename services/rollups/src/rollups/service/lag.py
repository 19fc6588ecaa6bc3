"""Consumer lag of the rollups group: how many events on the domain topics it has not applied yet."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from confluent_kafka import Consumer, TopicPartition

from thidua_shared.events import DOMAIN_TOPICS


def domain_partitions(consumer: Consumer, *, timeout: float) -> list[TopicPartition]:
    """Every partition of the domain topics that exist."""
    topics = consumer.list_topics(timeout=timeout).topics
    return [TopicPartition(t, p) for t in DOMAIN_TOPICS if t in topics for p in topics[t].partitions]


@dataclass
class LagProbe:
    bootstrap: str
    group_id: str
    cache_seconds: float = 2.0
    _cached: tuple[float, int | None] = field(default=(0.0, None))

    async def lag(self) -> int | None:
        """Messages behind, summed over the partitions of the domain topics; None if Kafka did not answer."""
        at, value = self._cached
        if time.monotonic() - at < self.cache_seconds:
            return value
        value = await asyncio.to_thread(self.measure)
        self._cached = (time.monotonic(), value)
        return value

    def measure(self) -> int | None:
        """Measured now, not cached (blocking: the API calls it off the event loop through `lag`)."""
        consumer = Consumer(
            {"bootstrap.servers": self.bootstrap, "group.id": self.group_id, "enable.auto.commit": False}
        )
        try:
            committed = consumer.committed(domain_partitions(consumer, timeout=3), timeout=3)
            behind = 0
            for tp in committed:
                low, high = consumer.get_watermark_offsets(tp, timeout=3, cached=False)
                behind += max(0, high - (tp.offset if tp.offset >= 0 else low))
            return behind
        except Exception:
            return None
        finally:
            consumer.close()
