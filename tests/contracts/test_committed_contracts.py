"""The committed OpenAPI and AsyncAPI documents, and the README's table of topics, are what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thidua_contracts import EVENT_TYPES
from thidua_contracts.topology import CONSUMER_GROUPS
from thidua_ops.contracts import documents, render
from thidua_ops.topology_table import with_topology

ROOT = Path(__file__).resolve().parents[2]
API_DOCS = ROOT / "docs" / "api"
GENERATED = documents()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_contract_is_current(name: str) -> None:
    committed = API_DOCS / name
    assert committed.exists(), f"docs/api/{name} is missing: run python -m thidua_ops.contracts write"
    assert committed.read_text(encoding="utf-8") == render(GENERATED[name]), (
        f"docs/api/{name} is stale: run python -m thidua_ops.contracts write"
    )


def test_every_api_serves_health_and_problem_errors() -> None:
    for name, document in GENERATED.items():
        if name.endswith(".openapi.json"):
            assert {"/health/live", "/health/ready"} <= set(document["paths"]), name


def test_every_event_has_a_channel_and_schema() -> None:
    asyncapi = GENERATED["events.asyncapi.json"]
    messages = asyncapi["components"]["messages"]
    assert {m["name"] for m in messages.values()} == set(EVENT_TYPES)
    channels = asyncapi["channels"]
    for event_type, model in EVENT_TYPES.items():
        assert model.__name__ in channels[model.topic]["messages"], event_type
    json.dumps(asyncapi)  # serialisable


def test_the_readme_lists_the_topics_as_the_workers_subscribe() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = "README.md's topology table is stale: run python -m thidua_ops.contracts write"
    assert readme == with_topology(readme), stale
    for group, topics in CONSUMER_GROUPS.items():
        for topic in topics:
            row = next(line for line in readme.splitlines() if line.startswith(f"| `{topic}` |"))
            assert group in row.rsplit("|", 2)[1], (group, topic)
