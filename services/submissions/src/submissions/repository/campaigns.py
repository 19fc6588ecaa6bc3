"""The campaigns communes adopted from their province's template."""

from __future__ import annotations

from submissions.domain.aggregates import Campaign, CampaignPeriod
from submissions.repository.common import _amended
from thidua_platform.indexes import scoped
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

CAMPAIGNS = "campaigns"


class CampaignRepository(ScopedRepository[Campaign]):
    """The campaigns communes adopted from their province's template."""

    async def set_periods(
        self, scope: Scope, campaign_id: str, *, revision: int, periods: list[CampaignPeriod], audit: Document
    ) -> bool:
        """Replace the campaign's periods (their windows) as read at `revision`; False if it changed since."""
        return await self.update(scope, campaign_id, revision=revision, update=_amended({"periods": periods}, audit))


INDEXES = scoped([CAMPAIGNS])
