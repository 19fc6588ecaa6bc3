"""A dossier's council assignments, found through their slots on the real database: every version's assignments in
the order they were made, nothing of another commune, a crash between slot and assignment harmless, assignments
made before the slots listed once, and the members' open load."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from scoring.repository import AssignmentRepository, repositories
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

HERE = Scope(tenant="ph-37-lien-minh", province="37")
THERE = Scope(tenant="ph-37-tam-diep", province="37")


@pytest.fixture
async def assignments() -> AsyncIterator[AssignmentRepository]:
    async with scratch_database() as database:
        yield repositories(database).assignments


def assignment(submission: str, version: int, reviewer: str, status: str = "pending", scope: Scope = HERE) -> Any:
    return {
        "_id": f"{submission}:{version}:{reviewer}",
        "tenant": scope.tenant,
        "province": scope.province,
        "submission_id": submission,
        "submission_version": version,
        "period": "2026",
        "reviewer": reviewer,
        "status": status,
        "audit": [],
    }


async def test_a_dossiers_assignments_of_every_version_in_order_and_only_within_the_commune(
    assignments: AssignmentRepository,
) -> None:
    made = [assignment("s1", 1, "a"), assignment("s1", 1, "b", "recused"), assignment("s1", 2, "c")]
    for document in [*made, assignment("s2", 1, "a")]:
        assert await assignments.add(document)
    assert [a["_id"] for a in await assignments.of_dossier(HERE, "s1")] == [d["_id"] for d in made]
    assert [a["reviewer"] for a in await assignments.of_version(HERE, "s1", 2)] == ["c"]
    assert await assignments.of_dossier(THERE, "s1") == []  # another commune's dossier does not exist for it
    assert not await assignments.add(made[0])  # the same assignment again: no second assignment, no second slot
    assert await assignments.slots.count_documents({"_id": {"$regex": "^s1#"}}) == 3


async def test_a_slot_whose_assignment_never_came_is_skipped(assignments: AssignmentRepository) -> None:
    await assignments.slots.insert_one(
        {"_id": "s1#1", "assignment_id": "s1:1:gone", "tenant": HERE.tenant, "province": HERE.province}
    )
    assert await assignments.add(assignment("s1", 1, "a"))
    assert [a["reviewer"] for a in await assignments.of_dossier(HERE, "s1")] == ["a"]


async def test_assignments_made_before_the_slots_are_listed_once(assignments: AssignmentRepository) -> None:
    earlier = [assignment("s1", 1, "a"), assignment("s1", 1, "b"), assignment("s3", 1, "a", scope=THERE)]
    await assignments.collection.insert_many([{**d, "revision": 1, "applied_changes": []} for d in earlier])
    assert await assignments.of_dossier(HERE, "s1") == []
    assert await assignments.list_unslotted() == 3
    later = assignment("s4", 1, "a")  # written around the repository after the listing: the mark stops a new scan
    await assignments.collection.insert_one({**later, "revision": 1, "applied_changes": []})
    assert await assignments.list_unslotted() == 0
    assert await assignments.of_dossier(HERE, "s4") == []
    assert {a["reviewer"] for a in await assignments.of_dossier(HERE, "s1")} == {"a", "b"}
    assert [a["_id"] for a in await assignments.of_dossier(THERE, "s3")] == ["s3:1:a"]


async def test_the_open_load_counts_pending_reviews_and_what_this_process_assigned_since(
    assignments: AssignmentRepository,
) -> None:
    for document in (assignment("s1", 1, "a"), assignment("s2", 1, "a"), assignment("s1", 1, "b", "done")):
        await assignments.add(document)
    assert await assignments.open_load(HERE) == {"a": 2}
    await assignments.add(assignment("s3", 1, "b"))
    assert await assignments.open_load(HERE) == {"a": 2, "b": 1}
    assert await assignments.open_load(THERE) == {}
