"""The periods' windows, assigning waiting dossiers to reviewers, closing a period's scoring, and the scoring
council's roster."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import campaign, periods
from portal.pages.officer.common import (
    EXTRA_MEMBER_ROWS,
    Officer,
    from_local_input,
    item_of,
    local_input,
    period_state,
    render,
)
from portal.web import Page
from thidua_commons.periods import period_name

router = APIRouter()
MAX_UNITS = 200  # the units offered for a council member (the API's largest page)


async def _periods(
    page: Page,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    picked: dict[int, list[str]] | None = None,
    problem: str = "",
) -> Response:
    found = await campaign(page)
    all_periods = periods(found)
    shown = {f"{p.code}.{end}": local_input(getattr(p, end)) for p in all_periods for end in ("opens_at", "closes_at")}
    shown.update(values or {})
    council = await page.get("scoring", "/council")
    roster = council["members"]
    chosen = dict(picked or {})
    for index, member in enumerate(roster):
        for column in MEMBER_COLUMNS:
            shown.setdefault(f"member.{index}.{column}", member.get(column) or "")
        chosen.setdefault(index, list(member.get("unit_entrant_ids") or []))
    for name, value in (council.get("established_by") or {}).items():
        shown.setdefault(f"established.{name}", value or "")
    return render(
        page,
        "officer/periods.html",
        status=422 if errors or problem else 200,
        campaign=found,
        periods=[(p, period_state(p)) for p in all_periods],
        roster_rows=len(roster) + EXTRA_MEMBER_ROWS,
        units=await _units(page),
        chosen=chosen,
        errors=errors or {},
        values=shown,
        problem=problem,
    )


async def _units(page: Page) -> list[dict[str, Any]]:
    """The commune's units (its collective entrants) by name, for choosing a member's own units: those whose
    dossiers the member never scores. A unit chosen before and no longer listed keeps its id as its label."""
    listed = await page.get("submissions", "/entrants", kind="collective", page_size=MAX_UNITS)
    return [{"id": unit["id"], "name": unit["name"]} for unit in listed["items"]]


@router.get("/periods")
async def periods_page(page: Officer) -> Response:
    return await _periods(page)


@router.post("/periods/{code}/window")
async def set_window(page: Officer, code: str) -> Response:
    found = await campaign(page)
    values = {f"{code}.{end}": page.field(end) for end in ("opens_at", "closes_at")}
    body = {end: from_local_input(page.field(end)) for end in ("opens_at", "closes_at")}
    if not found:
        return await _periods(page)
    try:
        await page.api(
            "PUT",
            "submissions",
            f"/campaigns/{found['id']}/periods/{code}",
            json={k: v for k, v in body.items() if v},
        )
    except ApiError as error:
        if not error.refused:
            raise
        shown = {f"{code}.{k}" if k in body else k: v for k, v in error.errors.items()}
        return await _periods(page, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/periods#period-{code}",
        f"Đã đặt thời gian {period_name(code)}",
        f"The window of {period_name(code, english=True)} was set",
    )


@router.post("/periods/{code}/assign")
async def assign_waiting(page: Officer, code: str) -> Response:
    done = await page.api("POST", "scoring", "/council/assign", params={"period": code})
    return await page.done(
        f"/officer/periods#period-{code}",
        f"Đã phân công chấm {done['count']} hồ sơ {period_name(code)}",
        f"{done['count']} dossiers of {period_name(code, english=True)} assigned to reviewers",
    )


@router.post("/periods/{code}/close")
async def close_scoring(page: Officer, code: str) -> Response:
    if page.field("confirm") != "true":
        message = page.t("Hãy đánh dấu xác nhận trước khi khóa sổ", "Tick the confirmation before closing")
        return await _periods(page, errors={f"{code}.confirm": message})
    try:
        done = await page.api("POST", "scoring", f"/periods/{code}/close")
    except ApiError as error:
        if not error.refused:
            raise
        return await _periods(page, errors={f"{code}.confirm": error.message}, problem=error.message)
    return await page.done(
        f"/officer/periods#period-{code}",
        f"Đã khóa sổ chấm điểm {period_name(code)}: {done['count']} hồ sơ có điểm chính thức",
        f"Scoring of {period_name(code, english=True)} closed: {done['count']} dossiers got their final score",
    )


def _roster_rows(page: Page) -> tuple[list[dict[str, Any]], list[int]]:
    members: list[dict[str, Any]] = []
    rows: list[int] = []
    index = 0
    while page.form is not None and f"member.{index}.username" in page.form:
        username = page.field(f"member.{index}.username")
        if username:
            member: dict[str, Any] = {"username": username, "unit_entrant_ids": _chosen_units(page, index)}
            member |= {
                c: page.field(f"member.{index}.{c}") for c in ("name", "position") if page.field(f"member.{index}.{c}")
            }
            member["council_role"] = page.field(f"member.{index}.council_role") or "member"
            members.append(member)
            rows.append(index)
        index += 1
    return members, rows


MEMBER_COLUMNS = ("username", "name", "position", "council_role")
ESTABLISHMENT = ("number", "signed_on", "term_from", "term_to")


def _establishment(page: Page) -> dict[str, Any] | None:
    """The decision that established the council, as typed; None when its number is left empty."""
    if not page.field("established.number"):
        return None
    typed = {name: page.field(f"established.{name}") for name in ESTABLISHMENT}
    return {name: value for name, value in typed.items() if value or name != "term_to"} | (
        {} if typed["term_to"] else {"term_to": None}
    )


def _chosen_units(page: Page, index: int) -> list[str]:
    """The units chosen for a member (a multiple select: one value each), in the order chosen, each once."""
    return list(dict.fromkeys(page.fields(f"member.{index}.units")))


@router.post("/council")
async def set_council(page: Officer) -> Response:
    members, rows = _roster_rows(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str) and name.startswith("m")}
    picked = {index: _chosen_units(page, index) for index in rows}
    try:
        await page.api("PUT", "scoring", "/council", json={"members": members, "established_by": _establishment(page)})
    except ApiError as error:
        # besides 409 and 422, a 404 naming fields is about what was typed: an entrant id scoring does not know as
        # the commune's (another commune's, none at all, or one created a moment ago: docs/adr/0020)
        if not (error.refused or (error.status == 404 and error.errors)):
            raise
        shown: dict[str, str] = {}
        for name, message in error.errors.items():
            item = item_of(name, "members", len(rows))
            if item:
                column = (
                    "units" if item[1] == "unit_entrant_ids" else item[1] if item[1] in MEMBER_COLUMNS else "username"
                )
                key = f"member.{rows[item[0]]}.{column}"
            elif name.startswith("established_by"):
                key = "established"
            else:
                key = "council"
            # several ids of one row (`….unit_entrant_ids.0`, `.1`) share its field: each message, in the page's
            # language, is kept
            shown[key] = "; ".join(filter(None, (shown.get(key), page.t.pick(message))))
        shown = shown or {"council": error.message}
        return await _periods(page, errors=shown, values=values, picked=picked, problem=error.message)
    return await page.done("/officer/periods#council", "Đã cập nhật Hội đồng chấm", "The council roster was saved")
