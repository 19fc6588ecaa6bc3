"""Province staff (Sở Nội vụ, Ban Thi đua - Khen thưởng tỉnh): every commune of the province ranked, a commune's
entrants, the proposals (tờ trình) the communes sent up and the province's decision on each, the consolidated report.

Only the province of the signed-in person's token is shown: the APIs answer for that province and no other."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import award_names
from portal.i18n import today
from portal.listing import last_page
from portal.pages.officer.common import PAGE_SIZE, PageNumber
from portal.web import NotAllowed, Page, role_page
from thidua_contracts.roles import Role

router = APIRouter(prefix="/province")
Staff = Annotated[Page, Depends(role_page(Role.PROVINCE_STAFF))]

# The rollups' period codes: the yearly rounds of the movement, the preliminary (2027) and final (2030) reviews.
PERIODS = ("2025", "2026", "2027", "2028", "2029", "2030", "so-ket-2027", "tong-ket-2030")
PENDING = "submitted_to_province"
# the proposals the province (or the central level, through it) answered: every status after the pending one
DECIDED = (
    "returned", "province_awarded", "province_rejected", "forwarded_to_central", "central_awarded", "central_rejected",
)  # fmt: skip
PROPOSALS_PAGE = 20  # proposals a page, in each list of the proposals received
ListPage = Annotated[int, Query(ge=1, le=100_000)]  # the page of one of the two lists of proposals
OUTCOME_FIELDS = ("outcome", "number", "signed_on", "issuer", "reason")
REPORT_FILES = {"xlsx": "workbook", "pdf": "narrative"}
# what the rollups count proposals by: the answer each received so far
OUTCOMES = {
    "pending": "Chờ xét / Pending",
    "submitted": "Chờ xét / Pending",
    "awarded": "Được khen / Awarded",
    "rejected": "Không khen / Not awarded",
    "returned": "Trả lại / Returned",
    "forwarded_to_central": "Trình Trung ương / Forwarded to the central level",
}


def province_of(page: Page) -> str:
    if not page.principal.province:
        raise NotAllowed()
    return page.principal.province


def province_title(page: Page, named: str = "") -> str:
    """The province by its name: the rollups' (from the directory), else the one read at sign-in, else its code."""
    return named or page.session.unit_name or page.t(f"tỉnh {province_of(page)}", f"province {province_of(page)}")


async def commune_names(page: Page) -> dict[str, str]:
    """The province's communes by name (the rollups read them from the directory, cached); none when the rollups
    cannot say, and the pages then show codes."""
    try:
        found = await page.get("rollups", f"/rollups/provinces/{province_of(page)}/units")
    except ApiError:
        return {}
    return {c["commune"]: c["name"] for c in found.get("communes", [])}


def chosen_period(period: str) -> str:
    """The period asked for, else the current year within the movement (2025–2030)."""
    if period in PERIODS:
        return period
    return str(min(max(today().year, 2025), 2030))


# --- dashboard


