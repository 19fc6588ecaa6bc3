"""Every Mongo query of the scoring service, within a Scope; writes go through the change log."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from typing import Any, cast

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from typing_extensions import TypeVar

from scoring.domain.aggregates import (
    Assessment,
    Assignment,
    AssignmentStatus,
    AuditEntry,
    Council,
    CriteriaSet,
    Entrant,
    Evidence,
    Final,
    Index,
    IndexFields,
    IndexMark,
    KnownEntrant,
    Member,
    PillarSettings,
    Policy,
    ProvinceSettings,
    Score,
    ScoredCriterion,
    ScoreStatus,
)
from scoring.domain.index import IndexSettings
from thidua_shared.audit import now
from thidua_shared.council import CouncilMember
from thidua_shared.events import CriterionEvidence, CriterionScore, EntrantRef, Envelope, ScoringPolicy
from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document, insert_once
from thidua_shared.repository import Revision, ScopedRepository
from thidua_shared.tenancy import Scope

SCORES = "scores"  # provisional score per submitted version, with the evidence it was computed from
FINALS = "finals"  # final score per version
COUNCILS = "councils"
ASSIGNMENTS = "assignments"
ASSESSMENTS = "assessments"
INDEXES = "indexes"
INDEX_QUEUE = "index_queue"  # communes whose index a final score (or a return, a withdrawal) has made stale
INDEX_SETTINGS = "index_settings"
CRITERIA_SETS = "criteria_sets"
ASSIGNMENT_SLOTS = "assignment_slots"  # a dossier's assignments, listed by id (see AssignmentRepository)
ENTRANTS = "entrants"  # every entrant of each commune, as submissions announced it (`entrant.recorded`)
SLOTS_COMPLETE = "every-assignment-slotted"  # the mark that assignments from before the slots are listed
LOAD_TTL = 30.0  # seconds a scan of the members' open load is reused


GAP = 3  # missing versions in a row after which there are no more
WINDOW = 8  # versions of each dossier `latest_of` asks for at once


def version_id(submission_id: str, version: int) -> str:
    """The id of a submission version's score, final score and of the assignments' prefix."""
    return f"{submission_id}:{version}"


# --- the events' models as documents keep them: `model_dump()` (a `dict[str, Any]`) typed as the part of the aggregate
# it is, here only (scoring.domain.aggregates declares each part with its model's fields)


def stored_entrant(entrant: EntrantRef) -> Entrant:
    return cast(Entrant, entrant.model_dump())


def stored_evidence(criteria: Iterable[CriterionEvidence]) -> list[Evidence]:
    return [cast(Evidence, criterion.model_dump()) for criterion in criteria]


def stored_criteria(criteria: Iterable[CriterionScore]) -> list[ScoredCriterion]:
    return [cast(ScoredCriterion, criterion.model_dump()) for criterion in criteria]


def stored_policy(policy: ScoringPolicy) -> Policy:
    return cast(Policy, policy.model_dump())


def stored_members(members: Iterable[CouncilMember]) -> list[Member]:
    return [cast(Member, member.model_dump()) for member in members]


def stored_settings(settings: IndexSettings) -> PillarSettings:
    return cast(PillarSettings, settings.model_dump())


EntryAt = Callable[[datetime], AuditEntry]  # a change's audit entry, given when the change is made (each attempt)


def _amended(fields: Mapping[str, Any], entry: AuditEntry) -> dict[str, Any]:
    """The update that sets `fields` and appends `entry` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": entry}}


Versioned = TypeVar("Versioned", bound=Mapping[str, Any])  # an aggregate kept per submission version


