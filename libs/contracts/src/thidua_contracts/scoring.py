"""The events the scoring service publishes (topic `thidua.scoring`) and the parts they carry."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from thidua_contracts.terms import EntrantRef
from thidua_contracts.topology import TOPIC_SCORING
from thidua_platform.envelope import EventData


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    theme: int | None = None
    rule: str
    inputs: dict[str, float]
    max_points: float
    points: float
    explanation: str


class ScoreComputed(EventData):
    event_type: ClassVar[str] = "thidua.scoring.score.computed.v1"
    topic: ClassVar[str] = TOPIC_SCORING

    submission_id: str
    submission_version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: tuple[CriterionScore, ...]


class ReviewAssigned(EventData):
    """A council member was assigned to review a dossier version's assessment criteria.

    `entrant` is None when the scoring policy is blind: the reviewer must not learn whose dossier it is.
    """

    event_type: ClassVar[str] = "thidua.scoring.review.assigned.v1"
    topic: ClassVar[str] = TOPIC_SCORING

    assignment_id: str
    submission_id: str
    submission_version: int = Field(ge=1)
    period: str
    reviewer: str  # the member's username
    criteria: tuple[str, ...]  # codes of the criteria to assess
    entrant: EntrantRef | None
    assigned_by: str


class AssessmentRecorded(EventData):
    """A council member scored an assessment criterion (0..max) of a dossier version."""

    event_type: ClassVar[str] = "thidua.scoring.assessment.recorded.v1"
    topic: ClassVar[str] = TOPIC_SCORING

    submission_id: str
    submission_version: int = Field(ge=1)
    period: str
    criterion: str
    reviewer: str
    points: float


class ScoreFinalised(EventData):
    """A dossier version's final score: every criterion with its explanation, the total, the grade."""

    event_type: ClassVar[str] = "thidua.scoring.score.finalised.v1"
    topic: ClassVar[str] = TOPIC_SCORING

    submission_id: str
    submission_version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: tuple[CriterionScore, ...]
    reason: Literal["all_reviews_in", "nothing_to_review", "period_closed"]


class IndexComputed(EventData):
    """A commune's digital-transformation index for a period: three pillars and the overall, each 0..1."""

    event_type: ClassVar[str] = "thidua.scoring.index.computed.v1"
    topic: ClassVar[str] = TOPIC_SCORING

    period: str
    digital_government: float | None
    digital_economy: float | None
    digital_society: float | None
    overall: float | None
    indicators: int
