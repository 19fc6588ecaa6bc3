"""The award history: every award in scope, by entrant, period or who filed the dossier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from awards.domain.aggregates import HistoryEntry
from awards.repository.common import Listing, one_of
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope


class HistoryRepository(ScopedRepository[HistoryEntry]):
    async def of_entrants(self, scope: Scope, entrant_ids: Sequence[str]) -> list[HistoryEntry]:
        """Every award in scope of these entrants, in one read."""
        return await self.find(scope, {"entrant.id": {"$in": list(entrant_ids)}}, limit=100_000)

    async def listed(
        self,
        scope: Scope,
        *,
        entrant_ids: Sequence[str],
        period: str | None,
        filed_by: str | None,
        skip: int,
        limit: int,
    ) -> Listing[HistoryEntry]:
        """A page of the awards in scope, newest recorded first: of the named entrants only when some are named (all in
        one query), of one period, of the dossiers one person filed (`submitted_by`), as asked."""
        query: dict[str, Any] = {}
        if entrant_ids:
            query["entrant.id"] = one_of(entrant_ids)
        if period:
            query["period"] = period
        if filed_by:
            query["submitted_by"] = filed_by
        return await self.page(scope, query, skip=skip, limit=limit, sort=("recorded_at", -1))
