"""Every Mongo query of the scoring service, within a Scope; writes go through the change log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from thidua_shared.mongo import Document
from thidua_shared.repository import ScopedRepository
from thidua_shared.tenancy import Scope

SCORES = "scores"  # provisional score per submitted version, with the evidence it was computed from
FINALS = "finals"  # final score per version
COUNCILS = "councils"
ASSIGNMENTS = "assignments"
ASSESSMENTS = "assessments"
INDEXES = "indexes"
INDEX_SETTINGS = "index_settings"
CRITERIA_SETS = "criteria_sets"


class VersionedRepository(ScopedRepository):
    """Documents kept per submission version; the latest version supersedes the others."""

    async def latest(self, scope: Scope, submission_id: str) -> Document | None:
        found = await self.find(scope, {"submission_id": submission_id}, limit=1, sort=("submission_version", -1))
        return found[0] if found else None

    async def latest_per_submission(self, scope: Scope, query: dict[str, Any]) -> list[Document]:
        newest: dict[str, Document] = {}
        for document in await self.find(scope, query, limit=100_000, sort=("submission_version", 1)):
            newest[document["submission_id"]] = document
        return list(newest.values())


class AssignmentRepository(ScopedRepository):
    async def of_version(self, scope: Scope, submission_id: str, version: int) -> list[Document]:
        return await self.find(scope, {"submission_id": submission_id, "submission_version": version})

    async def open_load(self, scope: Scope) -> dict[str, int]:
        load: dict[str, int] = {}
        for assignment in await self.find(scope, {"status": "pending"}, limit=100_000):
            load[assignment["reviewer"]] = load.get(assignment["reviewer"], 0) + 1
        return load


@dataclass(frozen=True)
class Repositories:
    scores: VersionedRepository
    finals: VersionedRepository
    councils: ScopedRepository
    assignments: AssignmentRepository
    assessments: ScopedRepository
    indexes: ScopedRepository
    index_settings: ScopedRepository
    criteria_sets: ScopedRepository


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        scores=VersionedRepository(database[SCORES]),
        finals=VersionedRepository(database[FINALS]),
        councils=ScopedRepository(database[COUNCILS]),
        assignments=AssignmentRepository(database[ASSIGNMENTS]),
        assessments=ScopedRepository(database[ASSESSMENTS]),
        indexes=ScopedRepository(database[INDEXES]),
        index_settings=ScopedRepository(database[INDEX_SETTINGS]),
        criteria_sets=ScopedRepository(database[CRITERIA_SETS]),
    )
