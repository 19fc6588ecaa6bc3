"""The entrant ids a council roster names are the commune's own (issue #20): not any string, not another's."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any, cast

import pytest

from scoring.repositories import Repositories
from scoring.service.council import Roster, check_entrants
from thidua_shared.problems import NotFound, Unprocessable
from thidua_shared.tenancy import Scope

SCOPE = Scope(tenant="ph-37-lien-minh", province="37")
OWN, OTHERS, UNSEEN = (f"{n}0000000-0000-4000-8000-000000000000" for n in (1, 2, 3))


class Scores:
    """Dossiers of the commune name OWN, another commune's name OTHERS; no dossier names UNSEEN yet."""

    async def communes_of_entrants(self, entrant_ids: Collection[str]) -> dict[str, set[str]]:
        known = {OWN: {"ph-37-lien-minh"}, OTHERS: {"ph-37-tam-diep"}}
        return {entrant_id: known[entrant_id] for entrant_id in entrant_ids if entrant_id in known}


class Repos:
    scores = Scores()


def check(members: list[dict[str, Any]]) -> None:
    asyncio.run(check_entrants(cast(Repositories, Repos()), SCOPE, Roster.model_validate({"members": members})))


def test_the_communes_own_and_not_yet_seen_entrants_are_kept() -> None:
    check([{"username": "a", "unit_entrant_ids": [OWN, UNSEEN]}, {"username": "b", "person_entrant_id": OWN}])


def test_another_communes_entrant_answers_404_naming_the_field() -> None:
    with pytest.raises(NotFound) as refused:
        check([{"username": "a", "unit_entrant_ids": [OWN]}, {"username": "b", "unit_entrant_ids": [OWN, OTHERS]}])
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["members.1.unit_entrant_ids.1"]
    with pytest.raises(NotFound) as refused:
        check([{"username": "a", "person_entrant_id": OTHERS}])
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["members.0.person_entrant_id"]


@pytest.mark.parametrize("entrant_id", ["thôn đông", "", "x" * 5000, "A" + OWN[1:], "{" + OWN + "}", OWN + "\n"])
def test_any_other_string_answers_422_naming_the_field(entrant_id: str) -> None:
    with pytest.raises(Unprocessable) as refused:
        check([{"username": "a", "unit_entrant_ids": [OWN, entrant_id]}])
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["members.0.unit_entrant_ids.1"]
