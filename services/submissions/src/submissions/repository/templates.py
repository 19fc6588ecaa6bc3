"""A province's campaign templates."""

from __future__ import annotations

from collections.abc import Sequence

from submissions.domain.aggregates import Template
from submissions.repository.common import _amended
from thidua_platform.envelope import Envelope
from thidua_platform.indexes import scoped
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

TEMPLATES = "campaign_templates"


class TemplateRepository(ScopedRepository[Template]):
    """A province's campaign templates."""

    async def publish(
        self, scope: Scope, template_id: str, *, revision: int, audit: Document, events: Sequence[Envelope]
    ) -> bool:
        """Publish the template as read at `revision`, at the time of its audit entry; False if it changed since."""
        fields = {"status": "published", "published_at": audit["at"]}
        return await self.update(scope, template_id, revision=revision, update=_amended(fields, audit), events=events)


INDEXES = scoped([TEMPLATES])
