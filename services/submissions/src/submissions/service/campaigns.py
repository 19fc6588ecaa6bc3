"""Campaign templates (province), campaigns adopted by communes, their periods and criteria sets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from submissions.domain.adaptation import AdaptationLimits, AdaptationRefused, check_adaptation
from submissions.domain.aggregates import Campaign, CampaignPeriod, CriteriaSet, Template
from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent, Criterion
from submissions.domain.defaults import DEFAULT_CRITERIA_SETS
from submissions.domain.periods import Period, default_periods, window_errors
from submissions.repositories import Repositories, criteria_set_id
from thidua_shared.audit import entry, now
from thidua_shared.auth import Principal
from thidua_shared.events import (
    CampaignPublished,
    CriteriaSetPublished,
    CriterionEvidence,
    Envelope,
    PeriodRef,
    derived_id,
    new_event,
)
from thidua_shared.problems import Conflict, Forbidden, NotFound, Unprocessable
from thidua_shared.tenancy import Scope
from thidua_shared.text import STORED, ShortText

SOURCE = "thidua/submissions"
MOVEMENT = "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số (2025–2030)"


class NewTemplate(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"code": "cds-2025-2030", "limits": {"max_points_change": 5}}]},
    )
    code: str = Field(default="cds-2025-2030", pattern=r"^[a-z0-9-]{3,40}$")
    name: ShortText = MOVEMENT
    limits: AdaptationLimits = AdaptationLimits()
    criteria_sets: dict[str, CriteriaSetContent] | None = Field(
        default=None, description="Bộ tiêu chí theo nhóm; trống = bộ mặc định / Per group; empty: the defaults"
    )


class Adoption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    template_id: str = Field(min_length=1, max_length=64, description="Mẫu kế hoạch của tỉnh / Province template")


class PeriodWindow(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [{"opens_at": "2026-01-01T00:00:00+07:00", "closes_at": "2026-12-10T00:00:00+07:00"}]
        },
    )
    opens_at: AwareDatetime = Field(description="Thời điểm mở, trong năm của kỳ / Opening, within the period's year")
    closes_at: AwareDatetime = Field(
        description="Thời điểm đóng, sau ngày mở; kỳ năm đóng muộn nhất hết tháng 1 năm sau / Closing, after the "
        "opening; a yearly period closes by the end of January of the following year at the latest"
    )

    @field_validator("opens_at", "closes_at", mode="before")
    @classmethod
    def _written_out(cls, value: object) -> object:
        """A moment is written out as ISO 8601 text: a number (a Unix timestamp such as 12345) is not a date."""
        if not isinstance(value, str | datetime):
            raise ValueError(
                "Cần thời điểm ISO 8601 dạng chuỗi, ví dụ 2026-01-01T00:00:00+07:00 / "
                "an ISO 8601 string is required, such as 2026-01-01T00:00:00+07:00 (not a number)"
            )
        return value

    @field_validator("closes_at")
    @classmethod
    def _after_opening(cls, closes_at: datetime, info: ValidationInfo) -> datetime:
        opens_at = info.data.get("opens_at")
        if isinstance(opens_at, datetime) and closes_at <= opens_at:
            raise ValueError("ngày đóng phải sau ngày mở / closes_at must be after opens_at")
        return closes_at


def _period_refs(periods: list[CampaignPeriod]) -> tuple[PeriodRef, ...]:
    return tuple(PeriodRef.model_validate(p) for p in periods)


def _stored(period: Period) -> CampaignPeriod:
    """`period.model_dump()`, typed."""
    return {
        "code": period.code,
        "kind": period.kind,
        "year": period.year,
        "opens_at": period.opens_at,
        "closes_at": period.closes_at,
    }


def _template_scope(principal: Principal) -> Scope:
    if not principal.province:
        raise Forbidden("Người dùng không thuộc tỉnh nào / The user belongs to no province")
    return Scope(province=principal.province)


async def create_template(*, repos: Repositories, principal: Principal, request: NewTemplate) -> Template:
    if not principal.has_any_role("province_admin") or principal.tenant is not None:
        raise Forbidden("Chỉ quản trị cấp tỉnh / Province administrators only")
    scope = _template_scope(principal)
    sets = request.criteria_sets or DEFAULT_CRITERIA_SETS
    unknown = sorted(set(sets) - set(TARGET_GROUPS))
    missing = sorted(set(TARGET_GROUPS) - set(sets))
    if unknown or missing or any(group != content.target_group for group, content in sets.items()):
        raise Unprocessable(
            "Cần đủ bộ tiêu chí cho các nhóm a, b, c, d1, d2 / one set per group a, b, c, d1, d2",
            errors=[{"field": "criteria_sets", "message": f"thiếu / missing {missing}, không có / unknown {unknown}"}],
        )
    at = now()
    template_id = str(derived_id("template", scope.province, request.code))
    template: Template = {
        "_id": template_id,
        "tenant": None,
        "province": scope.province_code,
        "code": request.code,
        "name": request.name,
        "status": "draft",
        "periods": [_stored(p) for p in default_periods()],
        "limits": request.limits.model_dump(),
        "criteria_sets": {group: content.model_dump() for group, content in sets.items()},
        "created_by": principal.user_id,
        "created_at": at,
        "audit": [entry(principal.user_id, "created", at, code=request.code)],
    }
    if not await repos.templates.add(template):
        raise Conflict(f"Tỉnh đã có mẫu kế hoạch «{request.code}» / The province already has template {request.code}")
    return await get_template(repos=repos, principal=principal, template_id=template_id)


def _visible(principal: Principal) -> dict[str, Any]:
    """Communes see only what their province has published; drafts stay with the province."""
    return {} if principal.tenant is None else {"status": "published"}


async def get_template(*, repos: Repositories, principal: Principal, template_id: str) -> Template:
    scope = Scope(province=principal.province) if principal.province else None
    document = await repos.templates.get(scope, template_id, **_visible(principal)) if scope else None
    if document is None:
        raise NotFound(f"Không có mẫu kế hoạch {template_id} / No campaign template {template_id}")
    return document


async def list_templates(*, repos: Repositories, principal: Principal) -> list[Template]:
    return await repos.templates.find(_template_scope(principal), _visible(principal), sort=("created_at", -1))


async def publish_template(*, repos: Repositories, principal: Principal, template_id: str) -> Template:
    if not principal.has_any_role("province_admin") or principal.tenant is not None:
        raise Forbidden("Chỉ quản trị cấp tỉnh / Province administrators only")
    document = await get_template(repos=repos, principal=principal, template_id=template_id)
    if document["status"] == "published":
        raise Conflict("Mẫu kế hoạch đã được ban hành / The template is already published")
    at = now()
    event = new_event(
        CampaignPublished(
            campaign_id=template_id, name=document["name"], level="province", periods=_period_refs(document["periods"])
        ),
        source=SOURCE,
        subject=template_id,
        tenant=None,
        province=document["province"],
    )
    if not await repos.templates.publish(
        _template_scope(principal),
        template_id,
        revision=document["revision"],
        audit=entry(principal.user_id, "published", at),
        events=[event],
    ):
        raise Conflict("Mẫu kế hoạch vừa được thay đổi / The template changed meanwhile, reload it")
    return await get_template(repos=repos, principal=principal, template_id=template_id)


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
            periods=_period_refs(template["periods"]),
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


async def get_campaign(*, repos: Repositories, scope: Scope, campaign_id: str) -> Campaign:
    document = await repos.campaigns.get(scope, campaign_id)
    if document is None:
        raise NotFound(f"Không có kế hoạch {campaign_id} / No campaign {campaign_id}")
    return document


async def list_campaigns(*, repos: Repositories, scope: Scope) -> list[Campaign]:
    return await repos.campaigns.find(scope, {}, sort=("created_at", -1))


async def campaign_for_period(*, repos: Repositories, scope: Scope, period: str) -> tuple[Campaign, Period]:
    """The commune's campaign that has this period (the movement has one campaign per commune)."""
    campaigns = await repos.campaigns.find(scope, {"periods.code": period}, limit=1, sort=("created_at", -1))
    if not campaigns:
        raise Unprocessable(
            f"Xã chưa áp dụng kế hoạch có kỳ {period} / the commune has adopted no campaign with period {period}",
            errors=[
                {"field": "period", "message": "không kế hoạch nào có kỳ này / no adopted campaign has this period"}
            ],
        )
    return campaigns[0], period_of(campaigns[0], period)


