"""Every Mongo query of the submissions service lives here or in ScopedRepository, always within a Scope (but the
attachments' chunks, addressed by the attachment's id)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

from bson.binary import Binary
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from submissions.domain.aggregates import (
    Attachment,
    AttachmentRef,
    Campaign,
    CampaignPeriod,
    CompletenessCheck,
    CorrectionReason,
    CriteriaSet,
    Entrant,
    Registration,
    Submission,
    Template,
)
from thidua_shared.audit import now
from thidua_shared.events import Envelope, derived_id
from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document
from thidua_shared.repository import Revision, ScopedRepository, narrowed
from thidua_shared.tenancy import Scope

TEMPLATES = "campaign_templates"
CAMPAIGNS = "campaigns"
CRITERIA_SETS = "criteria_sets"
ENTRANTS = "entrants"
REGISTRATIONS = "registrations"
SUBMISSIONS = "submissions"
ATTACHMENTS = "attachments"
CHUNKS = "attachment_chunks"
CHUNK_BYTES = 255 * 1024


Owned = TypeVar("Owned", bound=Mapping[str, Any])  # an aggregate of one entrant
Listed = TypeVar("Listed", bound=Mapping[str, Any])
Listing = tuple[list[Listed], int]  # a page of aggregates, and how many match in all
EntryAt = Callable[[datetime], Document]  # a change's audit entry, given when the change is made (each attempt)


def _amended(fields: Document, entry: Document) -> Document:
    """The update that sets `fields` and appends `entry` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": entry}}


def _owned_by(entrants: Collection[str] | None, field: str = "entrant.id") -> dict[str, Any]:
    """The condition that keeps a submitter to their own units and their people (`entrants`; None: every entrant in
    scope), on the field that holds the entrant's id."""
    return {} if entrants is None else {field: {"$in": sorted(entrants)}}


class EntrantOwnedRepository(ScopedRepository[Owned]):
    """Documents of one entrant each (`entrant.id`): dossiers, registrations, attachments."""

    async def visible(self, scope: Scope, document_id: str, *, entrants: Collection[str] | None) -> Owned | None:
        """The document if it lies within the scope and belongs to one of `entrants` (None: any)."""
        return await self.get(scope, document_id, **_owned_by(entrants))


class TemplateRepository(ScopedRepository[Template]):
    """A province's campaign templates."""

    async def publish(
        self, scope: Scope, template_id: str, *, revision: int, audit: Document, events: Sequence[Envelope]
    ) -> bool:
        """Publish the template as read at `revision`, at the time of its audit entry; False if it changed since."""
        fields = {"status": "published", "published_at": audit["at"]}
        return await self.update(scope, template_id, revision=revision, update=_amended(fields, audit), events=events)


class CampaignRepository(ScopedRepository[Campaign]):
    """The campaigns communes adopted from their province's template."""

    async def set_periods(
        self, scope: Scope, campaign_id: str, *, revision: int, periods: list[CampaignPeriod], audit: Document
    ) -> bool:
        """Replace the campaign's periods (their windows) as read at `revision`; False if it changed since."""
        return await self.update(scope, campaign_id, revision=revision, update=_amended({"periods": periods}, audit))


def criteria_set_id(campaign_id: str, period: str, target_group: str, version: int) -> str:
    """Versions of a (campaign, period, target group) set are numbered from 1 without gaps, each id derived."""
    return str(derived_id("criteria_set", campaign_id, period, target_group, version))


