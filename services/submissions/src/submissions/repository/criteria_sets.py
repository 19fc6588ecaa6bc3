"""A campaign's criteria sets: one per (period, target group), in versions numbered from 1."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import count

from submissions.domain.aggregates import CriteriaSet
from submissions.repository.common import _amended
from thidua_platform.envelope import Envelope, derived_id
from thidua_platform.indexes import scoped
from thidua_platform.mongo import Document
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

CRITERIA_SETS = "criteria_sets"


def criteria_set_id(campaign_id: str, period: str, target_group: str, version: int) -> str:
    """Versions of a (campaign, period, target group) set are numbered from 1 without gaps, each id derived."""
    return str(derived_id("criteria_set", campaign_id, period, target_group, version))


class CriteriaSetRepository(ScopedRepository[CriteriaSet]):
    async def latest(self, scope: Scope, *, campaign_id: str, period: str, target_group: str) -> CriteriaSet | None:
        """Read version after version by id until one is missing: a few lookups FerretDB answers from its `_id`
        index, where a filter on the other fields would decode every criteria set of every commune."""
        found: CriteriaSet | None = None
        for version in count(1):
            document = await self.get(scope, criteria_set_id(campaign_id, period, target_group, version))
            if document is None:
                return found
            found = document
        raise AssertionError("unreachable")

    async def present(self, scope: Scope, campaign_id: str) -> set[tuple[str, str]]:
        """The (period, target group) pairs of a campaign that have a criteria set, in one read."""
        cursor = self.collection.find(scope.apply({"campaign_id": campaign_id}), {"period": 1, "target_group": 1})
        return {(document["period"], document["target_group"]) async for document in cursor}

    async def freeze(self, scope: Scope, set_id: str, *, actor: str, at: datetime) -> None:
        """Mark a version as used by a dossier; from now on an adaptation makes a new version."""

        async def change(current: CriteriaSet) -> Revision | None:
            if current["frozen"]:
                return None
            entry = {"at": at, "actor": actor, "action": "frozen", "changes": {"version": current["version"]}}
            return Revision({"$set": {"frozen": True}, "$push": {"audit": entry}})

        await self.revise(scope, set_id, change)

    async def adapt(
        self,
        scope: Scope,
        set_id: str,
        *,
        revision: int,
        content: Document,
        audit: Document,
        events: Sequence[Envelope],
    ) -> bool:
        """New content for the (unfrozen) version as read at `revision`, updated at the time of its audit entry;
        False if it changed since."""
        fields = {"content": content, "updated_at": audit["at"]}
        return await self.update(scope, set_id, revision=revision, update=_amended(fields, audit), events=events)


INDEXES = scoped([CRITERIA_SETS], "period")
