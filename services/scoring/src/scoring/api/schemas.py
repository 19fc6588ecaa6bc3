from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from thidua_shared.events import CriterionScore, EntrantRef


class ScoreView(BaseModel):
    submission_id: str
    submission_version: int
    tenant: str
    period: str
    entrant: EntrantRef
    total: float
    max_total: float
    grade: str
    criteria: list[CriterionScore]
    computed_at: datetime

    @classmethod
    def of(cls, document: dict[str, Any]) -> ScoreView:
        return cls.model_validate(document)
