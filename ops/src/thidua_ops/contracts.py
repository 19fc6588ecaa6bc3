"""Generates the committed API contracts: each service's OpenAPI document, the events' AsyncAPI document, each event
type's JSON Schema as committed (`docs/api/events/<type>.schema.json`), which a change must stay compatible with, and
the README's table of topics and consumer groups (from `thidua_contracts.topology`, as the AsyncAPI document's
operations and each worker's subscriptions are). A tool over every service, so it sits in ops, above them.

`python -m thidua_ops.contracts write` rewrites docs/api/; `check` exits 1 when a committed file is stale. Both exit
1, and `write` leaves the committed schema as it was, when an event type's schema would break its committed version
(`breaking_changes`): an incompatible shape is a new event type (`.v2`), never an edit in place.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from thidua_contracts import EVENT_TYPES
from thidua_contracts.topology import CONSUMER_GROUPS, DOMAIN_TOPICS
from thidua_platform.envelope import Envelope, EventData, dead_letter_topic
from thidua_platform.kafka import CLOUDEVENTS_JSON

SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
KAFKA_BINDING = "0.5.0"  # the AsyncAPI Kafka bindings' version
TRACEPARENT = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
EVENT_SCHEMAS = "events"  # the folder of the committed event schemas, under docs/api

Schema = Mapping[str, Any]


def openapi(service: str) -> dict[str, Any]:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = importlib.import_module(f"{service}.settings")
    settings_class = next(v for k, v in vars(settings).items() if k.endswith("Settings") and k != "ServiceSettings")
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

KEPT = ("const", "format")


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What in `new` breaks a reader or a writer of `old` (empty: compatible). Each is `path: what changed`."""
    return list(_compare(old, old, new, new, "", frozenset()))


