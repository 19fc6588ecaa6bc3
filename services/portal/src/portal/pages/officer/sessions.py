"""A council session: the candidates evaluated and kept on or taken off the list, convening the session with its
members, the letterhead of its papers, opening and closing the vote, and the minutes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import award_names, campaign_periods, names_of
from portal.listing import every
from portal.pages.officer.common import EXTRA_MEMBER_ROWS, Officer, first_part, from_local_input, item_of, render
from portal.web import Page

router = APIRouter()

LETTERHEAD_FIELDS = ("issuing_body", "parent_body", "place", "authority")


async def _sessions(
    page: Page,
    period: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
    evaluations: list[dict[str, Any]] | None = None,
    evaluated_form: str = "",
    candidate_status: str = "",
) -> Response:
    _, all_periods, chosen = await campaign_periods(page, period)
    roster = (await page.get("scoring", "/council"))["members"]
    catalogue = (await page.get("awards", "/catalogue"))["forms"]
    listed = await every(page, "awards", "/candidates", period=chosen, status=candidate_status)
    sessions = await every(page, "awards", "/sessions", period=chosen)
    letterhead = await _letterhead(page)
    shown: dict[str, str] = {}
    if not any(name.startswith("member.") for name in values or {}):  # the roster, unless the form came back
        shown.update(seated_roster(roster))
    shown.update({f"letterhead.{k}": str(letterhead.get(k) or "") for k in LETTERHEAD_FIELDS})
    shown.update({"ballot_mode": "secret", "counting": "electronic", "award_form": "GIAY_KHEN_XA"})
    shown.update(values or {})
    return render(
        page,
        "officer/sessions.html",
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        candidates=listed,
        candidate_status=candidate_status,
        sessions=sessions,
        forms=catalogue,
        form_names=names_of(page, catalogue),
        member_rows=len(roster) + EXTRA_MEMBER_ROWS,
        roster_size=len(roster),
        evaluations=evaluations,
        evaluated_form=evaluated_form,
        errors=errors or {},
        values=shown,
        problem=problem,
    )


COUNCIL_ROLES = {  # a place in the standing council, as the minutes name it (scoring.domain.standing_council)
    "chair": "Chủ tịch Hội đồng",
    "deputy": "Phó Chủ tịch Hội đồng",
    "standing": "Ủy viên thường trực",
    "secretary": "Thư ký Hội đồng",
}


def seated_roster(roster: list[dict[str, Any]]) -> dict[str, str]:
    """The convening form filled from the standing council: every member invited with their name and place, its
    chair chairing and its secretary keeping the minutes."""
    shown: dict[str, str] = {}
    for i, member in enumerate(roster):
        shown |= {f"member.{i}.username": member["username"], f"member.{i}.include": "true"}
        if member.get("name"):
            shown[f"member.{i}.name"] = member["name"]
        place = member.get("council_role", "member")
        if place in COUNCIL_ROLES:
            shown[f"member.{i}.role"] = COUNCIL_ROLES[place]
        if place in ("chair", "secretary"):
            shown[place] = member["username"]
    return shown


async def _letterhead(page: Page) -> dict[str, Any]:
    try:
        found: dict[str, Any] = await page.get("awards", "/letterhead")
    except ApiError as error:
        if error.status != 404:
            raise
        return {}
    return found


@router.get("/sessions")
async def sessions_page(page: Officer, period: str = "", status: str = "") -> Response:
    return await _sessions(page, period, candidate_status=status)


@router.post("/sessions/evaluate")
async def evaluate(page: Officer) -> Response:
    period, form = page.field("period"), page.field("award_form")
    try:
        found = await page.api("POST", "awards", "/candidates/evaluate", json={"period": period, "award_form": form})
    except ApiError as error:
        if not error.refused:
            raise
        return await _sessions(
            page, period, errors=first_part(error.errors, ("award_form",)), values={"award_form": form},
            problem=error.message,
        )  # fmt: skip
    return await _sessions(page, period, evaluations=found["items"], evaluated_form=form, values={"award_form": form})


@router.post("/candidates/{candidate_id}/review")
async def review_candidate(page: Officer, candidate_id: str) -> Response:
    period = page.field("period")
    included = page.field("included") == "true"
    try:
        await page.api(
            "POST",
            "awards",
            f"/candidates/{candidate_id}/review",
            json={"included": included, "reason": page.field("reason")},
        )
    except ApiError as error:
        if not error.refused:
            raise
        message = "; ".join(error.errors.values()) or error.message
        return await _sessions(
            page,
            period,
            errors={f"{candidate_id}.reason": message},
            values={f"{candidate_id}.reason": page.field("reason")},
            problem=error.message,
        )
    return await page.done(
        f"/officer/sessions?period={period}#candidate-{candidate_id}",
        "Đã giữ lại trong danh sách" if included else "Đã đưa ra khỏi danh sách",
        "Kept on the list" if included else "Taken off the list",
    )


def _session_members(page: Page) -> tuple[list[dict[str, Any]], list[int]]:
    members: list[dict[str, Any]] = []
    rows: list[int] = []
    index = 0
    while page.form is not None and f"member.{index}.username" in page.form:
        username = page.field(f"member.{index}.username")
        included = page.field(f"member.{index}.include") == "true" or index >= page_int(page, "roster_size")
        if username and included:
            member = {"username": username, "name": page.field(f"member.{index}.name")}
            if page.field(f"member.{index}.role"):
                member["role"] = page.field(f"member.{index}.role")
            members.append(member)
            rows.append(index)
        index += 1
    return members, rows


def page_int(page: Page, name: str) -> int:
    text = page.field(name)
    return int(text) if text.isdigit() else 0


def _session_body(page: Page) -> tuple[dict[str, Any], list[int]]:
    members, rows = _session_members(page)
    body: dict[str, Any] = {
        "period": page.field("period"),
        "title": page.field("title"),
        "location": page.field("location"),
        "chair": page.field("chair"),
        "ballot_mode": page.field("ballot_mode") or "secret",
        "counting": page.field("counting") or "electronic",
        "members": members,
        "award_forms": page.fields("award_forms"),
    }
    held_at = from_local_input(page.field("held_at"))
    if held_at:
        body["held_at"] = held_at
    if page.field("secretary"):
        body["secretary"] = page.field("secretary")
    if page.field("ad_hoc") == "true":  # the year's ad-hoc candidates, not the round's (docs/adr/0026)
        body["ad_hoc"] = True
    return body, rows


def session_errors(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, message in errors.items():
        item = item_of(name, "members", len(rows))
        if item:
            column = item[1] if item[1] in ("username", "name", "role") else "name"
            key = f"member.{rows[item[0]]}.{column}"
        else:
            key = name.split(".")[0]
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


@router.post("/sessions")
async def convene(page: Officer) -> Response:
    return await page.once(lambda: _convene(page))


async def _convene(page: Page) -> Response:
    body, rows = _session_body(page)
    values = {name: page.field(name) for name in (page.form or {}) if isinstance(name, str)}
    values.update({f"award_forms.{code}": "true" for code in body["award_forms"]})
    try:
        created = await page.api("POST", "awards", "/sessions", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        return await _sessions(
            page, body["period"], errors=session_errors(error.errors, rows), values=values, problem=error.message
        )
    return await page.done(
        f"/officer/sessions/{created['id']}",
        f"Đã triệu tập phiên họp với {len(created['candidates'])} đề xuất",
        f"Session convened with {len(created['candidates'])} candidates",
    )


@router.post("/letterhead")
async def set_letterhead(page: Officer) -> Response:
    period = page.field("period")
    body = {name: page.field(f"letterhead.{name}") for name in LETTERHEAD_FIELDS}
    try:
        await page.api("PUT", "awards", "/letterhead", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        values = {f"letterhead.{k}": v for k, v in body.items()}
        shown = {f"letterhead.{k.split('.')[0]}": v for k, v in error.errors.items()}
        return await _sessions(page, period, errors=shown, values=values, problem=error.message)
    return await page.done(
        f"/officer/sessions?period={period}#letterhead", "Đã lưu tiêu đề văn bản", "Letterhead saved"
    )


async def session_page(
    page: Page, session_id: str, *, errors: dict[str, str] | None = None, problem: str = ""
) -> Response:
    found = await page.get("awards", f"/sessions/{session_id}")
    voted = {b["member"]: b for b in found["ballots"]}
    names = {m["username"]: m["name"] for m in found["members"]}
    present = page.fields("present") if page.form is not None else found["present"]
    return render(
        page,
        "officer/session.html",
        status=422 if errors or problem else 200,
        session_view=found,
        voted=voted,
        names=names,
        present=present,
        form_names=await award_names(page),
        errors=errors or {},
        problem=problem,
    )


@router.get("/sessions/{session_id}")
async def session(page: Officer, session_id: str) -> Response:
    return await session_page(page, session_id)


@router.post("/sessions/{session_id}/open")
async def open_voting(page: Officer, session_id: str) -> Response:
    body: dict[str, Any] = {"present": page.fields("present")}
    head = page.field("committee_head")
    if head:  # the counting committee: its head first, then the others ticked
        body["counting_committee"] = [head, *(m for m in page.fields("committee") if m != head)]
    try:
        await page.api("POST", "awards", f"/sessions/{session_id}/open", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        errors = first_part(error.errors, ("present", "counting_committee"))
        return await session_page(page, session_id, errors=errors, problem=error.message)
    return await page.done(f"/officer/sessions/{session_id}", "Đã mở biểu quyết", "Voting is open")


@router.post("/sessions/{session_id}/close")
async def close_voting(page: Officer, session_id: str) -> Response:
    try:
        await page.api("POST", "awards", f"/sessions/{session_id}/close")
    except ApiError as error:
        if not error.refused:
            raise
        return await session_page(page, session_id, errors=error.errors, problem=error.message)
    return await page.done(
        f"/officer/sessions/{session_id}#results", "Đã kết thúc và kiểm phiếu", "Voting closed and counted"
    )


@router.get("/sessions/{session_id}/minutes.pdf")
async def minutes(page: Officer, session_id: str) -> Response:
    return await page.download("awards", f"/sessions/{session_id}/minutes.pdf")
