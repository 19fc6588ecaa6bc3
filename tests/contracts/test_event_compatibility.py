"""Each event type's schema stays compatible with its committed version (docs/api/events/<type>.schema.json).

The committed schema is the previous version: `contracts write` replaces it only with a compatible one, so an
incompatible edit of an event model fails here until it becomes a new event type (`.v2`) beside the old one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from thidua_contracts import EVENT_TYPES
from thidua_ops.compatibility import breaking_changes
from thidua_ops.contracts import (
    committed_event_schemas,
    event_schema_path,
    event_schemas,
    incompatible_event_schemas,
    render,
)

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"
CURRENT = event_schemas()
COMMITTED = committed_event_schemas(API_DOCS)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_an_event_schema_is_compatible_with_its_committed_version(event_type: str) -> None:
    assert event_type in COMMITTED, (
        f"docs/api/events/{event_type}.schema.json is missing: run python -m thidua_ops.contracts write"
    )
    problems = breaking_changes(COMMITTED[event_type], CURRENT[event_type])
    assert problems == [], f"{event_type} breaks its committed schema (make it a new type, .v2): {problems}"


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_the_committed_event_schema_is_current(event_type: str) -> None:
    committed = event_schema_path(API_DOCS, event_type)
    assert committed.exists(), (
        f"{committed.relative_to(API_DOCS.parent.parent)} is missing: run python -m thidua_ops.contracts write"
    )
    assert committed.read_text(encoding="utf-8") == render(CURRENT[event_type]), (
        f"{committed.relative_to(API_DOCS.parent.parent)} is stale: run python -m thidua_ops.contracts write"
    )


def test_no_committed_event_type_is_gone() -> None:
    """Consumers of a type, and the topics' history, outlive its producer: a type is never dropped from the code."""
    assert sorted(set(COMMITTED) - set(EVENT_TYPES)) == []
    assert incompatible_event_schemas(API_DOCS) == {}


def test_write_keeps_the_committed_schema_of_an_incompatible_change(tmp_path: Path) -> None:
    """`contracts write` replaces a committed schema with a compatible one only, and says which and why."""
    from thidua_ops.contracts import main

    event_type = "thidua.scoring.index.computed.v1"
    path = event_schema_path(tmp_path, event_type)
    path.parent.mkdir(parents=True)
    committed = {**CURRENT[event_type], "properties": {**CURRENT[event_type]["properties"], "gone": {"type": "string"}}}
    path.write_text(render(committed), encoding="utf-8")
    assert main(["write", str(tmp_path)]) == 1
    assert path.read_text(encoding="utf-8") == render(committed)  # kept as it was
    other = event_schema_path(tmp_path, "thidua.scoring.score.computed.v1")
    assert other.read_text(encoding="utf-8") == render(CURRENT["thidua.scoring.score.computed.v1"])
    assert main(["check", str(tmp_path)]) == 1


# ---- the comparison itself, on small schemas ----

ENTRANT: dict[str, Any] = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "unit_id": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    "required": ["id"],
}
V1: dict[str, Any] = {
    "type": "object",
    "properties": {
        "submission_id": {"type": "string"},
        "version": {"type": "integer", "minimum": 1},
        "note": {"type": "string", "default": ""},
        "entrant": {"$ref": "#/$defs/Entrant"},
        "criteria": {"type": "array", "items": {"$ref": "#/$defs/Entrant"}},
        "kind": {"enum": ["collective", "individual"], "type": "string"},
    },
    "required": ["submission_id", "version", "entrant", "criteria", "kind"],
    "$defs": {"Entrant": ENTRANT},
}


def changed(**properties: Any) -> dict[str, Any]:
    """V1 with some properties replaced (a value of None removes one)."""
    fields = {k: v for k, v in {**V1["properties"], **properties}.items() if v is not None}
    return {**V1, "properties": fields, "required": [r for r in V1["required"] if r in fields]}


def test_the_same_schema_is_compatible() -> None:
    assert breaking_changes(V1, V1) == []


def test_a_new_optional_field_is_compatible() -> None:
    added = changed(returned_by={"anyOf": [{"type": "string"}, {"type": "null"}], "default": None})
    nested = {**V1, "$defs": {"Entrant": {**ENTRANT, "properties": {**ENTRANT["properties"], "x": {"type": "number"}}}}}
    described = changed(note={"type": "string", "default": "", "description": "now documented", "title": "Note"})
    assert breaking_changes(V1, added) == []
    assert breaking_changes(V1, nested) == []
    assert breaking_changes(V1, described) == []
    # a required field that becomes optional is read by old consumers all the same (producers write every field)
    assert breaking_changes(V1, {**V1, "required": ["submission_id", "entrant", "criteria", "kind"]}) == []


def test_a_removed_field_is_incompatible() -> None:
    assert breaking_changes(V1, changed(note=None)) == ["note: field removed"]
    assert breaking_changes(V1, changed(version=None)) == ["version: field removed"]


def test_an_optional_field_made_required_is_incompatible() -> None:
    required = {**V1, "required": [*V1["required"], "note"]}
    assert breaking_changes(V1, required) == ["note: optional field became required"]


def test_a_changed_type_is_incompatible() -> None:
    assert breaking_changes(V1, changed(version={"type": "string"})) == ["version: type changed from integer to string"]
    nullable = changed(submission_id={"anyOf": [{"type": "string"}, {"type": "null"}]})
    assert breaking_changes(V1, nullable) == ["submission_id: type changed from string to null | string"]


def test_changes_inside_nested_models_are_found_through_refs() -> None:
    entrant = {**ENTRANT, "properties": {"id": {"type": "integer"}, "unit_id": ENTRANT["properties"]["unit_id"]}}
    assert sorted(breaking_changes(V1, {**V1, "$defs": {"Entrant": entrant}})) == [
        "criteria[].id: type changed from string to integer",
        "entrant.id: type changed from string to integer",
    ]


def test_a_new_required_field_and_changed_allowed_values_are_incompatible() -> None:
    required = {**changed(round={"type": "string"}), "required": [*V1["required"], "round"]}
    assert breaking_changes(V1, required) == ["round: new field is required (earlier events lack it)"]
    more = changed(kind={"enum": ["collective", "individual", "household"], "type": "string"})
    assert len(breaking_changes(V1, more)) == 1
    assert "allowed values changed" in breaking_changes(V1, more)[0]