def period_of(campaign: Campaign, code: str) -> Period:
    for period in campaign["periods"]:
        if period["code"] == code:
            return Period.model_validate(period)
    raise NotFound(f"Kế hoạch không có kỳ {code} / The campaign has no period {code}")


async def set_window(
    *, repos: Repositories, principal: Principal, scope: Scope, campaign_id: str, period: str, window: PeriodWindow
) -> Campaign:
    """The commune sets its own opening and closing dates for a period (its deadline before the report)."""
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    current = period_of(campaign, period)
    errors = window_errors(current, window.opens_at, window.closes_at)
    if errors:
        raise Unprocessable(
            f"Thời gian nhận hồ sơ của kỳ {period} không hợp lệ / the window of period {period} is not valid",
            errors=errors,
        )
    updated = current.model_copy(update=window.model_dump())
    Period.model_validate(updated.model_dump())  # re-check the order of the dates
    periods = [_stored(updated) if p["code"] == period else p for p in campaign["periods"]]
    at = now()
    if not await repos.campaigns.set_periods(
        scope,
        campaign_id,
        revision=campaign["revision"],
        periods=periods,
        audit=entry(principal.user_id, "window_set", at, period=period, **window.model_dump()),
    ):
        raise Conflict("Kế hoạch vừa được thay đổi / The campaign changed meanwhile, reload it")
    return await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)


