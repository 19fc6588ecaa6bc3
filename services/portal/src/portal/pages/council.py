"""A council member's pages: the review queue, one dossier as the reviewer sees it with its scoring form and recusal,
the council sessions of the commune with the ballot paper and, once counted, the results.

What the reviewer sees is exactly what the scoring API shows them: under a blind review it leaves the entrant out, and
so does this page. The commune's chairman votes in sessions too; only council members score.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import award_names, campaign, current_period, periods
from portal.forms import parse_number
from portal.listing import every
from portal.web import Page, role_page
from thidua_contracts.roles import Role

router = APIRouter(prefix="/council")
# only council members score; the chairman votes in sessions too
Reviewer = Annotated[Page, Depends(role_page(Role.COUNCIL_MEMBER))]
Member = Annotated[Page, Depends(role_page(Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR))]
VOTES = ("yes", "no")


def _picked(page: Page, errors: dict[str, str]) -> dict[str, str]:
    """The API's bilingual messages in the reader's language."""
    return {name: page.t.pick(message) for name, message in errors.items()}


# --- reviews


@router.get("/reviews")
async def review_queue(page: Reviewer) -> Response:
    queue = await page.get("scoring", "/reviews/queue")
    return page.render("council/reviews.html", queue=queue)


async def _review(
    page: Page,
    submission_id: str,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    view = await page.get("scoring", f"/reviews/{submission_id}")
    values: dict[str, Any] = {}
    for code, given in view["my_assessments"].items():
        values[f"{code}.points"] = page.t.number(given["points"])
        values[f"{code}.comment"] = given.get("comment") or ""
    values.update(typed or {})
    return page.render(
        "council/review.html",
        status=422 if errors or problem else 200,
        view=view,
        values=values,
        errors=errors or {},
        problem=problem,
    )


@router.get("/reviews/{submission_id}")
async def review(page: Reviewer, submission_id: str) -> Response:
    return await _review(page, submission_id)


def _points(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


async def _assess(page: Page, submission_id: str, code: str, points: float, comment: str) -> dict[str, str]:
    """One criterion's points; the API's refusal as messages under that criterion's fields."""
    try:
        await page.api(
            "PUT",
            "scoring",
            f"/reviews/{submission_id}/assessments/{code}",
            json={"points": points, "comment": comment or None},
        )
    except ApiError as error:
        if not error.refused:
            raise
        fields = {f"{code}.{name.split('.')[-1]}": page.t.pick(m) for name, m in error.errors.items()}
        return fields or {f"{code}.points": page.t.pick(error.message)}
    return {}


@router.post("/reviews/{submission_id}")
async def score(page: Reviewer, submission_id: str) -> Response:
    view = await page.get("scoring", f"/reviews/{submission_id}")
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    saved = 0
    for criterion in view["criteria"]:
        code = criterion["code"]
        text, comment = page.field(f"{code}.points"), page.field(f"{code}.comment")
        typed[f"{code}.points"], typed[f"{code}.comment"] = text, comment
        if not text:
            if comment:
                errors[f"{code}.points"] = page.t("Hãy nhập điểm cho tiêu chí này", "Enter the points for this one")
            continue
        points = _points(text)
        if points is None:
            errors[f"{code}.points"] = page.t("Phải là một số", "Must be a number")
            continue
        refused = await _assess(page, submission_id, code, points, comment)
        errors.update(refused)
        saved += 0 if refused else 1
    if errors:
        problem = page.t(
            f"Đã lưu {saved} tiêu chí; các tiêu chí có lỗi bên dưới chưa được lưu",
            f"{saved} criteria saved; those marked below were not",
        )
        return await _review(page, submission_id, typed=typed, errors=errors, problem=problem)
    return await page.done(f"/council/reviews/{submission_id}", "Đã lưu điểm chấm", "Your points are saved")


