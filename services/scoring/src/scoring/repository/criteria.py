"""The criteria sets submissions published, as their events carried them."""

from __future__ import annotations

from scoring.domain.aggregates import CriteriaSet
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

CRITERIA_SETS = "criteria_sets"


class CriteriaSetRepository(ScopedRepository[CriteriaSet]):
    """The criteria sets submissions published, kept from their events under their own ids."""

    async def keep(self, scope: Scope, criteria_set_id: str, *, published: Document) -> None:
        """Store a published set within its commune (or province), replacing the copy a redelivery stored."""
        await self.collection.replace_one(
            {"_id": criteria_set_id, **scope.filter()},
            {"tenant": scope.tenant, "province": scope.province, **published},
            upsert=True,
        )
