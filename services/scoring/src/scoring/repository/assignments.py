"""Reviews asked of council members, and the slots that list each dossier's assignments."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from itertools import count
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from scoring.domain.aggregates import Assignment, AuditEntry
from scoring.domain.lifecycle import AssignmentStatus
from scoring.repository.documents import EntryAt, _amended
from thidua_platform.audit import now
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document, insert_once
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

ASSIGNMENTS = "assignments"
ASSIGNMENT_SLOTS = "assignment_slots"  # a dossier's assignments, listed by id (see AssignmentRepository)
SLOTS_COMPLETE = "every-assignment-slotted"  # the mark that assignments from before the slots are listed
LOAD_TTL = 30.0  # seconds a scan of the members' open load is reused


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
