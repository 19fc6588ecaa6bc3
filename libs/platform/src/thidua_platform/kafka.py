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
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewTopic,
    ResourceType,
)

from thidua_platform.envelope import Envelope

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


# CloudEvents' Kafka protocol binding, structured content mode: the value is the whole event in the JSON event format
CLOUDEVENTS_JSON = "application/cloudevents+json"


def encode(envelope: Envelope) -> tuple[bytes, bytes, Headers]:
    """The Kafka message of an event: key, value, headers (docs/api/events.asyncapi.json, message bindings).

    Structured content mode of the CloudEvents Kafka binding, since the value is the whole envelope (specversion, id,
    source, type, time, subject, the extensions and `data`): `content-type: application/cloudevents+json`, and no
    `ce_` header at all, for a reader that finds any `ce_` header takes the message for binary mode (the CloudEvents
    Python SDK's `from_kafka` does) and then misses the attributes that are in the value. The key is the subject (the
    aggregate id), so one aggregate's events keep their order. `traceparent` (W3C trace context, as the Distributed
    Tracing extension carries it) is also a header, so a tracer needs not parse the value; the relay sees that every
    event has one.
    """
    headers: Headers = [("content-type", CLOUDEVENTS_JSON.encode())]
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


# Every event is kept, for ever and whatever the size: the domain topics are the history the read models are rebuilt
# from (thidua-rollups-rebuild replays them from offset 0), and a dead letter waits for an operator however long.
# The broker's defaults (7 days) would drop them silently.
RETAINED_FOR_EVER: dict[str, str] = {"retention.ms": "-1", "retention.bytes": "-1"}


def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int = 3,
    wait_seconds: float = 30.0,
    *,
    replication_factor: int = 1,
    min_insync_replicas: int = 1,
) -> list[str]:
    """Create the topics that do not exist yet and return once the broker lists all of them, so that a consumer
    subscribing next sees them (librdkafka would otherwise only notice at its next metadata refresh). Returns the
    topics created now.

    Every topic keeps every event (`RETAINED_FOR_EVER`): created so, and an existing topic whose retention differs is
    altered to it. Replication (`replication_factor`, `min.insync.replicas`) and partitions are set at creation only:
    an existing topic keeps its own (a replication below the wanted one is logged: raising it takes a partition
    reassignment, an operator's decision)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    names = list(topics)
    existing = admin.list_topics(timeout=10).topics
    missing = [t for t in names if t not in existing]
    config = {**RETAINED_FOR_EVER, "min.insync.replicas": str(min_insync_replicas)}
    wanted = [
        NewTopic(t, num_partitions=partitions, replication_factor=replication_factor, config=config) for t in missing
    ]
    for topic, future in admin.create_topics(wanted, request_timeout=15).items() if wanted else ():
        try:
            future.result()
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
        log.info("created topic %s", topic)
    present = [t for t in names if t in existing]
    for topic in present:
        replicas = min((len(p.replicas) for p in existing[topic].partitions.values()), default=replication_factor)
        if replicas < replication_factor:
            log.warning("topic %s has %d replica(s), fewer than the %d wanted", topic, replicas, replication_factor)
    retain_for_ever(admin, present)
    deadline = time.monotonic() + wait_seconds
    while True:
        listed = admin.list_topics(timeout=10).topics
        missing = [t for t in names if t not in listed or listed[t].error is not None or not listed[t].partitions]
        if not missing:
            return [topic.topic for topic in wanted]
        if time.monotonic() > deadline:
            raise RuntimeError(f"topics not available after {wait_seconds:.0f}s: {', '.join(missing)}")
        time.sleep(0.1)


def retain_for_ever(admin: AdminClient, topics: Iterable[str]) -> list[str]:
    """Set `RETAINED_FOR_EVER` on those existing topics whose retention differs; returns the topics altered."""
    resources = [ConfigResource(ResourceType.TOPIC, topic) for topic in topics]
    if not resources:
        return []
    stale: list[str] = []
    for resource, future in admin.describe_configs(resources, request_timeout=15).items():
        entries = future.result()
        if any(entries[key].value != value for key, value in RETAINED_FOR_EVER.items()):
            stale.append(resource.name)
    changes = [
        ConfigResource(
            ResourceType.TOPIC,
            topic,
            incremental_configs=[
                ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET)
                for key, value in RETAINED_FOR_EVER.items()
            ],
        )
        for topic in stale
    ]
    for resource, future in admin.incremental_alter_configs(changes, request_timeout=15).items() if changes else ():
        future.result()
        log.warning("topic %s now keeps every event (retention.ms=-1, retention.bytes=-1)", resource.name)
    return stale


def broker_reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    try:
        # log_level 0: a probe of a broker that is not up yet is expected to fail quietly
        AdminClient({"bootstrap.servers": bootstrap, "log_level": 0}).list_topics(timeout=timeout)
    except KafkaException:
        return False
    return True
