"""Adapting a period's criteria set before the period opens: new maxima, criteria removed, one added."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import campaign, campaign_periods, reference
from portal.forms import parse_number, parse_whole
from portal.pages.officer.common import GROUPS, Officer, item_of, period_state, render
from portal.web import Page
from thidua_commons.groups import group_name
from thidua_commons.periods import period_name

router = APIRouter()


@router.get("/criteria")
async def criteria_sets(page: Officer, period: str = "", group: str = "a") -> Response:
    return await _criteria(page, period, group)


async def _criteria(
    page: Page,
    period: str,
    group: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    found, all_periods, chosen = await campaign_periods(page, period)
    group = group if group in GROUPS else "a"
    current = (
        await page.get("submissions", f"/campaigns/{found['id']}/criteria-sets", period=chosen, group=group)
        if found and chosen
        else []
    )
    the_set = current[0] if current else None
    chosen_period = next((p for p in all_periods if p.code == chosen), None)
    editable = bool(the_set and chosen_period and period_state(chosen_period) == "upcoming")
    shown = dict(values or {})
    if the_set and values is None:
        shown = {f"max_points.{c['code']}": str(c["max_points"]) for c in the_set["content"]["criteria"]}
        shown["new.kind"] = "assessment"
    listed = await reference(page)
    return render(
        page,
        "officer/criteria.html",
        status=422 if errors or problem else 200,
        campaign=found,
        periods=all_periods,
        period=chosen,
        group=group,
        groups=listed["target_groups"],
        themes=listed["themes"],
        criteria_set=the_set,
        editable=editable,
        state=period_state(chosen_period) if chosen_period else "",
        errors=errors or {},
        values=shown,
        problem=problem,
    )


def _number(text: str) -> float:
    return parse_number(text)


def _adapted(page: Page, content: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The set's criteria as the form changed them: new maxima, some removed, perhaps one added."""
    errors: dict[str, str] = {}
    adapted: list[dict[str, Any]] = []
    for criterion in content["criteria"]:
        code = criterion["code"]
        if page.field(f"remove.{code}") == "true":
            continue
        try:
            adapted.append({**criterion, "max_points": _number(page.field(f"max_points.{code}"))})
        except ValueError:
            errors[f"max_points.{code}"] = page.t("Phải là một số", "Must be a number")
            adapted.append(criterion)
    if page.field("new.code") or page.field("new.title"):
        added: dict[str, Any] = {
            "code": page.field("new.code"),
            "title": page.field("new.title"),
            "theme": page.field("new.theme") or "1",
            "rule": {"kind": page.field("new.kind") or "assessment"},
        }
        try:
            added["max_points"] = _number(page.field("new.max_points"))
        except ValueError:
            errors["new.max_points"] = page.t("Phải là một số", "Must be a number")
        try:
            added["theme"] = parse_whole(added["theme"])
        except ValueError:
            errors["new.theme"] = page.t("Chọn một nhóm nội dung", "Choose a theme")
        adapted.append(added)
    return adapted, errors


def criteria_errors(error: ApiError, sent: list[dict[str, Any]], known: set[str]) -> dict[str, str]:
    """`criteria.3.max_points` → the input of that criterion; the adaptation's reasons (`a2: …; a5: …`) next to the
    criterion they name; the rest stays under the form."""
    shown: dict[str, str] = {}

    def add(key: str, message: str) -> None:
        shown[key] = f"{shown[key]}; {message}" if key in shown else message

    for name, message in error.errors.items():
        item = item_of(name, "criteria", len(sent))
        if item:
            code = sent[item[0]]["code"]
            column = item[1] if item[1] in ("code", "title", "max_points", "theme") else "max_points"
            add(f"max_points.{code}" if code in known else f"new.{column}", message)
        elif name.split(".")[0] == "criteria":
            for reason in message.split("; "):
                code, colon, rest = reason.partition(": ")
                if colon and code in known:
                    add(f"max_points.{code}", rest)
                elif colon and sent and code == sent[-1]["code"]:
                    add("new.code", rest)
                else:
                    add("criteria", reason)
        else:
            add(name, message)
    return shown


@router.post("/criteria")
async def adapt_criteria(page: Officer) -> Response:
    found = await campaign(page)
    period, group = page.field("period"), page.field("group")
    if not found:
        return await _criteria(page, period, group)
    sets = await page.get("submissions", f"/campaigns/{found['id']}/criteria-sets", period=period, group=group)
    if not sets:  # a period or group the campaign does not have: the page as it is, nothing lost
        return await _criteria(page, period, group, problem=page.t("Không có bộ tiêu chí này", "No such criteria set"))
    content = sets[0]["content"]
    known = {c["code"] for c in content["criteria"]}
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str)}
    adapted, errors = _adapted(page, content)
    if errors:
        return await _criteria(page, period, group, errors=errors, values=values)
    try:
        await page.api(
            "PUT",
            "submissions",
            f"/campaigns/{found['id']}/criteria-sets/{period}",
            json={**content, "criteria": adapted},
        )
    except ApiError as error:
        if not error.refused:
            raise
        shown = criteria_errors(error, adapted, known)
        return await _criteria(page, period, group, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/criteria?period={period}&group={group}",
        f"Đã lưu bộ tiêu chí của nhóm “{group_name(group)}”, {period_name(period)}",
        f"Criteria of the group “{group_name(group, english=True)}” for {period_name(period, english=True)} saved",
    )
