"""The showcase (nhân rộng điển hình tiên tiến): the role models and initiatives the communes of the province chose to
publish from their award history, for everyone of the province to read; a commune's officers publish or withdraw
their own commune's entries, with a title and a short story."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.listing import every
from portal.navigation import ALL
from portal.web import Page, role_page
from thidua_contracts.roles import Role

router = APIRouter(prefix="/showcase")
Reader = Annotated[Page, Depends(role_page(*ALL))]
Officer = Annotated[Page, Depends(role_page(Role.COMMUNE_OFFICER))]
PAGE_SIZE = 20
LEVELS = {
    "commune": ("Cấp xã", "Commune"),
    "district": ("Cấp huyện (trước 1/7/2025)", "District (before 1 July 2025)"),
    "province": ("Cấp tỉnh", "Province"),
    "ministry": ("Cấp bộ, ngành", "Ministry"),
    "central": ("Trung ương", "Central"),
}
KINDS = {"collective": ("Tập thể", "Collective"), "individual": ("Cá nhân", "Individual")}


@router.get("")
async def showcase(page: Reader, page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1) -> Response:
    number = max(page_number, 1)
    listing = await page.get("awards", "/showcase", page=number, page_size=PAGE_SIZE)
    return page.render(
        "showcase/list.html",
        items=listing["items"],
        page_number=number,
        more=number * PAGE_SIZE < listing["total"],
        total=listing["total"],
        levels=LEVELS,
        kinds=KINDS,
        can_publish=page.has(Role.COMMUNE_OFFICER),
    )


async def _published_here(page: Page) -> dict[str, dict[str, Any]]:
    """This commune's published items, by history entry id, read page by page."""
    found: dict[str, dict[str, Any]] = {}
    number = 1
    while True:
        listing = await page.get("awards", "/showcase", page=number, page_size=200, commune=page.principal.tenant)
        found.update({i["id"]: i for i in listing["items"]})
        if number * 200 >= listing["total"] or not listing["items"]:
            return found
        number += 1


async def _publish_page(
    page: Page, *, at: str = "", errors: dict[str, str] | None = None, problem: str = "", status: int = 200
) -> Response:
    history = await every(page, "awards", "/history")
    published = await _published_here(page)
    entries = sorted(history, key=lambda h: h["decision"]["signed_on"], reverse=True)
    values: dict[str, str] = {}
    for entry in entries:
        item = published.get(entry["id"], {})
        values[f"{entry['id']}.title"] = item.get("title", "")
        values[f"{entry['id']}.story"] = item.get("story", "")
    if at:  # what the person typed, kept when it was refused
        values[f"{at}.title"], values[f"{at}.story"] = page.field("title"), page.field("story")
        values[f"{at}.consent"] = page.field("consent")
    return page.render(
        "showcase/publish.html",
        status=status,
        entries=entries,
        published=published,
        levels=LEVELS,
        values=values,
        errors=errors or {},
        problem=problem,
        at=at,
    )


@router.get("/publish")
async def publish_page(page: Officer) -> Response:
    return await _publish_page(page)


@router.post("/publish")
async def publish(page: Officer) -> Response:
    history_id = page.field("history_id")
    body: dict[str, Any] = {"title": page.field("title"), "story": page.field("story")}
    missing = {f"{history_id}.{name}": page.t("Bắt buộc nhập", "Required") for name, value in body.items() if not value}
    body["consent"] = page.field("consent") == "true"
    if missing:
        return await _publish_page(page, at=history_id, errors=missing, status=422)
    try:
        await page.api("PUT", "awards", f"/showcase/{history_id}", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        fields = {f"{history_id}.{name}": message for name, message in error.errors.items()}
        return await _publish_page(page, at=history_id, errors=fields, problem=error.message, status=error.status)
    return await page.done(
        f"/showcase/publish#entry-{_anchor(history_id)}", "Đã đăng lên điển hình tiên tiến", "Published in the showcase"
    )


@router.post("/unpublish")
async def unpublish(page: Officer) -> Response:
    history_id = page.field("history_id")
    await page.api("DELETE", "awards", f"/showcase/{history_id}")
    return await page.done(
        f"/showcase/publish#entry-{_anchor(history_id)}",
        "Đã gỡ khỏi điển hình tiên tiến",
        "Withdrawn from the showcase",
    )


def _anchor(history_id: str) -> str:
    """The entry's element id on the publishing page (as the template writes it)."""
    return history_id.replace(":", "-")
