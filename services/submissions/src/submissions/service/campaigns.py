"""A commune's campaigns (adopted from its province's template, see `service.adoption`): reading them, finding the one
that has a period, and the commune's own window for each period."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from submissions.domain.aggregates import Campaign, CampaignPeriod
from submissions.domain.periods import Period, window_errors
from submissions.repository import Repositories
from thidua_contracts.submissions import PeriodRef
from thidua_platform.audit import entry, now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope


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


def period_refs(periods: list[CampaignPeriod]) -> tuple[PeriodRef, ...]:
    """The periods as events carry them."""
    return tuple(PeriodRef.model_validate(p) for p in periods)


def stored_period(period: Period) -> CampaignPeriod:
    """A period as a campaign or a template stores it (`period.model_dump()`, typed)."""
    return {
        "code": period.code,
        "kind": period.kind,
        "year": period.year,
        "opens_at": period.opens_at,
        "closes_at": period.closes_at,
    }


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
    periods = [stored_period(updated) if p["code"] == period else p for p in campaign["periods"]]
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
