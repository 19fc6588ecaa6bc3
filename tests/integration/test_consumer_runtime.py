"""The consumer runtime against the real broker: dead letters, skipping, and redelivery of unsettled work."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from confluent_kafka import Consumer

from thidua_shared.consumer import EventConsumer, RetryPolicy
from thidua_shared.events import Envelope, ScoreComputed, SubmissionSubmitted, dead_letter_topic, new_event
from thidua_shared.kafka import EventPublisher, broker_reachable, ensure_topics

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
pytestmark = pytest.mark.skipif(not broker_reachable(BOOTSTRAP), reason="needs the broker: deploy/stack up")


def submitted_event(submission_id: str) -> Envelope:
    return new_event(
        SubmissionSubmitted(
            submission_id=submission_id,
            version=1,
            period="2025",
            entrant={"id": "e", "name": "Thôn Đông", "kind": "collective", "target_group": "a"},
            submitted_by="u",
            criteria=(),
        ),
        source="test",
        subject=submission_id,
        tenant="ph-37-lien-minh",
        province="37",
    )


def read_all(topic: str, count: int, timeout: float = 30.0) -> list[tuple[bytes, dict[str, bytes]]]:
    consumer = Consumer(
        {
            "bootstrap.servers": BOOTSTRAP,
            "group.id": f"reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    found: list[tuple[bytes, dict[str, bytes]]] = []
    loop = asyncio.new_event_loop()
    try:
        deadline = loop.time() + timeout
        while len(found) < count and loop.time() < deadline:
            message = consumer.poll(0.5)
            if message is not None and not message.error():
                found.append((message.value(), {k: v for k, v in message.headers() or []}))
    finally:
        consumer.close()
        loop.close()
    return found


async def run_until(consumer: EventConsumer, done: asyncio.Event, stop: asyncio.Event) -> None:
    task = asyncio.create_task(consumer.run(stop))
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        stop.set()
        await task


async def test_poison_messages_are_dead_lettered_and_the_partition_moves_on() -> None:
    topic, group = f"test.runtime.{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic, dead_letter_topic(group)], partitions=1)
    publisher = EventPublisher(BOOTSTRAP, "test")
    crashing, good = submitted_event("crash"), submitted_event("good")
    unknown = new_event(
        ScoreComputed(
            submission_id="x",
            submission_version=1,
            period="2025",
            entrant={"id": "e", "name": "A", "kind": "collective", "target_group": "a"},
            submitted_by="u",
            total=1,
            max_total=100,
            grade="x",
            criteria=(),
        ),
        source="t",
        subject="x",
        tenant="t",
        province="37",
    )
    await publisher.publish_raw(topic, b"k", b"{not json", [])
    future_version = unknown.model_dump(mode="json") | {"type": "thidua.scoring.score.computed.v9"}
    await publisher.publish_raw(topic, b"k", Envelope.model_validate(future_version).model_dump_json().encode(), [])
    await publisher.publish(topic, unknown)  # a known type this consumer does not handle: skipped
    await publisher.publish(topic, crashing)
    await publisher.publish(topic, good)

    handled: list[str] = []
    done, stop = asyncio.Event(), asyncio.Event()

    async def handler(envelope: Envelope) -> None:
        if envelope.subject == "crash":
            raise RuntimeError("handler bug")
        handled.append(envelope.subject)
        done.set()

    consumer = EventConsumer(
        bootstrap=BOOTSTRAP,
        group_id=group,
        topics=[topic],
        handlers={SubmissionSubmitted.event_type: handler},
        dead_letters=publisher,
        retry=RetryPolicy(max_attempts=3, backoff_seconds=0.05),
    )
    await run_until(consumer, done, stop)
    assert handled == ["good"]

    letters = read_all(dead_letter_topic(group), 3)
    reasons = sorted(headers["dlq_reason"].decode() for _value, headers in letters)
    assert reasons == ["handler_failed", "malformed", "unknown_type"]
    crashed = next(h for _v, h in letters if h["dlq_reason"] == b"handler_failed")
    assert b"handler bug" in crashed["dlq_error"] and crashed["dlq_topic"] == topic.encode()
    await publisher.close()


async def test_an_unsettled_message_is_delivered_again_after_a_restart() -> None:
    topic, group = f"test.redeliver.{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic, dead_letter_topic(group)], partitions=1)
    publisher = EventPublisher(BOOTSTRAP, "test")
    event = submitted_event("once")
    await publisher.publish(topic, event)
    retry = RetryPolicy(max_attempts=5, backoff_seconds=5)

    # First run: the effect fails and the worker is stopped during the backoff, so the offset is not stored.
    first_stop, first_attempted = asyncio.Event(), asyncio.Event()

    async def failing(envelope: Envelope) -> None:
        first_attempted.set()
        raise ConnectionError("database went away")

    first = EventConsumer(
        bootstrap=BOOTSTRAP,
        group_id=group,
        topics=[topic],
        handlers={SubmissionSubmitted.event_type: failing},
        dead_letters=publisher,
        retry=retry,
    )
    await run_until(first, first_attempted, first_stop)

    # Second run, same group: the same event comes back and its effect is saved.
    seen: list[uuid.UUID] = []
    second_done, second_stop = asyncio.Event(), asyncio.Event()

    async def working(envelope: Envelope) -> None:
        seen.append(envelope.id)
        second_done.set()

    second = EventConsumer(
        bootstrap=BOOTSTRAP,
        group_id=group,
        topics=[topic],
        handlers={SubmissionSubmitted.event_type: working},
        dead_letters=publisher,
        retry=retry,
    )
    await run_until(second, second_done, second_stop)
    assert seen == [event.id]
    assert read_all(dead_letter_topic(group), 1, timeout=3) == []
    await publisher.close()
