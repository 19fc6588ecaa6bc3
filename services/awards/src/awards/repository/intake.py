"""What the worker keeps of other services' aggregates: scores and dossiers, version by version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

from awards.domain.aggregates import AuditEntry, Dossier, Score
from awards.repository.common import _amended, one_of
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

Kept = TypeVar("Kept", Score, Dossier)  # what the worker keeps of another service's aggregate, version by version


class LatestVersionRepository(ScopedRepository[Kept]):
    """Scores and dossiers: the latest version of each, as other services' events bring them."""

    async def keep_latest(self, scope: Scope, document: Kept, recorded: AuditEntry) -> None:
        """Store the document unless a newer version of it is already there (events may arrive late or twice);
        `recorded` is the audit entry of its arrival."""
        if await self.add(cast(Kept, {**document, "audit": [recorded]})):
            return

        async def newer(current: Kept) -> Revision | None:
            if current.get("version", 0) >= document["version"]:
                return None
            return Revision(_amended({k: v for k, v in document.items() if k != "_id"}, recorded))

        await self.revise(scope, document["_id"], newer)

    async def of_entrants(self, scope: Scope, entrant_ids: Sequence[str]) -> list[Kept]:
        """Every version kept in scope of these entrants, without audit trails, in one read (by tenant, entrant.id)."""
        if not entrant_ids:
            return []
        return await self.find(scope, {"entrant.id": one_of(entrant_ids)}, limit=100_000, audited=False)
