"""Generates the committed API contracts: each service's OpenAPI document, the events' AsyncAPI document, each event
type's JSON Schema as committed (`docs/api/events/<type>.schema.json`), which a change must stay compatible with, and
the README's table of topics and consumer groups (from `thidua_contracts.topology`, as the AsyncAPI document's
operations and each worker's subscriptions are). A tool over every service, so it sits in ops, above them.

`python -m thidua_ops.contracts write` rewrites docs/api/; `check` exits 1 when a committed file is stale. Both exit
1, and `write` leaves the committed schema as it was, when an event type's schema would break its committed version
(`breaking_changes`): an incompatible shape is a new event type (`.v2`), never an edit in place.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from thidua_contracts import EVENT_TYPES
from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_ops.compatibility import breaking_changes
from thidua_ops.topology_table import with_topology
from thidua_platform.envelope import Envelope, EventData, dead_letter_topic
from thidua_platform.kafka import CLOUDEVENTS_JSON

SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
KAFKA_BINDING = "0.5.0"  # the AsyncAPI Kafka bindings' version
TRACEPARENT = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
EVENT_SCHEMAS = "events"  # the folder of the committed event schemas, under docs/api


@functools.cache  # the code does not change while a process runs; building an API's app is most of the cost
def openapi(service: str) -> dict[str, Any]:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = importlib.import_module(f"{service}.settings")
    settings_class = next(  # the service's own class, not one it imports (ServiceSettings, UnitNamesSettings)
        v for k, v in vars(settings).items() if k.endswith("Settings") and v.__module__ == settings.__name__
    )
    document: dict[str, Any] = bootstrap.create_api(settings_class()).openapi()
    return document


def kafka_headers() -> dict[str, Any]:
    """The headers of every event message (kafka.encode): CloudEvents' Kafka binding in structured content mode."""
    return {
        "type": "object",
        "description": "CloudEvents Kafka protocol binding, structured content mode: the value is the whole event in "
        "the JSON event format (every attribute and `data`). No `ce_` header: a reader that finds one takes the "
        "message for binary mode.",
        "properties": {
            "content-type": {"type": "string", "const": CLOUDEVENTS_JSON},
            "traceparent": {
                "type": "string",
                "pattern": TRACEPARENT,
                "description": "W3C trace context of the event, the same as its `traceparent` attribute",
            },
        },
        "required": ["content-type", "traceparent"],
    }


