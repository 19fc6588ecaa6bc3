"""Aggregates kept per submission version (scores, final scores): the version ids, and reading the latest."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import count
from typing import Any, cast

from typing_extensions import TypeVar

from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

GAP = 3  # missing versions in a row after which there are no more
WINDOW = 8  # versions of each dossier `latest_of` asks for at once


def version_id(submission_id: str, version: int) -> str:
    """The id of a submission version's score, final score and of the assignments' prefix."""
    return f"{submission_id}:{version}"


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
