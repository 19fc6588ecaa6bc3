"""The events the submissions service publishes (topic `thidua.submissions`) and the parts they carry."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from thidua_contracts.terms import DEFAULT_GRADE_BANDS, EntrantKind, EntrantRef, GradeBand, TargetGroup
from thidua_contracts.topology import TOPIC_SUBMISSIONS
from thidua_platform.envelope import EventData


class ScoringPolicy(BaseModel):
    """How a criteria set is scored (DOMAIN.md §3, configurable by the province)."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)
    aggregation: Literal["mean", "median"] = "mean"
    reviewers: int = Field(default=2, ge=1, le=9, description="Thành viên Hội đồng chấm mỗi hồ sơ / per dossier")
    blind: bool = Field(default=False, description="Ẩn tên đối tượng với người chấm / hide the entrant")
    grade_bands: tuple[GradeBand, ...] = DEFAULT_GRADE_BANDS


class StepRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    at_least: float
    points: float


class AttachmentRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class CriterionEvidence(BaseModel):
    """One criterion of a submission with its rule and the entrant's evidence, as scoring needs it.

    Event-carried state: scoring never calls back. Fields after `target` were added compatibly (all optional);
    the original v1 shape (ratio with value and target) still parses.
    """

    model_config = ConfigDict(frozen=True)
    code: str
    theme: int = Field(ge=1, le=7)
    rule: Literal["ratio", "steps", "level", "assessment", "bonus_penalty"] = "ratio"
    max_points: float = Field(gt=0, le=100)
    value: float | None = Field(default=None, ge=0)
    target: float | None = Field(default=None, gt=0)
    title: str = ""
    steps: tuple[StepRef, ...] = ()
    points_per_occurrence: float | None = None
    level: Literal["full", "half", "none"] | None = None
    occurrences: int | None = Field(default=None, ge=0)
    self_points: float | None = Field(default=None, ge=0)
    narrative: str | None = None
    attachments: tuple[AttachmentRef, ...] = ()


class SubmissionSubmitted(EventData):
    """A dossier was submitted for the first time (đã nộp)."""

    event_type: ClassVar[str] = "thidua.submissions.submission.submitted.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    submission_id: str
    version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    criteria: tuple[CriterionEvidence, ...]
    max_total: float = 100.0
    criteria_set_id: str | None = None
    criteria_set_version: int | None = None
    policy: ScoringPolicy = ScoringPolicy()


class SubmissionResubmitted(SubmissionSubmitted):
    """A returned dossier was corrected and submitted again; it supersedes the earlier version."""

    event_type: ClassVar[str] = "thidua.submissions.submission.resubmitted.v1"


class ReturnReason(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str | None = None
    reason: str


class SubmissionReturned(EventData):
    """The commune officer returned a dossier for correction (trả lại), with reasons per criterion."""

    event_type: ClassVar[str] = "thidua.submissions.submission.returned.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    submission_id: str
    version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    returned_by: str
    reasons: tuple[ReturnReason, ...]


class SubmissionWithdrawn(EventData):
    """A dossier was withdrawn (rút hồ sơ); it no longer takes part."""

    event_type: ClassVar[str] = "thidua.submissions.submission.withdrawn.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    submission_id: str
    version: int = Field(ge=0)
    period: str
    entrant: EntrantRef
    withdrawn_by: str
    submitted_by: str | None = None


class EntrantRecorded(EventData):
    """A unit or a person is on the commune's list of entrants (đối tượng thi đua): created by the officer (one by
    one or from a workbook), or announced again by the submissions worker for an entrant created before this event
    existed. What consumers need to know the entrant is the commune's, nothing personal: no name, no position, no
    focal officers (the envelope's `tenant` is the commune)."""

    event_type: ClassVar[str] = "thidua.submissions.entrant.recorded.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    entrant_id: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None = None  # an individual's collective


class RegistrationRecorded(EventData):
    """A unit or person registered to take part in a period (đăng ký thi đua), with its own targets."""

    event_type: ClassVar[str] = "thidua.submissions.registration.recorded.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    registration_id: str
    period: str
    entrant: EntrantRef
    targets: dict[str, float]
    registered_by: str


class PeriodRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    kind: Literal["yearly", "so_ket", "tong_ket"]
    opens_at: datetime
    closes_at: datetime


class CampaignPublished(EventData):
    """A province published a campaign template, or a commune adopted one (`template_id` then set)."""

    event_type: ClassVar[str] = "thidua.submissions.campaign.published.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    campaign_id: str
    name: str
    level: Literal["province", "commune"]
    template_id: str | None = None
    periods: tuple[PeriodRef, ...]


class CriteriaSetPublished(EventData):
    """A criteria set version a commune will score against, with every criterion and rule."""

    event_type: ClassVar[str] = "thidua.submissions.criteria_set.published.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    criteria_set_id: str
    campaign_id: str
    period: str
    target_group: TargetGroup
    version: int = Field(ge=1)
    max_total: float
    criteria: tuple[CriterionEvidence, ...]
    policy: ScoringPolicy = ScoringPolicy()
