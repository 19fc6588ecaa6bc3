"""The showcase: awards a commune published for its province, and their withdrawal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from awards.domain.aggregates import AuditEntry, ShowcaseEntry
from awards.domain.showcase import publish_action, withdraws
from awards.repository.common import _amended
from thidua_platform.audit import entry
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope


class ShowcaseRepository(ScopedRepository[ShowcaseEntry]):
    async def publish_again(
        self, scope: Scope, item_id: str, *, title: str, story: str, consent: bool, actor: str, at: datetime
    ) -> ShowcaseEntry | None:
        """Publish an item that exists with this title and story: again after a withdrawal (it comes first in the
        list again), or with its text edited; None when it has them already, or is missing. The audit entry records
        whether the officer confirmed the person's consent."""

        async def change(current: ShowcaseEntry) -> Revision | None:
            action = publish_action(current, title=title, story=story)
            if action is None:
                return None
            fields: dict[str, Any] = {"title": title, "story": story, "status": "published", "updated_at": at}
            if action == "published":
                fields["published_at"] = at
            changes = {k: v for k, v in fields.items() if k != "updated_at"}
            return Revision(_amended(fields, entry(actor, action, at, consent=consent, **changes)))

        return await self.revise(scope, item_id, change)

    async def withdraw(self, scope: Scope, item_id: str, *, audit: AuditEntry) -> ShowcaseEntry | None:
        """Take the item off the showcase (None: missing, or withdrawn already)."""

        async def change(current: ShowcaseEntry) -> Revision | None:
            if not withdraws(current):
                return None
            return Revision(_amended({"status": "withdrawn", "updated_at": audit["at"]}, audit))

        return await self.revise(scope, item_id, change)
