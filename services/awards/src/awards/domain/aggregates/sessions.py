"""Council sessions: the members and candidates seated, the ballots cast and the results counted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from awards.domain.ad_hoc import Round
from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.council import BallotMode

SessionStatus = Literal["convened", "voting", "closed"]
Vote = Literal["yes", "no", "abstain", "recuse"]
Counting = Literal["electronic", "paper"]  # members vote in the platform, or on paper counted by the committee


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
    total: float | None  # None: an ad-hoc candidate, which has no score but its achievement
    grade: str | None
    submission_id: str | None
    submitted_by: str | None
    achievement: NotRequired[str]
    rule: dict[str, Any]  # as AwardRule dumps it (mode="json"), read back with AwardRule.model_validate
    recused: list[Recusal]


class BallotVote(TypedDict):
    candidate_id: str
    vote: Vote
    reason: str | None


class Ballot(TypedDict):
    """One member's ballot paper, kept whole for an open vote only (awards.domain.ballot_box)."""

    member: str
    at: datetime
    votes: list[BallotVote]


class Voter(TypedDict):
    """That a member voted, and when: apart from how (awards.domain.ballot_box). `in_writing`: an absent member's
    written opinion (ý kiến bằng văn bản), recorded by the officer."""

    member: str
    at: datetime
    in_writing: NotRequired[bool]


class CandidateTally(TypedDict):
    """A secret vote's running count on one candidate: no paper is kept (awards.domain.ballot_box)."""

    candidate_id: str
    yes: int
    no: int
    abstain: int
    recuse: int


class PaperTally(TypedDict):
    """The counting committee's count of the paper ballots on one candidate."""

    candidate_id: str
    yes: int
    no: int
    abstain: int


class BallotCount(TypedDict):
    """Ballot papers issued to the members present, returned, and valid (phiếu phát ra, thu về, hợp lệ)."""

    issued: int
    returned: int
    valid: int


class PaperCount(BallotCount):
    """What the counting committee (Ban kiểm phiếu) entered for a paper vote."""

    candidates: list[PaperTally]


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
    round: Round  # a round of the movement, or "ad_hoc" (docs/adr/0026)
    members: list[SeatedMember]
    candidates: list[SeatedCandidate]
    status: SessionStatus
    present: list[str]
    ballots: list[Ballot]  # open votes' papers; sessions kept before the ballot box: every mode's
    results: list[CandidateResult]
    created_at: datetime
    created_by: str
    voters: NotRequired[list[Voter]]  # who voted (every session since the ballot box)
    tallies: NotRequired[list[CandidateTally]]  # a secret vote's counts
    counting: NotRequired[Counting]  # "electronic" when absent (sessions kept before paper votes)
    counting_committee: NotRequired[list[str]]  # Ban kiểm phiếu, its head first, chosen among those present
    paper_count: NotRequired[PaperCount]  # a paper vote's count, as the committee entered it
    quorum_required: NotRequired[int]
    opened_at: NotRequired[datetime]
    closed_at: NotRequired[datetime]
