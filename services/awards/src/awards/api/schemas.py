from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from thidua_shared.events import EntrantRef


class CandidateView(BaseModel):
    id: str
    tenant: str
    submission_id: str
    period: str
    entrant: EntrantRef
    award_form: str
    round: str
    total: float
    grade: str
    evaluated_at: datetime

    @classmethod
    def of(cls, document: dict[str, Any]) -> CandidateView:
        return cls.model_validate({**document, "id": document["_id"]})


class CandidateList(BaseModel):
    items: list[CandidateView]
