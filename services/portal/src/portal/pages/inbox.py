"""Everyone's notifications: the in-app inbox, a page at a time (newest first, the unread ones of a page before its
read ones, or the unread ones only; marked read one by one) and how each person wants to be told (in the portal, by
e-mail, through the commune's webhook; e-mails one by one or in a daily digest)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.listing import last_page
from portal.navigation import ALL
from portal.web import Page, role_page

router = APIRouter()
Anyone = Annotated[Page, Depends(role_page(*ALL))]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]
CHANNELS = ("in_app", "email", "webhook")
PAGE_SIZE = 50


def unread_first(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unread messages before read ones, each part newest first (as the API lists them)."""
    return sorted(messages, key=lambda m: m["read_at"] is not None)


def inbox_url(number: int, unread_only: bool) -> str:
    """The inbox page a person was on (the first page and every message are the defaults)."""
    params = {"unread": "1"} if unread_only else {}
    if number > 1:
        params["page"] = str(number)
    return f"/inbox?{urlencode(params)}" if params else "/inbox"


@router.get("/inbox")
async def inbox(page: Anyone, number: PageNumber = 1, unread: str = "") -> Response:
    unread_only = unread == "1"
    listing, count = await asyncio.gather(
        page.get("notifications", "/inbox", unread_only=unread_only, page=number, page_size=PAGE_SIZE),
        page.get("notifications", "/inbox/unread-count"),
    )
    return page.render(
        "inbox/inbox.html",
        messages=unread_first(listing["items"]),
        unread=count["unread"],
        unread_only=unread_only,
        total=listing["total"],
        number=number,
        last=last_page(int(listing["total"]), PAGE_SIZE),
    )


@router.post("/inbox/{message_id}/read")
async def mark_read(page: Anyone, message_id: str) -> Response:
    await page.api("POST", "notifications", f"/inbox/{message_id}/read")
    shown = page.field("page")
    number = min(int(shown), 100_000) if shown.isdigit() and int(shown) >= 1 else 1
    back = inbox_url(number, page.field("unread") == "1")
    return await page.done(back, "Đã đánh dấu là đã đọc", "Marked as read")


def _preferences_page(
    page: Page, values: dict[str, Any], *, errors: dict[str, str] | None = None, problem: str = ""
) -> Response:
    return page.render(
        "inbox/preferences.html",
        status=422 if errors or problem else 200,
        values=values,
        errors=errors or {},
        problem=problem,
    )


@router.get("/inbox/preferences")
async def preferences(page: Anyone) -> Response:
    return _preferences_page(page, await page.get("notifications", "/preferences"))


@router.post("/inbox/preferences")
async def set_preferences(page: Anyone) -> Response:
    chosen: dict[str, Any] = {name: page.field(name) == "on" for name in CHANNELS}
    chosen["digest"] = page.field("digest")
    try:
        await page.api("PUT", "notifications", "/preferences", json=chosen)
    except ApiError as error:
        if not error.refused:
            raise
        errors = {name: page.t.pick(message) for name, message in error.errors.items()}
        return _preferences_page(page, chosen, errors=errors, problem=error.message)
    return await page.done("/inbox/preferences", "Đã lưu tùy chọn nhận thông báo", "Preferences saved")
