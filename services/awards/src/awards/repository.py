"""Every Mongo query of the awards service, tenant-scoped for reads."""

from __future__ import annotations

from typing import Any

from thidua_shared.mongo import Document
from thidua_shared.repository import ScopedRepository
from thidua_shared.tenancy import Scope

COLLECTION = "candidates"


class CandidateRepository(ScopedRepository):
    async def list(self, scope: Scope, *, period: str | None, limit: int) -> list[Document]:
        query: dict[str, Any] = {"eligible": True}
        if period:
            query["period"] = period
        return await self.find(scope, query, limit=limit, sort=("evaluated_at", -1))
