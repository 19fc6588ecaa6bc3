from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class CommuneFiguresView(BaseModel):
    commune: str
    submitted: int
    returned: int
    withdrawn: int
    scored: int
    candidates: int
    average_score: float | None


class Freshness(BaseModel):
    """How current the figures are: the time of the last event applied."""

    last_event_time: datetime | None
    last_applied_at: datetime | None


class ProvinceFigures(BaseModel):
    province: str
    period: str | None
    communes: list[CommuneFiguresView]
    totals: CommuneFiguresView
    freshness: Freshness


class CommuneFiguresResponse(BaseModel):
    figures: CommuneFiguresView
    freshness: Freshness
