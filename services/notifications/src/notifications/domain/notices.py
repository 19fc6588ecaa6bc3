"""Who is told what about an event: the notices an event causes, each with its audience and the facts a template
may use. Pure: recipients are named here (a user id, a username, or the holders of a role) and resolved elsewhere.

Every audience stays within the event's tenant, except province staff, who are told of proposals reaching their
province.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from notifications.domain.aggregates import Review
from thidua_contracts.awards import (
    AwardCandidateProposed,
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
    CouncilSessionClosed,
    CouncilSessionConvened,
)
from thidua_contracts.roles import Role
from thidua_contracts.scoring import ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import SubmissionResubmitted, SubmissionReturned, SubmissionSubmitted
from thidua_platform.envelope import Envelope, EventData

AWARD_FORM_NAMES: dict[str, tuple[str, str]] = {
    "GIAY_KHEN_XA": ("Giấy khen của Chủ tịch UBND xã", "Commune chairman's certificate of merit"),
    "BANG_KHEN_TINH": ("Bằng khen của Chủ tịch UBND tỉnh", "Provincial chairman's certificate of merit"),
    "CO_THI_DUA_TINH": ("Cờ Thi đua của UBND tỉnh", "Provincial emulation flag"),
    "BANG_KHEN_TTG": ("Bằng khen của Thủ tướng Chính phủ", "Prime Minister's certificate of merit"),
    "CO_THI_DUA_CP": ("Cờ Thi đua của Chính phủ", "Government emulation flag"),
    "HCLD_HANG_BA": ("Huân chương Lao động hạng Ba", "Labour Order, third class"),
}


@dataclass(frozen=True)
class UserId:
    """A user named by their Keycloak id (the token's `sub`), as submissions records the submitter."""

    value: str


@dataclass(frozen=True)
class Username:
    """A user named by username, as scoring and awards record council members."""

    value: str


@dataclass(frozen=True)
class RoleHolders:
    """Everyone holding `role` in the event's commune, or (level "province") among its province's staff."""

    role: str
    level: Literal["commune", "province"] = "commune"


Audience = UserId | Username | RoleHolders


@dataclass(frozen=True)
class Notice:
    """One thing to tell: `kind` picks the template, `facts` fill it, `audience` says who. `cause` makes delivery
    ids: the event id, or a stable id for notices no event carries (reminders)."""

    kind: str
    audience: tuple[Audience, ...]
    facts: dict[str, Any] = field(default_factory=dict)
    cause: str = ""
    event_type: str = ""  # the type of the event `cause` names; empty for notices no event carries


def form_names(code: str) -> dict[str, str]:
    vi, en = AWARD_FORM_NAMES.get(code, (code, code))
    return {"award_form": code, "award_form_vi": vi, "award_form_en": en}


def _submission(kind: str) -> Callable[[SubmissionSubmitted], list[Notice]]:
    def build(event: SubmissionSubmitted) -> list[Notice]:
        facts = {"entrant": event.entrant.name, "period": event.period, "version": event.version}
        return [Notice(kind, (UserId(event.submitted_by),), facts)]

    return build


def _returned(event: SubmissionReturned) -> list[Notice]:
    reasons = [{"code": r.code, "reason": r.reason} for r in event.reasons]
    facts = {"entrant": event.entrant.name, "period": event.period, "version": event.version, "reasons": reasons}
    return [Notice("submission_returned", (UserId(event.submitted_by),), facts)]


def _scored(event: ScoreFinalised) -> list[Notice]:
    facts = {
        "entrant": event.entrant.name,
        "period": event.period,
        "total": event.total,
        "max_total": event.max_total,
        "grade": event.grade,
    }
    return [Notice("submission_scored", (UserId(event.submitted_by),), facts)]


def _candidate(event: AwardCandidateProposed) -> list[Notice]:
    facts = {"entrant": event.entrant.name, "period": event.period, **form_names(event.award_form)}
    return [Notice("award_candidate", (UserId(event.submitted_by),), facts)]


def _by_submitter(recipients: Iterable[AwardRecipient]) -> dict[str, list[str]]:
    """The entrants of an award grouped by who filed them: each submitter hears once, of all their entrants."""
    grouped: dict[str, list[str]] = {}
    for recipient in recipients:
        if recipient.submitted_by:
            grouped.setdefault(recipient.submitted_by, []).append(recipient.entrant.name)
    return grouped


def _awarded(
    *, form: str, period: str, number: str | None, issuer: str | None, recipients: Iterable[AwardRecipient]
) -> list[Notice]:
    base = {"period": period, "number": number or "", "issuer": issuer or "", **form_names(form)}
    return [
        Notice("award_decided", (UserId(submitter),), {**base, "entrants": entrants})
        for submitter, entrants in _by_submitter(recipients).items()
    ]


def _decided(event: AwardDecided) -> list[Notice]:
    if event.proposal_id:  # an award above the commune: its proposal's outcome tells the submitters
        return []
    return _awarded(
        form=event.award_form,
        period=event.period,
        number=event.number,
        issuer=event.issuer,
        recipients=event.recipients,
    )


def _proposal_decided(event: AwardProposalDecided) -> list[Notice]:
    """Whatever the answer, the commune's officers are told of it (they sent the proposal, and file its answer);
    an award is also told to the submitters of its recipients."""
    facts = {
        "period": event.period,
        "outcome": event.outcome,
        "reason": event.reason or "",
        "number": event.number or "",
        "issuer": event.issuer or "",
        "entrants": [r.entrant.name for r in event.recipients],
        **form_names(event.award_form),
    }
    officers = Notice("proposal_outcome", (RoleHolders(Role.COMMUNE_OFFICER),), facts)
    if event.outcome != "awarded":
        return [officers]
    awarded = _awarded(
        form=event.award_form,
        period=event.period,
        number=event.number,
        issuer=event.issuer,
        recipients=event.recipients,
    )
    return [officers, *awarded]


def _proposal_submitted(event: AwardProposalSubmitted) -> list[Notice]:
    facts = {
        "period": event.period,
        "number": event.number,
        "entrants": [r.entrant.name for r in event.recipients],
        **form_names(event.award_form),
    }
    return [Notice("proposal_received", (RoleHolders(Role.PROVINCE_STAFF, "province"),), facts)]


def _convened(event: CouncilSessionConvened) -> list[Notice]:
    facts = {
        "title": event.title,
        "period": event.period,
        "held_at": event.held_at.isoformat(),
        "candidates": event.candidates,
    }
    return [Notice("session_convened", tuple(Username(m) for m in event.members), facts)]


def _closed(event: CouncilSessionClosed) -> list[Notice]:
    passed = [r for r in event.results if r.passed]
    if not passed:
        return []
    entrants = [f"{r.entrant.name} ({form_names(r.award_form)['award_form_vi']})" for r in passed]
    facts = {"period": event.period, "passed": len(passed), "entrants": entrants}
    return [Notice("decisions_waiting", (RoleHolders(Role.COMMUNE_CHAIR),), facts)]


def _assigned(event: ReviewAssigned) -> list[Notice]:
    facts = {
        "period": event.period,
        "entrant": event.entrant.name if event.entrant else "",
        "criteria": list(event.criteria),
        "submission_id": event.submission_id,
    }
    return [Notice("review_assigned", (Username(event.reviewer),), facts)]


D = TypeVar("D", bound=EventData)


def _reading(model: type[D], build: Callable[[D], list[Notice]]) -> Callable[[Envelope], list[Notice]]:
    return lambda envelope: build(envelope.payload(model))


# The events that tell someone something; the consumer subscribes to exactly these.
NOTICES: dict[str, Callable[[Envelope], list[Notice]]] = {
    SubmissionSubmitted.event_type: _reading(SubmissionSubmitted, _submission("submission_submitted")),
    SubmissionResubmitted.event_type: _reading(SubmissionResubmitted, _submission("submission_resubmitted")),
    SubmissionReturned.event_type: _reading(SubmissionReturned, _returned),
    ScoreFinalised.event_type: _reading(ScoreFinalised, _scored),
    ReviewAssigned.event_type: _reading(ReviewAssigned, _assigned),
    AwardCandidateProposed.event_type: _reading(AwardCandidateProposed, _candidate),
    CouncilSessionConvened.event_type: _reading(CouncilSessionConvened, _convened),
    CouncilSessionClosed.event_type: _reading(CouncilSessionClosed, _closed),
    AwardDecided.event_type: _reading(AwardDecided, _decided),
    AwardProposalSubmitted.event_type: _reading(AwardProposalSubmitted, _proposal_submitted),
    AwardProposalDecided.event_type: _reading(AwardProposalDecided, _proposal_decided),
}


def notices_for(envelope: Envelope) -> list[Notice]:
    """The notices an event causes (none if it concerns nobody directly), caused by the event's id."""
    build = NOTICES.get(envelope.type)
    if build is None:
        return []
    return [Notice(n.kind, n.audience, n.facts, str(envelope.id), envelope.type) for n in build(envelope)]


def reminder(review: Review, closes_at: str) -> Notice:
    """A reminder to a council member whose review is still open before the period closes."""
    facts = {
        "period": review["period"],
        "entrant": review.get("entrant") or "",
        "criteria": review.get("criteria", []),
        "submission_id": review["submission_id"],
        "closes_at": closes_at,
    }
    return Notice("review_reminder", (Username(review["reviewer"]),), facts, f"reminder:{review['_id']}")
