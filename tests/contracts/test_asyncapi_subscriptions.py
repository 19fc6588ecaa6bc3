"""The AsyncAPI document lists what the workers actually do: every topic a worker's consumer group subscribes to and
every topic its outbox relay publishes to, with the Kafka bindings of the messages as `kafka.encode` writes them.

The subscriptions are taken from the workers themselves: each service's `build_worker` is run on a platform that
records the consumers and relays it is asked for (nothing connects), so a worker that subscribes to a topic some
other way than the document says fails here, whatever table either was written from.
"""

from __future__ import annotations

import importlib
from typing import Any
from unittest.mock import MagicMock

import pytest

from thidua_contracts import EVENT_TYPES
from thidua_contracts.testing import submission_submitted
from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_ops.contracts import SERVICES, asyncapi
from thidua_platform.envelope import dead_letter_topic, new_event
from thidua_platform.kafka import CLOUDEVENTS_JSON, encode

DOCUMENT = asyncapi()


def built_worker(service: str, monkeypatch: pytest.MonkeyPatch) -> MagicMock:
    """The platform `service`'s worker was built on, with the calls it received (consumer, outbox_relay)."""
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = importlib.import_module(f"{service}.settings")
    settings_class = next(  # the service's own class, not one it imports (ServiceSettings, UnitNamesSettings)
        v for k, v in vars(settings).items() if k.endswith("Settings") and v.__module__ == settings.__name__
    )
    platform = MagicMock(name=f"{service} platform")
    monkeypatch.setattr(bootstrap, "build_platform", lambda _settings: platform)
    bootstrap.build_worker(settings_class())
    return platform


def subscriptions(monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    found = set()
    for service in SERVICES:
        for call in built_worker(service, monkeypatch).consumer.call_args_list:
            found |= {(call.kwargs["group_id"], topic) for topic in call.kwargs["topics"]}
    return found


def documented_receives() -> set[tuple[str, str]]:
    found = set()
    for operation in DOCUMENT["operations"].values():
        if operation["action"] == "receive":
            topic = operation["channel"]["$ref"].removeprefix("#/channels/")
            found.add((operation["bindings"]["kafka"]["groupId"]["const"], DOCUMENT["channels"][topic]["address"]))
    return found


def test_every_subscription_of_every_worker_is_in_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    subscribed = subscriptions(monkeypatch)
    # the three, which the document once left out
    assert {("awards", "thidua.submissions"), ("awards", "thidua.awards"), ("scoring", "thidua.scoring")} <= subscribed
    assert subscribed - documented_receives() == set(), "workers subscribe to topics the AsyncAPI document omits"
    assert documented_receives() - subscribed == set(), "the AsyncAPI document lists subscriptions no worker has"


def test_the_document_is_generated_from_the_table_the_workers_subscribe_from() -> None:
    assert documented_receives() == {(group, topic) for group, topics in CONSUMER_GROUPS.items() for topic in topics}
    for group in CONSUMER_GROUPS:
        assert dead_letter_topic(group) in DOCUMENT["channels"], group


def test_every_topic_a_relay_publishes_to_has_a_send_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    published = set()
    for service in SERVICES:
        for call in built_worker(service, monkeypatch).outbox_relay.call_args_list:
            published |= set(call.args[0])
    sent = {
        DOCUMENT["channels"][op["channel"]["$ref"].removeprefix("#/channels/")]["address"]
        for op in DOCUMENT["operations"].values()
        if op["action"] == "send"
    }
    assert published == sent == {model.topic for model in EVENT_TYPES.values()}


def resolve(reference: dict[str, Any]) -> Any:
    node: Any = DOCUMENT
    for part in reference["$ref"].removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_messages_kafka_binding_is_what_the_producer_writes() -> None:
    traceparent = f"00-{'ab' * 16}-{'cd' * 8}-01"
    event = new_event(
        submission_submitted(), source="tests", subject="s-1", tenant=None, province="37", traceparent=traceparent
    )
    key, _value, headers = encode(event)
    written = {name: value.decode() for name, value in headers if isinstance(value, bytes)}
    for message in DOCUMENT["components"]["messages"].values():
        assert message["contentType"] == CLOUDEVENTS_JSON
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
        schema = resolve(message["headers"])
        assert set(schema["required"]) == set(written), "the document's headers are the ones each message carries"
        assert schema["properties"]["content-type"]["const"] == written["content-type"]
        assert not [name for name in written if name.startswith("ce_")]  # structured mode: no ce_ header at all
    assert key == b"s-1"
