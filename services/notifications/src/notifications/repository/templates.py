"""A commune's versions of its message templates."""

from __future__ import annotations

from notifications.domain.aggregates import CommuneTemplate
from thidua_platform.indexes import scoped
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

TEMPLATES = "templates"


class TemplateRepository(ScopedRepository[CommuneTemplate]):
    """A commune's template versions: `_id` "<tenant>:<kind>:<version>", inserted once, never changed."""

    async def latest(self, scope: Scope, kind: str) -> CommuneTemplate | None:
        found = await self.find(scope, {"kind": kind}, limit=1, sort=("version", -1))
        return found[0] if found else None

    async def versions(self, scope: Scope, kind: str) -> list[CommuneTemplate]:
        return await self.find(scope, {"kind": kind}, limit=200, sort=("version", -1))


INDEXES = scoped([TEMPLATES])
