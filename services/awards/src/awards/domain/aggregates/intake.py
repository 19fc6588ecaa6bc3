"""What the worker keeps from other services' events (awards.service.intake): a dossier's evidence and its final
score."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from awards.domain.aggregates.stored import Entrant, Stored


class Attachment(TypedDict):
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class DossierCriterion(TypedDict):
    code: str
    title: str
    attachments: list[Attachment]


class Dossier(Stored):
    """A dossier's evidence (its latest version), from submission.submitted and submission.resubmitted."""

    version: int
    period: str
    entrant: Entrant
    criteria: list[DossierCriterion]


class ScoredCriterion(TypedDict):
    """A criterion's final score (thidua_contracts.scoring.CriterionScore)."""

    code: str
    theme: int | None
    rule: str
    inputs: dict[str, float]
    max_points: float
    points: float
    explanation: str


class Score(Stored):
    """A dossier's final score (its latest version), from score.finalised."""

    version: int
    period: str
    entrant: Entrant
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: list[ScoredCriterion]
    finalised_at: datetime
