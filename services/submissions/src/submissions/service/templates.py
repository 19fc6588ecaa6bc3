"""Campaign templates: a province makes them (with its criteria sets and the limits of communes' adaptations),
lists them and publishes them; communes see the published ones (adopting one is `service.adoption`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from submissions.domain.adaptation import AdaptationLimits
from submissions.domain.aggregates import Template
from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent
from submissions.domain.defaults import DEFAULT_CRITERIA_SETS
from submissions.domain.periods import default_periods
from submissions.repository import Repositories
from submissions.service.campaigns import period_refs, stored_period
from thidua_contracts.roles import Role
from thidua_contracts.submissions import CampaignPublished
from thidua_platform.audit import entry, now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id, new_event
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText

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


def _template_scope(principal: Principal) -> Scope:
    if not principal.province:
        raise Forbidden("Người dùng không thuộc tỉnh nào / The user belongs to no province")
    return Scope(province=principal.province)


async def create_template(*, repos: Repositories, principal: Principal, request: NewTemplate) -> Template:
    if not principal.has_any_role(Role.PROVINCE_ADMIN) or principal.tenant is not None:
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
        "periods": [stored_period(p) for p in default_periods()],
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
    if not principal.has_any_role(Role.PROVINCE_ADMIN) or principal.tenant is not None:
        raise Forbidden("Chỉ quản trị cấp tỉnh / Province administrators only")
    document = await get_template(repos=repos, principal=principal, template_id=template_id)
    if document["status"] == "published":
        raise Conflict("Mẫu kế hoạch đã được ban hành / The template is already published")
    at = now()
    event = new_event(
        CampaignPublished(
            campaign_id=template_id, name=document["name"], level="province", periods=period_refs(document["periods"])
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
