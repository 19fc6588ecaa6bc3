"""The council's quorum and the central quotas per form and round (awards `/settings`), and the prize money: the base
salary with the day each amount is in force from, each form's coefficients for an individual and a collective, and
the rounding unit (awards `/prize-settings`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.pages.admin.common import Admin, number, whole
from portal.pages.officer.common import item_of, render
from portal.web import Page

router = APIRouter()

EXTRA_SALARY_ROWS = 1
KINDS = ("individual", "collective")


def quota_keys(forms: list[dict[str, Any]], quotas: dict[str, Any]) -> list[str]:
    """'FORM:round' of every central form's rounds, and any other the province already set."""
    keys = [f"{f['code']}:{r}" for f in forms if f.get("level") == "central" for r in f.get("rounds", [])]
    return keys + sorted(k for k in quotas if k not in keys)


def settings_values(council: dict[str, Any], prize: dict[str, Any]) -> dict[str, str]:
    shown = {"quorum_share": str(council.get("quorum_share", ""))}
    shown |= {f"quota.{key}": str(count) for key, count in (council.get("central_quotas") or {}).items()}
    for i, salary in enumerate(prize.get("base_salaries") or []):
        shown |= {f"salary.{i}.amount": str(salary["amount"]), f"salary.{i}.effective_from": salary["effective_from"]}
    for c in prize.get("coefficients") or []:
        shown |= {f"coef.{c['award_form']}.{k}": str(c[k]) for k in KINDS if c.get(k) is not None}
    shown["rounding_unit"] = str(prize.get("rounding_unit", ""))
    return shown


async def _settings(
    page: Page, *, errors: dict[str, str] | None = None, values: dict[str, str] | None = None, problem: str = ""
) -> Response:
    catalogue = await page.get("awards", "/catalogue")
    forms = catalogue["forms"]
    council = await page.get("awards", "/settings")
    prize = await page.get("awards", "/prize-settings")
    shown = settings_values(council, prize)
    shown.update(values or {})
    salary_rows = max(
        len(prize.get("base_salaries") or []),
        1 + max((int(k.split(".")[1]) for k in shown if k.startswith("salary.")), default=-1),
    )
    return render(
        page,
        "admin/settings.html",
        status=422 if errors or problem else 200,
        forms=forms,
        form_names={f["code"]: page.t(f["name"], f.get("name_en") or f["name"]) for f in forms},
        round_names=catalogue.get("rounds", {}),
        quota_keys=quota_keys(forms, council.get("central_quotas") or {}),
        salary_rows=salary_rows + EXTRA_SALARY_ROWS,
        errors=errors or {},
        values=shown,
        problem=problem,
    )


@router.get("/settings")
async def settings_page(page: Admin) -> Response:
    return await _settings(page)


def _sent(page: Page, prefix: str) -> dict[str, str]:
    return {name: page.field(name) for name in page.form or {} if isinstance(name, str) and name.startswith(prefix)}


@router.post("/settings/council")
async def set_council(page: Admin) -> Response:
    quotas = {name.removeprefix("quota."): whole(text) for name, text in _sent(page, "quota.").items() if text}
    body: dict[str, Any] = {"quorum_share": number(page.field("quorum_share")), "central_quotas": quotas}
    try:
        await page.api("PUT", "awards", "/settings", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        errors: dict[str, str] = {}
        for name, message in error.errors.items():
            key = "quota." + name.split(".", 1)[1] if name.startswith("central_quotas.") else name.split(".")[0]
            errors[key] = f"{errors[key]}; {message}" if key in errors else message
        values = {"quorum_share": page.field("quorum_share"), **_sent(page, "quota.")}
        return await _settings(page, errors=errors, values=values, problem=error.message)
    return await page.done(
        "/admin/settings#council", "Đã lưu cài đặt Hội đồng và hạn mức", "Council and quota settings saved"
    )


def _prize_body(page: Page) -> tuple[dict[str, Any], list[int], list[str]]:
    """The prize settings as the API takes them, with the form's row of each salary and each form's coefficients
    sent (to put the API's messages on them)."""
    salaries: list[dict[str, Any]] = []
    rows: list[int] = []
    index = 0
    while page.form is not None and f"salary.{index}.amount" in page.form:
        amount, since = page.field(f"salary.{index}.amount"), page.field(f"salary.{index}.effective_from")
        if amount or since:
            salaries.append({"amount": whole(amount), "effective_from": since})
            rows.append(index)
        index += 1
    coefficients: list[dict[str, Any]] = []
    codes: list[str] = []
    for code in dict.fromkeys(name.split(".")[1] for name in _sent(page, "coef.")):
        typed = {kind: page.field(f"coef.{code}.{kind}") for kind in KINDS}
        if any(typed.values()):
            coefficients.append({"award_form": code, **{kind: number(text) for kind, text in typed.items()}})
            codes.append(code)
    body = {
        "base_salaries": salaries,
        "coefficients": coefficients,
        "rounding_unit": whole(page.field("rounding_unit")),
    }
    if body["rounding_unit"] is None:
        body.pop("rounding_unit")
    return body, rows, codes


def prize_errors(errors: dict[str, str], rows: list[int], codes: list[str]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, message in errors.items():
        salary, coefficient = item_of(name, "base_salaries", len(rows)), item_of(name, "coefficients", len(codes))
        if salary:
            key = f"salary.{rows[salary[0]]}.{salary[1] if salary[1] == 'effective_from' else 'amount'}"
        elif coefficient:
            key = f"coef.{codes[coefficient[0]]}.{coefficient[1] if coefficient[1] in KINDS else 'individual'}"
        else:
            key = name.split(".")[0]
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


@router.post("/settings/prize")
async def set_prize(page: Admin) -> Response:
    body, rows, codes = _prize_body(page)
    try:
        await page.api("PUT", "awards", "/prize-settings", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        values = {**_sent(page, "salary."), **_sent(page, "coef."), "rounding_unit": page.field("rounding_unit")}
        return await _settings(
            page, errors=prize_errors(error.errors, rows, codes), values=values, problem=error.message
        )
    return await page.done("/admin/settings#prize", "Đã lưu mức tiền thưởng", "Prize money settings saved")
