from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from notifications.api.deps import Intake, Operator, Overseer, People, Repos
from notifications.api.schemas import DeliveryView, SweepResult
from notifications.service import oversight
from notifications.service.digest import digest_through, send_digests
from notifications.service.reminders import ReminderPolicy, send_reminders
from thidua_platform.pagination import Page, Paging
from thidua_platform.problems import Unprocessable

router = APIRouter(tags=["deliveries"])

DaysBefore = Annotated[float, Query(gt=0, le=30, description="Số ngày trước hạn / Days before the period closes")]
Status = Literal["pending", "sending", "sent", "held", "digested", "dead", "uncertain"]


@router.get("/deliveries", summary="Lượt gửi e-mail/webhook, kể cả lượt hỏng / Deliveries, dead letters included")
async def list_deliveries(
    principal: Overseer,
    repos: Repos,
    paging: Paging,
    status: Status | None = None,
    channel: Literal["email", "webhook"] | None = None,
) -> Page[DeliveryView]:
    found, total = await oversight.deliveries(
        repos=repos, principal=principal, status=status, channel=channel, skip=paging.skip, limit=paging.page_size
    )
    return Page(items=[DeliveryView.of(d) for d in found], total=total, page=paging.page, page_size=paging.page_size)


@router.post(
    "/deliveries/{delivery_id}/retry",
    summary="Gửi lại một lượt đã hỏng hoặc chưa rõ / Retry a dead or uncertain delivery",
)
async def retry_delivery(delivery_id: str, principal: Overseer, repos: Repos) -> DeliveryView:
    return DeliveryView.of(await oversight.retry(repos=repos, principal=principal, delivery_id=delivery_id))


@router.post("/ops/digests", summary="Gửi bản tin ngày ngay / Make the daily digests now (operators)")
async def run_digests(principal: Operator, repos: Repos, config: Intake, through: date) -> SweepResult:
    now = datetime.now(UTC)
    if through > digest_through(now, config.digest_hour):
        message = "Chỉ gửi được bản tin của những ngày đã qua giờ gửi / Only days past their digest hour can be sent"
        raise Unprocessable(message, errors=[{"field": "through", "message": message}])
    made = await send_digests(repos=repos, through=through, now=now)
    return SweepResult(made=made)


@router.post("/ops/reminders", summary="Nhắc hạn chấm điểm ngay / Send due review reminders now (operators)")
async def run_reminders(
    principal: Operator, repos: Repos, people: People, config: Intake, days_before: DaysBefore = 3.0
) -> SweepResult:
    made = await send_reminders(
        repos=repos, directory=people, policy=ReminderPolicy(days_before), config=config, now=datetime.now(UTC)
    )
    return SweepResult(made=made)
