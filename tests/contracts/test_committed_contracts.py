"""The committed OpenAPI and AsyncAPI documents are what the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from thidua_shared.contracts import documents, render
from thidua_shared.events import EVENT_TYPES

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"
GENERATED = documents()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_contract_is_current(name: str) -> None:
    committed = API_DOCS / name
    assert committed.exists(), f"docs/api/{name} is missing: run python -m thidua_shared.contracts write"
    assert committed.read_text(encoding="utf-8") == render(GENERATED[name]), (
        f"docs/api/{name} is stale: run python -m thidua_shared.contracts write"
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