class VersionedRepository(ScopedRepository[Versioned]):
    """Documents kept per submission version, each with the id `version_id`; the latest version supersedes."""

    async def latest(self, scope: Scope, submission_id: str) -> Versioned | None:
        """Versions count from 1 as the dossier is submitted again: read their ids in turn (FerretDB answers only a
        lone `_id` from an index; a filter on `submission_id` decoded every score) and stop after `GAP` missing in
        a row (a version whose event was dead-lettered leaves a hole)."""
        found: Versioned | None = None
        misses = 0
        for version in count(1):
            document = await self.get(scope, version_id(submission_id, version))
            if document is not None:
                found, misses = document, 0
            elif (misses := misses + 1) == GAP:
                break
        return found

    async def latest_of(self, scope: Scope, submission_ids: Collection[str]) -> dict[str, Versioned]:
        """`latest` of several dossiers at once, by submission id (a dossier with none is absent): their versions'
        ids read in windows of `WINDOW` versions, each window one `$in` on `_id` for every dossier still walking,
        then walked as `latest` walks them. One query unless a dossier was submitted again many times."""
        found: dict[str, Versioned] = {}
        misses = dict.fromkeys(submission_ids, 0)  # the dossiers still walking: missing versions in a row so far
        first = 1
        while misses:
            versions = range(first, first + WINDOW)
            wanted = [version_id(s, v) for s in misses for v in versions]
            read = await self.of_versions(scope, wanted)
            for submission_id in list(misses):
                for version in versions:
                    document = read.get(version_id(submission_id, version))
                    if document is not None:
                        found[submission_id], misses[submission_id] = document, 0
                    elif (missed := misses[submission_id] + 1) == GAP:
                        del misses[submission_id]
                        break
                    else:
                        misses[submission_id] = missed
            first += WINDOW
        return found

    async def of_versions(self, scope: Scope, ids: Collection[str]) -> dict[str, Versioned]:
        """The documents of these version ids (`version_id`) that exist, by id: one `$in` on `_id`."""
        if not ids:
            return {}
        return {d["_id"]: d for d in await self.find(scope, {"_id": {"$in": list(ids)}}, limit=len(ids))}

    async def latest_per_submission(
        self, scope: Scope, query: dict[str, Any], *, fields: Sequence[str] = ()
    ) -> list[Versioned]:
        """The latest version of each dossier matching `query`; only the `fields` named (with the dossier's id and
        version) when some are, for a reader of many dossiers that needs little of each (a ranking): those documents
        have no other key, whatever their type says."""
        if not fields:
            found = await self.find(scope, query, limit=100_000, sort=("submission_version", 1))
        else:
            shown = dict.fromkeys(("submission_id", "submission_version", *fields), 1)
            cursor = self.collection.find(scope.apply(query), shown).sort("submission_version", 1).limit(100_000)
            found = [cast(Versioned, document) async for document in cursor]
        return list({document["submission_id"]: document for document in found}.values())

    async def latest_in_period(
        self, scope: Scope, period: str, *, group: str | None = None, fields: Sequence[str] = ()
    ) -> list[Versioned]:
        """`latest_per_submission` of the period's dossiers, or of one target group's only (a dossier keeps its
        entrant, hence its group, from version to version): read from the index on the commune, the period and the
        group, so that a group's ranking reads that group's documents and no other's."""
        query: dict[str, Any] = {"period": period}
        if group is not None:
            query["entrant.target_group"] = group
        return await self.latest_per_submission(scope, query, fields=fields)


class ScoreRepository(VersionedRepository[Score]):
    """Provisional scores, one per submitted version."""

    async def mark_status(
        self, scope: Scope, score_id: str, status: ScoreStatus, *, unless: Collection[str], audit: EntryAt
    ) -> bool:
        """Set the score's status (re-reading on a concurrent change); False when it is missing or its status is
        one of `unless`."""

        async def change(score: Score) -> Revision | None:
            if score["status"] in unless:
                return None
            return Revision(_amended({"status": status}, audit(now())))

        return await self.revise(scope, score_id, change) is not None

    async def communes_of_entrants(self, entrant_ids: Collection[str]) -> dict[str, set[str]]:
        """The communes (tenants) whose dossiers name each of `entrant_ids`, as their entrant or as an individual's
        unit; an id no dossier names is left out. Read across communes on purpose: to tell a commune's own entrants
        from another commune's (served by the indexes on `entrant.id` and `entrant.unit_id`)."""
        wanted = sorted(set(entrant_ids))
        communes: dict[str, set[str]] = {}
        if not wanted:
            return communes
        for key in ("id", "unit_id"):
            cursor = self.collection.find(
                {f"entrant.{key}": {"$in": wanted}}, {"tenant": 1, "entrant.id": 1, "entrant.unit_id": 1}
            )
            async for document in cursor:
                named = document.get("entrant", {}).get(key)
                if named in wanted:
                    communes.setdefault(named, set()).add(str(document.get("tenant")))
        return communes


