"""Generates the committed API contracts: each service's OpenAPI document and the events' AsyncAPI document.

`python -m thidua_shared.contracts write` rewrites docs/api/; `check` exits 1 when a committed file is stale.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from thidua_shared.events import EVENT_TYPES, Envelope, dead_letter_topic

SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
CONSUMERS = {
    "scoring": ("thidua.submissions",),
    "awards": ("thidua.scoring",),
    "notifications": ("thidua.submissions", "thidua.scoring", "thidua.awards"),
    "rollups": ("thidua.submissions", "thidua.scoring", "thidua.awards"),
}


def openapi(service: str) -> dict[str, Any]:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    settings = importlib.import_module(f"{service}.settings")
    settings_class = next(v for k, v in vars(settings).items() if k.endswith("Settings") and k != "ServiceSettings")
    document: dict[str, Any] = bootstrap.create_api(settings_class()).openapi()
    return document


def asyncapi() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {"Envelope": Envelope.model_json_schema()}
    for event_type, model in sorted(EVENT_TYPES.items()):
        name = model.__name__
        schemas[name] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for nested_name, nested in schemas[name].pop("$defs", {}).items():
            schemas[nested_name] = nested
        messages[name] = {
            "name": event_type,
            "title": name,
            "contentType": "application/json",
            "summary": (model.__doc__ or name).strip().splitlines()[0],
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
        producer = topic.split(".", 1)[1]
        operations[f"{producer}.publish"] = {"action": "send", "channel": {"$ref": f"#/channels/{topic}"}}
    for group, topics in CONSUMERS.items():
        for topic in topics:
            operations[f"{group}.consume.{topic}"] = {"action": "receive", "channel": {"$ref": f"#/channels/{topic}"}}
        dlq = dead_letter_topic(group)
        channels[dlq] = {
            "address": dlq,
            "description": "Dead letters of this consumer group: the original message "
            "with dlq_reason, dlq_error, dlq_topic, dlq_partition, dlq_offset headers.",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "thidua events",
            "version": "1.0.0",
            "description": "Events between thidua services. Keys are aggregate ids; envelope per CloudEvents 1.0.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def documents() -> dict[str, dict[str, Any]]:
    docs = {f"{service}.openapi.json": openapi(service) for service in SERVICES}
    docs["events.asyncapi.json"] = asyncapi()
    return docs


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else Path("docs/api")
    stale = []
    for name, document in documents().items():
        path = target / name
        text = render(document)
        if argv[0] == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if stale:
        print("stale contracts (run: .venv/bin/python -m thidua_shared.contracts write):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or ["check"]))
