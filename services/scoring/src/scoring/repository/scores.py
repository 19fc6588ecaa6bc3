"""Provisional scores (one per submitted version, with the evidence they were computed from) and final scores."""

from __future__ import annotations

from collections.abc import Collection

from scoring.domain.aggregates import Score
from scoring.domain.lifecycle import ScoreStatus
from scoring.repository.documents import EntryAt, _amended
from scoring.repository.versions import VersionedRepository
from thidua_platform.audit import now
from thidua_platform.repository import Revision
from thidua_platform.tenancy import Scope

SCORES = "scores"  # provisional score per submitted version, with the evidence it was computed from
FINALS = "finals"  # final score per version


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
