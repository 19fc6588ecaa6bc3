"""Entrants: the commune's list with its filters, adding one by hand, and the Excel import with its per-row
problems."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal.adapters.backend import ApiError
from portal.commune import reference
from portal.limits import UPLOAD_FORM
from portal.listing import last_page
from portal.pages.officer.common import GROUPS, PAGE_SIZE, Officer, PageNumber, first_part, render
from portal.web import Page

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTRANT_FIELDS = ("name", "kind", "target_group", "unit_type", "unit_id", "position", "focal_users")
ROW_ERROR = re.compile(r"^row (\d+)(?::\s*(.*))?$")


@router.get("/entrants")
async def entrants(page: Officer, number: PageNumber = 1, group: str = "", kind: str = "") -> Response:
    return await _entrants(page, number, group, kind)


async def _entrants(
    page: Page,
    number: int = 1,
    group: str = "",
    kind: str = "",
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
    import_problem: str = "",
    import_errors: list[dict[str, str]] | None = None,
    report: dict[str, Any] | None = None,
) -> Response:
    group = group if group in GROUPS else ""
    kind = kind if kind in ("collective", "individual") else ""
    listing = await page.get("submissions", "/entrants", group=group, kind=kind, page=number, page_size=PAGE_SIZE)
    last = last_page(int(listing["total"]), PAGE_SIZE)
    return render(
        page,
        "officer/entrants.html",
        status=status,
        entrants=listing["items"],
        total=listing["total"],
        number=number,
        last=last,
        group=group,
        kind=kind,
        groups=(await reference(page))["target_groups"],
        units=(await page.get("submissions", "/entrants", kind="collective", page_size=200))["items"],
        errors=errors or {},
        values=values or {"kind": "collective", "target_group": "a"},
        problem=problem,
        import_problem=import_problem,
        import_errors=import_errors or [],
        skip_invalid=page.field("skip_invalid") == "true",
        report=report,
    )


def _entrant_body(page: Page) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": page.field("name"),
        "kind": page.field("kind"),
        "target_group": page.field("target_group"),
    }
    for name in ("unit_type", "unit_id", "position"):
        if page.field(name):
            body[name] = page.field(name)
    focal = [u.strip() for u in page.field("focal_users").split(",") if u.strip()]
    if focal:
        body["focal_users"] = focal
    return body


def entrant_errors(errors: dict[str, str]) -> dict[str, str]:
    """Field errors under their input; a rule about the whole entrant (a collective in group d1, an individual
    without a unit) under the kind, which it is about."""
    return first_part(
        {("kind" if name == "body" else name): message for name, message in errors.items()}, ENTRANT_FIELDS
    )


@router.post("/entrants")
async def add_entrant(page: Officer) -> Response:
    return await page.once(lambda: _add_entrant(page))


async def _add_entrant(page: Page) -> Response:
    try:
        created = await page.api("POST", "submissions", "/entrants", json=_entrant_body(page))
    except ApiError as error:
        if not error.refused:
            raise
        return await _entrants(
            page,
            status=422,
            errors=entrant_errors(error.errors),
            values={name: page.field(name) for name in ENTRANT_FIELDS},
            problem=error.message,
        )
    return await page.done(
        f"/officer/entrants/{created['id']}", f"Đã thêm “{created['name']}”", f"Added “{created['name']}”"
    )


@router.get("/entrants/import-template")
async def import_template(page: Officer) -> Response:
    return await page.download("submissions", "/entrants/import-template")


def row_errors(errors: dict[str, str]) -> list[dict[str, str]]:
    """The import's per-row problems (`row 4: Đơn vị` → row 4, column Đơn vị), in row order."""
    rows: list[tuple[int, dict[str, str]]] = []
    for name, message in errors.items():
        matched = ROW_ERROR.match(name)
        number = int(matched.group(1)) if matched else 0
        column = (matched.group(2) or "") if matched else ("" if name == "body" else name)
        rows.append((number, {"row": str(number) if number else "", "column": column, "message": message}))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def report_errors(report: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"row": str(e.get("row") or ""), "column": str(e.get("column") or ""), "message": str(e.get("message", ""))}
        for e in report.get("errors", [])
    ]


@router.post("/entrants/import", openapi_extra=UPLOAD_FORM)
async def import_entrants(page: Officer) -> Response:
    upload = page.form.get("file") if page.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _entrants(
            page, status=422, import_problem=page.t("Hãy chọn tệp Excel (.xlsx)", "Choose an Excel file (.xlsx)")
        )
    skip_invalid = page.field("skip_invalid") == "true"
    try:
        report = await page.api(
            "POST",
            "submissions",
            "/entrants/import",
            params={"skip_invalid": "true" if skip_invalid else "false"},
            content=await upload.read(),
            content_type=XLSX,
        )
    except ApiError as error:
        if not (error.refused or error.status in (413, 415)):
            raise
        return await _entrants(page, status=422, import_problem=error.message, import_errors=row_errors(error.errors))
    if report["errors"]:  # rows left out: the officer needs to read which, so no redirect
        return await _entrants(page, report=report, import_errors=report_errors(report))
    return await page.done(
        "/officer/entrants",
        f"Đã nhập {report['imported']} đối tượng, {report['already_present']} đã có từ trước",
        f"Imported {report['imported']} entrants, {report['already_present']} were already there",
    )


@router.get("/entrants/{entrant_id}")
async def entrant(page: Officer, entrant_id: str) -> Response:
    found = await page.get("submissions", f"/entrants/{entrant_id}")
    members = (
        (await page.get("submissions", "/entrants", unit_id=entrant_id, page_size=200))["items"]
        if found["kind"] == "collective"
        else []
    )
    unit = await page.get("submissions", f"/entrants/{found['unit_id']}") if found.get("unit_id") else None
    return render(page, "officer/entrant.html", entrant=found, members=members, unit=unit)
