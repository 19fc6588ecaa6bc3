"""Reads about the commune's campaign that several pages need: its periods, which are open, its criteria."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.web import Page


@dataclass(frozen=True)
class Period:
    code: str
    kind: str
    opens_at: datetime
    closes_at: datetime

    @property
    def is_open(self) -> bool:
        return self.opens_at <= datetime.now(UTC) < self.closes_at


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def campaign(page: Page) -> dict[str, Any] | None:
    """The commune's campaign of the movement (the one adopted from the province's template), if any."""
    campaigns = await page.get("submissions", "/campaigns")
    return dict(campaigns[0]) if campaigns else None


def periods(campaign: dict[str, Any] | None) -> list[Period]:
    if not campaign:
        return []
    return [Period(p["code"], p["kind"], _when(p["opens_at"]), _when(p["closes_at"])) for p in campaign["periods"]]


def current_period(all_periods: list[Period], chosen: str = "") -> str:
    """The period asked for, else the open one, else the latest that has opened, else the first."""
    codes = [p.code for p in all_periods]
    if chosen in codes:
        return chosen
    open_now = [p.code for p in all_periods if p.is_open]
    if open_now:
        return open_now[0]
    started = [p.code for p in all_periods if p.opens_at <= datetime.now(UTC)]
    return started[-1] if started else (codes[0] if codes else "")


async def campaign_periods(page: Page, chosen: str = "") -> tuple[dict[str, Any] | None, list[Period], str]:
    """The campaign, its periods and the one to show (see `current_period`)."""
    found = await campaign(page)
    all_periods = periods(found)
    return found, all_periods, current_period(all_periods, chosen)


async def criteria(page: Page, campaign_id: str, period: str, group: str) -> list[dict[str, Any]]:
    sets = await page.get("submissions", f"/campaigns/{campaign_id}/criteria-sets", period=period, group=group)
    return list(sets[0]["content"]["criteria"]) if sets else []


async def reference(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = await page.get("submissions", "/reference")
    return found


async def award_names(page: Page) -> dict[str, str]:
    """Award form code → its name in the page's language, from the awards service's catalogue."""
    return names_of(page, (await page.get("awards", "/catalogue"))["forms"])


def names_of(page: Page, forms: list[dict[str, Any]]) -> dict[str, str]:
    return {f["code"]: page.t(f["name"], f.get("name_en") or f["name"]) for f in forms}
