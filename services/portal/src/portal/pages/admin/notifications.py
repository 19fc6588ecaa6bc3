"""The province's notification deliveries (e-mail and webhook), failed ones included, and retrying one that failed or
whose outcome is unknown. The notifications API leaves the message templates and the webhook gateway to each
commune's officer: the page says so and shows only what the administrator may do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.listing import last_page
from portal.pages.admin.common import Admin
from portal.pages.officer.common import PAGE_SIZE, PageNumber, render
from portal.web import Page

router = APIRouter()

STATUSES = {
    "pending": "Chờ gửi / Pending",
    "sending": "Đang gửi / Sending",
    "sent": "Đã gửi / Sent",
    "held": "Tạm giữ / Held",
    "digested": "Gộp vào bản tin ngày / In the daily digest",
    "dead": "Gửi hỏng / Failed",
    "uncertain": "Chưa rõ kết quả / Outcome unknown",
}
CHANNELS = {"email": "E-mail", "webhook": "Webhook (Zalo OA, SMS)"}
RETRIABLE = ("dead", "uncertain")


async def _deliveries(
    page: Page, status: str, channel: str, number: int, *, problem: str = "", failed: str = ""
) -> Response:
    params: dict[str, Any] = {"page": number, "page_size": PAGE_SIZE}
    if status in STATUSES:
        params["status"] = status
    if channel in CHANNELS:
        params["channel"] = channel
    found = await page.get("notifications", "/deliveries", **params)
    return render(
        page,
        "admin/notifications.html",
        status=422 if problem else 200,
        deliveries=found["items"],
        total=int(found["total"]),
        number=number,
        last=last_page(int(found["total"]), PAGE_SIZE),
        chosen_status=params.get("status", ""),
        chosen_channel=params.get("channel", ""),
        statuses=STATUSES,
        statuses_options=[(code, page.t.pick(name)) for code, name in STATUSES.items()],
        channels=CHANNELS,
        channel_options=list(CHANNELS.items()),
        retriable=RETRIABLE,
        errors={f"delivery-{failed}": problem} if failed and problem else {},
        problem=problem,
    )


@router.get("/notifications")
async def notifications_page(page: Admin, status: str = "", channel: str = "", number: PageNumber = 1) -> Response:
    return await _deliveries(page, status, channel, number)


@router.post("/notifications/deliveries/{delivery_id}/retry")
async def retry(page: Admin, delivery_id: str) -> Response:
    status, channel = page.field("status"), page.field("channel")
    try:
        await page.api("POST", "notifications", f"/deliveries/{delivery_id}/retry")
    except ApiError as error:
        if not error.refused:
            raise
        message = "; ".join(error.errors.values()) or error.message
        return await _deliveries(page, status, channel, 1, problem=message, failed=delivery_id)
    return await page.done(
        f"/admin/notifications?status={status}&channel={channel}#delivery-{delivery_id}",
        "Đã đưa lượt gửi vào hàng chờ gửi lại",
        "The delivery is queued to be sent again",
    )
