"""The consumer runtime against the real broker: dead letters, skipping, and redelivery of unsettled work."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from confluent_kafka import Producer
from pymongo.errors import ServerSelectionTimeoutError

from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.testing import envelope_of, score_computed, submission_submitted
from thidua_platform.consumer import EventConsumer, Handler, RetryPolicy
from thidua_platform.envelope import Envelope, dead_letter_topic
from thidua_platform.kafka import EventPublisher, broker_reachable, encode, ensure_topics
from thidua_platform.lag import LagProbe
from thidua_platform.testing import eventually, read_messages

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")


@pytest.fixture(autouse=True)
def stack_is_up() -> None:
    if not broker_reachable(BOOTSTRAP):
        pytest.fail("needs the running stack (the broker is unreachable): deploy/stack up")


def submitted_event(submission_id: str) -> Envelope:
    return envelope_of(submission_submitted(submission_id))


def produce_on(topic: str, by_partition: dict[int, Envelope]) -> None:
    """Each event on the partition given (blocking until the broker has them all)."""
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all"})
    for partition, envelope in by_partition.items():
        key, value, headers = encode(envelope)
        producer.produce(topic, key=key, value=value, headers=headers, partition=partition)
    assert producer.flush(30) == 0, "events not delivered to the broker within 30 s"


def dead_letters(group: str, count: int, timeout: float = 30.0) -> list[dict[str, bytes]]:
    found = read_messages(BOOTSTRAP, dead_letter_topic(group), count=count, timeout=timeout)
    letters = []
    for message in found:
        headers = message.headers() or []
        pairs = headers.items() if isinstance(headers, dict) else headers
        letters.append({str(name): value if isinstance(value, bytes) else str(value).encode() for name, value in pairs})
    return letters


async def run_until(consumer: EventConsumer, done: asyncio.Event, stop: asyncio.Event) -> None:
    task = asyncio.create_task(consumer.run(stop))
    try:
        await asyncio.wait_for(done.wait(), 60)
    finally:
        stop.set()
        await task


def consumer_of(
    topic: str, group: str, handler: Handler, publisher: EventPublisher, retry: RetryPolicy, **batching: Any
) -> EventConsumer:
    """A consumer of submission events on the test's own topic and group (`batch=`, `batch_size=` pass through)."""
    return EventConsumer(
        bootstrap=BOOTSTRAP,
        group_id=group,
        topics=[topic],
        handlers={SubmissionSubmitted.event_type: handler},
        dead_letters=publisher,
        retry=retry,
        **batching,
    )


async def test_poison_messages_are_dead_lettered_and_the_partition_moves_on() -> None:
    topic, group = f"test.runtime.{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic, dead_letter_topic(group)], partitions=1)
    publisher = EventPublisher(BOOTSTRAP, "test")
    crashing, good = submitted_event("crash"), submitted_event("good")
    unknown = envelope_of(score_computed("x"))  # a known type this consumer does not handle
    await publisher.publish_raw(topic, b"k", b"{not json", [])
    future_version = unknown.model_dump(mode="json") | {"type": "thidua.scoring.score.computed.v9"}
    await publisher.publish_raw(topic, b"k", Envelope.model_validate(future_version).model_dump_json().encode(), [])
    await publisher.publish(topic, unknown)
    await publisher.publish(topic, crashing)
    await publisher.publish(topic, good)

    handled: list[str] = []
    done, stop = asyncio.Event(), asyncio.Event()

    async def handler(envelope: Envelope) -> None:
        if envelope.subject == "crash":
            raise RuntimeError("handler bug")
        handled.append(envelope.subject)
        done.set()

    consumer = consumer_of(topic, group, handler, publisher, RetryPolicy(max_attempts=3, backoff_seconds=0.05))
    await run_until(consumer, done, stop)
    assert handled == ["good"]

    letters = dead_letters(group, 3)
    reasons = sorted(headers["dlq_reason"].decode() for headers in letters)
    assert reasons == ["handler_failed", "malformed", "unknown_type"]
    crashed = next(h for h in letters if h["dlq_reason"] == b"handler_failed")
    assert b"handler bug" in crashed["dlq_error"]
    assert crashed["dlq_topic"] == topic.encode()
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

    async def failing(_envelope: Envelope) -> None:
        first_attempted.set()
        raise ConnectionError("database went away")

    first = consumer_of(topic, group, failing, publisher, retry)
    await run_until(first, first_attempted, first_stop)

    # Second run, same group: the same event comes back and its effect is saved.
    seen: list[uuid.UUID] = []
    second_done, second_stop = asyncio.Event(), asyncio.Event()

    async def working(envelope: Envelope) -> None:
        seen.append(envelope.id)
        second_done.set()

    second = consumer_of(topic, group, working, publisher, retry)
    await run_until(second, second_done, second_stop)
    assert seen == [event.id]
    assert dead_letters(group, 1, timeout=3) == []
    await publisher.close()


