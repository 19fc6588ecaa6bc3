"""A unit's focal officer (submitter): registration for a period, their dossiers (create, report evidence, attach
files, submit, read the reasons of a return, resubmit), their scores and awards. Officers may act for a unit too."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal.backend import ApiError
from portal.commune import campaign, criteria, current_period, periods, reference
from portal.forms import parse_number, parse_whole
from portal.limits import UPLOAD_FORM
from portal.listing import every, last_page
from portal.web import Page, role_page

router = APIRouter(prefix="/submitter")
Filer = Annotated[Page, Depends(role_page("submitter", "commune_officer"))]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]
# dossiers per page of results: a page asks each service once whatever the period holds (the batch reads, GET
# /scores and GET /history, take up to 50 ids)
RESULTS_PAGE_SIZE = 20
DOSSIERS_PAGE_SIZE = 20  # dossiers a page of the list of dossiers
REGISTRATIONS_PAGE_SIZE = 20  # registrations a page of the period's registrations
EVIDENCE_FIELDS = ("level", "value", "occurrences", "narrative")


async def _entrants(page: Page) -> list[dict[str, Any]]:
    listing = await page.get("submissions", "/entrants", page_size=200)
    return list(listing["items"])


# --- registration


@router.get("/registrations")
async def registrations(page: Filer, period: str = "", number: PageNumber = 1) -> Response:
    """The period's registrations a page at a time, newest first, and the form that starts one."""
    found = await campaign(page)
    all_periods = periods(found)
    chosen = current_period(all_periods, period)
    listing = (
        await page.get("submissions", "/registrations", period=chosen, page=number, page_size=REGISTRATIONS_PAGE_SIZE)
        if chosen
        else None
    )
    total = int(listing["total"]) if listing else 0
    return page.render(
        "submitter/registrations.html",
        campaign=found,
        periods=all_periods,
        period=chosen,
        registrations=listing["items"] if listing else [],
        total=total,
        number=number,
        last=last_page(total, REGISTRATIONS_PAGE_SIZE),
        entrants=await _entrants(page) if found else [],
    )


@router.get("/registrations/new")
async def new_registration(page: Filer, period: str, entrant_id: str) -> Response:
    return await _registration_form(page, period, entrant_id)


async def _registration_form(
    page: Page, period: str, entrant_id: str, *, errors: dict[str, str] | None = None, problem: str = ""
) -> Response:
    found = await campaign(page)
    entrant = await page.get("submissions", f"/entrants/{entrant_id}")
    indicators = (
        [c for c in await criteria(page, found["id"], period, entrant["target_group"]) if c.get("indicator")]
        if found
        else []
    )
    values = {f"target.{c['code']}": page.field(f"target.{c['code']}") for c in indicators}
    return page.render(
        "submitter/registration_form.html",
        status=422 if errors or problem else 200,
        period=period,
        entrant=entrant,
        indicators=indicators,
        values=values,
        errors=errors or {},
        problem=problem,
    )


@router.post("/registrations")
async def register(page: Filer) -> Response:
    period, entrant_id = page.field("period"), page.field("entrant_id")
    targets: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name in page.form or {}:
        if name.startswith("target.") and page.field(name):
            try:
                targets[name.removeprefix("target.")] = parse_number(page.field(name))
            except ValueError:
                errors[name] = page.t("Phải là một số", "Must be a number")
    if errors:
        return await _registration_form(page, period, entrant_id, errors=errors)
    try:
        await page.api(
            "POST",
            "submissions",
            "/registrations",
            json={"period": period, "entrant_id": entrant_id, "targets": targets},
            idempotency_key=page.idempotency_key(),
        )
    except ApiError as error:
        if not error.refused:
            raise
        fields = {
            ("target." + k.split(".", 1)[1] if k.startswith("targets.") else k): v for k, v in error.errors.items()
        }
        return await _registration_form(page, period, entrant_id, errors=fields, problem=error.message)
    return await page.done(f"/submitter/registrations?period={period}", "Đã đăng ký thi đua", "Registered")


# --- dossiers


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
        entrants=await _entrants(page) if found else [],
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


# --- results


@router.get("/results")
async def results(page: Filer, period: str = "", number: PageNumber = 1) -> Response:
    found = await campaign(page)
    all_periods = periods(found)
    chosen = current_period(all_periods, period)
    listing: dict[str, Any] = {"items": [], "total": 0}
    if chosen:
        listing = await page.get("submissions", "/submissions", period=chosen, page=number, page_size=RESULTS_PAGE_SIZE)
    dossiers = listing["items"]
    scores, awards = await asyncio.gather(_scores_of(page, dossiers), _awards_of(page, dossiers))
    rows = [
        {"dossier": d, "score": scores.get(d["id"]), "awards": awards.get(d["entrant"]["id"], [])} for d in dossiers
    ]
    return page.render(
        "submitter/results.html",
        periods=all_periods,
        period=chosen,
        rows=rows,
        total=listing["total"],
        number=number,
        last=last_page(int(listing["total"]), RESULTS_PAGE_SIZE),
    )


async def _scores_of(page: Page, dossiers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The page's dossiers' scores, by dossier id, in one call (a draft or withdrawn dossier has none to show)."""
    ids = [d["id"] for d in dossiers if d["status"] not in ("draft", "withdrawn")]
    if not ids:
        return {}
    answer = await page.get("scoring", "/scores", submission_id=ids)
    return {view["provisional"]["submission_id"]: view for view in answer["items"]}


async def _awards_of(page: Page, dossiers: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The awards of the page's entrants, by entrant id, newest first, in one call (a page of 200 awards: more only
    when the page's 20 entrants hold more than that between them)."""
    ids = list(dict.fromkeys(d["entrant"]["id"] for d in dossiers))
    if not ids:
        return {}  # no entrant named would ask for every award in sight
    by_entrant: dict[str, list[dict[str, Any]]] = {}
    for award in await every(page, "awards", "/history", entrant_id=ids):
        by_entrant.setdefault(award["entrant"]["id"], []).append(award)
    return by_entrant
