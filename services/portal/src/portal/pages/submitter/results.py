"""A unit's scores and awards: the period's dossiers a page at a time, each with its score and its entrant's awards."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.commune import campaign, current_period, periods
from portal.listing import every, last_page
from portal.pages.submitter.common import Filer, PageNumber
from portal.web import Page

router = APIRouter()
# dossiers per page of results: a page asks each service once whatever the period holds (the batch reads, GET
# /scores and GET /history, take up to 50 ids)
RESULTS_PAGE_SIZE = 20


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
