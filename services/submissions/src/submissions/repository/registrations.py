"""Entrants' registrations per period, with their own targets."""

from __future__ import annotations

from collections.abc import Collection

from submissions.domain.aggregates import Registration
from submissions.repository.common import EntrantOwnedRepository, Listing, _owned_by
from thidua_platform.indexes import index, scoped
from thidua_platform.repository import narrowed
from thidua_platform.tenancy import Scope

REGISTRATIONS = "registrations"


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


INDEXES = [
    # lists are walked in their order from the index, a page at a time (ADR 0016, amended): newest first
    *scoped([REGISTRATIONS], "period", "-created_at", "-_id"),
    # a submitter's: their own units' and people's, of a period, newest first
    index(REGISTRATIONS, "tenant", "entrant.id", "period", "-created_at", "-_id"),
]
