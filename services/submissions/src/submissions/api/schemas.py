"""Response shapes of the submissions API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from submissions.domain.submission import SubmissionStatus
from thidua_shared.events import CriterionEvidence, EntrantRef


class SubmissionView(BaseModel):
    id: str
    tenant: str
    period: str
    status: SubmissionStatus
    version: int
    entrant: EntrantRef
    criteria: list[CriterionEvidence]
    created_at: datetime
    submitted_at: datetime | None = None

    @classmethod
    def of(cls, document: dict[str, Any]) -> SubmissionView:
        return cls.model_validate({**document, "id": document["_id"]})


class SubmissionList(BaseModel):
    items: list[SubmissionView]