def evidence_of(criterion: Criterion) -> CriterionEvidence:
    """A criterion as events carry it (its rule and default target, no evidence yet)."""
    return CriterionEvidence(
        code=criterion.code,
        theme=criterion.theme,
        title=criterion.title,
        rule=criterion.rule.kind,
        max_points=criterion.max_points,
        target=criterion.indicator.target if criterion.indicator else None,
        steps=tuple({"at_least": s.at_least, "points": s.points} for s in criterion.rule.steps),
        points_per_occurrence=criterion.rule.points_per_occurrence,
    )


def _published(
    campaign: Campaign, set_id: str, period: str, content: CriteriaSetContent, version: int, revision: int
) -> Envelope:
    """The event that tells scoring a criteria set (version) now reads like this."""
    return new_event(
        CriteriaSetPublished(
            criteria_set_id=set_id,
            campaign_id=campaign["_id"],
            period=period,
            target_group=content.target_group,
            version=version,
            max_total=content.max_total,
            criteria=tuple(evidence_of(c) for c in content.criteria),
            policy=content.policy,
        ),
        source=SOURCE,
        subject=set_id,
        tenant=campaign["tenant"],
        province=campaign["province"],
        event_id=derived_id(set_id, "published", revision),
    )


def _set_document(
    campaign: Campaign, period: str, content: CriteriaSetContent, version: int, actor: str
) -> tuple[CriteriaSet, list[Envelope]]:
    set_id = criteria_set_id(campaign["_id"], period, content.target_group, version)
    at = now()
    document: CriteriaSet = {
        "_id": set_id,
        "tenant": campaign["tenant"],
        "province": campaign["province"],
        "campaign_id": campaign["_id"],
        "period": period,
        "target_group": content.target_group,
        "version": version,
        "frozen": False,
        "content": content.model_dump(),
        "created_by": actor,
        "created_at": at,
        "audit": [entry(actor, "published", at, version=version)],
    }
    return document, [_published(campaign, set_id, period, content, version, 1)]


async def current_set(*, repos: Repositories, scope: Scope, campaign: Campaign, period: str, group: str) -> CriteriaSet:
    """The latest version; version 1 is made from the province's template the first time it is needed."""
    latest = await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=period, target_group=group)
    if latest is not None:
        return latest
    base = CriteriaSetContent.model_validate(campaign["base_sets"][group], context=STORED)
    await repos.criteria_sets.add(*_set_document(campaign, period, base, 1, campaign["adopted_by"]))
    created = await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=period, target_group=group)
    assert created is not None
    return created


async def adapt_set(
    *,
    repos: Repositories,
    principal: Principal,
    scope: Scope,
    campaign_id: str,
    period: str,
    content: CriteriaSetContent,
) -> CriteriaSet:
    """Before the period opens, within the province's limits. A frozen version is kept; a new one is made."""
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    if period_of(campaign, period).has_opened(now()):
        raise Conflict(f"Kỳ {period} đã mở, không sửa được tiêu chí / period {period} has opened: criteria are fixed")
    base = CriteriaSetContent.model_validate(campaign["base_sets"][content.target_group], context=STORED)
    try:
        check_adaptation(base, content, AdaptationLimits.model_validate(campaign["limits"]))
    except AdaptationRefused as exc:
        raise Unprocessable(str(exc), errors=[{"field": "criteria", "message": str(exc)}]) from exc
    latest = await current_set(repos=repos, scope=scope, campaign=campaign, period=period, group=content.target_group)
    if not latest["frozen"]:
        at = now()
        event = _published(campaign, latest["_id"], period, content, latest["version"], latest["revision"] + 1)
        if await repos.criteria_sets.adapt(
            scope,
            latest["_id"],
            revision=latest["revision"],
            content=content.model_dump(),
            audit=entry(principal.user_id, "adapted", at, version=latest["version"]),
            events=[event],
        ):
            return await _set(repos, scope, latest["_id"])
    document, events = _set_document(campaign, period, content, latest["version"] + 1, principal.user_id)
    if not await repos.criteria_sets.add(document, events):
        raise Conflict("Bộ tiêu chí vừa được thay đổi / The criteria set changed meanwhile, reload it")
    return await _set(repos, scope, document["_id"])


async def _set(repos: Repositories, scope: Scope, set_id: str) -> CriteriaSet:
    document = await repos.criteria_sets.get(scope, set_id)
    if document is None:
        raise NotFound(f"Không có bộ tiêu chí {set_id} / No criteria set {set_id}")
    return document


async def criteria_sets(
    *, repos: Repositories, scope: Scope, campaign_id: str, period: str | None, group: str | None
) -> list[CriteriaSet]:
    """The current version per period and group of a campaign (reading creates nothing)."""
    campaign = await get_campaign(repos=repos, scope=scope, campaign_id=campaign_id)
    periods = [period] if period else [p["code"] for p in campaign["periods"]]
    for code in periods:
        period_of(campaign, code)
    groups = [group] if group else list(TARGET_GROUPS)
    found = [
        await repos.criteria_sets.latest(scope, campaign_id=campaign["_id"], period=code, target_group=g)
        for code in periods
        for g in groups
    ]
    return [document for document in found if document is not None]
