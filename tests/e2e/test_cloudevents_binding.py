"""Every message the platform puts on its topics is a CloudEvent to the official SDK's Kafka binding, and carries its
trace: read from the real broker, produced the platform's own way (a dossier submitted and reviewed through the APIs,
its events relayed from the outbox by the workers, the commune's index recomputed by scoring's background loop)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka, from_structured
from cloudevents.core.formats.json import JSONFormat
from confluent_kafka import Consumer, Message, TopicPartition

from thidua_contracts import EVENT_TYPES
from thidua_contracts.scoring import IndexComputed
from thidua_contracts.topology import DOMAIN_TOPICS
from thidua_platform.client import SERVICE_URLS
from thidua_platform.envelope import Envelope
from thidua_platform.kafka import CLOUDEVENTS_JSON

from .conftest import BOOTSTRAP, LIEN_MINH, eventually
from .world import EVIDENCE_80, OPEN_PERIOD, bearer, filled_dossier, new_entrant, review_all

TRACEPARENT = re.compile(r"^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$")

Offsets = dict[tuple[str, int], int]


def end_offsets(consumer: Consumer) -> Offsets:
    ends: Offsets = {}
    for topic in DOMAIN_TOPICS:
        for partition in consumer.list_topics(topic, timeout=10).topics[topic].partitions:
            ends[(topic, partition)] = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)[1]
    return ends


def messages_between(start: Offsets, end: Offsets) -> list[Message]:
    """Every message of the domain topics from `start` (exclusive of what was there before) up to `end`."""
    consumer = Consumer(
        {"bootstrap.servers": BOOTSTRAP, "group.id": "test-cloudevents-reader", "enable.auto.commit": False}
    )
    wanted = {position: last for position, last in end.items() if last > start.get(position, 0)}
    found: list[Message] = []
    try:
        if not wanted:
            return found
        consumer.assign(
            [TopicPartition(topic, partition, start.get((topic, partition), 0)) for topic, partition in wanted]
        )
        deadline = time.monotonic() + 30
        while wanted and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            position, offset = (message.topic() or "", message.partition() or 0), message.offset() or 0
            if position in wanted and offset < wanted[position]:
                found.append(message)
                if offset + 1 >= wanted[position]:
                    del wanted[position]
        assert not wanted, f"could not read up to the end offsets of {sorted(wanted)}"
    finally:
        consumer.close()
    return found


def headers_of(message: Message) -> dict[str, bytes]:
    raw = message.headers() or []
    pairs = raw.items() if isinstance(raw, dict) else raw
    return {str(name): value if isinstance(value, bytes) else b"" for name, value in pairs}


def decoded(message: Message) -> tuple[BaseCloudEvent, Envelope]:
    """The message through the SDK's Kafka binding (auto-detecting the mode, as the issue's reader did), checked
    against the platform's own reading of it."""
    kafka_message = KafkaMessage(headers=headers_of(message), key=message.key(), value=message.value() or b"")
    event = from_kafka(kafka_message, JSONFormat())
    assert event.get_attributes() == from_structured(kafka_message, JSONFormat()).get_attributes()
    return event, Envelope.model_validate_json(message.value() or b"")


@pytest.mark.usefixtures("lien_minh")
def test_every_message_is_a_cloudevent_in_structured_mode_with_its_trace(
    http: httpx.Client, token: Callable[[str], str], council: dict[str, str]
) -> None:
    probe = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": "test-cloudevents-offsets"})
    try:
        start = end_offsets(probe)
        officer = token("lm.officer")
        dossier = filled_dossier(http, officer, new_entrant(http, officer)["id"], EVIDENCE_80)
        submitted = http.post(f"{SERVICE_URLS['submissions']}/submissions/{dossier}/submit", headers=bearer(officer))
        assert submitted.is_success, submitted.text
        review_all(http, council, dossier)
        index_subject = f"{LIEN_MINH}:{OPEN_PERIOD}"

        def all_there() -> list[Message] | None:
            """Once the dossier's finalised score, its award candidate and its commune's index are out: everything."""
            messages = messages_between(start, end_offsets(probe))
            types_about_dossier = {
                Envelope.model_validate_json(m.value() or b"").type for m in messages if m.key() == dossier.encode()
            }
            index_out = any(m.key() == index_subject.encode() for m in messages)
            wanted = {"thidua.scoring.score.finalised.v1", "thidua.awards.candidate.proposed.v1"}
            return messages if index_out and wanted <= types_about_dossier else None

        messages = eventually(all_there, timeout=120, what=f"the events of dossier {dossier} and its commune's index")
    finally:
        probe.close()

    traces_of_dossier: set[str] = set()
    index_traces: list[str] = []
    for message in messages:
        where = f"{message.topic()}/{message.partition()}@{message.offset()}"
        headers = headers_of(message)
        assert headers.get("content-type") == CLOUDEVENTS_JSON.encode(), where
        assert [name for name in headers if name.lower().startswith("ce_")] == [], f"{where}: ce_ headers"
        event, envelope = decoded(message)
        attributes: dict[str, Any] = event.get_attributes()
        assert attributes["specversion"] == "1.0", where
        assert event.get_id() == str(envelope.id), where
        assert event.get_source() == envelope.source, where
        assert event.get_source(), where
        assert event.get_type() == envelope.type, where
        assert envelope.type in EVENT_TYPES, where
        assert event.get_subject() == envelope.subject == (message.key() or b"").decode(), where
        assert event.get_time() == envelope.time, where
        assert event.get_datacontenttype() == "application/json", where
        assert event.get_data() == envelope.data, where
        assert message.topic() == envelope.topic, where
        # the trace: a valid W3C traceparent header on every message, the same as the event's own attribute
        traceparent = headers.get("traceparent", b"").decode()
        match = TRACEPARENT.match(traceparent)
        assert match, f"{where} ({envelope.type}) has no valid traceparent header: {traceparent!r}"
        assert attributes["traceparent"] == envelope.traceparent == traceparent, where
        if envelope.subject == dossier:
            traces_of_dossier.add(match.group(1))
        if envelope.type == IndexComputed.event_type and envelope.subject == index_subject:
            index_traces.append(match.group(1))
    # the index, recomputed by a background loop, continues the trace of the dossier's event that made it stale
    assert index_traces, (index_traces, traces_of_dossier)
    assert set(index_traces) & traces_of_dossier, (index_traces, traces_of_dossier)
