"""The entrant ids a council roster names are the commune's own, as scoring knows them (issue #20): not any string,
not another commune's, not one scoring has never heard of."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any, cast

import pytest

from scoring.domain.council import not_the_communes
from scoring.repository import Repositories
from scoring.service.council import Roster, check_entrants
from thidua_platform.problems import NotFound, Problem, Unprocessable
from thidua_platform.tenancy import Scope

SCOPE = Scope(tenant="ph-37-lien-minh", province="37")
OWN, OTHERS, UNSEEN, OLD = (f"{n}0000000-0000-4000-8000-000000000000" for n in (1, 2, 3, 4))


class Entrants:
    """Submissions announced OWN (xã Liên Minh's) and OTHERS (xã Tam Điệp's); never UNSEEN nor OLD."""

    async def communes_of(self, entrant_ids: Collection[str]) -> dict[str, str]:
        known = {OWN: "ph-37-lien-minh", OTHERS: "ph-37-tam-diep"}
        return {entrant_id: known[entrant_id] for entrant_id in entrant_ids if entrant_id in known}


class Scores:
    """A dossier of xã Liên Minh names OLD, an entrant created before `entrant.recorded` and not announced yet; the
    ids it is asked about are kept, to show it is asked only about the ids no announcement named."""

    def __init__(self) -> None:
        self.asked: list[set[str]] = []

    async def communes_of_entrants(self, entrant_ids: Collection[str]) -> dict[str, set[str]]:
        self.asked.append(set(entrant_ids))
        return {entrant_id: {"ph-37-lien-minh"} for entrant_id in entrant_ids if entrant_id == OLD}


class Repos:
    def __init__(self) -> None:
        self.entrants = Entrants()
        self.scores = Scores()


def check(members: list[dict[str, Any]], repos: Repos | None = None) -> None:
    roster = Roster.model_validate({"members": members})
    asyncio.run(check_entrants(repos=cast(Repositories, repos or Repos()), scope=SCOPE, request=roster))


def refused_fields(problem: Problem) -> list[str]:
    return [e["field"] for e in problem.extensions["errors"]]


def test_the_communes_announced_entrants_and_those_its_dossiers_named_are_kept() -> None:
    repos = Repos()
    check([{"username": "a", "unit_entrant_ids": [OWN, OLD]}, {"username": "b", "person_entrant_id": OWN}], repos)
    assert repos.scores.asked == [{OLD}]  # the dossiers only for what no announcement named


def test_nothing_named_asks_nothing() -> None:
    repos = Repos()
    check([{"username": "a"}], repos)
    assert repos.scores.asked == []


def test_an_entrant_scoring_never_heard_of_answers_404_naming_the_field_and_the_id() -> None:
    with pytest.raises(NotFound) as refused:
        check([{"username": "a", "unit_entrant_ids": [OWN]}, {"username": "b", "unit_entrant_ids": [OWN, UNSEEN]}])
    assert refused_fields(refused.value) == ["members.1.unit_entrant_ids.1"]
    (error,) = refused.value.extensions["errors"]
    assert UNSEEN in error["message"]
    assert "thử lại" in error["message"]
    assert "try again" in error["message"]
    assert "thử lại" in refused.value.detail
    assert "try again" in refused.value.detail


def test_another_communes_entrant_answers_404_as_an_unknown_one_does() -> None:
    with pytest.raises(NotFound) as foreign:
        check([{"username": "a", "unit_entrant_ids": [OWN]}, {"username": "b", "unit_entrant_ids": [OWN, OTHERS]}])
    assert refused_fields(foreign.value) == ["members.1.unit_entrant_ids.1"]
    with pytest.raises(NotFound) as unknown:
        check([{"username": "a", "unit_entrant_ids": [OWN]}, {"username": "b", "unit_entrant_ids": [OWN, UNSEEN]}])
    # the same answer but for the id: nothing tells an id of another commune from an id of none
    assert str(foreign.value.body()).replace(OTHERS, "ID") == str(unknown.value.body()).replace(UNSEEN, "ID")
    with pytest.raises(NotFound) as refused:
        check([{"username": "a", "person_entrant_id": OTHERS}])
    assert refused_fields(refused.value) == ["members.0.person_entrant_id"]


def test_every_refused_id_is_named() -> None:
    with pytest.raises(NotFound) as refused:
        check([{"username": "a", "unit_entrant_ids": [UNSEEN, OWN, OTHERS], "person_entrant_id": UNSEEN}])
    assert refused_fields(refused.value) == [
        "members.0.unit_entrant_ids.0",
        "members.0.unit_entrant_ids.2",
        "members.0.person_entrant_id",
    ]


@pytest.mark.parametrize("entrant_id", ["thôn đông", "", "x" * 5000, "A" + OWN[1:], "{" + OWN + "}", OWN + "\n"])
def test_any_other_string_answers_422_naming_the_field(entrant_id: str) -> None:
    with pytest.raises(Unprocessable) as refused:
        check([{"username": "a", "unit_entrant_ids": [OWN, entrant_id]}])
    assert refused_fields(refused.value) == ["members.0.unit_entrant_ids.1"]


def test_not_the_communes_keeps_only_entrants_of_the_commune_alone() -> None:
    named = [("u.0", "own"), ("u.1", "theirs"), ("u.2", "none"), ("p", "both")]
    communes = {"own": {"lm"}, "theirs": {"td"}, "both": {"lm", "td"}}
    assert not_the_communes(named, "lm", communes) == [("u.1", "theirs"), ("u.2", "none"), ("p", "both")]
    assert not_the_communes([], "lm", communes) == []
