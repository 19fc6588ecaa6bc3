"""Every Mongo query of the scoring service, within a Scope; writes go through the change log.

One module per aggregate: `scores` (provisional and final scores, both kept per version: `versions`), `entrants`,
`criteria`, `council`, `assignments`, `assessments` and `index` (the index, its settings and the queue of communes to
recompute); `documents` types the events' models as stored. Here: `Repositories`, and the indexes the queries need.
"""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from scoring.domain.aggregates import Final
from scoring.repository.assessments import ASSESSMENTS, AssessmentRepository
from scoring.repository.assignments import (
    ASSIGNMENT_SLOTS,
    ASSIGNMENTS,
    LOAD_TTL,
    SLOTS_COMPLETE,
    AssignmentRepository,
)
from scoring.repository.council import COUNCILS, CouncilRepository
from scoring.repository.criteria import CRITERIA_SETS, CriteriaSetRepository
from scoring.repository.documents import (
    EntryAt,
    stored_criteria,
    stored_entrant,
    stored_evidence,
    stored_members,
    stored_policy,
    stored_settings,
)
from scoring.repository.entrants import ENTRANTS, KnownEntrantRepository
from scoring.repository.index import (
    INDEX_QUEUE,
    INDEX_SETTINGS,
    INDEXES,
    IndexComputation,
    IndexQueue,
    IndexRepository,
    IndexSettingsRepository,
)
from scoring.repository.scores import FINALS, SCORES, ScoreRepository
from scoring.repository.versions import GAP, WINDOW, Versioned, VersionedRepository, version_id
from thidua_platform import indexes
from thidua_platform.mongo import Document

__all__ = [
    "ASSESSMENTS",
    "ASSIGNMENTS",
    "ASSIGNMENT_SLOTS",
    "COUNCILS",
    "CRITERIA_SETS",
    "ENTRANTS",
    "FINALS",
    "GAP",
    "INDEXES",
    "INDEX_QUEUE",
    "INDEX_SETTINGS",
    "LOAD_TTL",
    "QUERY_INDEXES",
    "SCORES",
    "SLOTS_COMPLETE",
    "WINDOW",
    "AssessmentRepository",
    "AssignmentRepository",
    "CouncilRepository",
    "CriteriaSetRepository",
    "EntryAt",
    "IndexComputation",
    "IndexQueue",
    "IndexRepository",
    "IndexSettingsRepository",
    "KnownEntrantRepository",
    "Repositories",
    "ScoreRepository",
    "Versioned",
    "VersionedRepository",
    "ensure_indexes",
    "repositories",
    "stored_criteria",
    "stored_entrant",
    "stored_evidence",
    "stored_members",
    "stored_policy",
    "stored_settings",
    "version_id",
]


@dataclass(frozen=True)
class Repositories:
    scores: ScoreRepository
    finals: VersionedRepository[Final]
    entrants: KnownEntrantRepository
    councils: CouncilRepository
    assignments: AssignmentRepository
    assessments: AssessmentRepository
    indexes: IndexRepository
    index_settings: IndexSettingsRepository
    criteria_sets: CriteriaSetRepository
    index_queue: IndexQueue


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        scores=ScoreRepository(database[SCORES]),
        finals=VersionedRepository[Final](database[FINALS]),
        entrants=KnownEntrantRepository(database[ENTRANTS]),
        councils=CouncilRepository(database[COUNCILS]),
        assignments=AssignmentRepository(database[ASSIGNMENTS]),
        assessments=AssessmentRepository(database[ASSESSMENTS]),
        indexes=IndexRepository(database[INDEXES]),
        index_settings=IndexSettingsRepository(database[INDEX_SETTINGS]),
        criteria_sets=CriteriaSetRepository(database[CRITERIA_SETS]),
        index_queue=IndexQueue(database[INDEX_QUEUE]),
    )


QUERY_INDEXES = [
    *indexes.scoped([COUNCILS, INDEX_SETTINGS, ASSIGNMENT_SLOTS, ENTRANTS]),
    *indexes.scoped([SCORES, FINALS, ASSIGNMENTS, ASSESSMENTS, INDEXES, CRITERIA_SETS], "period"),
    indexes.index(SCORES, "tenant", "period", "entrant.target_group"),  # a group's ranking reads that group only
    # whose entrant an id of a council roster is, for entrants dossiers named before `entrant.recorded` existed
    # (the announced ones are looked up by `_id`)
    indexes.index(SCORES, "entrant.id"),
    indexes.index(SCORES, "entrant.unit_id"),
    indexes.index(FINALS, "tenant", "period", "entrant.target_group"),
    indexes.index(ASSIGNMENTS, "tenant", "reviewer", "status"),  # a member's open reviews, not every review they made
    indexes.index(ASSIGNMENTS, "tenant", "submission_id", "status"),  # the reviews done of the queue's dossiers
    indexes.index(ASSESSMENTS, "tenant", "submission_id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await indexes.declare(database, QUERY_INDEXES)