class KnownEntrantRepository(ScopedRepository[KnownEntrant]):
    """The entrants submissions announced, each within its commune under its own id."""

    async def keep(self, entrant: KnownEntrant) -> None:
        """Store an announced entrant within its commune, replacing the copy a redelivery stored. An id kept for
        another commune is not replaced: the database refuses the second `_id`, and the event is dead-lettered."""
        await self.collection.replace_one(
            {"_id": entrant["_id"], "tenant": entrant["tenant"], "province": entrant["province"]},
            cast(Document, entrant),
            upsert=True,
        )

    async def communes_of(self, entrant_ids: Collection[str]) -> dict[str, str]:
        """The commune (tenant) of each of `entrant_ids` that was announced; the others are left out. Read across
        communes on purpose, by `_id`: to tell a commune's own entrants from another commune's and from none."""
        wanted = sorted(set(entrant_ids))
        if not wanted:
            return {}
        cursor = self.collection.find({"_id": {"$in": wanted}}, {"tenant": 1})
        return {str(document["_id"]): str(document["tenant"]) async for document in cursor}


class CouncilRepository(ScopedRepository[Council]):
    """Each commune's council roster, `_id` = the commune."""

    async def set_members(
        self, scope: Scope, council_id: str, *, revision: int, members: list[Member], audit: AuditEntry
    ) -> bool:
        """Replace the roster as read at `revision`, updated at the time of its audit entry; False if it changed
        since."""
        fields = {"members": members, "updated_at": audit["at"]}
        return await self.update(scope, council_id, revision=revision, update=_amended(fields, audit))


class AssessmentRepository(ScopedRepository[Assessment]):
    """A reviewer's points for one criterion of one version, `_id` = `<version id>:<reviewer>:<criterion>`."""

    async def reassess(
        self,
        scope: Scope,
        assessment_id: str,
        *,
        revision: int,
        points: float,
        comment: str | None,
        audit: AuditEntry,
        events: Sequence[Envelope] = (),
    ) -> bool:
        """New points (and comment) for the assessment as read at `revision`, updated at the time of its audit
        entry; False if it changed since."""
        fields = {"points": points, "comment": comment, "updated_at": audit["at"]}
        return await self.update(scope, assessment_id, revision=revision, update=_amended(fields, audit), events=events)


@dataclass(frozen=True)
class IndexComputation:
    """A commune's index as computed for one attempt to store it: its fields, the audit entry and the events."""

    fields: IndexFields
    audit: AuditEntry
    events: Sequence[Envelope]


class IndexRepository(ScopedRepository[Index]):
    """The digital-transformation index per commune and period, `_id` = `<commune>:<period>`."""

    async def record(
        self,
        index_id: str,
        *,
        tenant: str,
        province: str,
        period: str,
        compute: Callable[[int], Awaitable[IndexComputation]],
    ) -> bool:
        """Store the commune's index as `compute` makes it for the revision it replaces (0: the first), computed
        again on every attempt (a concurrent recomputation leaves no stale value behind). False if the index
        disappeared meanwhile."""
        scope = Scope(tenant=tenant, province=province)
        if await self.get(scope, index_id) is None:
            first = await compute(0)
            document: Index = {
                "_id": index_id,
                "tenant": tenant,
                "province": province,
                "period": period,
                "digital_government": first.fields["digital_government"],
                "digital_economy": first.fields["digital_economy"],
                "digital_society": first.fields["digital_society"],
                "overall": first.fields["overall"],
                "indicators": first.fields["indicators"],
                "computed_at": first.fields["computed_at"],
                "audit": [first.audit],
            }
            if await self.add(document, first.events):
                return True

        async def change(current: Index) -> Revision:
            computed = await compute(current["revision"])
            return Revision(_amended(computed.fields, computed.audit), computed.events)

        return await self.revise(scope, index_id, change) is not None


class IndexSettingsRepository(ScopedRepository[ProvinceSettings]):
    """The index's settings per province, `_id` = the province."""

    async def replace(
        self, scope: Scope, province: str, *, revision: int, settings: PillarSettings, audit: AuditEntry
    ) -> bool:
        """Replace the settings as read at `revision`; False if they changed since."""
        return await self.update(scope, province, revision=revision, update=_amended({"settings": settings}, audit))


