"""The awards service's aggregates as they are stored (docs/adr/0018): one TypedDict per collection, its keys the
stored document's fields, nothing copied on the way in or out. A key a document may lack is `NotRequired`: the
`revision` ChangeLog gives it at insert (absent from a document built and not yet read back), the `audit` trail
lists and pages leave out, and the fields a later step of the process adds.

`tenant` and `province` are the Scope's that wrote the document (a province's rules have no tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from awards.domain.catalogue import Track
from awards.domain.council import BallotMode
from awards.domain.lifecycle import CandidateStatus, ProposalStatus
from awards.domain.rules import Flag
from awards.domain.showcase import ShowcaseStatus
from thidua_contracts.awards import AwardLevel, AwardRound
from thidua_contracts.terms import EntrantKind, TargetGroup

AuditEntry = dict[str, Any]  # thidua_platform.audit's entry: who, when, what (`changes` holds what the action changed)
SessionStatus = Literal["convened", "voting", "closed"]
Vote = Literal["yes", "no", "abstain", "recuse"]
ClaimField = Literal["decision_id", "proposal_id"]  # what claims a candidate: a decision, or a proposal


class Stored(TypedDict):
    """What every aggregate of the service holds: its id, its scope, its revision and its audit trail."""

    _id: str
    tenant: str | None
    province: str | None
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class Entrant(TypedDict):
    """An entrant as events carry it (thidua_contracts.terms.EntrantRef)."""

    id: str
    name: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: NotRequired[str | None]


# --- what the worker keeps from other services' events


class Attachment(TypedDict):
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str


class DossierCriterion(TypedDict):
    code: str
    title: str
    attachments: list[Attachment]


class Dossier(Stored):
    """A dossier's evidence (its latest version), from submission.submitted and submission.resubmitted."""

    version: int
    period: str
    entrant: Entrant
    criteria: list[DossierCriterion]


class ScoredCriterion(TypedDict):
    """A criterion's final score (thidua_contracts.scoring.CriterionScore)."""

    code: str
    theme: int | None
    rule: str
    inputs: dict[str, float]
    max_points: float
    points: float
    explanation: str


class Score(Stored):
    """A dossier's final score (its latest version), from score.finalised."""

    version: int
    period: str
    entrant: Entrant
    submitted_by: str
    total: float
    max_total: float
    grade: str
    criteria: list[ScoredCriterion]
    finalised_at: datetime


# --- what the province and the commune set


class ProvinceRule(Stored):
    """A province's rule for one form and round, where it differs from the default (`key`: the rule's key)."""

    key: str
    rule: dict[str, Any]  # as AwardRule dumps it (mode="json"), read back with AwardRule.model_validate
    updated_at: datetime


class Standing(Stored):
    """The flags that bar an entrant from being awarded or proposed (NĐ 152/2025), with their grounds."""

    entrant: Entrant
    flags: list[Flag]
    note: str | None
    updated_at: datetime


class Letterhead(Stored):
    """How the commune names itself on its documents (the commune's code is its id)."""

    issuing_body: str
    parent_body: str
    place: str
    authority: str
    updated_at: datetime


# --- candidates


class ScoreFields(TypedDict):
    """A candidate's copy of the final score it stands on."""

    entrant: Entrant
    submission_id: str
    submission_version: int
    submitted_by: str
    total: float
    grade: str


class RuleVerdict(TypedDict):
    """What the form's rule said of the candidate."""

    eligible: bool
    reasons: list[str]
    rank: int | None


class Computed(RuleVerdict):
    at: datetime


class OfficerReview(TypedDict):
    """The officer's keeping a candidate on the list, or taking it off, with the reason."""

    included: bool
    reason: str
    by: str
    at: datetime


class CouncilCounts(TypedDict):
    yes: int
    no: int
    abstain: int
    recused: int
    passed: bool


class AwardedDecision(TypedDict):
    """The decision that awarded: its number, the day it was signed (ISO) and who issued it."""

    number: str
    signed_on: str
    issuer: str


class Candidate(Stored, ScoreFields):
    """An entrant put forward for one form in one period, from the list to the award (DOMAIN.md §4)."""

    period: str
    round: AwardRound
    award_form: str
    status: CandidateStatus
    created_at: datetime
    updated_at: datetime
    computed: NotRequired[Computed]
    officer_review: NotRequired[OfficerReview]
    session_id: NotRequired[str]
    council: NotRequired[CouncilCounts]
    decision_id: NotRequired[str | None]
    proposal_id: NotRequired[str | None]
    decision: NotRequired[AwardedDecision]


