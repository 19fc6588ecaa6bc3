"""The commune's reports: requesting one for a period, following the job, and downloading its files."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import campaign_periods
from portal.pages.officer.common import Officer, render
from portal.web import Page
from thidua_commons.periods import period_name

router = APIRouter()


@router.get("/reports")
async def reports(page: Officer, period: str = "") -> Response:
    return await _reports(page, period)


async def _reports(page: Page, period: str, *, errors: dict[str, str] | None = None, problem: str = "") -> Response:
    _, all_periods, chosen = await campaign_periods(page, period)
    return render(
        page,
        "officer/reports.html",
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        commune=page.principal.tenant or "",
        errors=errors or {},
        values={"period": chosen},
        problem=problem,
    )


@router.post("/reports")
async def request_report(page: Officer) -> Response:
    return await page.once(lambda: _request_report(page))


async def _request_report(page: Page) -> Response:
    period = page.field("period")
    body = {"kind": "commune", "commune": page.principal.tenant, "period": period}
    try:
        job = await page.api("POST", "rollups", "/rollups/reports", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        return await _reports(page, period, errors=error.errors, problem=error.message)
    return await page.done(
        f"/officer/reports/{job['id']}",
        f"Đã yêu cầu báo cáo {period_name(period)}",
        f"Report for {period_name(period, english=True)} requested",
    )


@router.get("/reports/{job_id}")
async def report(page: Officer, job_id: str) -> Response:
    job = await page.get("rollups", f"/rollups/reports/{job_id}")
    return render(page, "officer/report.html", job=job)


@router.get("/reports/{job_id}/report.{extension}")
async def report_file(page: Officer, job_id: str, extension: str) -> Response:
    job = await page.get("rollups", f"/rollups/reports/{job_id}")
    path = job["files"].get({"xlsx": "workbook", "pdf": "narrative"}.get(extension, ""))
    if not path:
        raise ApiError(404, "Báo cáo chưa sẵn sàng / The report is not ready")
    return await page.download("rollups", path)
