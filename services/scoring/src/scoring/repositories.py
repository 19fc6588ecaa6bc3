"""Every Mongo query of the scoring service, within a Scope; writes go through the change log."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
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


GAP = 3  # missing versions in a row after which there are no more


def version_id(submission_id: str, version: int) -> str:
    """The id of a submission version's score, final score and of the assignments' prefix."""
    return f"{submission_id}:{version}"


class VersionedRepository(ScopedRepository):
    """Documents kept per submission version, each with the id `version_id`; the latest version supersedes."""

    async def latest(self, scope: Scope, submission_id: str) -> Document | None:
        """Versions count from 1 as the dossier is submitted again: read their ids in turn (FerretDB answers only a
        lone `_id` from an index; a filter on `submission_id` decoded every score) and stop after `GAP` missing in
        a row (a version whose event was dead-lettered leaves a hole)."""
        found: Document | None = None
        misses = 0
        for version in count(1):
            document = await self.get(scope, version_id(submission_id, version))
            if document is not None:
                found, misses = document, 0
            elif (misses := misses + 1) == GAP:
                break
        return found

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
