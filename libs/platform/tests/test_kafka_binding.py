"""An event as `kafka.encode` writes it is a CloudEvent in structured mode to the official SDK's Kafka binding, and
the relay gives an event recorded outside any trace the trace of its publishing."""

from __future__ import annotations

from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat
from opentelemetry.sdk.trace import TracerProvider

from thidua_contracts.testing import envelope_of, submission_submitted
from thidua_platform.envelope import Envelope
from thidua_platform.kafka import CLOUDEVENTS_JSON, encode
from thidua_platform.outbox import traced

TRACEPARENT = f"00-{'4b' * 16}-{'0f' * 8}-01"


def as_read(envelope: Envelope) -> KafkaMessage:
    key, value, headers = encode(envelope)
    return KafkaMessage(headers={k: v for k, v in headers if isinstance(v, bytes)}, key=key, value=value)


def test_an_encoded_event_reads_back_through_the_sdk_as_the_same_event() -> None:
    envelope = envelope_of(submission_submitted()).model_copy(update={"traceparent": TRACEPARENT, "tenant": None})
    message = as_read(envelope)
    assert message.headers == {"content-type": CLOUDEVENTS_JSON.encode(), "traceparent": TRACEPARENT.encode()}
    event = from_kafka(message, JSONFormat())  # no ce_ header: read in structured mode
    assert (event.get_id(), event.get_type(), event.get_source()) == (str(envelope.id), envelope.type, "tests")
    assert (event.get_subject(), event.get_time(), event.get_data()) == ("s-1", envelope.time, envelope.data)
    assert event.get_extension("traceparent") == TRACEPARENT
    assert event.get_extension("province") == "37"
    assert event.get_extension("partitionkey") == "s-1"  # the key: the subject


def test_an_event_without_a_trace_is_published_with_its_publishing_spans() -> None:
    untraced = envelope_of(submission_submitted()).model_copy(update={"traceparent": None})
    span = TracerProvider().get_tracer("test").start_span("publish")
    published = traced(untraced, span)
    context = span.get_span_context()
    assert published.traceparent == f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    assert published.model_copy(update={"traceparent": None}) == untraced
    already = untraced.model_copy(update={"traceparent": TRACEPARENT})
    assert traced(already, span) is already  # a traced event keeps its own
    assert dict(as_read(published).headers)["traceparent"] == published.traceparent.encode()
