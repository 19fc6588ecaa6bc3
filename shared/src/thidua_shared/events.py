"""The event envelope (modelled on CloudEvents 1.0) and every event the services exchange.

Event data models are frozen; a new incompatible shape gets a new version suffix (`.v2`), never an edit in place.
`tests/test_contracts.py` fails when a committed schema would break a consumer.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.text import ShortText

TOPIC_SUBMISSIONS = "thidua.submissions"
TOPIC_SCORING = "thidua.scoring"
TOPIC_AWARDS = "thidua.awards"
DOMAIN_TOPICS = (TOPIC_SUBMISSIONS, TOPIC_SCORING, TOPIC_AWARDS)

# Namespace for ids derived from other ids, so a redelivered event produces the same downstream ids.
THIDUA_NAMESPACE = uuid.UUID("6f1c6a52-3b0e-4d8e-9a53-0c2f4d1e7a10")


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


class CriterionEvidence(BaseModel):
    """One criterion of a submission as scoring needs it (event-carried state: scoring never calls back)."""

    model_config = ConfigDict(frozen=True)
    code: str
    theme: int = Field(ge=1, le=7)
    rule: Literal["ratio"] = "ratio"
    max_points: float = Field(gt=0, le=100)
    value: float = Field(ge=0)
    target: float = Field(gt=0)


class SubmissionSubmitted(EventData):
    event_type: ClassVar[str] = "thidua.submissions.submission.submitted.v1"
    topic: ClassVar[str] = TOPIC_SUBMISSIONS

    submission_id: str
    version: int = Field(ge=1)
    period: str
    entrant: EntrantRef
    submitted_by: str
    criteria: tuple[CriterionEvidence, ...]


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
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


EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model for model in (SubmissionSubmitted, ScoreComputed, AwardCandidateProposed)
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
    tenant: str
    province: str
    datacontenttype: Literal["application/json"] = "application/json"
    traceparent: str | None = None
    data: dict[str, Any]

    @property
    def topic(self) -> str:
        return event_model(self.type).topic

    def payload(self, model: builtins.type[D]) -> D:
        if model.event_type != self.type:
            raise ValueError(f"event {self.id} is {self.type}, not {model.event_type}")
        return model.model_validate(self.data)


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
    tenant: str,
    province: str,
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
) -> Envelope:
    return Envelope(
        id=event_id or uuid.uuid4(),
        type=data.event_type,
        source=source,
        subject=subject,
        time=time or datetime.now(UTC),
        tenant=tenant,
        province=province,
        traceparent=traceparent,
        data=data.model_dump(mode="json"),
    )
