"""A province's prize-money settings (the last write wins, audited) and the commune's fund: its movements, a page at
a time newest first, and its balance, summed by the database over the commune's movements only."""

from __future__ import annotations

from awards.domain.aggregates import AuditEntry, FundMovement, ProvincePrizeSettings
from awards.repository.common import Listing, _amended
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope


class PrizeSettingsRepository(ScopedRepository[ProvincePrizeSettings]):
    async def set_settings(
        self, scope: Scope, document: ProvincePrizeSettings, audit: AuditEntry
    ) -> ProvincePrizeSettings:
        """Create the province's settings, or replace them (the last write wins), audited by `audit`."""
        fields = {"settings": document["settings"], "updated_at": document["updated_at"]}
        return await self.put(scope, {**document, "audit": [audit]}, _amended(fields, audit))


class FundRepository(ScopedRepository[FundMovement]):
    async def record(self, movement: FundMovement) -> bool:
        """Keep the movement; False if one with its id exists (a decision's payment recorded again)."""
        return await self.add(movement)

    async def listed(self, scope: Scope, *, skip: int, limit: int) -> Listing[FundMovement]:
        """A page of the commune's movements, the latest day first."""
        return await self.page(scope, {}, skip=skip, limit=limit, sort=("on", -1))

    async def balance(self, scope: Scope) -> int:
        """Receipts less expenses, over the commune's movements."""
        pipeline = [{"$match": scope.filter()}, {"$group": {"_id": None, "balance": {"$sum": "$delta"}}}]
        async for row in await self.collection.aggregate(pipeline):
            return int(row["balance"])
        return 0