@router.post("/reviews/{submission_id}/recuse")
async def recuse(page: Reviewer, submission_id: str) -> Response:
    reason = page.field("reason")
    if not reason:
        errors = {"reason": page.t("Hãy nêu lý do xin không chấm", "Give the reason for stepping aside")}
        return await _review(page, submission_id, typed={"reason": reason}, errors=errors)
    try:
        await page.api("POST", "scoring", f"/reviews/{submission_id}/recuse", json={"reason": reason})
    except ApiError as error:
        if not error.refused:
            raise
        return await _review(
            page, submission_id, typed={"reason": reason}, errors=_picked(page, error.errors), problem=error.message
        )
    return await page.done(
        "/council/reviews", "Bạn đã xin không chấm hồ sơ này", "You stepped aside from reviewing that dossier"
    )


@router.get("/files/{attachment_id}")
async def evidence_file(page: Reviewer, attachment_id: str) -> Response:
    return await page.download("submissions", f"/attachments/{attachment_id}")


# --- sessions and ballots


@router.get("/sessions")
async def sessions(page: Member, period: str = "") -> Response:
    all_periods = periods(await campaign(page))
    chosen = current_period(all_periods, period)
    listing = await every(page, "awards", "/sessions", period=chosen)
    return page.render(
        "council/sessions.html",
        periods=all_periods,
        period=chosen,
        sessions=listing,
        me=page.principal.username,
    )


def _ballot_candidates(session: dict[str, Any], me: str) -> list[dict[str, Any]]:
    """The candidates this member votes on: all but those they are recused from (their own unit, themselves)."""
    return [c for c in session["candidates"] if me not in {r["member"] for r in c["recused"]}]


async def _session(
    page: Page,
    session_id: str,
    *,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    session = await page.get("awards", f"/sessions/{session_id}")
    me = page.principal.username
    mine = next((b for b in session["ballots"] if b["member"] == me), None)
    values = {f"vote.{c['candidate_id']}": page.field(f"vote.{c['candidate_id']}") for c in session["candidates"]}
    return page.render(
        "council/session.html",
        status=422 if errors or problem else 200,
        council_session=session,
        me=me,
        member=me in {m["username"] for m in session["members"]},
        present=me in session["present"],
        my_ballot=mine,
        ballot=_ballot_candidates(session, me),
        recused=[c for c in session["candidates"] if c not in _ballot_candidates(session, me)],
        results={r["candidate_id"]: r for r in session["results"]},
        forms=await award_names(page),
        values=values,
        errors=errors or {},
        problem=problem,
    )


@router.get("/sessions/{session_id}")
async def session(page: Member, session_id: str) -> Response:
    return await _session(page, session_id)


@router.post("/sessions/{session_id}/ballot")
async def cast_ballot(page: Member, session_id: str) -> Response:
    session = await page.get("awards", f"/sessions/{session_id}")
    votes: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for candidate in _ballot_candidates(session, page.principal.username):
        key = f"vote.{candidate['candidate_id']}"
        vote = page.field(key)
        if vote not in VOTES:
            errors[key] = page.t("Hãy chọn Đồng ý hoặc Không đồng ý", "Choose Yes or No")
            continue
        votes.append({"candidate_id": candidate["candidate_id"], "vote": vote})
    if errors:
        problem = page.t("Phiếu chưa biểu quyết hết các đề xuất", "The ballot leaves some candidates without a vote")
        return await _session(page, session_id, errors=errors, problem=problem)
    try:
        await page.api("PUT", "awards", f"/sessions/{session_id}/ballot", json={"votes": votes})
    except ApiError as error:
        if not (error.refused or error.status == 403):
            raise
        return await _session(page, session_id, problem=error.message)
    return await page.done(f"/council/sessions/{session_id}", "Bạn đã bỏ phiếu", "Your ballot is cast")


@router.get("/sessions/{session_id}/minutes.pdf")
async def minutes(page: Member, session_id: str) -> Response:
    return await page.download("awards", f"/sessions/{session_id}/minutes.pdf")