def _ranked(communes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked communes first (by rank), unranked after them by name."""
    named = [{**c, "name": c.get("name") or c["commune"]} for c in communes]
    return sorted(named, key=lambda c: (c.get("rank") is None, c.get("rank") or 0, c["name"], c["commune"]))


def _share(value: Any, top: float) -> float:
    """A bar's length in percent of the longest."""
    return round(100 * float(value or 0) / top, 1) if top else 0.0


@router.get("/dashboard")
async def dashboard(page: Staff, period: str = "", number: PageNumber = 1) -> Response:
    """The province's totals and a page of its communes, ranked over all of them (the rollups rank and page)."""
    province = province_of(page)
    chosen = chosen_period(period)
    figures = await page.get(
        "rollups", f"/rollups/provinces/{province}", period=chosen, page=number, page_size=PAGE_SIZE
    )
    totals = figures["totals"]
    by_form = totals["awards"]["by_form"]
    top_form = max(by_form.values(), default=0)
    return page.render(
        "province/dashboard.html",
        province=province,
        province_name=province_title(page, figures.get("province_name", "")),
        periods=PERIODS,
        period=chosen,
        communes=_ranked(figures["communes"]),
        total=int(figures["total"]),
        number=number,
        last=last_page(int(figures["total"]), PAGE_SIZE),
        totals=totals,
        forms=await award_names(page),
        by_form=[(code, count, _share(count, top_form)) for code, count in sorted(by_form.items())],
        outcomes=OUTCOMES,
        freshness=figures["freshness"],
    )


@router.get("/communes/{commune}")
async def commune(page: Staff, commune: str, period: str = "", number: PageNumber = 1) -> Response:
    """The commune's figures and a page of its entrants, the best final score first (the rollups sort them)."""
    province_of(page)
    chosen = chosen_period(period)
    figures = await page.get("rollups", f"/rollups/communes/{commune}", period=chosen)
    entrants = await page.get(
        "rollups", f"/rollups/communes/{commune}/entrants", period=chosen, page=number, page_size=PAGE_SIZE
    )
    return page.render(
        "province/commune.html",
        commune=commune,
        name=figures["figures"].get("name") or commune,
        periods=PERIODS,
        period=chosen,
        figures=figures["figures"],
        entrants=entrants["items"],
        total=entrants["total"],
        number=number,
        last=last_page(int(entrants["total"]), PAGE_SIZE),
        forms=await award_names(page),
        freshness=entrants["freshness"],
    )


# --- proposals


@router.get("/proposals")
async def proposals(page: Staff, period: str = "", pending: ListPage = 1, decided: ListPage = 1) -> Response:
    """The proposals waiting for the province and those it answered, each list newest first and paged on its own
    (`pending`, `decided`: the page of each), of one period or all."""
    province_of(page)
    chosen = period if period in PERIODS else ""
    waiting, answered = await asyncio.gather(
        page.get("awards", "/proposals", period=chosen, status=PENDING, page=pending, page_size=PROPOSALS_PAGE),
        page.get("awards", "/proposals", period=chosen, status=DECIDED, page=decided, page_size=PROPOSALS_PAGE),
    )
    return page.render(
        "province/proposals.html",
        periods=PERIODS,
        period=chosen,
        pending=_listed(waiting, pending),
        decided=_listed(answered, decided),
        forms=await award_names(page),
        names=await commune_names(page),
    )


def _listed(listing: dict[str, Any], number: int) -> dict[str, Any]:
    """A page of a list as the template shows it, with the pager's page number and last page."""
    total = int(listing["total"])
    return {"items": listing["items"], "total": total, "number": number, "last": last_page(total, PROPOSALS_PAGE)}


async def _proposal(
    page: Page,
    proposal_id: str,
    *,
    errors: dict[str, str] | None = None,
    problem: str = "",
    status: int = 200,
) -> Response:
    proposal = await page.get("awards", f"/proposals/{proposal_id}")
    dossier = await page.get("awards", f"/proposals/{proposal_id}/dossier")
    values = {name: page.field(name) for name in OUTCOME_FIELDS}
    values["outcome"] = values["outcome"] or "awarded"
    return page.render(
        "province/proposal.html",
        status=status,
        proposal=proposal,
        dossier=dossier,
        documents=[_document(proposal_id, d) for d in dossier["documents"]],
        forms=await award_names(page),
        names=await commune_names(page),
        pending=proposal["status"] == PENDING,
        values=values,
        errors=errors or {},
        problem=problem,
    )


def _document(proposal_id: str, document: dict[str, Any]) -> dict[str, Any]:
    """The portal's own link to a document of the dossier (the API's address carries the candidate, if any)."""
    query = document["href"].partition("?")[2]
    href = f"/province/proposals/{proposal_id}/documents/{document['kind']}.pdf" + (f"?{query}" if query else "")
    return {**document, "portal_href": href}


@router.get("/proposals/{proposal_id}")
async def proposal(page: Staff, proposal_id: str) -> Response:
    return await _proposal(page, proposal_id)


@router.get("/proposals/{proposal_id}/documents/{kind}.pdf")
async def proposal_document(page: Staff, proposal_id: str, kind: str, candidate_id: str = "") -> Response:
    params = {"candidate_id": candidate_id} if candidate_id else None
    return await page.download("awards", f"/proposals/{proposal_id}/documents/{kind}.pdf", params)


def _outcome_body(page: Page) -> tuple[dict[str, Any], dict[str, str]]:
    """The decision as the API takes it, and the fields the person still has to fill (shown under each field)."""
    outcome = page.field("outcome")
    required = {
        "awarded": ("number", "signed_on", "issuer"),
        "rejected": ("reason",),
    }.get(outcome)
    if required is None:
        return {}, {"outcome": page.t("Hãy chọn kết quả", "Choose the outcome")}
    missing = page.t("Bắt buộc nhập", "Required")
    errors = {name: missing for name in required if not page.field(name)}
    body: dict[str, Any] = {"outcome": outcome, **{name: page.field(name) for name in required}}
    return body, errors


@router.post("/proposals/{proposal_id}/outcome")
async def record_outcome(page: Staff, proposal_id: str) -> Response:
    body, errors = _outcome_body(page)
    if errors:
        return await _proposal(page, proposal_id, errors=errors, status=422)
    try:
        decided = await page.api("POST", "awards", f"/proposals/{proposal_id}/outcome", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        return await _proposal(
            page, proposal_id, errors=error.errors, problem=_outcome_problem(page, error), status=error.status
        )
    vi, en = (
        ("Đã ghi quyết định khen thưởng của tỉnh", "The province's award is recorded")
        if decided["status"] == "province_awarded"
        else ("Đã ghi kết quả: tỉnh không khen", "Recorded: the province does not award")
    )
    return await page.done(f"/province/proposals/{proposal_id}", vi, en)


def _outcome_problem(page: Page, error: ApiError) -> str:
    if error.status == 409:
        return page.t(
            "Tờ trình này đã có kết quả, không ghi lại được. Tải lại trang để xem kết quả đã ghi.",
            "This proposal has already been decided; reload the page to see the recorded outcome.",
        )
    return error.message


# --- the consolidated report


@router.get("/reports")
async def reports(page: Staff, period: str = "") -> Response:
    return page.render(
        "province/reports.html",
        province=province_of(page),
        province_name=province_title(page),
        periods=PERIODS,
        period=chosen_period(period),
        problem="",
    )


@router.post("/reports")
async def request_report(page: Staff) -> Response:
    return await page.once(lambda: _request_report(page))


async def _request_report(page: Page) -> Response:
    province = province_of(page)
    period = page.field("period")
    try:
        job = await page.api(
            "POST",
            "rollups",
            "/rollups/reports",
            json={"kind": "province", "province": province, "period": period},
            idempotency_key=page.idempotency_key(),
        )
    except ApiError as error:
        if not error.refused:
            raise
        return page.render(
            "province/reports.html",
            status=422,
            province=province,
            province_name=province_title(page),
            periods=PERIODS,
            period=chosen_period(period),
            errors=error.errors,
            problem=error.message,
        )
    return await page.done(f"/province/reports/{job['id']}", "Đã yêu cầu lập báo cáo", "The report is being made")


@router.get("/reports/{job_id}")
async def report(page: Staff, job_id: str) -> Response:
    province_of(page)
    job = await page.get("rollups", f"/rollups/reports/{job_id}")
    return page.render("province/report.html", job=job)


@router.get("/reports/{job_id}/report.{extension}")
async def report_file(page: Staff, job_id: str, extension: str) -> Response:
    province_of(page)
    if extension not in REPORT_FILES:
        raise ApiError(404, "Không có tệp này / No such file")
    return await page.download("rollups", f"/rollups/reports/{job_id}/report.{extension}")
