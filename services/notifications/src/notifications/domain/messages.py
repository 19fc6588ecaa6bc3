"""What the submitter is told about their submission, Vietnamese first, English second."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
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


def message_for(envelope: Envelope) -> Message | None:
    """The in-app message an event causes, or None if it concerns nobody directly."""
    if envelope.type == SubmissionResubmitted.event_type:
        resubmitted = envelope.payload(SubmissionResubmitted)
        name, period = resubmitted.entrant.name, resubmitted.period
        return Message(
            recipient=resubmitted.submitted_by,
            kind="submission_resubmitted",
            title_vi="Đã nhận hồ sơ nộp lại",
            body_vi=f"Hồ sơ của {name} cho kỳ {period} đã được nộp lại (lần {resubmitted.version}).",
            title_en="Corrected submission received",
            body_en=f"The corrected submission of {name} for {period} was received (version {resubmitted.version}).",
        )
    if envelope.type == SubmissionReturned.event_type:
        returned = envelope.payload(SubmissionReturned)
        name = returned.entrant.name
        reasons = "; ".join(f"{r.code}: {r.reason}" if r.code else r.reason for r in returned.reasons)
        return Message(
            recipient=returned.submitted_by,
            kind="submission_returned",
            title_vi="Hồ sơ bị trả lại để bổ sung",
            body_vi=f"Hồ sơ của {name} cần bổ sung: {reasons}",
            title_en="Submission returned for correction",
            body_en=f"The submission of {name} needs correction: {reasons}",
        )
    if envelope.type == SubmissionSubmitted.event_type:
        submitted = envelope.payload(SubmissionSubmitted)
        name, period = submitted.entrant.name, submitted.period
        return Message(
            recipient=submitted.submitted_by,
            kind="submission_submitted",
            title_vi="Đã nhận hồ sơ thi đua",
            body_vi=f"Hồ sơ của {name} cho kỳ {period} đã được nộp thành công.",
            title_en="Submission received",
            body_en=f"The submission of {name} for {period} was submitted.",
        )
    if envelope.type == ScoreFinalised.event_type:
        score = envelope.payload(ScoreFinalised)
        name = score.entrant.name
        return Message(
            recipient=score.submitted_by,
            kind="submission_scored",
            title_vi="Hồ sơ đã được chấm điểm",
            body_vi=f"{name}: {score.total:g}/{score.max_total:g} điểm, xếp loại {score.grade}.",
            title_en="Submission scored",
            body_en=f"{name}: {score.total:g}/{score.max_total:g} points, grade {score.grade}.",
        )
    if envelope.type == AwardCandidateProposed.event_type:
        candidate = envelope.payload(AwardCandidateProposed)
        form_vi, form_en = AWARD_FORM_NAMES.get(candidate.award_form, (candidate.award_form,) * 2)
        name = candidate.entrant.name
        return Message(
            recipient=candidate.submitted_by,
            kind="award_candidate",
            title_vi="Được đề xuất khen thưởng",
            body_vi=f"{name} được đề xuất xét tặng {form_vi} kỳ {candidate.period}.",
            title_en="Proposed for an award",
            body_en=f"{name} is proposed for the {form_en}, period {candidate.period}.",
        )
    return None