class CriteriaSetRepository(ScopedRepository[CriteriaSet]):
    """The criteria sets submissions published, kept from their events under their own ids."""

    async def keep(self, scope: Scope, criteria_set_id: str, *, published: Document) -> None:
        """Store a published set within its commune (or province), replacing the copy a redelivery stored."""
        await self.collection.replace_one(
            {"_id": criteria_set_id, **scope.filter()},
            {"tenant": scope.tenant, "province": scope.province, **published},
            upsert=True,
        )


class AssignmentRepository(ScopedRepository[Assignment]):
    """Reviews asked of council members, `_id` = `<version id>:<reviewer>`.

    FerretDB reads the whole collection for any filter but a lone `_id` (docs/adr/0012), so a dossier's assignments
    are also listed in slots: `assignment_slots` documents `<submission id>#1`, `#2`, … each naming one assignment,
    written (an insert, atomic) before the assignment itself. Reading a dossier's assignments is then a handful of
    lookups by id whatever the size of the collection; a slot whose assignment is missing (a crash between the two
    inserts) is skipped. `list_unslotted` fills the slots of assignments made before them, once per database.

    The members' open load (for choosing the least loaded) is counted from a scan at most `LOAD_TTL` old, plus the
    assignments this process made since: the balance may lag half a minute behind other processes' changes."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        super().__init__(collection)
        self.slots = collection.database[ASSIGNMENT_SLOTS]
        self._load: dict[tuple[str | None, str | None], tuple[float, dict[str, int]]] = {}

    async def add(self, document: Assignment, events: Sequence[Envelope] = ()) -> bool:
        await self._slot(document)
        added = await super().add(document, events)
        cached = self._load.get((document["tenant"], document["province"]))
        if added and cached is not None and document["status"] == "pending":
            cached[1][document["reviewer"]] = cached[1].get(document["reviewer"], 0) + 1
        return added

    async def _slot(self, document: Mapping[str, Any]) -> None:
        """List the assignment in its dossier's next free slot (unless a slot already names it). `document` has at
        least the assignment's `_id`, `submission_id`, `tenant` and `province` (`list_unslotted` reads no more)."""
        for number in count(1):
            slot = {
                "_id": f"{document['submission_id']}#{number}",
                "assignment_id": document["_id"],
                "tenant": document["tenant"],
                "province": document["province"],
            }
            if await insert_once(self.slots, slot):
                return
            taken = await self.slots.find_one({"_id": slot["_id"]})
            if taken is not None and taken["assignment_id"] == document["_id"]:
                return

    async def of_dossier(self, scope: Scope, submission_id: str) -> list[Assignment]:
        """Every assignment of every version of the dossier, in the order they were made."""
        ids: list[str] = []
        for number in count(1):
            slot = await self.slots.find_one({"_id": f"{submission_id}#{number}"})
            if slot is None:
                break
            if scope.admits(slot) and slot["assignment_id"] not in ids:
                ids.append(slot["assignment_id"])
        found = [await self.get(scope, assignment_id) for assignment_id in ids]
        return [assignment for assignment in found if assignment is not None]

    async def of_version(self, scope: Scope, submission_id: str, version: int) -> list[Assignment]:
        return [a for a in await self.of_dossier(scope, submission_id) if a["submission_version"] == version]

    async def pending_of(self, scope: Scope, reviewer: str) -> list[Assignment]:
        """The member's open reviews, from the index on the reviewer and the status: a final score, a return or a
        withdrawal closes them, so these are the reviews still to do and not the member's whole history."""
        return await self.find(scope, {"reviewer": reviewer, "status": "pending"}, limit=10_000)

    async def done_of(self, scope: Scope, submission_ids: Collection[str]) -> list[Assignment]:
        """The finished reviews of these dossiers (any version), from the index on the dossier and the status."""
        if not submission_ids:
            return []
        return await self.find(scope, {"submission_id": {"$in": list(submission_ids)}, "status": "done"}, limit=100_000)

    async def set_status(
        self,
        scope: Scope,
        assignment_id: str,
        status: AssignmentStatus,
        *,
        only_from: Collection[AssignmentStatus],
        audit: EntryAt,
    ) -> bool:
        """Move the assignment to `status`, stamped `<status>_at` with the time of its audit entry (re-reading on a
        concurrent change); False when it is missing or no longer in `only_from`."""

        async def change(current: Assignment) -> Revision | None:
            if current["status"] not in only_from:
                return None
            at = now()
            return Revision(_amended({"status": status, f"{status}_at": at}, audit(at)))

        return await self.revise(scope, assignment_id, change) is not None

    async def close(self, scope: Scope, assignment_id: str, *, revision: int, audit: AuditEntry) -> bool:
        """Close the assignment as read at `revision` (its version is final, returned or withdrawn: it leaves the
        queue and stops counting as load); False if it changed since."""
        return await self.update(scope, assignment_id, revision=revision, update=_amended({"status": "closed"}, audit))

    async def open_load(self, scope: Scope) -> dict[str, int]:
        key = (scope.tenant, scope.province)
        cached = self._load.get(key)
        if cached is None or cached[0] < time.monotonic():
            load: dict[str, int] = {}
            for assignment in await self.find(scope, {"status": "pending"}, limit=100_000):
                load[assignment["reviewer"]] = load.get(assignment["reviewer"], 0) + 1
            cached = self._load[key] = (time.monotonic() + LOAD_TTL, load)
        return dict(cached[1])

    async def list_unslotted(self) -> int:
        """Across communes, once per database (a worker start after that finds its mark and reads nothing): give a
        slot to every assignment made before the slots existed. Returns how many it listed."""
        if await self.slots.find_one({"_id": SLOTS_COMPLETE}) is not None:
            return 0
        by_dossier: dict[str, list[Document]] = {}
        async for assignment in self.collection.find({}, {"submission_id": 1, "tenant": 1, "province": 1, "status": 1}):
            by_dossier.setdefault(assignment["submission_id"], []).append(assignment)
        slotted = 0
        for submission_id, assignments in by_dossier.items():
            scope = Scope(tenant=assignments[0]["tenant"], province=assignments[0]["province"])
            listed = {a["_id"] for a in await self.of_dossier(scope, submission_id)}
            for assignment in assignments:
                if assignment["_id"] not in listed:
                    await self._slot({**assignment, "submission_id": submission_id})
                    slotted += 1
        await insert_once(self.slots, {"_id": SLOTS_COMPLETE, "at": datetime.now(UTC)})
        return slotted