async def test_a_batch_with_a_poison_event_is_handled_one_by_one_and_only_the_poison_is_dead_lettered() -> None:
    topic, group = f"test.batch.{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic, dead_letter_topic(group)], partitions=2)
    publisher = EventPublisher(BOOTSTRAP, "test")
    subjects = [f"s{i}" for i in range(40)]
    for subject in [*subjects[:20], "crash", *subjects[20:]]:
        await publisher.publish(topic, submitted_event(subject))
    await publisher.publish_raw(topic, b"k", b"{not json", [])

    batches: list[list[str]] = []
    one_by_one: list[str] = []
    done, stop = asyncio.Event(), asyncio.Event()

    async def batch(envelopes: Sequence[Envelope]) -> None:
        names = [envelope.subject for envelope in envelopes]
        if "crash" in names:
            raise RuntimeError("handler bug")
        batches.append(names)
        if sum(len(b) for b in batches) + len(one_by_one) >= len(subjects):
            done.set()

    async def single(envelope: Envelope) -> None:
        if envelope.subject == "crash":
            raise RuntimeError("handler bug")
        one_by_one.append(envelope.subject)
        if sum(len(b) for b in batches) + len(one_by_one) >= len(subjects):
            done.set()

    def consumer() -> EventConsumer:
        return consumer_of(
            topic,
            group,
            single,
            publisher,
            RetryPolicy(max_attempts=2, backoff_seconds=0.05),
            batch=batch,
            batch_size=100,
        )

    await run_until(consumer(), done, stop)
    handled = [name for names in batches for name in names] + one_by_one
    assert sorted(handled) == sorted(subjects)  # each once, whichever path
    assert one_by_one, "the batch holding the poison event was handled again one by one"
    reasons = sorted(headers["dlq_reason"].decode() for headers in dead_letters(group, 2))
    assert reasons == ["handler_failed", "malformed"]

    # every offset was stored and committed: waits for the group's commit (librdkafka's auto-commit, every second, or
    # the commit on close) until the broker reports the group's lag on the topic as 0, at most 30 s
    lag = LagProbe(BOOTSTRAP, group, topics=[topic], cache_seconds=0)

    async def caught_up() -> bool:
        return await lag.lag() == 0

    await eventually(caught_up, within=30, what=f"group {group} to commit every offset of {topic}")
    # so the same group started again gets nothing back but a marker published on each partition now
    assert await _restarted(topic, group, publisher) == ["marker-0", "marker-1"]
    await publisher.close()


async def _restarted(topic: str, group: str, publisher: EventPublisher) -> list[str]:
    """Everything the group, started again, gets until it has the marker published now on each of the topic's two
    partitions (sorted). It reads on from the committed offsets, so the first thing it gets on each partition is the
    marker; had an earlier event come back, it would come first."""
    markers = {partition: submitted_event(f"marker-{partition}") for partition in (0, 1)}
    await asyncio.to_thread(produce_on, topic, markers)
    seen: list[str] = []
    again, second_stop = asyncio.Event(), asyncio.Event()

    async def record(envelope: Envelope) -> None:
        seen.append(envelope.subject)
        if {m.subject for m in markers.values()} <= set(seen):
            again.set()

    async def record_batch(envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            await record(envelope)

    retry = RetryPolicy(max_attempts=2, backoff_seconds=0.05)
    restarted = consumer_of(topic, group, record, publisher, retry, batch=record_batch, batch_size=100)
    await run_until(restarted, again, second_stop)  # waits for both markers (at most 60 s)
    return sorted(seen)


async def test_an_unreachable_database_is_waited_out_not_dead_lettered() -> None:
    topic, group = f"test.outage.{uuid.uuid4().hex[:8]}", f"test-{uuid.uuid4().hex[:8]}"
    ensure_topics(BOOTSTRAP, [topic, dead_letter_topic(group)], partitions=1)
    publisher = EventPublisher(BOOTSTRAP, "test")
    await publisher.publish(topic, submitted_event("outage"))
    calls: list[str] = []
    done, stop = asyncio.Event(), asyncio.Event()

    async def handler(envelope: Envelope) -> None:
        calls.append(envelope.subject)
        if len(calls) <= 6:  # more failures than max_attempts: a poison event would be dead-lettered by now
            raise ServerSelectionTimeoutError("127.0.0.1:27027: connection refused")
        done.set()

    consumer = consumer_of(topic, group, handler, publisher, RetryPolicy(max_attempts=3, backoff_seconds=0.02))
    await run_until(consumer, done, stop)
    assert calls == ["outage"] * 7
    assert dead_letters(group, 1, timeout=3) == []
    await publisher.close()
