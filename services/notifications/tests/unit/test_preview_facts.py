"""The facts of a template preview are bounded in depth and number before anything walks them (issue #20)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from notifications.api.schemas import MAX_FACTS_DEPTH, MAX_FACTS_VALUES, PreviewBody


def nested(depth: int) -> dict[str, Any]:
    """Facts whose objects are `depth` levels deep ({"a": {"a": ... 1}})."""
    facts: Any = 1
    for _ in range(depth):
        facts = {"a": facts}
    return dict(facts)


@pytest.mark.parametrize("depth", [MAX_FACTS_DEPTH + 1, 300, 900, 5000])
def test_deep_facts_name_facts(depth: int) -> None:
    with pytest.raises(ValidationError) as refused:
        PreviewBody.model_validate({"facts": nested(depth)})
    [error] = refused.value.errors()
    assert error["loc"] == ("facts",)
    assert str(MAX_FACTS_DEPTH) in error["msg"]


def test_deep_lists_count_too() -> None:
    facts: Any = [1]
    for _ in range(MAX_FACTS_DEPTH):
        facts = [facts]
    with pytest.raises(ValidationError):
        PreviewBody.model_validate({"facts": {"list": facts}})


def test_facts_at_the_limit_are_kept() -> None:
    facts = nested(MAX_FACTS_DEPTH)
    assert PreviewBody.model_validate({"facts": facts}).facts == facts
    assert PreviewBody.model_validate_json(json.dumps({"facts": {"entrant": "Thôn Đông", "total": 86.5}})).facts


def test_too_many_values_name_facts() -> None:
    with pytest.raises(ValidationError) as refused:
        PreviewBody.model_validate({"facts": {"n": list(range(MAX_FACTS_VALUES))}})
    assert refused.value.errors()[0]["loc"] == ("facts",)