def _resolve(node: Schema, root: Schema) -> Schema:
    """The node a local `$ref` (`#/...`) points to, followed to the end; a lone `allOf` of one schema unwrapped."""
    seen: set[str] = set()
    while True:
        if "$ref" in node:
            ref = str(node["$ref"])
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"cannot follow $ref {ref}")
            seen.add(ref)
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        elif len(node.get("allOf", ())) == 1 and "properties" not in node:
            node = {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
        else:
            return node


def _alternatives(node: Schema, root: Schema) -> Iterator[tuple[str, Schema]]:
    """Each (JSON type, schema) a value of `node` may be: `anyOf`/`oneOf` and `type` lists spread out."""
    node = _resolve(node, root)
    variants = node.get("anyOf") or node.get("oneOf")
    if variants:
        for variant in variants:
            yield from _alternatives(variant, root)
        return
    kinds = node.get("type")
    if kinds is None:
        kinds = "object" if "properties" in node else "any"
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        yield str(kind), node


def _describe(kinds: list[str]) -> str:
    return " | ".join(kinds) if kinds else "nothing"


def _compare(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    where = path or "(the event)"
    if "$ref" in old and "$ref" in new:
        pair = (str(old["$ref"]), str(new["$ref"]))
        if pair in seen:  # a recursive schema: these two definitions are being compared further up
            return
        seen = seen | {pair}
    before, after = list(_alternatives(old, old_root)), list(_alternatives(new, new_root))
    old_kinds, new_kinds = sorted({k for k, _ in before}), sorted({k for k, _ in after})
    if old_kinds != new_kinds:
        yield f"{where}: type changed from {_describe(old_kinds)} to {_describe(new_kinds)}"
        return
    for kind in old_kinds:
        olds = [s for k, s in before if k == kind]
        news = [s for k, s in after if k == kind]
        if len(olds) != len(news):
            yield f"{where}: the {kind} alternatives changed ({len(olds)} before, {len(news)} now)"
            continue
        for old_node, new_node in zip(olds, news, strict=True):
            yield from _compare_one(kind, old_node, old_root, new_node, new_root, path, seen)


def _compare_one(
    kind: str,
    old: Schema,
    old_root: Schema,
    new: Schema,
    new_root: Schema,
    path: str,
    seen: frozenset[tuple[str, str]],
) -> Iterator[str]:
    where = path or "(the event)"
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if (old_enum is None) != (new_enum is None) or (
        old_enum is not None and sorted(map(json.dumps, old_enum)) != sorted(map(json.dumps, new_enum or ()))
    ):
        yield f"{where}: allowed values changed from {old_enum} to {new_enum}"
    for keyword in KEPT:
        if old.get(keyword) != new.get(keyword):
            yield f"{where}: {keyword} changed from {old.get(keyword)!r} to {new.get(keyword)!r}"
    if kind == "object":
        yield from _compare_object(old, old_root, new, new_root, path, seen)
    elif kind == "array":
        yield from _compare_array(old, old_root, new, new_root, path, seen)


def _compare_object(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    """An object's fields (none removed, none newly required) and its additional properties."""
    where = path or "(the event)"
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in sorted(old_fields):
        field = f"{path}.{name}" if path else name
        if name not in new_fields:
            yield f"{field}: field removed"
            continue
        if name in new_required and name not in old_required:
            yield f"{field}: optional field became required"
        yield from _compare(old_fields[name], old_root, new_fields[name], new_root, field, seen)
    for name in sorted(set(new_fields) - set(old_fields)):
        if name in new_required:
            field = f"{path}.{name}" if path else name
            yield f"{field}: new field is required (earlier events lack it)"
    old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
        yield from _compare(old_extra, old_root, new_extra, new_root, f"{path}{{}}", seen)
    elif old_extra != new_extra:
        yield f"{where}: additionalProperties changed from {old_extra!r} to {new_extra!r}"


def _compare_array(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    """An array's items and its tuple's positions (prefixItems)."""
    where = path or "(the event)"
    old_items, new_items = old.get("items"), new.get("items")
    if isinstance(old_items, Mapping) and isinstance(new_items, Mapping):
        yield from _compare(old_items, old_root, new_items, new_root, f"{path}[]", seen)
    elif old_items != new_items:
        yield f"{where}: items changed"
    old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
    if len(old_prefix) != len(new_prefix):
        yield f"{where}: tuple length changed from {len(old_prefix)} to {len(new_prefix)}"
    else:
        for n, (before, after) in enumerate(zip(old_prefix, new_prefix, strict=True)):
            yield from _compare(before, old_root, after, new_root, f"{path}[{n}]", seen)


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


README_BLOCK = (
    "<!-- topology: generated from thidua_contracts.topology by `python -m thidua_ops.contracts write` -->\n",
    "<!-- /topology -->\n",
)


def topology_table() -> str:
    """Each topic, who publishes on it, its events and the consumer groups that read it (markdown)."""
    events: dict[str, list[str]] = {}
    for event_type, model in sorted(EVENT_TYPES.items()):
        events.setdefault(model.topic, []).append(f"`{event_type.split('.', 2)[2]}`")
    rows = ["| topic | published by | events (`thidua.<service>.` …) | read by (consumer groups) |"]
    rows.append("|---|---|---|---|")
    for topic in DOMAIN_TOPICS:
        readers = ", ".join(group for group, topics in CONSUMER_GROUPS.items() if topic in topics)
        rows.append(f"| `{topic}` | {topic.split('.', 1)[1]} | {', '.join(events[topic])} | {readers} |")
    groups = ", ".join(f"`{dead_letter_topic(group)}`" for group in CONSUMER_GROUPS)
    rows.append("")
    rows.append(f"Each consumer group's dead letters go to its own topic: {groups}.")
    return "\n".join(rows) + "\n"


def with_topology(readme: str) -> str:
    """The README with its generated block replaced by the current table."""
    begin, end = README_BLOCK
    if begin not in readme or end not in readme:
        raise ValueError(f"the README has no generated topology block ({begin.strip()} … {end.strip()})")
    before, rest = readme.split(begin, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{begin}{topology_table()}{end}{after}"


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
