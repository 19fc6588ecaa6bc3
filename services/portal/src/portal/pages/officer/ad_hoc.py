"""Ad-hoc awards (khen thưởng đột xuất; docs/adr/0026): the officer proposes one for an outstanding achievement at any
time — an entrant of the commune chosen from its list, or named when it has none — with the achievement, its day and
its evidence described line by line, and sees the year's ad-hoc candidates. They are convened on the sessions page
(a session ticked "ad hoc"); the vote and the chairman's decision are the usual ones."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from portal.adapters.backend import ApiError
from portal.commune import award_names, reference
from portal.i18n import today
from portal.listing import every
from portal.pages.officer.common import Officer, render
from portal.web import Page

router = APIRouter()

YEARS = tuple(str(year) for year in range(2025, 2031))  # the movement's years: an achievement's year is its period
FORMS = ("GIAY_KHEN_XA", "BANG_KHEN_TINH", "BANG_KHEN_TTG")  # an achievement's forms; flags and orders crown a period
NAMED = ("entrant.name", "entrant.kind", "entrant.target_group", "entrant.unit_id")
FIELDS = ("entrant_id", *NAMED, "award_form", "achievement", "achieved_on", "evidence")
SEPARATOR = "|"


def this_year() -> str:
    return str(min(max(today().year, 2025), 2030))


async def _ad_hoc(
    page: Page,
    year: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    problem: str = "",
) -> Response:
    year = year if year in YEARS else this_year()
    listed = await every(page, "awards", "/candidates", period=year)
    entrants = await every(page, "submissions", "/entrants")
    names = await award_names(page)
    return render(
        page,
        "officer/ad_hoc.html",
        status=422 if errors or problem else 200,
        years=YEARS,
        year=year,
        candidates=[c for c in listed if c.get("round") == "ad_hoc" or c.get("ad_hoc")],
        entrants=entrants,
        units=[e for e in entrants if e.get("kind") == "collective"],
        groups=(await reference(page))["target_groups"],
        forms=[(code, names.get(code, code)) for code in FORMS],
        form_names=names,
        errors=errors or {},
        values=values or {"award_form": "GIAY_KHEN_XA", "achieved_on": today().isoformat(),
                          "entrant.kind": "collective", "entrant.target_group": "a"},
        problem=problem,
    )  # fmt: skip


@router.get("/ad-hoc")
async def ad_hoc(page: Officer, year: str = "") -> Response:
    return await _ad_hoc(page, year)


def evidence_of(text: str) -> list[dict[str, str]]:
    """One document a line: its title, then after a "|" its reference (number, date, issuer or where it is kept)."""
    found: list[dict[str, str]] = []
    for line in text.splitlines():
        title, _, ref = (part.strip() for part in line.partition(SEPARATOR))
        if title or ref:
            found.append({"title": title, "reference": ref} if ref else {"title": title})
    return found


def proposal_body(page: Page) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = {
        "award_form": page.field("award_form"),
        "achievement": page.field("achievement"),
        "achieved_on": page.field("achieved_on"),
        "evidence": evidence_of(page.field("evidence")),
    }
    errors: dict[str, str] = {}
    if page.field("entrant_id"):
        body["entrant_id"] = page.field("entrant_id")
    elif page.field("entrant.name"):
        named = {name.split(".")[1]: page.field(name) for name in NAMED if page.field(name)}
        body["entrant"] = named
    else:
        errors["entrant_id"] = page.t(
            "Chọn đối tượng trong danh sách, hoặc ghi tên đối tượng chưa có trong danh sách",
            "Choose an entrant from the list, or name one that is not in it",
        )
    return body, errors


def proposal_errors(page: Page, errors: dict[str, str]) -> dict[str, str]:
    """The service's field paths onto the form's inputs: each evidence line by its number, a rule about the whole
    proposal (which entrant) under the entrant's choice."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        parts = name.split(".")
        if parts[0] == "evidence" and len(parts) > 1 and parts[1].isdigit():
            key, message = "evidence", f"{page.t('Dòng', 'Line')} {int(parts[1]) + 1}: {page.t.pick(message)}"
        elif name in NAMED:
            key = name
        elif parts[0] == "entrant":
            key = "entrant.name"
        elif parts[0] in FIELDS:
            key = parts[0]
        else:
            key = "entrant_id"
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


@router.post("/ad-hoc")
async def propose(page: Officer) -> Response:
    return await page.once(lambda: _propose(page))


async def _propose(page: Page) -> Response:
    body, errors = proposal_body(page)
    values = {name: page.field(name) for name in FIELDS}
    year = body["achieved_on"][:4]
    if errors:
        return await _ad_hoc(page, year, errors=errors, values=values)
    try:
        created = await page.api("POST", "awards", "/candidates/ad-hoc", json=body)
    except ApiError as error:
        if not error.refused and error.status != 404:  # 404: the entrant or its unit is not the commune's
            raise
        return await _ad_hoc(
            page, year, errors=proposal_errors(page, error.errors), values=values, problem=error.message
        )
    name = created["entrant"]["name"]
    return await page.done(
        f"/officer/ad-hoc?year={created['period']}#candidate-{created['id']}",
        f"Đã đề xuất khen thưởng đột xuất cho “{name}”",
        f"Ad-hoc award proposed for “{name}”",
    )