@dataclass
class IndexQueue:
    """Communes whose index must be recomputed. A mark is inserted per cause and never updated, so a mark made while
    a recomputation runs survives it; the worker's index loop reads the marks, recomputes each commune once, and
    deletes exactly the marks it read. (Recomputing reads every final score of the commune and period: once per
    commune and sweep, not once per final score.)"""

    collection: AsyncCollection[Document]

    async def mark(
        self,
        *,
        tenant: str,
        province: str,
        period: str,
        cause: str,
        cause_type: str,
        traceparent: str | None = None,
    ) -> None:
        mark: IndexMark = {
            "_id": f"{tenant}:{period}:{cause}",
            "tenant": tenant,
            "province": province,
            "period": period,
            "cause": cause,
            "cause_type": cause_type,
            "traceparent": traceparent,
            "marked_at": now(),
        }
        await insert_once(self.collection, cast(Document, mark))

    async def marked(self, limit: int = 10_000) -> list[IndexMark]:
        return [cast(IndexMark, mark) async for mark in self.collection.find({}).sort("marked_at", 1).limit(limit)]

    async def done(self, marks: Sequence[IndexMark]) -> None:
        for mark in marks:
            await self.collection.delete_one({"_id": mark["_id"]})


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
    *scoped([COUNCILS, INDEX_SETTINGS, ASSIGNMENT_SLOTS, ENTRANTS]),
    *scoped([SCORES, FINALS, ASSIGNMENTS, ASSESSMENTS, INDEXES, CRITERIA_SETS], "period"),
    index(SCORES, "tenant", "period", "entrant.target_group"),  # a group's ranking reads that group only
    # whose entrant an id of a council roster is, for entrants dossiers named before `entrant.recorded` existed
    # (the announced ones are looked up by `_id`)
    index(SCORES, "entrant.id"),
    index(SCORES, "entrant.unit_id"),
    index(FINALS, "tenant", "period", "entrant.target_group"),
    index(ASSIGNMENTS, "tenant", "reviewer", "status"),  # a member's open reviews, not every review they made
    index(ASSIGNMENTS, "tenant", "submission_id", "status"),  # the reviews done of the queue's dossiers
    index(ASSESSMENTS, "tenant", "submission_id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
