"""Scoring keeps the entrants submissions announces (`entrant.recorded`) on the real database: upserted by id within
their commune, a redelivery changes nothing, another commune cannot take an id over, and a roster then names them
(issue #20)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from scoring.repository import ENTRANTS, Repositories, repositories
from scoring.service.council import Roster, check_entrants
from scoring.service.entrants import on_recorded
from thidua_contracts.submissions import EntrantRecorded
from thidua_contracts.testing import LIEN_MINH, envelope_of
from thidua_platform.mongo import Document
from thidua_platform.problems import NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

SCOPE = Scope(tenant=LIEN_MINH, province="37")


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


@pytest.fixture
def repos(database: AsyncDatabase[Document]) -> Repositories:
    return repositories(database)


def recorded(entrant_id: str, **overrides: str | None) -> EntrantRecorded:
    fields = {"entrant_id": entrant_id, "kind": "collective", "target_group": "a"} | overrides
    return EntrantRecorded.model_validate(fields)


def roster(*unit_ids: str) -> Roster:
    return Roster.model_validate({"members": [{"username": "lm.council1", "unit_entrant_ids": list(unit_ids)}]})


async def test_an_announced_entrant_is_kept_once_and_named_by_a_roster(
    database: AsyncDatabase[Document], repos: Repositories
) -> None:
    unit = str(uuid.uuid4())
    event = envelope_of(recorded(unit))
    await on_recorded(repos=repos, envelope=event)
    await on_recorded(repos=repos, envelope=event)  # redelivered
    assert await database[ENTRANTS].count_documents({}) == 1
    kept = await repos.entrants.get(SCOPE, unit)
    assert kept is not None
    assert (kept["tenant"], kept["kind"], kept["unit_id"]) == (LIEN_MINH, "collective", None)
    assert await repos.entrants.communes_of([unit, str(uuid.uuid4())]) == {unit: LIEN_MINH}
    await check_entrants(repos=repos, scope=SCOPE, request=roster(unit))
    with pytest.raises(NotFound):
        await check_entrants(repos=repos, scope=Scope(tenant="ph-37-tam-diep", province="37"), request=roster(unit))


async def test_another_commune_cannot_take_an_entrant_id_over(repos: Repositories) -> None:
    unit = str(uuid.uuid4())
    await on_recorded(repos=repos, envelope=envelope_of(recorded(unit)))
    with pytest.raises(DuplicateKeyError):  # the consumer retries, then dead-letters it
        await on_recorded(repos=repos, envelope=envelope_of(recorded(unit), tenant="ph-51-son-mai", province="51"))
    assert await repos.entrants.communes_of([unit]) == {unit: LIEN_MINH}


async def test_an_unannounced_entrant_a_dossier_named_is_still_the_communes(repos: Repositories) -> None:
    """An entrant created before `entrant.recorded` existed, not announced yet: its dossiers tell its commune."""
    unit, never = str(uuid.uuid4()), str(uuid.uuid4())
    await repos.scores.collection.insert_one(
        {"_id": "s-1:1", "tenant": LIEN_MINH, "province": "37", "entrant": {"id": unit, "unit_id": None}}
    )
    await check_entrants(repos=repos, scope=SCOPE, request=roster(unit))
    with pytest.raises(NotFound) as refused:
        await check_entrants(repos=repos, scope=SCOPE, request=roster(unit, never))
    assert [e["field"] for e in refused.value.extensions["errors"]] == ["members.0.unit_entrant_ids.1"]
