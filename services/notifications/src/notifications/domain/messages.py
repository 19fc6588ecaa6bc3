"""What the submitter is told about their submission, Vietnamese first, English second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
    EventData,
    ScoreFinalised,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
)

AWARD_FORM_NAMES = {
    "GIAY_KHEN_XA": ("Giấy khen của Chủ tịch UBND xã", "Certificate of merit of the commune chairman"),
    "BANG_KHEN_TINH": ("Bằng khen của Chủ tịch UBND tỉnh", "Certificate of merit of the provincial chairman"),
}


@dataclass(frozen=True)
class Message:
    recipient: str
    kind: str
    title_vi: str
    body_vi: str
    title_en: str
    body_en: str


def _resubmitted(event: SubmissionResubmitted) -> Message:
    name, period = event.entrant.name, event.period
    return Message(
        recipient=event.submitted_by,
        kind="submission_resubmitted",
        title_vi="Đã nhận hồ sơ nộp lại",
        body_vi=f"Hồ sơ của {name} cho kỳ {period} đã được nộp lại (lần {event.version}).",
        title_en="Corrected submission received",
        body_en=f"The corrected submission of {name} for {period} was received (version {event.version}).",
    )


def _returned(event: SubmissionReturned) -> Message:
    name = event.entrant.name
    reasons = "; ".join(f"{r.code}: {r.reason}" if r.code else r.reason for r in event.reasons)
    return Message(
        recipient=event.submitted_by,
        kind="submission_returned",
        title_vi="Hồ sơ bị trả lại để bổ sung",
        body_vi=f"Hồ sơ của {name} cần bổ sung: {reasons}",
        title_en="Submission returned for correction",
        body_en=f"The submission of {name} needs correction: {reasons}",
    )


def _submitted(event: SubmissionSubmitted) -> Message:
    name, period = event.entrant.name, event.period
    return Message(
        recipient=event.submitted_by,
        kind="submission_submitted",
        title_vi="Đã nhận hồ sơ thi đua",
        body_vi=f"Hồ sơ của {name} cho kỳ {period} đã được nộp thành công.",
        title_en="Submission received",
        body_en=f"The submission of {name} for {period} was submitted.",
    )


def _scored(event: ScoreFinalised) -> Message:
    name = event.entrant.name
    return Message(
        recipient=event.submitted_by,
        kind="submission_scored",
        title_vi="Hồ sơ đã được chấm điểm",
        body_vi=f"{name}: {event.total:g}/{event.max_total:g} điểm, xếp loại {event.grade}.",
        title_en="Submission scored",
        body_en=f"{name}: {event.total:g}/{event.max_total:g} points, grade {event.grade}.",
    )


def _candidate(event: AwardCandidateProposed) -> Message:
    form_vi, form_en = AWARD_FORM_NAMES.get(event.award_form, (event.award_form,) * 2)
    name = event.entrant.name
    return Message(
        recipient=event.submitted_by,
        kind="award_candidate",
        title_vi="Được đề xuất khen thưởng",
        body_vi=f"{name} được đề xuất xét tặng {form_vi} kỳ {event.period}.",
        title_en="Proposed for an award",
        body_en=f"{name} is proposed for the {form_en}, period {event.period}.",
    )


D = TypeVar("D", bound=EventData)


def _reading(model: type[D], build: Callable[[D], Message]) -> Callable[[Envelope], Message]:
    return lambda envelope: build(envelope.payload(model))


# The events that tell someone something; the consumer subscribes to exactly these.
MESSAGES: dict[str, Callable[[Envelope], Message]] = {
    SubmissionSubmitted.event_type: _reading(SubmissionSubmitted, _submitted),
    SubmissionResubmitted.event_type: _reading(SubmissionResubmitted, _resubmitted),
    SubmissionReturned.event_type: _reading(SubmissionReturned, _returned),
    ScoreFinalised.event_type: _reading(ScoreFinalised, _scored),
    AwardCandidateProposed.event_type: _reading(AwardCandidateProposed, _candidate),
}


def message_for(envelope: Envelope) -> Message | None:
    """The in-app message an event causes, or None if it concerns nobody directly."""
    build = MESSAGES.get(envelope.type)
    return build(envelope) if build else None
