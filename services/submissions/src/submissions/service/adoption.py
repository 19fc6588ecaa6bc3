"""A commune adopts its province's published template: the campaign, and version 1 of every criteria set."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from submissions.domain.aggregates import Campaign
from submissions.domain.criteria import TARGET_GROUPS
from submissions.repository import Repositories
from submissions.service.campaigns import get_campaign, period_refs
from submissions.service.criteria_sets import current_set
from submissions.service.templates import get_template
from thidua_contracts.submissions import CampaignPublished
from thidua_platform.audit import entry, now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id, new_event
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope

SOURCE = "thidua/submissions"


class Adoption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    template_id: str = Field(min_length=1, max_length=64, description="Mẫu kế hoạch của tỉnh / Province template")


async def adopt_template(*, repos: Repositories, principal: Principal, scope: Scope, template_id: str) -> Campaign:
    """A commune adopts its province's published template; criteria sets v1 are created for every period."""
    template = await get_template(repos=repos, principal=principal, template_id=template_id)
    if template["status"] != "published":
        raise Conflict("Mẫu kế hoạch chưa được tỉnh ban hành / The province has not published this template")
    at = now()
    campaign_id = str(derived_id("campaign", scope.tenant, template_id))
    event = new_event(
        CampaignPublished(
            campaign_id=campaign_id,
            name=template["name"],
            level="commune",
            template_id=template_id,
            periods=period_refs(template["periods"]),
        ),
        source=SOURCE,
        subject=campaign_id,
        tenant=scope.tenant,
        province=scope.province_code,
    )
    document: Campaign = {
        "_id": campaign_id,
        "tenant": scope.commune,
        "province": scope.province_code,
        "template_id": template_id,
        "code": template["code"],
        "name": template["name"],
        "periods": template["periods"],
        "limits": template["limits"],
        "base_sets": template["criteria_sets"],
        "adopted_by": principal.user_id,
        "created_at": at,
        "audit": [entry(principal.user_id, "adopted", at, template_id=template_id)],
    }
    created = await repos.campaigns.add(document, [event])
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    # version 1 of every criteria set; a retry after an interrupted adoption completes what is missing (one read
    # to find it: adopting again must not cost a read per period and group)
    present = await repos.criteria_sets.present(scope, campaign_id)
    for period in campaign["periods"]:
        for group in TARGET_GROUPS:
            if (period["code"], group) not in present:
                await current_set(repos=repos, scope=scope, campaign=campaign, period=period["code"], group=group)
    if not created:
        raise Conflict(
            "Xã đã áp dụng kế hoạch này / The commune already adopted this campaign", existing_id=campaign_id
        )
    return campaign
