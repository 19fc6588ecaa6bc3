"""The province's default criteria: each campaign template's criteria set for every target group, read only. The
submissions API lets the province create a template and publish it, not change one, and each commune adapts its
own copy before a period opens (the officer's criteria page)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from portal.pages.admin.common import Admin
from portal.pages.officer.common import GROUPS, render

router = APIRouter()

STATUSES = {"draft": "Bản nháp / Draft", "published": "Đã ban hành / Published"}


@router.get("/criteria")
async def criteria_page(page: Admin) -> Response:
    templates = await page.get("submissions", "/campaign-templates")
    return render(
        page,
        "admin/criteria.html",
        templates=templates,
        groups=GROUPS,
        statuses=STATUSES,
    )
