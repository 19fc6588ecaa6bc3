"""The commune's signed acts: the chairman's decisions and the proposals to the province, with their recipients."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from awards.domain.ad_hoc import Round
from awards.domain.aggregates.prize import DecisionPrize
from awards.domain.aggregates.stored import Entrant, Stored
from awards.domain.lifecycle import ProposalStatus
from thidua_contracts.awards import AwardLevel


class RecipientRow(TypedDict):
    """A recipient of a decision or proposal, as the council passed the candidate."""

    candidate_id: str
    entrant: Entrant
    submitted_by: str | None
    submission_id: str | None
    total: float | None  # None: an ad-hoc candidate (docs/adr/0026), named with its achievement instead
    grade: str | None
    session_id: str | None
    achievement: NotRequired[str]
    amount: NotRequired[int]  # the prize in đồng (a decision's, when it pays one)


class SignedAct(Stored):
    """A signed document of the commune: its number, day (ISO), signer, form and period."""

    number: str
    signed_on: str
    signer_name: str
    signer_title: str
    award_form: str
    period: str
    round: Round  # a round of the movement, or "ad_hoc" (docs/adr/0026)
    recipients: list[RecipientRow]
    created_at: datetime
    created_by: str


class Decision(SignedAct):
    """The chairman's decision (quyết định) awarding a commune form; `prize` when it pays one (decisions stored
    before prize money have none)."""

    issuer: str
    prize: NotRequired[DecisionPrize]


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
