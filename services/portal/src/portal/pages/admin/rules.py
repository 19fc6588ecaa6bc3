"""The award catalogue (each form, who decides it, its rounds) and the province's rule for each form and round, one
of which is edited at a time (awards `PUT /rules`); the rule's prerequisites, which the page does not edit, are kept
as they were."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.pages.admin.common import Admin, number
from portal.pages.officer.common import GROUPS, first_part, render
from portal.web import Page

router = APIRouter()

GRADES = ("Không đạt", "Đạt", "Khá", "Tốt", "Xuất sắc")
FLAGS = {
    "discipline": "Đang bị kỷ luật / Under discipline",
    "investigation": "Đang bị điều tra / Under investigation",
    "complaint": "Có khiếu nại chưa giải quyết / An open complaint",
}
KINDS = {"collective": "Tập thể / Collective", "individual": "Cá nhân / Individual"}
BASES = {
    "all_members": "Tổng số thành viên Hội đồng / All the council's members",
    "non_recused_members": "Số thành viên không miễn biểu quyết / Members not recused",
}
LISTS = ("excluded_flags", "target_groups", "recipient_kinds")
SCALARS = ("minimum_total", "minimum_grade", "quota_percent", "threshold_share", "threshold_base")


def rule_values(rule: dict[str, Any]) -> dict[str, str]:
    """The edit form filled from a rule as the service answers it."""
    shown = {name: "" if rule.get(name) is None else str(rule[name]) for name in ("form", "round", *SCALARS)}
    shown["at_least_one"] = "" if rule.get("at_least_one") is None else str(rule["at_least_one"]).lower()
    shown["threshold_inclusive"] = "true" if rule.get("threshold_inclusive") else ""
    for name in LISTS:
        shown |= {f"{name}.{code}": "true" for code in rule.get(name) or []}
    return shown


def _chosen(rules: list[dict[str, Any]], form: str, round_: str) -> dict[str, Any]:
    for rule in rules:
        if (rule["form"], rule["round"]) == (form, round_):
            return rule
    return {"form": form, "round": round_} if form and round_ else rules[0] if rules else {}


async def _rules(
    page: Page,
    form: str = "",
    round_: str = "",
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    catalogue = await page.get("awards", "/catalogue")
    rules = (await page.get("awards", "/rules"))["items"]
    return render(
        page,
        "admin/rules.html",
        status=422 if errors or problem else 200,
        forms=catalogue["forms"],
        form_names={f["code"]: page.t(f["name"], f.get("name_en") or f["name"]) for f in catalogue["forms"]},
        rounds=catalogue.get("rounds", {}),
        rules=rules,
        grades=GRADES,
        flags=FLAGS,
        kinds=KINDS,
        bases=BASES,
        group_options=[(g, g) for g in GROUPS],
        errors=errors or {},
        values=values if values is not None else rule_values(_chosen(rules, form, round_)),
        problem=problem,
    )


@router.get("/rules")
async def rules_page(page: Admin, form: str = "", round: str = "") -> Response:  # `round`: the query's name
    return await _rules(page, form, round)


def _rule_body(page: Page, kept: dict[str, Any]) -> dict[str, Any]:
    at_least_one = page.field("at_least_one")
    return {
        "form": page.field("form"),
        "round": page.field("round"),
        "minimum_total": number(page.field("minimum_total")),
        "minimum_grade": page.field("minimum_grade") or None,
        "quota_percent": number(page.field("quota_percent")),
        "at_least_one": None if not at_least_one else at_least_one == "true",
        "threshold_share": number(page.field("threshold_share")),
        "threshold_inclusive": page.field("threshold_inclusive") == "true",
        "threshold_base": page.field("threshold_base") or "all_members",
        "excluded_flags": page.fields("excluded_flags"),
        "target_groups": page.fields("target_groups"),
        "recipient_kinds": page.fields("recipient_kinds"),
        "prerequisites": kept.get("prerequisites") or [],
    }


@router.post("/rules")
async def set_rule(page: Admin) -> Response:
    current = (await page.get("awards", "/rules"))["items"]
    body = _rule_body(page, _chosen(current, page.field("form"), page.field("round")))
    if body["threshold_share"] is None:
        body.pop("threshold_share")
    try:
        await page.api("PUT", "awards", "/rules", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        values = {name: page.field(name) for name in ("form", "round", "at_least_one", "threshold_inclusive", *SCALARS)}
        for name in LISTS:
            values |= {f"{name}.{code}": "true" for code in body[name]}
        return await _rules(
            page, errors=first_part(error.errors, (*SCALARS, *LISTS, "form", "round", "at_least_one")),
            values=values, problem=error.message,
        )  # fmt: skip
    return await page.done(
        f"/admin/rules?form={body['form']}&round={body['round']}#rule-{body['form']}-{body['round']}",
        "Đã lưu điều kiện xét khen",
        "The rule is saved",
    )
