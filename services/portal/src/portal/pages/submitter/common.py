"""What the submitter's pages share: the role's dependency, the page number in a list, the unit's entrants."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from portal.web import Page, role_page
from thidua_contracts.roles import Role

Filer = Annotated[Page, Depends(role_page(Role.SUBMITTER, Role.COMMUNE_OFFICER))]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]


async def entrants_of(page: Page) -> list[dict[str, Any]]:
    listing = await page.get("submissions", "/entrants", page_size=200)
    return list(listing["items"])
