"""Registering a unit's entrant for a period, with its targets for the indicators, and the period's registrations."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import campaign, criteria, current_period, periods
from portal.forms import parse_number
from portal.listing import last_page
from portal.pages.submitter.common import Filer, PageNumber, entrants_of
from portal.web import Page

router = APIRouter()
REGISTRATIONS_PAGE_SIZE = 20  # registrations a page of the period's registrations


@router.get("/registrations")
async def registrations(page: Filer, period: str = "", number: PageNumber = 1) -> Response:
    """The period's registrations a page at a time, newest first, and the form that starts one."""
    found = await campaign(page)
    all_periods = periods(found)
    chosen = current_period(all_periods, period)
    listing = (
        await page.get("submissions", "/registrations", period=chosen, page=number, page_size=REGISTRATIONS_PAGE_SIZE)
        if chosen
        else None
    )
    total = int(listing["total"]) if listing else 0
    return page.render(
        "submitter/registrations.html",
        campaign=found,
        periods=all_periods,
        period=chosen,
        registrations=listing["items"] if listing else [],
        total=total,
        number=number,
        last=last_page(total, REGISTRATIONS_PAGE_SIZE),
        entrants=await entrants_of(page) if found else [],
    )


@router.get("/registrations/new")
async def new_registration(page: Filer, period: str, entrant_id: str) -> Response:
    return await _registration_form(page, period, entrant_id)


async def _registration_form(
    page: Page, period: str, entrant_id: str, *, errors: dict[str, str] | None = None, problem: str = ""
) -> Response:
    found = await campaign(page)
    entrant = await page.get("submissions", f"/entrants/{entrant_id}")
    indicators = (
        [c for c in await criteria(page, found["id"], period, entrant["target_group"]) if c.get("indicator")]
        if found
        else []
    )
    values = {f"target.{c['code']}": page.field(f"target.{c['code']}") for c in indicators}
    return page.render(
        "submitter/registration_form.html",
        status=422 if errors or problem else 200,
        period=period,
        entrant=entrant,
        indicators=indicators,
        values=values,
        errors=errors or {},
        problem=problem,
    )


@router.post("/registrations")
async def register(page: Filer) -> Response:
    period, entrant_id = page.field("period"), page.field("entrant_id")
    targets: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name in page.form or {}:
        if name.startswith("target.") and page.field(name):
            try:
                targets[name.removeprefix("target.")] = parse_number(page.field(name))
            except ValueError:
                errors[name] = page.t("Phải là một số", "Must be a number")
    if errors:
        return await _registration_form(page, period, entrant_id, errors=errors)
    try:
        await page.api(
            "POST",
            "submissions",
            "/registrations",
            json={"period": period, "entrant_id": entrant_id, "targets": targets},
            idempotency_key=page.idempotency_key(),
        )
    except ApiError as error:
        if not error.refused:
            raise
        fields = {
            ("target." + k.split(".", 1)[1] if k.startswith("targets.") else k): v for k, v in error.errors.items()
        }
        return await _registration_form(page, period, entrant_id, errors=fields, problem=error.message)
    return await page.done(f"/submitter/registrations?period={period}", "Đã đăng ký thi đua", "Registered")
