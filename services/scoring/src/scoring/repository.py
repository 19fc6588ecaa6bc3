"""Every Mongo query of the scoring service, tenant-scoped for reads."""

from __future__ import annotations

from thidua_shared.mongo import Document
from thidua_shared.repository import ScopedRepository
from thidua_shared.tenancy import Scope

COLLECTION = "scores"


class ScoreRepository(ScopedRepository):
    async def latest(self, scope: Scope, submission_id: str) -> Document | None:
        found = await self.find(scope, {"submission_id": submission_id}, limit=1, sort=("submission_version", -1))
        return found[0] if found else None
