"""Campaign templates (province) and campaigns, periods and criteria sets (commune)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from submissions.api.deps import AnyReader, Officer, ProvinceAdmin, Reader, Repos
from submissions.api.schemas import CampaignView, CriteriaSetView, TemplateView
from submissions.domain.criteria import CriteriaSetContent
from submissions.service import adoption, campaigns, criteria_sets, templates
from submissions.service.adoption import Adoption
from submissions.service.campaigns import PeriodWindow
from submissions.service.templates import NewTemplate
from thidua_contracts.terms import PERIOD_CODE_PATTERN, TargetGroup
from thidua_platform.tenancy import read_scope

router = APIRouter(tags=["campaigns"])
PeriodCode = Annotated[str, Path(pattern=PERIOD_CODE_PATTERN)]


@router.post(
    "/campaign-templates",
    status_code=status.HTTP_201_CREATED,
    summary="Tỉnh tạo mẫu kế hoạch thi đua / The province creates a campaign template",
)
async def create_template(body: NewTemplate, principal: ProvinceAdmin, repos: Repos) -> TemplateView:
    return TemplateView.of(await templates.create_template(repos=repos, principal=principal, request=body))


@router.get("/campaign-templates", summary="Mẫu kế hoạch của tỉnh / The province's templates")
async def list_templates(principal: AnyReader, repos: Repos) -> list[TemplateView]:
    return [TemplateView.of(d) for d in await templates.list_templates(repos=repos, principal=principal)]


@router.get("/campaign-templates/{template_id}", summary="Xem mẫu kế hoạch / A template")
async def get_template(template_id: str, principal: AnyReader, repos: Repos) -> TemplateView:
    return TemplateView.of(await templates.get_template(repos=repos, principal=principal, template_id=template_id))


@router.post("/campaign-templates/{template_id}/publish", summary="Ban hành mẫu kế hoạch / Publish a template")
async def publish_template(template_id: str, principal: ProvinceAdmin, repos: Repos) -> TemplateView:
    document = await templates.publish_template(repos=repos, principal=principal, template_id=template_id)
    return TemplateView.of(document)


@router.post(
    "/campaigns",
    status_code=status.HTTP_201_CREATED,
    summary="Xã áp dụng kế hoạch của tỉnh / The commune adopts the province's template",
)
async def adopt(body: Adoption, actor: Officer, repos: Repos) -> CampaignView:
    document = await adoption.adopt_template(
        repos=repos, principal=actor.principal, scope=actor.scope, template_id=body.template_id
    )
    return CampaignView.of(document)


@router.get("/campaigns", summary="Kế hoạch của xã / Campaigns in scope")
async def list_campaigns(actor: Reader, repos: Repos) -> list[CampaignView]:
    return [CampaignView.of(d) for d in await campaigns.list_campaigns(repos=repos, scope=actor.scope)]


@router.get("/campaigns/{campaign_id}", summary="Xem kế hoạch / A campaign")
async def get_campaign(campaign_id: str, actor: Reader, repos: Repos) -> CampaignView:
    return CampaignView.of(await campaigns.get_campaign(repos=repos, scope=actor.scope, campaign_id=campaign_id))


@router.put(
    "/campaigns/{campaign_id}/periods/{period}", summary="Đặt thời gian nhận hồ sơ của kỳ / Set a period's window"
)
async def set_window(
    campaign_id: str, period: PeriodCode, body: PeriodWindow, actor: Officer, repos: Repos
) -> CampaignView:
    document = await campaigns.set_window(
        repos=repos, principal=actor.principal, scope=actor.scope, campaign_id=campaign_id, period=period, window=body
    )
    return CampaignView.of(document)


@router.get("/campaigns/{campaign_id}/criteria-sets", summary="Bộ tiêu chí hiện hành / Current criteria sets")
async def list_criteria_sets(
    campaign_id: str,
    principal: AnyReader,
    repos: Repos,
    period: Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)] = None,
    group: TargetGroup | None = None,
    theme: Annotated[int | None, Query(ge=1, le=7)] = None,
) -> list[CriteriaSetView]:
    documents = await criteria_sets.list_criteria_sets(
        repos=repos, scope=read_scope(principal), campaign_id=campaign_id, period=period, group=group
    )
    return [CriteriaSetView.of(d, theme) for d in documents]


@router.put(
    "/campaigns/{campaign_id}/criteria-sets/{period}",
    summary="Điều chỉnh bộ tiêu chí trước khi kỳ mở / Adapt a criteria set before the period opens",
)
async def adapt(
    campaign_id: str, period: PeriodCode, body: CriteriaSetContent, actor: Officer, repos: Repos
) -> CriteriaSetView:
    document = await criteria_sets.adapt_set(
        repos=repos, principal=actor.principal, scope=actor.scope, campaign_id=campaign_id, period=period, content=body
    )
    return CriteriaSetView.of(document)
