"""The commune's award history from Excel (docs/adr/0027): the awards service's template, and a filled workbook
uploaded; every row is checked before anything is recorded, so a refusal lists each problem by row and column and
records nothing, and a success counts what was recorded and what was already there."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal.adapters.backend import ApiError
from portal.limits import UPLOAD_FORM
from portal.pages.officer.common import Officer, render
from portal.pages.officer.entrants import XLSX, row_errors
from portal.web import Page

router = APIRouter()


async def _history(
    page: Page,
    *,
    problem: str = "",
    import_errors: list[dict[str, str]] | None = None,
    result: dict[str, Any] | None = None,
) -> Response:
    return render(
        page,
        "officer/history.html",
        status=422 if problem or import_errors else 200,
        import_problem=problem,
        import_errors=import_errors or [],
        result=result,
    )


@router.get("/history")
async def history(page: Officer) -> Response:
    return await _history(page)


@router.get("/history/template.xlsx")
async def history_template(page: Officer) -> Response:
    return await page.download("awards", "/history/template.xlsx")


@router.post("/history/import", openapi_extra=UPLOAD_FORM)
async def import_history(page: Officer) -> Response:
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _history(page, problem=page.t("Hãy chọn tệp Excel (.xlsx)", "Choose an Excel file (.xlsx)"))
    try:
        result = await page.api("POST", "awards", "/history/import", content=await upload.read(), content_type=XLSX)
    except ApiError as error:
        if not (error.refused or error.status in (413, 415)):
            raise
        whole = error.errors.pop("file", "")  # the workbook as a whole (not .xlsx, empty): no row to name
        return await _history(page, problem=whole or error.message, import_errors=row_errors(error.errors))
    return await _history(page, result=result)
