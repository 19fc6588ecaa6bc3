"""Topics keep every event, and the rebuild refuses a history that lost its beginning — against the real broker.

The platform's topics are created with `retention.ms=-1` and `retention.bytes=-1` (the broker's default would delete
events after 7 days), an existing topic with a retention is altered to keep everything, and `thidua-rollups-rebuild`
refuses to run, with its reason and a non-zero status, when a partition no longer starts at offset 0 (here a scratch
topic whose first records were deleted with the admin API, as retention would)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest
from confluent_kafka import Producer, TopicPartition
from confluent_kafka.admin import (  # type: ignore[attr-defined]
    AdminClient,
    ConfigResource,
    NewTopic,
    ResourceType,
)
from pymongo import MongoClient

from rollups import bootstrap
from rollups.consumers import replay
from rollups.settings import RollupsSettings
from thidua_platform.kafka import broker_reachable, ensure_topics

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")


@pytest.fixture(autouse=True)
def broker_is_up() -> None:
    if not broker_reachable(BOOTSTRAP):
        pytest.fail("needs the running stack (the broker is unreachable): deploy/stack up")


@pytest.fixture
def admin() -> AdminClient:
    return AdminClient({"bootstrap.servers": BOOTSTRAP})


@pytest.fixture
def scratch(admin: AdminClient) -> Iterator[list[str]]:
    """Names for scratch topics, deleted afterwards."""
    names: list[str] = []
    yield names
    if names:
        for future in admin.delete_topics(names, request_timeout=15).values():
            future.result()


def config_of(admin: AdminClient, topic: str) -> dict[str, str]:
    (future,) = admin.describe_configs([ConfigResource(ResourceType.TOPIC, topic)], request_timeout=15).values()
    return {name: entry.value for name, entry in future.result().items()}


def produce(topic: str, count: int) -> None:
    producer = Producer({"bootstrap.servers": BOOTSTRAP})
    for n in range(count):
        producer.produce(topic, key=b"k", value=str(n).encode(), partition=0)
    assert producer.flush(10) == 0


def test_a_topic_the_platform_creates_keeps_every_event(admin: AdminClient, scratch: list[str]) -> None:
    topic = f"test.retention.new.{uuid.uuid4().hex[:8]}"
    scratch.append(topic)
    assert ensure_topics(BOOTSTRAP, [topic], partitions=1) == [topic]
    config = config_of(admin, topic)
    assert config["retention.ms"] == "-1"
    assert config["retention.bytes"] == "-1"
    assert config["min.insync.replicas"] == "1"  # the settings' default, the local broker's single copy


def test_an_existing_topic_is_made_to_keep_every_event(admin: AdminClient, scratch: list[str]) -> None:
    topic = f"test.retention.old.{uuid.uuid4().hex[:8]}"
    scratch.append(topic)
    week = {"retention.ms": str(7 * 24 * 3600 * 1000), "retention.bytes": str(1 << 30)}
    for future in admin.create_topics([NewTopic(topic, 1, 1, config=week)], request_timeout=15).values():
        future.result()
    assert config_of(admin, topic)["retention.ms"] == week["retention.ms"]

    assert ensure_topics(BOOTSTRAP, [topic], partitions=1) == []  # not created: it existed
    config = config_of(admin, topic)
    assert config["retention.ms"] == "-1"
    assert config["retention.bytes"] == "-1"
    assert ensure_topics(BOOTSTRAP, [topic], partitions=1) == []  # a second start changes nothing


def test_the_rebuild_refuses_a_topic_whose_first_events_were_deleted(
    admin: AdminClient, scratch: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    whole, trimmed = (f"test.rebuild.{kind}.{uuid.uuid4().hex[:8]}" for kind in ("whole", "trimmed"))
    scratch.extend([whole, trimmed])
    ensure_topics(BOOTSTRAP, [whole, trimmed], partitions=1)
    produce(whole, 5)
    produce(trimmed, 5)
    assert replay.trimmed_partitions(BOOTSTRAP, [whole, trimmed]) == {}  # every history starts at 0

    # what retention does to old segments: the first three records gone, the low watermark moved to 3
    (future,) = admin.delete_records([TopicPartition(trimmed, 0, 3)], request_timeout=15).values()
    assert future.result().low_watermark == 3
    assert replay.trimmed_partitions(BOOTSTRAP, [whole, trimmed]) == {(trimmed, 0): 3}

    # the command itself (its topics pointed at the scratch ones): refused before reading or writing anything
    database = f"thidua_test_rebuild_{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(bootstrap, "DOMAIN_TOPICS", (whole, trimmed))
    rebuilding = bootstrap.rebuild_read_models(
        RollupsSettings(), database=database, replace=False, digest_only=False, progress=lambda _applied, _total: None
    )
    status = asyncio.run(rebuilding)
    assert status != 0
    message = capsys.readouterr().err
    assert "refused" in message
    assert f"{trimmed}[0] starts at offset 3" in message
    assert whole not in message
    client: MongoClient[dict[str, object]] = MongoClient(MONGO_URL)
    try:
        assert database not in client.list_database_names()  # nothing was rebuilt
    finally:
        client.close()
