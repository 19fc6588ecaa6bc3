"""Response shapes of the scoring API: only what each reader needs, nothing internal."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from thidua_contracts.scoring import CriterionScore
from thidua_contracts.submissions import AttachmentRef
from thidua_contracts.terms import EntrantRef


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ProvisionalScore(_View):
    submission_id: str
    submission_version: int
    period: str
    entrant: EntrantRef
    status: str
    total: float
    max_total: float
    grade: str
    criteria: list[CriterionScore]
    computed_at: datetime


class FinalScore(_View):
    submission_id: str
    submission_version: int
    period: str
    total: float
    max_total: float
    grade: str
    criteria: list[CriterionScore]
    reason: str
    finalised_at: datetime


class ScoreBreakdown(_View):
    provisional: ProvisionalScore
    final: FinalScore | None
    rank: int | None


class ScoreList(_View):
    items: list[ScoreBreakdown]


class ReviewCriterion(_View):
    code: str
    theme: int | None = None
    title: str | None = None
    max_points: float
    narrative: str | None = None
    attachments: list[AttachmentRef] | None = None


class MyAssessment(_View):
    points: float
    comment: str | None = None


class ReviewView(_View):
    submission_id: str
    submission_version: int
    period: str
    blind: bool
    entrant: EntrantRef | None
    criteria: list[ReviewCriterion]
    my_assessments: dict[str, MyAssessment]
    reviews_done: int
    reviews_wanted: int


class QueueAnswer(_View):
    next: ReviewView | None
    waiting: int


class LeaderboardRow(_View):
    submission_id: str
    submission_version: int
    entrant: EntrantRef
    total: float
    grade: str
    rank: int


class IndexRow(_View):
    commune: str
    rank: int | None
    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None
    overall: float | None
    indicators: int | None


class Count(_View):
    count: int
