"""What the officer enters for a council session while it votes: an absent member's written opinion (ý kiến bằng văn
bản), and, for a vote on paper, the counting committee's count (biên bản kiểm phiếu)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.pages.officer.common import Officer, item_of
from portal.pages.officer.sessions import session_page
from portal.web import Page

router = APIRouter()
MARKS = ("yes", "no", "abstain")
TOTALS = ("issued", "returned", "valid")


@router.post("/sessions/{session_id}/written/{member}")
async def record_written_opinion(page: Officer, session_id: str, member: str) -> Response:
    prefix = "vote."
    votes = [
        {"candidate_id": name.removeprefix(prefix), "vote": page.field(name)}
        for name in (page.form or {})
        if isinstance(name, str) and name.startswith(prefix) and page.field(name)
    ]
    try:
        await page.api("PUT", "awards", f"/sessions/{session_id}/written-opinions/{member}", json={"votes": votes})
    except ApiError as error:
        if not error.refused:
            raise
        message = "; ".join(error.errors.values()) or error.message
        return await session_page(page, session_id, errors={f"written-{member}": message}, problem=error.message)
    return await page.done(
        f"/officer/sessions/{session_id}", "Đã ghi ý kiến bằng văn bản", "The written opinion is recorded"
    )


def _number(text: str) -> int | str:
    """A count as typed: a whole number when it is one, else the text, which the service refuses naming the field."""
    return int(text) if text.strip().isdigit() else text


def _paper_count(page: Page, candidate_ids: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {name: _number(page.field(name)) for name in TOTALS}
    body["candidates"] = [
        {"candidate_id": c, **{mark: _number(page.field(f"{mark}.{c}") or "0") for mark in MARKS}}
        for c in candidate_ids
    ]
    return body


@router.post("/sessions/{session_id}/paper-count")
async def enter_paper_count(page: Officer, session_id: str) -> Response:
    found = await page.get("awards", f"/sessions/{session_id}")
    candidate_ids = [c["candidate_id"] for c in found["candidates"]]
    try:
        await page.api("PUT", "awards", f"/sessions/{session_id}/paper-count", json=_paper_count(page, candidate_ids))
    except ApiError as error:
        if not error.refused:
            raise
        errors: dict[str, str] = {}
        for name, message in error.errors.items():
            item = item_of(name, "candidates", len(candidate_ids))
            key = f"count-{candidate_ids[item[0]]}" if item else name.split(".")[0].split("[")[0]
            errors[key] = f"{errors[key]}; {message}" if key in errors else message
        return await session_page(page, session_id, errors=errors, problem=error.message)
    return await page.done(
        f"/officer/sessions/{session_id}", "Đã nhập kết quả kiểm phiếu", "The counting committee's count is entered"
    )
