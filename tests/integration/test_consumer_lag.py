"""The lag probe against the real broker: a group's lag counts the topics it reads, and only those."""

from __future__ import annotations

import os
import uuid

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from thidua_platform.kafka import broker_reachable, ensure_topics
from thidua_platform.lag import LagProbe

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")


@pytest.fixture(autouse=True)
def stack_is_up() -> None:
    if not broker_reachable(BOOTSTRAP):
        pytest.fail("needs the running stack (the broker is unreachable): deploy/stack up")


def produce(topic: str, count: int) -> None:
    producer = Producer({"bootstrap.servers": BOOTSTRAP})
    for n in range(count):
        producer.produce(topic, key=b"k", value=str(n).encode())
    assert producer.flush(10) == 0


def commit(group: str, topic: str, offset: int) -> None:
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, offset)], asynchronous=False)
    finally:
        consumer.close()


def test_a_groups_lag_is_what_it_has_not_committed_on_its_own_topics() -> None:
    suffix = uuid.uuid4().hex[:8]
    read, other, group = f"test.lag.read.{suffix}", f"test.lag.other.{suffix}", f"test-lag-{suffix}"
    ensure_topics(BOOTSTRAP, [read, other], partitions=1)
    produce(read, 5)
    produce(other, 7)
    probe = LagProbe(BOOTSTRAP, group, topics=[read], cache_seconds=0)

    assert probe.measure() == 5  # never committed: everything on the topic is behind
    commit(group, read, 3)
    assert probe.by_partition() == {(read, 0): 2}
    commit(group, read, 5)
    assert probe.measure() == 0
    # a topic the group does not read is not its lag (it never commits there) ...
    assert LagProbe(BOOTSTRAP, group, topics=[read, other], cache_seconds=0).measure() == 7
    # ... and a broker that does not answer is "unknown", not 0
    assert LagProbe("127.0.0.1:1", group, topics=[read]).measure() is None
