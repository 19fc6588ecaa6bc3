"""Candidates: an entrant put forward for one form in one period, from the list to the award."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.lifecycle import CandidateStatus
from thidua_contracts.awards import AwardRound

ClaimField = Literal["decision_id", "proposal_id"]  # what claims a candidate: a decision, or a proposal


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
