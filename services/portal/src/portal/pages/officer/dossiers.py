"""Dossiers: the period's list, checking one for completeness, returning it for correction with reasons per
criterion, and proposing it for an award by hand."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import campaign, campaign_periods, criteria
from portal.listing import last_page
from portal.pages.officer.common import PAGE_SIZE, Officer, PageNumber, item_of, render
from portal.web import Page

router = APIRouter()

SUBMISSION_STATUSES = ("draft", "submitted", "returned", "resubmitted", "withdrawn")


@router.get("/dossiers")
async def dossiers(page: Officer, period: str = "", status: str = "", number: PageNumber = 1) -> Response:
    _, all_periods, chosen = await campaign_periods(page, period)
    status = status if status in SUBMISSION_STATUSES else ""
    listing: dict[str, Any] = {"items": [], "total": 0}
    if chosen:
        listing = await page.get(
            "submissions", "/submissions", period=chosen, status=status, page=number, page_size=PAGE_SIZE
        )
    return render(
        page,
        "officer/dossiers.html",
        periods=all_periods,
        period=chosen,
        status_filter=status,
        dossiers=listing["items"],
        total=listing["total"],
        number=number,
        last=last_page(int(listing["total"]), PAGE_SIZE),
    )


async def _dossier(
    page: Page,
    dossier_id: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    dossier = await page.get("submissions", f"/submissions/{dossier_id}")
    found = await campaign(page)
    listed = await criteria(page, found["id"], dossier["period"], dossier["entrant"]["target_group"]) if found else []
    catalogue = await page.get("awards", "/catalogue")
    return render(
        page,
        "officer/dossier.html",
        status=422 if errors or problem else 200,
        dossier=dossier,
        criteria=listed,
        audit=await page.get("submissions", f"/submissions/{dossier_id}/audit"),
        returnable=dossier["status"] in ("submitted", "resubmitted"),
        proposable=dossier["status"] in ("submitted", "resubmitted"),
        award_forms=[
            (f["code"], page.t(f["name"], f.get("name_en") or f["name"]))
            for f in catalogue["forms"]
            if dossier["entrant"]["kind"] in f["recipient_kinds"]
        ],
        errors=errors or {},
        values=values or {},
        problem=problem,
    )


@router.get("/dossiers/{dossier_id}")
async def dossier(page: Officer, dossier_id: str) -> Response:
    return await _dossier(page, dossier_id)


@router.get("/files/{attachment_id}")
async def file(page: Officer, attachment_id: str) -> Response:
    return await page.download("submissions", f"/attachments/{attachment_id}")


@router.post("/dossiers/{dossier_id}/completeness")
async def check_completeness(page: Officer, dossier_id: str) -> Response:
    try:
        checked = await page.api("POST", "submissions", f"/submissions/{dossier_id}/completeness")
    except ApiError as error:
        if not error.refused:
            raise
        return await _dossier(page, dossier_id, errors=error.errors, problem=error.message)
    result = checked["completeness"]
    if result["complete"]:
        return await page.done(f"/officer/dossiers/{dossier_id}#completeness", "Hồ sơ đã đủ", "The dossier is complete")
    missing = ", ".join(result["missing"])
    return await page.done(
        f"/officer/dossiers/{dossier_id}#completeness", f"Hồ sơ còn thiếu: {missing}", f"The dossier lacks: {missing}"
    )


def _return_reasons(page: Page) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    if page.field("reason._general"):
        reasons.append({"code": None, "reason": page.field("reason._general")})
    for name in page.form or {}:
        if isinstance(name, str) and name.startswith("reason.") and name != "reason._general" and page.field(name):
            reasons.append({"code": name.removeprefix("reason."), "reason": page.field(name)})
    return reasons


@router.post("/dossiers/{dossier_id}/return")
async def return_dossier(page: Officer, dossier_id: str) -> Response:
    reasons = _return_reasons(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str) and name.startswith("r")}
    if not reasons:
        message = page.t(
            "Ghi lý do cho ít nhất một tiêu chí cần bổ sung", "Give a reason for at least one criterion to correct"
        )
        return await _dossier(page, dossier_id, errors={"reasons": message}, values=values)
    try:
        await page.api("POST", "submissions", f"/submissions/{dossier_id}/return", json={"reasons": reasons})
    except ApiError as error:
        if not error.refused:
            raise
        shown: dict[str, str] = {}
        for name, message in error.errors.items():
            item = item_of(name, "reasons", len(reasons))
            shown[f"reason.{reasons[item[0]]['code'] or '_general'}" if item else name] = message
        return await _dossier(page, dossier_id, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/dossiers/{dossier_id}", "Đã trả lại hồ sơ để bổ sung", "The dossier was returned for correction"
    )


@router.post("/dossiers/{dossier_id}/candidates")
async def propose_candidate(page: Officer, dossier_id: str) -> Response:
    """A candidate added by hand (a higher form, say), with the reason; the council considers it in its session."""
    values = {"award_form": page.field("award_form"), "reason": page.field("reason")}
    body = {"submission_id": dossier_id, **values}
    try:
        await page.api("POST", "awards", "/candidates", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        return await _dossier(page, dossier_id, errors=error.errors, values=values, problem=error.message)
    where = f"/officer/dossiers/{dossier_id}#propose"
    return await page.done(where, "Đã đề nghị khen thưởng, chờ Hội đồng xét", "Proposed to the council")
