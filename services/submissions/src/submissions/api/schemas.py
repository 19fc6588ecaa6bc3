"""Response shapes of the submissions API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from submissions.domain.adaptation import AdaptationLimits
from submissions.domain.aggregates import Campaign, CriteriaSet, Entrant, Registration, Submission, Template
from submissions.domain.criteria import CriteriaSetContent
from submissions.domain.lifecycle import SubmissionStatus
from submissions.domain.periods import Period
from thidua_contracts.terms import EntrantRef
from thidua_platform.text import STORED


def _with_id(document: Mapping[str, Any]) -> dict[str, Any]:
    """An aggregate as a view reads it: its `_id` as `id`."""
    return {**document, "id": document["_id"]}


class TemplateView(BaseModel):
    id: str
    province: str
    code: str
    name: str
    status: str
    periods: list[Period]
    limits: AdaptationLimits
    criteria_sets: dict[str, CriteriaSetContent]
    created_at: datetime
    published_at: datetime | None = None

    @classmethod
    def of(cls, document: Template) -> TemplateView:
        return cls.model_validate(_with_id(document), context=STORED)


class CampaignView(BaseModel):
    id: str
    tenant: str
    template_id: str
    code: str
    name: str
    periods: list[Period]
    limits: AdaptationLimits
    created_at: datetime

    @classmethod
    def of(cls, document: Campaign) -> CampaignView:
        return cls.model_validate(_with_id(document), context=STORED)


class CriteriaSetView(BaseModel):
    id: str
    campaign_id: str
    period: str
    target_group: str
    version: int
    frozen: bool
    content: CriteriaSetContent

    @classmethod
    def of(cls, document: CriteriaSet, theme: int | None = None) -> CriteriaSetView:
        view = cls.model_validate(_with_id(document), context=STORED)
        if theme is None:
            return view
        criteria = tuple(c for c in view.content.criteria if c.theme == theme)
        return view.model_copy(update={"content": view.content.model_copy(update={"criteria": criteria})})


class EntrantView(BaseModel):
    id: str
    name: str
    kind: str
    target_group: str
    unit_type: str | None = None
    unit_id: str | None = None
    position: str | None = None
    focal_users: list[str] = []
    created_at: datetime

    @classmethod
    def of(cls, document: Entrant) -> EntrantView:
        return cls.model_validate(_with_id(document), context=STORED)


class ImportReportView(BaseModel):
    imported: int
    already_present: int
    skipped: int
    errors: list[dict[str, Any]]
    ignored_columns: list[str]


class RegistrationView(BaseModel):
    id: str
    period: str
    entrant: EntrantRef
    targets: dict[str, float]
    registered_by: str
    created_at: datetime

    @classmethod
    def of(cls, document: Registration) -> RegistrationView:
        return cls.model_validate(_with_id(document), context=STORED)


class RegistrationCount(BaseModel):
    commune: str
    by_group: dict[str, int]
    total: int


class AttachmentView(BaseModel):
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class EvidenceView(BaseModel):
    value: float | None = None
    level: str | None = None
    occurrences: int | None = None
    narrative: str | None = None
    self_points: float | None = None
    attachments: list[AttachmentView] = []


class CriteriaSetRef(BaseModel):
    id: str
    version: int


class ReturnReasonView(BaseModel):
    code: str | None
    reason: str


class Completeness(BaseModel):
    complete: bool
    missing: list[str]
    checked_by: str
    checked_at: datetime


class SubmissionView(BaseModel):
    id: str
    tenant: str
    period: str
    status: SubmissionStatus
    version: int
    entrant: EntrantRef
    criteria_set: CriteriaSetRef
    evidence: dict[str, EvidenceView]
    themes: list[int]
    return_reasons: list[ReturnReasonView]
    completeness: Completeness | None = None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None

    @classmethod
    def of(cls, document: Submission) -> SubmissionView:
        return cls.model_validate(_with_id(document), context=STORED)


class AuditEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]