class CriteriaSetRepository(ScopedRepository[CriteriaSet]):
    async def latest(self, scope: Scope, *, campaign_id: str, period: str, target_group: str) -> CriteriaSet | None:
        """Read version after version by id until one is missing: a few lookups FerretDB answers from its `_id`
        index, where a filter on the other fields would decode every criteria set of every commune."""
        found: CriteriaSet | None = None
        for version in count(1):
            document = await self.get(scope, criteria_set_id(campaign_id, period, target_group, version))
            if document is None:
                return found
            found = document
        raise AssertionError("unreachable")

    async def present(self, scope: Scope, campaign_id: str) -> set[tuple[str, str]]:
        """The (period, target group) pairs of a campaign that have a criteria set, in one read."""
        cursor = self.collection.find(scope.apply({"campaign_id": campaign_id}), {"period": 1, "target_group": 1})
        return {(document["period"], document["target_group"]) async for document in cursor}

    async def freeze(self, scope: Scope, set_id: str, *, actor: str, at: datetime) -> None:
        """Mark a version as used by a dossier; from now on an adaptation makes a new version."""

        async def change(current: CriteriaSet) -> Revision | None:
            if current["frozen"]:
                return None
            entry = {"at": at, "actor": actor, "action": "frozen", "changes": {"version": current["version"]}}
            return Revision({"$set": {"frozen": True}, "$push": {"audit": entry}})

        await self.revise(scope, set_id, change)

    async def adapt(
        self,
        scope: Scope,
        set_id: str,
        *,
        revision: int,
        content: Document,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """New content for the (unfrozen) version as read at `revision`, updated at the time of its audit entry;
        False if it changed since."""
        fields = {"content": content, "updated_at": audit["at"]}
        return await self.update(scope, set_id, revision=revision, update=_amended(fields, audit), events=events)


class EntrantRepository(ScopedRepository[Entrant]):
    async def focal_units(self, scope: Scope, username: str) -> list[str]:
        """Collectives whose focal officers (cán bộ đầu mối) include this user."""
        return [doc["_id"] for doc in await self.find(scope, {"focal_users": username, "kind": "collective"})]

    async def people_of(self, scope: Scope, unit_ids: list[str]) -> list[str]:
        if not unit_ids:
            return []
        return [doc["_id"] for doc in await self.find(scope, {"unit_id": {"$in": unit_ids}})]

    async def by_natural_keys(self, scope: Scope, keys: list[str]) -> list[Entrant]:
        return await self.find(scope, {"natural_key": {"$in": keys}}, limit=len(keys) or 1)

    async def unannounced(self) -> list[tuple[Scope, str]]:
        """Across communes, each in its own scope: the entrants whose `entrant.recorded` was never written (created
        before the event existed), by id; read once per worker start from the index on `announced_at`, where a
        missing field is null."""
        cursor = self.collection.find({"announced_at": None}, {"tenant": 1, "province": 1})
        return [(Scope(tenant=d["tenant"], province=d["province"]), str(d["_id"])) async for d in cursor]

    async def announce(
        self, scope: Scope, entrant_id: str, *, event: Callable[[Entrant], Envelope], audit: EntryAt
    ) -> bool:
        """Mark the entrant announced, with the `event` it makes of the entrant as read in the same change (the
        outbox); False when it is missing or was announced meanwhile."""

        async def change(current: Entrant) -> Revision | None:
            if "announced_at" in current:
                return None
            at = now()
            return Revision(_amended({"announced_at": at}, audit(at)), [event(current)])

        return await self.revise(scope, entrant_id, change) is not None

    async def listed(
        self,
        scope: Scope,
        *,
        entrants: Collection[str] | None,
        group: str | None,
        kind: str | None,
        unit_id: str | None,
        skip: int,
        limit: int,
    ) -> Listing[Entrant]:
        """A page of the entrants in scope by name: of `entrants` only (None: all), of a target group, a kind and a
        unit, as asked."""
        query = narrowed(_owned_by(entrants, "_id"), (("target_group", group), ("kind", kind), ("unit_id", unit_id)))
        return await self.page(scope, query, skip=skip, limit=limit, sort=("name", 1))


class RegistrationRepository(EntrantOwnedRepository[Registration]):
    """Entrants' registrations per period, with their own targets."""

    async def listed(
        self,
        scope: Scope,
        *,
        entrants: Collection[str] | None,
        period: str | None,
        group: str | None,
        entrant: str | None,
        skip: int,
        limit: int,
    ) -> Listing[Registration]:
        """A page of the registrations in scope, newest first: of `entrants` only (None: all), of a period, a target
        group and an entrant, as asked."""
        filters = (("period", period), ("entrant.target_group", group), ("entrant.id", entrant))
        return await self.page(scope, narrowed(_owned_by(entrants), filters), skip=skip, limit=limit)

    async def counted(
        self, scope: Scope, period: str, *, entrants: Collection[str] | None
    ) -> dict[tuple[str, str], int]:
        """How many registrations in scope for the period, of `entrants` only (None: all), per (commune, target
        group): counted by the database, which sends the counts, not the registrations."""
        pipeline = [
            {"$match": scope.apply({"period": period, **_owned_by(entrants)})},
            {"$group": {"_id": {"tenant": "$tenant", "group": "$entrant.target_group"}, "n": {"$sum": 1}}},
        ]
        counts: dict[tuple[str, str], int] = {}
        async for row in await self.collection.aggregate(pipeline):
            counts[(str(row["_id"]["tenant"]), str(row["_id"]["group"]))] = int(row["n"])
        return counts


class SubmissionRepository(EntrantOwnedRepository[Submission]):
    """Dossiers: their evidence, attachments and status, one active per entrant and period (`active_key`)."""

    async def listed(
        self,
        scope: Scope,
        *,
        entrants: Collection[str] | None,
        period: str | None,
        group: str | None,
        theme: int | None,
        status: str | None,
        entrant: str | None,
        skip: int,
        limit: int,
    ) -> Listing[Submission]:
        """A page of the dossiers in scope, newest first: of `entrants` only (None: all), of a period, a target group,
        a theme, a status and an entrant, as asked."""
        filters = (
            ("period", period),
            ("entrant.target_group", group),
            ("themes", theme),
            ("status", status),
            ("entrant.id", entrant),
        )
        return await self.page(scope, narrowed(_owned_by(entrants), filters), skip=skip, limit=limit)

    async def report(
        self,
        scope: Scope,
        submission_id: str,
        *,
        criterion: str,
        theme: int,
        evidence: Document,
        check: Callable[[Submission], None],
        audit: EntryAt,
    ) -> Submission | None:
        """Set a criterion's evidence (its attachments kept) and count its theme, rebuilt on the newer revision when
        another change came first (writes to other criteria commute with it); `check` raises when the dossier as
        read may not take it. The dossier, or None when it is missing."""

        async def change(current: Submission) -> Revision:
            check(current)
            at = now()
            attachments = current["evidence"].get(criterion, {}).get("attachments", [])
            fields = {
                f"evidence.{criterion}": {**evidence, "attachments": attachments},
                "themes": sorted(set(current["themes"]) | {theme}),
                "updated_at": at,
            }
            return Revision(_amended(fields, audit(at)))

        return await self.revise(scope, submission_id, change)

    async def attach(
        self, scope: Scope, submission_id: str, *, revision: int, criterion: str, ref: AttachmentRef, audit: Document
    ) -> bool:
        """Add an attachment (`ref`) to a criterion of the dossier as read at `revision`, updated at the time of its
        audit entry; False if it changed since."""
        update = {
            "$push": {f"evidence.{criterion}.attachments": ref, "audit": audit},
            "$set": {"updated_at": audit["at"]},
        }
        return await self.update(scope, submission_id, revision=revision, update=update)

    async def detach(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        criterion: str,
        remaining: list[AttachmentRef],
        audit: Document,
    ) -> bool:
        """Leave a criterion of the dossier as read at `revision` with the `remaining` attachments, updated at the
        time of its audit entry; False if it changed since."""
        fields = {f"evidence.{criterion}.attachments": remaining, "updated_at": audit["at"]}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit))

    async def mark_submitted(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        version: int,
        by: str,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` submitted (or resubmitted) as `version`, at the time of its audit entry;
        False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "version": version, "submitted_at": at, "submitted_by": by, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def mark_returned(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        reasons: list[CorrectionReason],
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` returned for correction with its `reasons`, at the time of its audit
        entry; False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "return_reasons": reasons, "returned_at": at, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def mark_withdrawn(
        self,
        scope: Scope,
        submission_id: str,
        *,
        revision: int,
        status: str,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """The dossier as read at `revision` withdrawn at the time of its audit entry; its `active_key` no longer
        holds the entrant's period (one_active_dossier), so a new dossier may be made. False if it changed since."""
        at = audit["at"]
        fields = {"status": status, "active_key": f"withdrawn|{submission_id}", "withdrawn_at": at, "updated_at": at}
        return await self.update(scope, submission_id, revision=revision, update=_amended(fields, audit), events=events)

    async def record_completeness(
        self, scope: Scope, submission_id: str, *, revision: int, result: CompletenessCheck, audit: Document
    ) -> bool:
        """The officer's completeness check of the dossier as read at `revision`; False if it changed since."""
        return await self.update(
            scope, submission_id, revision=revision, update=_amended({"completeness": result}, audit)
        )


class AttachmentRepository(EntrantOwnedRepository[Attachment]):
    async def forget(self, scope: Scope, attachment_id: str) -> None:
        """Delete an attachment's record (an upload the dossier did not take: nothing may refer to it)."""
        await self.collection.delete_one(scope.apply({"_id": attachment_id}))


def chunk_id(blob_id: str, number: int) -> str:
    return f"{blob_id}:{number:06d}"


class MongoChunkStore:
    """Attachment bytes as fixed-size chunks in the service's own database (docs/adr/0005-attachment-storage.md).
    Chunks are addressed by `_id` = "<blob id>:<chunk number>", the only lookup FerretDB 1.x serves without
    scanning."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._chunks = collection

    async def write_file(self, blob_id: str, path: Path) -> int:
        """Copy a file into chunks; returns how many were written."""
        written = 0
        with path.open("rb") as source:
            while data := source.read(CHUNK_BYTES):
                await self._chunks.replace_one(
                    {"_id": chunk_id(blob_id, written)}, {"data": Binary(data), "n": written}, upsert=True
                )
                written += 1
        return written

    async def read(self, blob_id: str, chunks: int) -> AsyncIterator[bytes]:
        for number in range(chunks):
            chunk = await self._chunks.find_one({"_id": chunk_id(blob_id, number)})
            if chunk is None:
                raise LookupError(f"chunk {number} of {blob_id} is missing")
            yield bytes(chunk["data"])

    async def delete(self, blob_id: str, chunks: int) -> None:
        await self._chunks.delete_many({"_id": {"$in": [chunk_id(blob_id, n) for n in range(chunks)]}})


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
    # uniqueness the domain relies on: one entrant per name and unit, one active dossier per entrant and period
    index(ENTRANTS, "natural_key", unique=True, label="entrant_natural_key"),
    index(SUBMISSIONS, "active_key", unique=True, label="one_active_dossier"),
    *scoped([TEMPLATES, CAMPAIGNS, ATTACHMENTS]),
    *scoped([CRITERIA_SETS], "period"),
    # lists are walked in their order from the index, a page at a time (ADR 0016, amended): by name, newest first
    *scoped([ENTRANTS], "name", "_id"),
    # a submitter's own units and their people, looked up on each of their requests
    *scoped([ENTRANTS], "focal_users", "kind"),
    *scoped([ENTRANTS], "unit_id"),
    # the entrants created before `entrant.recorded` existed, announced by the worker when it starts (across communes)
    index(ENTRANTS, "announced_at"),
    *scoped([REGISTRATIONS, SUBMISSIONS], "period", "-created_at", "-_id"),
    # a submitter's: their own units' and people's, of a period, newest first
    index(REGISTRATIONS, "tenant", "entrant.id", "period", "-created_at", "-_id"),
    index(SUBMISSIONS, "tenant", "entrant.id", "period", "-created_at", "-_id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
