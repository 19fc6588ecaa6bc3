"""The event envelope (modelled on CloudEvents 1.0) and every event the services exchange.

Event data models are frozen; a new incompatible shape gets a new version suffix (`.v2`), never an edit in place.
Each type's schema is committed (docs/api/events/, `python -m thidua_shared.contracts write`), which refuses to replace
one with a schema that would break it; `tests/contracts/test_event_compatibility.py` fails on such a change.
On Kafka an event is a CloudEvent in structured content mode (`kafka.encode`).
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.telemetry import current_traceparent
from thidua_shared.text import ShortText

TOPIC_SUBMISSIONS = "thidua.submissions"
TOPIC_SCORING = "thidua.scoring"
TOPIC_AWARDS = "thidua.awards"
DOMAIN_TOPICS = (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS)
# every consumer group of the platform and the topics it reads (the submissions worker only relays its outbox): each
# worker subscribes from this table, and the AsyncAPI document's receive operations are generated from it
CONSUMER_GROUPS: dict[str, tuple[str, ...]] = {
    "scoring": (TOPIC_SUBMISSIONS, TOPIC_SCORING),
    "awards": (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS),
    "notifications": DOMAIN_TOPICS,
    "rollups": DOMAIN_TOPICS,
}

# Namespace for ids derived from other ids, so a redelivered event produces the same downstream ids.
THIDUA_NAMESPACE = uuid.UUID("6f1c6a52-3b0e-4d8e-9a53-0c2f4d1e7a10")


# Yearly periods 2025–2030, the preliminary review (sơ kết) 2027 and the final review (tổng kết) 2030.
PERIOD_CODE_PATTERN = r"^(20(2[5-9]|30)|so-ket-2027|tong-ket-2030)$"


def derived_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(THIDUA_NAMESPACE, ":".join(str(part) for part in parts))


def dead_letter_topic(group_id: str) -> str:
    return f"thidua.dlq.{group_id}"


class EventData(BaseModel):
    """Base of every event payload. `event_type` and `topic` are fixed per class."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_type: ClassVar[str]
    topic: ClassVar[str]


TargetGroup = Literal["a", "b", "c", "d1", "d2"]
EntrantKind = Literal["collective", "individual"]


