"""A unit's dossiers: the period's list and a new draft, then one dossier's evidence per criterion with its files,
submitting it, reading the reasons of a return and resubmitting, or withdrawing it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal.adapters.backend import ApiError
from portal.commune import campaign, criteria, current_period, periods, reference
from portal.forms import parse_number, parse_whole
from portal.limits import UPLOAD_FORM
from portal.listing import last_page
from portal.pages.submitter.common import Filer, PageNumber, entrants_of
from portal.web import Page

router = APIRouter()
DOSSIERS_PAGE_SIZE = 20  # dossiers a page of the list of dossiers
EVIDENCE_FIELDS = ("level", "value", "occurrences", "narrative")


@router.get("/dossiers")
async def dossiers(page: Filer, period: str = "", number: PageNumber = 1) -> Response:
    return await _dossiers(page, period, number=number)


async def _dossiers(
    page: Page, period: str, *, number: int = 1, errors: dict[str, str] | None = None, problem: str = ""
) -> Response:
    """The period's dossiers a page at a time, newest first, and the form that starts one."""
    found = await campaign(page)
    all_periods = periods(found)
    chosen = current_period(all_periods, period)
    listing = (
        await page.get("submissions", "/submissions", period=chosen, page=number, page_size=DOSSIERS_PAGE_SIZE)
        if chosen
        else None
    )
    total = int(listing["total"]) if listing else 0
    return page.render(
        "submitter/dossiers.html",
        status=422 if errors or problem else 200,
        periods=all_periods,
        period=chosen,
        dossiers=listing["items"] if listing else [],
        total=total,
        number=number,
        last=last_page(total, DOSSIERS_PAGE_SIZE),
        entrants=await entrants_of(page) if found else [],
        errors=errors or {},
        values={"entrant_id": page.field("entrant_id")},
        problem=problem,
    )


@router.post("/dossiers")
async def create_dossier(page: Filer) -> Response:
    period = page.field("period")
    try:
        created = await page.api(
            "POST",
            "submissions",
            "/submissions",
            json={"period": period, "entrant_id": page.field("entrant_id")},
            idempotency_key=page.idempotency_key(),
        )
    except ApiError as error:
        if not error.refused:
            raise
        return await _dossiers(page, period, errors=error.errors, problem=error.message)
    return await page.done(f"/submitter/dossiers/{created['id']}", "Đã tạo hồ sơ nháp", "Draft dossier created")


async def _dossier(
    page: Page,
    dossier_id: str,
    *,
    errors: dict[str, str] | None = None,
    problem: str = "",
    at: str = "",
) -> Response:
    dossier = await page.get("submissions", f"/submissions/{dossier_id}")
    found = await campaign(page)
    listed = await criteria(page, found["id"], dossier["period"], dossier["entrant"]["target_group"]) if found else []
    values: dict[str, Any] = {}
    for code, given in dossier["evidence"].items():
        for name in EVIDENCE_FIELDS:
            if given.get(name) is not None:
                values[f"{code}.{name}"] = given[name]
    if at and page.form is not None:  # what the person typed, kept when it was refused
        for name in EVIDENCE_FIELDS:
            values[f"{at}.{name}"] = page.field(name)
    editable = dossier["status"] in ("draft", "returned")
    return page.render(
        "submitter/dossier.html",
        status=422 if errors or problem else 200,
        dossier=dossier,
        criteria=listed,
        reasons={r.get("code"): r["reason"] for r in dossier["return_reasons"]},
        editable=editable,
        themes=(await reference(page))["themes"],
        values=values,
        errors=errors or {},
        problem=problem,
        at=at,
    )


@router.get("/dossiers/{dossier_id}")
async def dossier(page: Filer, dossier_id: str) -> Response:
    return await _dossier(page, dossier_id)


