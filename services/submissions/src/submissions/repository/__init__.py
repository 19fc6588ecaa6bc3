"""Every Mongo query of the submissions service, one module per aggregate, each on ScopedRepository and always within
a Scope (but the attachments' chunks, addressed by the attachment's id).

This package gives the service its `Repositories` and the indexes their queries need (`QUERY_INDEXES`, each module
declaring those of its own queries)."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from submissions.repository import (
    attachments,
    campaigns,
    criteria_sets,
    entrants,
    registrations,
    submissions,
    templates,
)
from submissions.repository.attachments import (
    ATTACHMENTS,
    CHUNK_BYTES,
    CHUNKS,
    AttachmentRepository,
    MongoChunkStore,
    chunk_id,
)
from submissions.repository.campaigns import CAMPAIGNS, CampaignRepository
from submissions.repository.common import EntrantOwnedRepository
from submissions.repository.criteria_sets import CRITERIA_SETS, CriteriaSetRepository, criteria_set_id
from submissions.repository.entrants import ENTRANTS, EntrantRepository
from submissions.repository.registrations import REGISTRATIONS, RegistrationRepository
from submissions.repository.submissions import SUBMISSIONS, SubmissionRepository
from submissions.repository.templates import TEMPLATES, TemplateRepository
from thidua_platform.indexes import declare
from thidua_platform.mongo import Document

__all__ = [
    "ATTACHMENTS",
    "CAMPAIGNS",
    "CHUNKS",
    "CHUNK_BYTES",
    "CRITERIA_SETS",
    "ENTRANTS",
    "QUERY_INDEXES",
    "REGISTRATIONS",
    "SUBMISSIONS",
    "TEMPLATES",
    "AttachmentRepository",
    "CampaignRepository",
    "CriteriaSetRepository",
    "EntrantOwnedRepository",
    "EntrantRepository",
    "MongoChunkStore",
    "RegistrationRepository",
    "Repositories",
    "SubmissionRepository",
    "TemplateRepository",
    "chunk_id",
    "criteria_set_id",
    "ensure_indexes",
    "repositories",
]


@dataclass(frozen=True)
class Repositories:
    templates: TemplateRepository
    campaigns: CampaignRepository
    criteria_sets: CriteriaSetRepository
    entrants: EntrantRepository
    registrations: RegistrationRepository
    submissions: SubmissionRepository
    attachments: AttachmentRepository
    blobs: MongoChunkStore


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        templates=TemplateRepository(database[TEMPLATES]),
        campaigns=CampaignRepository(database[CAMPAIGNS]),
        criteria_sets=CriteriaSetRepository(database[CRITERIA_SETS]),
        entrants=EntrantRepository(database[ENTRANTS]),
        registrations=RegistrationRepository(database[REGISTRATIONS]),
        submissions=SubmissionRepository(database[SUBMISSIONS]),
        attachments=AttachmentRepository(database[ATTACHMENTS]),
        blobs=MongoChunkStore(database[CHUNKS]),
    )


QUERY_INDEXES = [
    *templates.INDEXES,
    *campaigns.INDEXES,
    *criteria_sets.INDEXES,
    *entrants.INDEXES,
    *registrations.INDEXES,
    *submissions.INDEXES,
    *attachments.INDEXES,
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