class EntrantRef(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    name: ShortText
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: str | None = None  # an individual's collective: conflicts of interest follow it


class GradeBand(BaseModel):
    model_config = ConfigDict(frozen=True)
    minimum: float
    grade: ShortText


DEFAULT_GRADE_BANDS = (
    GradeBand(minimum=90, grade="Xuất sắc"),
    GradeBand(minimum=80, grade="Tốt"),
    GradeBand(minimum=70, grade="Khá"),
    GradeBand(minimum=50, grade="Đạt"),
)


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


class AwardCandidateProposed(EventData):
    event_type: ClassVar[str] = "thidua.awards.candidate.proposed.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    candidate_id: str
    submission_id: str
    submission_version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    award_form: str
    round: Literal["yearly", "so_ket", "tong_ket"]
    total: float
    grade: str


AwardRound = Literal["yearly", "so_ket", "tong_ket"]
AwardLevel = Literal["commune", "province", "central"]


class AwardCandidateReviewed(EventData):
    """The commune officer kept, added or removed a candidate on the list, with the reason."""

    event_type: ClassVar[str] = "thidua.awards.candidate.reviewed.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    candidate_id: str
    period: str
    entrant: EntrantRef
    award_form: str
    included: bool
    reason: str
    reviewed_by: str


class SessionCandidateResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    candidate_id: str
    entrant: EntrantRef
    award_form: str
    yes: int
    no: int
    abstain: int
    recused: int
    passed: bool


class CouncilSessionConvened(EventData):
    """A council session (phiên họp Hội đồng Thi đua - Khen thưởng) was called; its members are to be told."""

    event_type: ClassVar[str] = "thidua.awards.session.convened.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    session_id: str
    period: str
    title: str
    held_at: datetime
    members: tuple[str, ...]
    candidates: int


class CouncilSessionClosed(EventData):
    """The council voted: the result for every candidate."""

    event_type: ClassVar[str] = "thidua.awards.session.closed.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    session_id: str
    period: str
    present: int
    members: int
    results: tuple[SessionCandidateResult, ...]


class AwardRecipient(BaseModel):
    model_config = ConfigDict(frozen=True)
    candidate_id: str
    entrant: EntrantRef
    submitted_by: str | None = None


class AwardDecided(EventData):
    """An award was decided (đã khen): by the commune chairman, the province or the central level."""

    event_type: ClassVar[str] = "thidua.awards.award.decided.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    decision_id: str
    award_form: str
    period: str
    round: AwardRound
    level: AwardLevel
    number: str
    signed_on: date
    issuer: str
    recipients: tuple[AwardRecipient, ...]
    proposal_id: str | None = None  # for awards decided above the commune, the proposal that carried them


class AwardProposalSubmitted(EventData):
    """The commune chairman proposed a higher award to the province (đã trình tỉnh)."""

    event_type: ClassVar[str] = "thidua.awards.proposal.submitted.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    proposal_id: str
    award_form: str
    period: str
    number: str
    recipients: tuple[AwardRecipient, ...]
    proposed_by: str


class AwardProposalDecided(EventData):
    """The province (or the central level, recorded by the province) answered a proposal."""

    event_type: ClassVar[str] = "thidua.awards.proposal.decided.v1"
    topic: ClassVar[str] = TOPIC_AWARDS

    proposal_id: str
    award_form: str
    period: str
    level: AwardLevel
    outcome: Literal["awarded", "rejected", "returned", "forwarded_to_central"]
    recipients: tuple[AwardRecipient, ...]
    decided_by: str
    number: str | None = None
    signed_on: date | None = None
    issuer: str | None = None
    reason: str | None = None


EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        SubmissionSubmitted,
        SubmissionResubmitted,
        SubmissionReturned,
        SubmissionWithdrawn,
        EntrantRecorded,
        RegistrationRecorded,
        CampaignPublished,
        CriteriaSetPublished,
        ScoreComputed,
        ReviewAssigned,
        AssessmentRecorded,
        ScoreFinalised,
        IndexComputed,
        AwardCandidateProposed,
        AwardCandidateReviewed,
        CouncilSessionConvened,
        CouncilSessionClosed,
        AwardDecided,
        AwardProposalSubmitted,
        AwardProposalDecided,
    )
}

D = TypeVar("D", bound=EventData)


class Envelope(BaseModel):
    """CloudEvents-shaped envelope with the tenant (commune code) and province carried on every event."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID
    type: str
    source: str
    subject: str
    time: datetime
    tenant: str | None = Field(default=None, description="Commune code; none for province-wide events")
    province: str
    datacontenttype: Literal["application/json"] = "application/json"
    traceparent: str | None = None
    data: dict[str, Any]

    @property
    def topic(self) -> str:
        return event_model(self.type).topic

    def payload(self, model: builtins.type[D]) -> D:
        """The data as `model`, or as its subclass this event's type names (resubmitted is a submitted)."""
        actual = event_model(self.type)
        if not issubclass(actual, model):
            raise ValueError(f"event {self.id} is {self.type}, not {model.event_type}")
        return actual.model_validate(self.data)


def event_model(event_type: str) -> type[EventData]:
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


class UnknownEventType(ValueError):
    pass


def new_event(
    data: EventData,
    *,
    source: str,
    subject: str,
    tenant: str | None,
    province: str,
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
) -> Envelope:
    """An event in the envelope; it carries the current trace (W3C traceparent) unless one is given."""
    return Envelope(
        id=event_id or uuid.uuid4(),
        type=data.event_type,
        source=source,
        subject=subject,
        time=time or datetime.now(UTC),
        tenant=tenant,
        province=province,
        traceparent=traceparent or current_traceparent(),
        data=data.model_dump(mode="json"),
    )