def _evidence_body(page: Page, kind: str) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if page.field("narrative"):
        body["narrative"] = page.field("narrative")
    if kind == "level" and page.field("level"):
        body["level"] = page.field("level")
    for name, parse in (("value", parse_number), ("occurrences", parse_whole)):
        text = page.field(name)
        if text:
            try:
                body[name] = parse(text)
            except ValueError:
                errors[name] = page.t("Phải là một số", "Must be a number")
    return body, errors


@router.post("/dossiers/{dossier_id}/evidence/{code}")
async def report_evidence(page: Filer, dossier_id: str, code: str) -> Response:
    body, errors = _evidence_body(page, page.field("kind"))
    if errors:
        return await _dossier(page, dossier_id, errors={f"{code}.{k}": v for k, v in errors.items()}, at=code)
    try:
        await page.api("PUT", "submissions", f"/submissions/{dossier_id}/evidence/{code}", json=body)
    except ApiError as error:
        if not error.refused:
            raise
        fields = {f"{code}.{k.split('.')[-1]}": v for k, v in error.errors.items()}
        return await _dossier(page, dossier_id, errors=fields, problem=error.message, at=code)
    return await page.done(
        f"/submitter/dossiers/{dossier_id}#criterion-{code}", f"Đã lưu minh chứng {code}", f"Evidence {code} saved"
    )


@router.post("/dossiers/{dossier_id}/evidence/{code}/attachments", openapi_extra=UPLOAD_FORM)
async def attach(page: Filer, dossier_id: str, code: str) -> Response:
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = page.t("Hãy chọn một tệp", "Choose a file")
        return await _dossier(page, dossier_id, errors={f"{code}.file": message}, at=code)
    content = await upload.read()
    try:
        await page.api(
            "POST",
            "submissions",
            f"/submissions/{dossier_id}/evidence/{code}/attachments",
            params={"filename": upload.filename},
            content=content,
            content_type=upload.content_type or "application/octet-stream",
        )
    except ApiError as error:
        if not (error.refused or error.status in (413, 415)):
            raise
        message = "; ".join(error.errors.values()) or error.message
        return await _dossier(page, dossier_id, errors={f"{code}.file": message}, problem=error.message, at=code)
    return await page.done(
        f"/submitter/dossiers/{dossier_id}#criterion-{code}",
        f"Đã đính kèm “{upload.filename}”",
        f"Attached “{upload.filename}”",
    )


@router.post("/dossiers/{dossier_id}/evidence/{code}/attachments/{attachment_id}/remove")
async def detach(page: Filer, dossier_id: str, code: str, attachment_id: str) -> Response:
    await page.api("DELETE", "submissions", f"/submissions/{dossier_id}/evidence/{code}/attachments/{attachment_id}")
    return await page.done(f"/submitter/dossiers/{dossier_id}#criterion-{code}", "Đã gỡ tệp", "File removed")


@router.post("/dossiers/{dossier_id}/submit")
async def submit(page: Filer, dossier_id: str) -> Response:
    try:
        await page.api("POST", "submissions", f"/submissions/{dossier_id}/submit")
    except ApiError as error:
        if not error.refused:
            raise
        return await _dossier(page, dossier_id, errors=error.errors, problem=error.message)
    return await page.done(f"/submitter/dossiers/{dossier_id}", "Đã nộp hồ sơ", "Dossier submitted")


@router.post("/dossiers/{dossier_id}/withdraw")
async def withdraw(page: Filer, dossier_id: str) -> Response:
    reason = page.field("reason") or None
    try:
        await page.api("POST", "submissions", f"/submissions/{dossier_id}/withdraw", json={"reason": reason})
    except ApiError as error:
        if not error.refused:
            raise
        return await _dossier(page, dossier_id, errors=error.errors, problem=error.message)
    return await page.done(f"/submitter/dossiers/{dossier_id}", "Đã rút hồ sơ", "Dossier withdrawn")


@router.get("/files/{attachment_id}")
async def file(page: Filer, attachment_id: str) -> Response:
    return await page.download("submissions", f"/attachments/{attachment_id}")
