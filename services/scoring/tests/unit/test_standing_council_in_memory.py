"""The standing council (scoring.domain.standing_council): established by decision for a term, each member with a
place in it, a name and an office; the same roster reviews the dossiers. The use cases on scoring's own repositories
over an in-memory database (in_memory.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from scoring.service.council import Roster, roster, set_roster, standing_council
from thidua_platform.problems import Unprocessable

from .in_memory import OFFICER, SCOPE, Scoring

ESTABLISHED = {"number": "45/QĐ-UBND", "signed_on": "2025-07-15", "term_from": "2025-07-15", "term_to": "2030-12-31"}
COUNCIL = (
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "position": "Chủ tịch UBND xã", "council_role": "chair"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "position": "Phó Chủ tịch UBND xã", "council_role": "deputy"},
    {
        "username": "lm.council2",
        "name": "Lê Văn Đức",
        "position": "Công chức Văn hóa - Xã hội",
        "council_role": "secretary",
    },
)


async def seat(scoring: Scoring, members: tuple[dict[str, Any], ...], established: dict[str, Any] | None) -> None:
    request = Roster.model_validate({"members": list(members), "established_by": established})
    await set_roster(repos=scoring.repos, principal=OFFICER, scope=SCOPE, request=request)


def errors_of(raised: pytest.ExceptionInfo[Unprocessable]) -> list[str]:
    return [e["field"] for e in raised.value.extensions["errors"]]


async def test_the_council_established_by_decision_is_kept_with_each_members_place_and_office() -> None:
    scoring = Scoring()
    await seat(scoring, COUNCIL, ESTABLISHED)

    council = await standing_council(repos=scoring.repos, scope=SCOPE)

    assert council.established_by is not None
    assert (council.established_by.number, str(council.established_by.term_to)) == ("45/QĐ-UBND", "2030-12-31")
    assert [(m.name, m.council_role) for m in council.members] == [
        ("Nguyễn Văn Hưng", "chair"), ("Trần Thị Thủy", "deputy"), ("Lê Văn Đức", "secretary"),
    ]  # fmt: skip
    reviewers = await roster(repos=scoring.repos, scope=SCOPE)  # the same members review the dossiers
    assert [m.username for m in reviewers] == ["lm.chair", "lm.council1", "lm.council2"]
    stored = await scoring.repos.councils.get(SCOPE, SCOPE.commune)
    assert stored is not None
    assert stored["audit"][-1]["changes"]["established_by"]["number"] == "45/QĐ-UBND"


async def test_a_roster_without_a_decision_reads_as_before() -> None:
    scoring = Scoring()
    await seat(scoring, ({"username": "lm.council1"}, {"username": "lm.council2"}), None)

    council = await standing_council(repos=scoring.repos, scope=SCOPE)

    assert council.established_by is None
    assert [(m.username, m.council_role, m.name) for m in council.members] == [
        ("lm.council1", "member", None), ("lm.council2", "member", None),
    ]  # fmt: skip


async def test_each_place_held_once_and_an_established_council_needs_a_chair_and_names() -> None:
    scoring = Scoring()
    two_secretaries = (*COUNCIL, {"username": "lm.council3", "name": "Vũ An", "council_role": "secretary"})
    with pytest.raises(Unprocessable) as twice:
        await seat(scoring, two_secretaries, None)
    assert errors_of(twice) == ["members.3.council_role"]

    no_chair = ({"username": "lm.council1", "council_role": "deputy"}, COUNCIL[2])
    with pytest.raises(Unprocessable) as unnamed:
        await seat(scoring, no_chair, ESTABLISHED)
    assert errors_of(unnamed) == ["members", "members.0.name"]
    assert await scoring.repos.councils.get(SCOPE, SCOPE.commune) is None  # nothing stored


def test_a_term_ends_after_it_begins() -> None:
    with pytest.raises(ValidationError, match="the term ends before it begins"):
        Roster.model_validate({"members": [], "established_by": {**ESTABLISHED, "term_to": "2025-01-01"}})
