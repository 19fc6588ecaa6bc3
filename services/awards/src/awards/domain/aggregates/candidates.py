"""Candidates: an entrant put forward for one form in one period, from the list to the award."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from awards.domain.ad_hoc import Round
from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.lifecycle import CandidateStatus

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


class Evidence(TypedDict):
    """A document an ad-hoc achievement rests on, as the officer describes it (its number, date, issuer, or where it
    is kept): no file."""

    title: str
    reference: str | None


class AdHocAchievement(TypedDict):
    """What an ad-hoc candidate (khen thưởng đột xuất) stands on instead of a score: the achievement described, its
    day (ISO), its evidence and who proposed it (docs/adr/0026)."""

    achievement: str
    achieved_on: str
    evidence: list[Evidence]
    proposed_by: str


class Candidate(Stored):
    """An entrant put forward for one form in one period, from the list to the award (DOMAIN.md §4). A candidate of
    the rounds copies its final score (`ScoreFields`); an ad-hoc one has none (those fields None) and holds `ad_hoc`
    instead, its round "ad_hoc" and its period the year of the achievement."""

    entrant: Entrant
    submission_id: str | None
    submission_version: int | None
    submitted_by: str | None
    total: float | None
    grade: str | None
    period: str
    round: Round  # a round of the movement, or "ad_hoc" (docs/adr/0026)
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
    ad_hoc: NotRequired[AdHocAchievement]
