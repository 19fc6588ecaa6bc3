"""The commune's emulation and awards fund (Quỹ thi đua, khen thưởng; docs/adr/0025): its balance and movements a
page at a time, the latest day first, with the service's warning when it is below zero; the officer records a
receipt or another expense (the chairman reads); each decision's payment list for the accountant."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.forms import parse_whole
from portal.i18n import Translator, today
from portal.listing import last_page
from portal.pages.officer.common import PAGE_SIZE, Officer, OfficerOrChair, PageNumber, render
from portal.web import Page
from thidua_contracts.roles import Role

router = APIRouter()
GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")

MOVEMENT_FIELDS = ("on", "kind", "amount", "description", "reference")
KINDS = (  # what the officer records; decision payments are the service's own
    ("allocation", "Kinh phí được cấp", "Budget allocation"),
    ("other_income", "Thu khác", "Other income"),
    ("other_expense", "Chi khác", "Other expense"),
)


async def _fund(
    page: Page,
    number: int = 1,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    found = await page.get("awards", "/fund", page=number, page_size=PAGE_SIZE)
    return render(
        page,
        "officer/fund.html",
        status=422 if errors or problem else 200,
        fund=found,
        number=number,
        last=last_page(int(found["total"]), PAGE_SIZE),
        kinds=KINDS,
        may_record=page.has(Role.COMMUNE_OFFICER),
        errors=errors or {},
        values=values or {"on": today().isoformat(), "kind": "allocation"},
        problem=problem,
    )


@router.get("/fund")
async def fund(page: OfficerOrChair, number: PageNumber = 1) -> Response:
    return await _fund(page, number)


def amount_of(text: str) -> int:
    """Whole đồng, grouped either way: "5.000.000", "5,000,000", "5 000 000" or "5000000"."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", "")
    return parse_whole(cleaned)


def _movement_body(page: Page) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = {name: page.field(name) for name in ("on", "kind", "description")}
    if page.field("reference"):
        body["reference"] = page.field("reference")
    errors: dict[str, str] = {}
    try:
        body["amount"] = amount_of(page.field("amount"))
    except ValueError:
        errors["amount"] = page.t("Nhập số tiền bằng số nguyên (đồng)", "Enter the amount in whole đồng")
    return body, errors


@router.post("/fund/movements")
async def record_movement(page: Officer) -> Response:
    return await page.once(lambda: _record(page))


async def _record(page: Page) -> Response:
    body, errors = _movement_body(page)
    values = {name: page.field(name) for name in MOVEMENT_FIELDS}
    if errors:
        return await _fund(page, errors=errors, values=values)
    try:
        recorded = await page.api("POST", "awards", "/fund/movements", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        shown = {("description" if name == "body" else name.split(".")[0]): m for name, m in error.errors.items()}
        return await _fund(page, errors=shown, values=values, problem=error.message)
    vi, en = Translator("vi"), Translator("en")
    warning = recorded.get("warning") or ""
    return await page.done(
        "/officer/fund",
        f"Đã ghi sổ quỹ. Số dư: {vi.number(recorded['balance'])} đồng" + (f". {vi.pick(warning)}" if warning else ""),
        f"Recorded in the fund. Balance: {en.number(recorded['balance'])} đồng"
        + (f". {en.pick(warning)}" if warning else ""),
    )


@router.get("/decisions/{decision_id}/payments.xlsx")
async def payment_list(page: OfficerOrChair, decision_id: str) -> Response:
    return await page.download("awards", f"/decisions/{decision_id}/payments.xlsx")
