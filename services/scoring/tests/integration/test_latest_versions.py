"""The latest score of several dossiers at once (GET /scores) on the real database: the same version `latest` finds
for each, holes and all, in one query of `$in` on `_id` unless a dossier was submitted again many times, and
nothing of another commune."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from scoring.domain.aggregates import Score
from scoring.repository import GAP, WINDOW, VersionedRepository, repositories, version_id
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

SCOPE = Scope(tenant=LIEN_MINH, province="37")
ELSEWHERE = Scope(tenant="ph-37-tam-diep", province="37")
# dossier -> the versions stored (a missing one: its event was dead-lettered)
VERSIONS = {
    "once": [1],
    "resubmitted": [1, 2],
    "a-hole": [1, 3],
    "past-the-gap": [1, 2 + GAP],  # the walk stops before the last one, as `latest` does
    "many-times": list(range(1, WINDOW + 3)),  # takes a second window
    "never": [],
}


class Counted(VersionedRepository[Score]):
    """Counts the queries it makes."""

    queries = 0

    async def find(self, scope: Scope, query: dict[str, Any], **options: Any) -> list[Score]:
        self.queries += 1
        return await super().find(scope, query, **options)


@pytest.fixture
async def scores() -> AsyncIterator[Counted]:
    async with scratch_database() as database:
        await _store(database)
        yield Counted(repositories(database).scores.collection)


async def _store(database: AsyncDatabase[Document]) -> None:
    for submission_id, versions in VERSIONS.items():
        for version in versions:
            await database["scores"].insert_one(_score(SCOPE, submission_id, version))
    await database["scores"].insert_one(_score(ELSEWHERE, "tam-diep", 1))


def _score(scope: Scope, submission_id: str, version: int) -> Document:
    return {
        "_id": version_id(submission_id, version),
        "tenant": scope.tenant,
        "province": scope.province,
        "submission_id": submission_id,
        "submission_version": version,
    }


async def test_each_dossier_gets_the_version_latest_finds(scores: Counted) -> None:
    found = await scores.latest_of(SCOPE, [*VERSIONS, "tam-diep"])
    one_by_one = {s: await scores.latest(SCOPE, s) for s in [*VERSIONS, "tam-diep"]}
    assert {s: d["submission_version"] for s, d in found.items()} == {
        s: d["submission_version"] for s, d in one_by_one.items() if d is not None
    }
    assert found["past-the-gap"]["submission_version"] == 1
    assert found["many-times"]["submission_version"] == WINDOW + 2
    assert "never" not in found
    assert "tam-diep" not in found  # another commune's dossier is simply absent


async def test_one_query_whatever_the_number_of_dossiers(scores: Counted) -> None:
    usual = [s for s in VERSIONS if s != "many-times"]
    assert len(await scores.latest_of(SCOPE, usual)) == len(usual) - 1
    assert scores.queries == 1
    await scores.latest_of(SCOPE, list(VERSIONS))
    assert scores.queries == 3  # a second window for the dossier submitted many times
    assert await scores.latest_of(SCOPE, []) == {}
    assert scores.queries == 3