# --- council sessions


class SeatedMember(TypedDict):
    """A member seated for the session (awards.domain.council.SessionMember)."""

    username: str
    unit_entrant_ids: Sequence[str]
    person_entrant_id: str | None
    name: str
    role: str


class Recusal(TypedDict):
    member: str
    reason: str


class SeatedCandidate(TypedDict):
    """A candidate before the council, with the rule its form had when the council was convened."""

    candidate_id: str
    entrant: Entrant
    award_form: str
    total: float
    grade: str
    submission_id: str
    submitted_by: str | None
    rule: dict[str, Any]  # as AwardRule dumps it (mode="json"), read back with AwardRule.model_validate
    recused: list[Recusal]


class BallotVote(TypedDict):
    candidate_id: str
    vote: Vote
    reason: str | None


class Ballot(TypedDict):
    """One member's ballot paper."""

    member: str
    at: datetime
    votes: list[BallotVote]


class CandidateResult(TypedDict):
    """The count of one candidate's votes, against the rule it was convened under."""

    candidate_id: str
    entrant: Entrant
    award_form: str
    yes: int
    no: int
    abstain: int
    recused: int
    base: int
    passed: bool
    pass_rule: str


class Session(Stored):
    """A council session: its members, candidates, ballots and results (every ballot a revision of it)."""

    period: str
    title: str
    held_at: datetime
    location: str
    ballot_mode: BallotMode
    chair: str
    secretary: str | None
    award_forms: Sequence[str]
    quorum_share: float
    round: AwardRound
    members: list[SeatedMember]
    candidates: list[SeatedCandidate]
    status: SessionStatus
    present: list[str]
    ballots: list[Ballot]
    results: list[CandidateResult]
    created_at: datetime
    created_by: str
    quorum_required: NotRequired[int]
    opened_at: NotRequired[datetime]
    closed_at: NotRequired[datetime]


# --- decisions, proposals and the history


class RecipientRow(TypedDict):
    """A recipient of a decision or proposal, as the council passed the candidate."""

    candidate_id: str
    entrant: Entrant
    submitted_by: str | None
    submission_id: str
    total: float
    grade: str
    session_id: str | None


class SignedAct(Stored):
    """A signed document of the commune: its number, day (ISO), signer, form and period."""

    number: str
    signed_on: str
    signer_name: str
    signer_title: str
    award_form: str
    period: str
    round: AwardRound
    recipients: list[RecipientRow]
    created_at: datetime
    created_by: str


class Decision(SignedAct):
    """The chairman's decision (quyết định) awarding a commune form."""

    issuer: str


class ProposalOutcome(TypedDict):
    """The province's (or the central level's) answer on a proposal, recorded under `<level>_outcome`."""

    outcome: Literal["awarded", "rejected", "returned", "forwarded_to_central"]
    number: str | None
    signed_on: str | None
    issuer: str | None
    reason: str | None
    by: str
    at: datetime
    level: AwardLevel


class Proposal(SignedAct):
    """The proposal letter (tờ trình) sending candidates for a higher form to the province."""

    addressee: str
    level: AwardLevel
    status: ProposalStatus
    updated_at: NotRequired[datetime]
    province_outcome: NotRequired[ProposalOutcome]
    central_outcome: NotRequired[ProposalOutcome]


class AwardSource(TypedDict):
    """What recorded an award: a decision (or a proposal's answer, `<proposal id>:<level>`), or an officer by hand."""

    kind: Literal["decision", "recorded"]
    id: NotRequired[str]


class HistoryEntry(Stored):
    """One award in an entrant's history: one per entrant, form, period and track."""

    entrant: Entrant
    award_form: str
    award_name: str
    period: str
    round: AwardRound
    level: AwardLevel
    track: Track
    decision: AwardedDecision
    source: AwardSource
    submitted_by: str | None
    recorded_at: datetime


class PublicRecord(TypedDict):
    """What the province may read of an award in the history (awards.domain.showcase.public_record)."""

    entrant_name: str
    entrant_kind: EntrantKind
    award_form: str
    award_name: str
    level: AwardLevel
    period: str
    decision_number: str
    decision_signed_on: str


class ShowcaseEntry(Stored, PublicRecord):
    """An award the commune published for its province, keyed by its history entry's id, with its public story."""

    title: str
    story: str
    status: ShowcaseStatus
    published_at: datetime
    updated_at: datetime
