"""Reports as jobs: ask for one, follow its progress, download its workbook and its narrative."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from rollups.api.deps import Models, Reporter
from rollups.api.schemas import ReportJob, ReportRequest
from rollups.service import reports
from thidua_commons.documents.model import Letterhead
from thidua_platform.problems import NotFound, Unprocessable

router = APIRouter(prefix="/rollups/reports", tags=["reports"])
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.post("", status_code=202, summary="Lập báo cáo (chạy nền, có tiến độ) / Make a report (in the background)")
async def make_report(body: ReportRequest, principal: Reporter, models: Models, request: Request) -> ReportJob:
    subject = "commune" if body.kind == "commune" else "province"
    if not body.code:
        message = f"Báo cáo loại {body.kind} cần trường {subject} / A {body.kind} report names the {subject}"
        raise Unprocessable(message, errors=[{"field": subject, "message": message}])
    letterhead = Letterhead(**body.letterhead.model_dump()) if body.letterhead else None
    job = await reports.make(
        models=models,
        background=request.app.state.reports,
        principal=principal,
        kind=body.kind,
        code=body.code,
        period=body.period,
        letterhead=letterhead,
    )
    return ReportJob.of(job)


@router.get("/{job_id}", summary="Tiến độ lập báo cáo / A report's progress")
async def report_status(job_id: str, principal: Reporter, models: Models) -> ReportJob:
    return ReportJob.of(await reports.job_of(models=models, principal=principal, job_id=job_id))


@router.get("/{job_id}/report.{extension}", summary="Tải báo cáo (xlsx, pdf) / Download the report")
async def report_file(job_id: str, extension: str, principal: Reporter, models: Models) -> Response:
    if extension not in MEDIA:
        raise NotFound(f"Không có định dạng {extension} / No such format; use xlsx or pdf")
    content = await reports.file_of(models=models, principal=principal, job_id=job_id, extension=extension)
    name = f"bao-cao-{job_id[:8]}.{extension}"
    return Response(
        content, media_type=MEDIA[extension], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
