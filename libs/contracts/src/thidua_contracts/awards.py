"""The events the awards service publishes (topic `thidua.awards`) and the parts they carry."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from thidua_contracts.terms import EntrantRef
from thidua_contracts.topology import TOPIC_AWARDS
from thidua_platform.envelope import EventData


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
    # an ad-hoc award (khen thưởng đột xuất, docs/adr/0026): for an achievement, outside the rounds; its period is the
    # year of the achievement and `round` that year's, so a consumer that does not know the flag counts it in the year
    ad_hoc: bool = False


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
