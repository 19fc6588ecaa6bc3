"""The province's communes by code and name, as the rollups read them from the directory (Keycloak's groups)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from portal.pages.admin.common import Admin
from portal.pages.officer.common import render
from portal.pages.province import province_of

router = APIRouter()


@router.get("/communes")
async def communes_page(page: Admin) -> Response:
    found = await page.get("rollups", f"/rollups/provinces/{province_of(page)}/units")
    communes = sorted(found.get("communes", []), key=lambda c: (c.get("name") or c["commune"], c["commune"]))
    return render(
        page,
        "admin/communes.html",
        province=found.get("province") or province_of(page),
        province_name=found.get("name") or page.session.unit_name or province_of(page),
        communes=communes,
    )
