"""The awards service's aggregates as they are stored (docs/adr/0018): one TypedDict per collection, its keys the
stored document's fields, nothing copied on the way in or out. A key a document may lack is `NotRequired`: the
`revision` ChangeLog gives it at insert (absent from a document built and not yet read back), the `audit` trail
lists and pages leave out, and the fields a later step of the process adds.

`tenant` and `province` are the Scope's that wrote the document (a province's rules have no tenant).

One module per aggregate, or per group of them, and every name given here: `stored` (what every aggregate holds, the
entrant), `intake` (what the worker keeps from other services' events: dossiers and scores), `setup` (what the
province and the commune set: rules, standings, letterheads), `candidates`, `sessions` (council sessions), `acts`
(decisions and proposals), `prize` (prize-money settings, the commune's fund), `history` (the history of awards and
the showcase)."""

from __future__ import annotations

from awards.domain.aggregates.acts import Decision, Proposal, ProposalOutcome, RecipientRow, SignedAct
from awards.domain.aggregates.candidates import (
    AdHocAchievement,
    AwardedDecision,
    Candidate,
    ClaimField,
    Computed,
    CouncilCounts,
    Evidence,
    OfficerReview,
    RuleVerdict,
    ScoreFields,
)
from awards.domain.aggregates.history import AwardSource, HistoryEntry, PublicRecord, ShowcaseEntry
from awards.domain.aggregates.intake import Attachment, Dossier, DossierCriterion, Score, ScoredCriterion
from awards.domain.aggregates.prize import (
    RECEIPTS,
    DecisionPrize,
    FundKind,
    FundMovement,
    ProvincePrizeSettings,
)
from awards.domain.aggregates.sessions import (
    Ballot,
    BallotCount,
    BallotVote,
    CandidateResult,
    CandidateTally,
    Counting,
    PaperCount,
    PaperTally,
    Recusal,
    SeatedCandidate,
    SeatedMember,
    Session,
    SessionStatus,
    Vote,
    Voter,
)
from awards.domain.aggregates.setup import Letterhead, ProvinceRule, Standing, StoredProvinceSettings
from awards.domain.aggregates.stored import AuditEntry, Entrant, Stored

__all__ = [
    "RECEIPTS",
    "AdHocAchievement",
    "Attachment",
    "AuditEntry",
    "AwardSource",
    "AwardedDecision",
    "Ballot",
    "BallotCount",
    "BallotVote",
    "Candidate",
    "CandidateResult",
    "CandidateTally",
    "ClaimField",
    "Computed",
    "CouncilCounts",
    "Counting",
    "Decision",
    "DecisionPrize",
    "Dossier",
    "DossierCriterion",
    "Entrant",
    "Evidence",
    "FundKind",
    "FundMovement",
    "HistoryEntry",
    "Letterhead",
    "OfficerReview",
    "PaperCount",
    "PaperTally",
    "Proposal",
    "ProposalOutcome",
    "ProvincePrizeSettings",
    "ProvinceRule",
    "PublicRecord",
    "RecipientRow",
    "Recusal",
    "RuleVerdict",
    "Score",
    "ScoreFields",
    "ScoredCriterion",
    "SeatedCandidate",
    "SeatedMember",
    "Session",
    "SessionStatus",
    "ShowcaseEntry",
    "SignedAct",
    "Standing",
    "Stored",
    "StoredProvinceSettings",
    "Vote",
    "Voter",
]
