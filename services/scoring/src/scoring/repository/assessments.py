"""A reviewer's points for each criterion of a version they review."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.domain.aggregates import Assessment, AuditEntry
from scoring.repository.documents import _amended
from thidua_platform.envelope import Envelope
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

ASSESSMENTS = "assessments"


class AssessmentRepository(ScopedRepository[Assessment]):
    """A reviewer's points for one criterion of one version, `_id` = `<version id>:<reviewer>:<criterion>`."""

    async def reassess(
        self,
        scope: Scope,
        assessment_id: str,
        *,
        revision: int,
        points: float,
        comment: str | None,
        audit: AuditEntry,
        events: Sequence[Envelope] = (),
    ) -> bool:
        """New points (and comment) for the assessment as read at `revision`, updated at the time of its audit
        entry; False if it changed since."""
        fields = {"points": points, "comment": comment, "updated_at": audit["at"]}
        return await self.update(scope, assessment_id, revision=revision, update=_amended(fields, audit), events=events)