def message_bindings() -> dict[str, Any]:
    return {
        "kafka": {
            "key": {
                "type": "string",
                "description": "The event's subject: the id of the aggregate it is about, so that one aggregate's "
                "events stay in one partition, in order",
            },
            "bindingVersion": KAFKA_BINDING,
        }
    }


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": Envelope.model_json_schema(), "KafkaHeaders": kafka_headers()}
    for event_type, model in sorted(EVENT_TYPES.items()):
        name = model.__name__
        schemas[name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for nested_name, nested in schemas[name].pop("$defs", {}).items():
            schemas[nested_name] = nested
        messages[name] = {
            "name": event_type,
            "title": name,
            "contentType": CLOUDEVENTS_JSON,
            "summary": (model.__doc__ or name).strip().splitlines()[0],
            "headers": {"$ref": "#/components/schemas/KafkaHeaders"},
            "bindings": message_bindings(),
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": event_type},
                            "data": {"$ref": f"#/components/schemas/{name}"},
                        },
                    },
                ]
            },
        }
        channel = channels.setdefault(model.topic, {"address": model.topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    for topic in sorted(channels):
        channels[topic]["bindings"] = {"kafka": {"topic": topic, "bindingVersion": KAFKA_BINDING}}
        producer = topic.split(".", 1)[1]
        operations[f"{producer}.publish"] = {"action": "send", "channel": {"$ref": f"#/channels/{topic}"}}
    # the consumer groups' subscriptions: the very table each worker subscribes from (events.CONSUMER_GROUPS)
    for group, topics in CONSUMER_GROUPS.items():
        for topic in topics:
            operations[f"{group}.consume.{topic}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{topic}"},
                "bindings": {"kafka": {"groupId": {"type": "string", "const": group}, "bindingVersion": KAFKA_BINDING}},
            }
        dlq = dead_letter_topic(group)
        channels[dlq] = {
            "address": dlq,
            "description": "Dead letters of this consumer group: the original message (its key, value and headers) "
            "with dlq_reason, dlq_error, dlq_topic, dlq_partition, dlq_offset, dlq_group, dlq_attempts headers.",
            "bindings": {"kafka": {"topic": dlq, "bindingVersion": KAFKA_BINDING}},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "thidua events",
            "version": "1.0.0",
            "description": "Events between thidua services, as CloudEvents 1.0 in the Kafka binding's structured "
            "content mode (`content-type: application/cloudevents+json`, the whole event in the value). Keys are "
            "the events' subjects (aggregate ids). Every consumer group's subscriptions are listed as receive "
            "operations; each event type's schema is also committed on its own under events/, and a change must "
            "stay compatible with it.",
        },
        "defaultContentType": CLOUDEVENTS_JSON,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def documents() -> dict[str, dict[str, Any]]:
    docs = {f"{service}.openapi.json": openapi(service) for service in SERVICES}
    docs["events.asyncapi.json"] = asyncapi()
    return docs


def event_schema(model: type[EventData]) -> dict[str, Any]:
    """The JSON Schema of an event type's data, self-contained (nested models under `$defs`)."""
    return model.model_json_schema()


def event_schemas() -> dict[str, dict[str, Any]]:
    return {event_type: event_schema(model) for event_type, model in sorted(EVENT_TYPES.items())}


def event_schema_path(target: Path, event_type: str) -> Path:
    return target / EVENT_SCHEMAS / f"{event_type}.schema.json"


def committed_event_schemas(target: Path) -> dict[str, dict[str, Any]]:
    folder = target / EVENT_SCHEMAS
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.schema.json"))
    }


# ---- compatibility of an event type's schema with its committed version ----
#
# Both ways, since both happen: a consumer not yet upgraded reads events of the new shape (a rolling upgrade), and an
# upgraded consumer reads every event ever committed (the read models are rebuilt from offset 0). So a new field must
# be optional; no field may go away or become required; a value's JSON types (null among them), its allowed values
# (enum, const) and its format stay as they were. Descriptions, titles, defaults, a required field becoming optional
# may change. Bounds (minimum, maxLength, pattern...) are not compared: whether a new bound can refuse a value ever
# sent is for review to judge.


def incompatible_event_schemas(target: Path) -> dict[str, list[str]]:
    """Every event type whose schema breaks its committed one, and every committed type that is gone."""
    current = event_schemas()
    found: dict[str, list[str]] = {}
    for event_type, committed in committed_event_schemas(target).items():
        if event_type not in current:
            found[event_type] = ["the event type is gone (its consumers and its committed events are not)"]
        elif problems := breaking_changes(committed, current[event_type]):
            found[event_type] = problems
    return found


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    """`write` or `check` the documents under docs/api (or the folder given) and, with the default folder, the
    README's topology block (both relative to the repository's root, where this runs)."""
    target = Path(argv[1]) if len(argv) > 1 else Path("docs/api")
    writing = argv[0] == "write"
    incompatible = incompatible_event_schemas(target)
    files = {str(target / name): render(document) for name, document in documents().items()}
    for event_type, schema in event_schemas().items():
        if event_type not in incompatible:  # an incompatible schema never replaces the committed one
            files[str(event_schema_path(target, event_type))] = render(schema)
    if len(argv) <= 1:
        readme = Path("README.md")
        files[str(readme)] = with_topology(readme.read_text(encoding="utf-8"))
    stale = []
    for name, text in files.items():
        path = Path(name)
        if writing:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if stale:
        print("stale contracts (run: .venv/bin/python -m thidua_ops.contracts write):", ", ".join(stale))
    for event_type, problems in incompatible.items():
        print(f"{event_type} is incompatible with its committed schema ({EVENT_SCHEMAS}/{event_type}.schema.json):")
        for problem in problems:
            print(f"  {problem}")
    if incompatible:
        print("an incompatible shape is a new event type (.v2) beside the old one, never an edit in place")
    return 1 if stale or incompatible else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["check"]))
