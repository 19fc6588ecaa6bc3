"""Each commune's council roster."""

from __future__ import annotations

from typing import Any

from scoring.domain.aggregates import AuditEntry, Council, Member
from scoring.repository.documents import _amended
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

COUNCILS = "councils"


class CouncilRepository(ScopedRepository[Council]):
    """Each commune's council roster, `_id` = the commune."""

    async def set_members(
        self,
        scope: Scope,
        council_id: str,
        *,
        revision: int,
        members: list[Member],
        established_by: dict[str, Any] | None,
        audit: AuditEntry,
    ) -> bool:
        """Replace the roster and the decision that established it, as read at `revision`, updated at the time of its
        audit entry; False if it changed since."""
        fields = {"members": members, "established_by": established_by, "updated_at": audit["at"]}
        return await self.update(scope, council_id, revision=revision, update=_amended(fields, audit))
