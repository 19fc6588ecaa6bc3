"""The platform's contracts: every event the services exchange, by producing service (`submissions`, `scoring`,
`awards`), the terms they share (`terms`), the one table of topics and consumer groups (`topology`), and the realm's
roles (`roles`). Importing any of them imports this catalogue, so every event type is known to the envelopes of the
process (`thidua_platform.envelope.event_model`) before an event is read.

Each type's schema is committed (docs/api/events/, `python -m thidua_ops.contracts write`), which refuses to replace
one with a schema that would break it; `tests/contracts/test_event_compatibility.py` fails on such a change.
"""

from __future__ import annotations

from thidua_contracts.awards import (
    AwardCandidateProposed,
    AwardCandidateReviewed,
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    CouncilSessionClosed,
    CouncilSessionConvened,
)
from thidua_contracts.scoring import (
    AssessmentRecorded,
    IndexComputed,
    ReviewAssigned,
    ScoreComputed,
    ScoreFinalised,
)
from thidua_contracts.submissions import (
    CampaignPublished,
    CriteriaSetPublished,
    EntrantRecorded,
    RegistrationRecorded,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_platform.envelope import EventData

EVENT_TYPES: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        SubmissionSubmitted,
        SubmissionResubmitted,
        SubmissionReturned,
        SubmissionWithdrawn,
        EntrantRecorded,
        RegistrationRecorded,
        CampaignPublished,
        CriteriaSetPublished,
        ScoreComputed,
        ReviewAssigned,
        AssessmentRecorded,
        ScoreFinalised,
        IndexComputed,
        AwardCandidateProposed,
        AwardCandidateReviewed,
        CouncilSessionConvened,
        CouncilSessionClosed,
        AwardDecided,
        AwardProposalSubmitted,
        AwardProposalDecided,
    )
}
