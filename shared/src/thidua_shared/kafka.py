"""Kafka with confluent-kafka: an idempotent producer awaited from asyncio, and topic administration.

librdkafka's idempotence is off by default; here it is always on with `acks=all`, so a retried send never writes a
duplicate into the log. The producer runs off the event loop: a background thread serves delivery callbacks.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

from thidua_shared.events import Envelope

log = logging.getLogger(__name__)

Headers = list[tuple[str, str | bytes | None]]


def producer_config(bootstrap: str, client_id: str) -> dict[str, object]:
    return {
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "compression.type": "lz4",
        "message.timeout.ms": 30000,
    }


def encode(envelope: Envelope) -> tuple[bytes, bytes, Headers]:
    headers: Headers = [("ce_type", envelope.type.encode()), ("ce_id", str(envelope.id).encode())]
    if envelope.traceparent:
        headers.append(("traceparent", envelope.traceparent.encode()))
    return envelope.subject.encode(), envelope.model_dump_json().encode(), headers


class EventPublisher:
    """Publishes envelopes and resolves when the broker has acknowledged them (acks=all)."""

    def __init__(self, bootstrap: str, client_id: str) -> None:
        self._producer = Producer(producer_config(bootstrap, client_id))
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._serve_callbacks, name=f"{client_id}-producer", daemon=True)
        self._poller.start()

    def _serve_callbacks(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.1)

    async def publish(self, topic: str, envelope: Envelope) -> None:
        await self.publish_raw(topic, *encode(envelope))

    async def publish_many(self, items: Iterable[tuple[str, Envelope]]) -> None:
        await asyncio.gather(*(self.publish(topic, envelope) for topic, envelope in items))

    async def publish_raw(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None:
        loop = asyncio.get_running_loop()
        delivered: asyncio.Future[None] = loop.create_future()

        def on_delivery(error: KafkaError | None, _message: Message) -> None:
            def settle() -> None:
                if delivered.done():
                    return
                if error is not None:
                    delivered.set_exception(KafkaException(error))
                else:
                    delivered.set_result(None)

            loop.call_soon_threadsafe(settle)

        while True:
            try:
                self._producer.produce(topic, key=key, value=value, headers=headers, on_delivery=on_delivery)
                break
            except BufferError:
                await asyncio.sleep(0.05)  # local queue full: wait for deliveries to drain it
        await delivered

    async def close(self, flush_seconds: float = 10.0) -> None:
        await asyncio.to_thread(self._producer.flush, flush_seconds)
        self._stop.set()
        await asyncio.to_thread(self._poller.join, 2.0)


def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int = 3,
    wait_seconds: float = 30.0,
    *,
    replication_factor: int = 1,
) -> list[str]:
    """Create the topics that do not exist yet and return once the broker lists all of them, so that a consumer
    subscribing next sees them (librdkafka would otherwise only notice at its next metadata refresh). Returns the
    topics created now (existing ones are left as they are, whatever their partitions and replication)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    names = list(topics)
    existing = set(admin.list_topics(timeout=10).topics)
    missing = [t for t in names if t not in existing]
    wanted = [NewTopic(t, num_partitions=partitions, replication_factor=replication_factor) for t in missing]
    for topic, future in admin.create_topics(wanted, request_timeout=15).items() if wanted else ():
        try:
            future.result()
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
        log.info("created topic %s", topic)
    deadline = time.monotonic() + wait_seconds
    while True:
        listed = admin.list_topics(timeout=10).topics
        missing = [t for t in names if t not in listed or listed[t].error is not None or not listed[t].partitions]
        if not missing:
            return [topic.topic for topic in wanted]
        if time.monotonic() > deadline:
            raise RuntimeError(f"topics not available after {wait_seconds:.0f}s: {', '.join(missing)}")
        time.sleep(0.1)


def broker_reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    try:
        # log_level 0: a probe of a broker that is not up yet is expected to fail quietly
        AdminClient({"bootstrap.servers": bootstrap, "log_level": 0}).list_topics(timeout=timeout)
    except KafkaException:
        return False
    return True
