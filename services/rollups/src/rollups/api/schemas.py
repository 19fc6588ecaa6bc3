from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class GroupFigures(BaseModel):
    scored: int
    average_score: float | None


class ThemeFigures(BaseModel):
    scored: int
    average_points: float | None
    max_points: float | None


class AwardFigures(BaseModel):
    total: int
    by_form: dict[str, int]
    by_level: dict[str, int]
    by_kind: dict[str, int]


class IndexFigures(BaseModel):
    """The commune digital-transformation index (chỉ số chuyển đổi số cấp xã), 0–1 overall and per pillar."""

    overall: float | None
    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None


class InProgress(BaseModel):
    """Work the commune is still doing; shown to the commune only."""

    submitted: int = 0
    returned: int = 0
    withdrawn: int = 0
    awaiting_score: int = 0
    candidates: int = 0


class Figures(BaseModel):
    scored: int
    average_score: float | None
    grades: dict[str, int]
    bands: dict[str, int]
    groups: dict[str, GroupFigures]
    themes: dict[str, ThemeFigures]
    awards: AwardFigures
    proposals: dict[str, int]
    pending_upward: int
    index: IndexFigures | None
    in_progress: InProgress | None


class CommuneRow(Figures):
    commune: str
    rank: int | None
    index_rank: int | None


class Freshness(BaseModel):
    """How current the figures are: the last event applied, how many events the rollups have not applied yet (None if
    Kafka did not answer), and how many communes' summaries are waiting to be recomputed."""

    last_event_time: datetime | None
    last_applied_at: datetime | None
    lag: int | None
    pending_summaries: int


class CommuneFiguresResponse(BaseModel):
    figures: CommuneRow
    freshness: Freshness


class ProvinceFigures(BaseModel):
    province: str
    period: str | None
    communes: list[CommuneRow]
    totals: Figures
    freshness: Freshness


class EntrantRow(BaseModel):
    submission_id: str
    period: str | None
    entrant_id: str | None
    entrant_name: str | None
    entrant_kind: str | None
    target_group: str | None
    status: str | None
    total: float | None
    grade: str | None
    awards: list[dict[str, str]]


class EntrantsResponse(BaseModel):
    commune: str
    period: str | None
    items: list[EntrantRow]
    freshness: Freshness
