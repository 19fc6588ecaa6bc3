"""Handlers for the events the awards worker follows: final scores, dossiers' evidence, and its own decisions
(applied again, idempotently, so a crash of the API between two writes loses nothing: the awards, and a commune
decision's payment out of the commune's fund)."""

from __future__ import annotations

from awards.repository import Repositories
from awards.service import counting, decisions, intake, outcomes
from thidua_contracts.awards import AwardDecided, AwardProposalDecided, CouncilSessionClosed
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import SubmissionResubmitted, SubmissionSubmitted
from thidua_platform.audit import event_actor
from thidua_platform.consumer import Handler
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import event_scope


def handlers(repos: Repositories) -> dict[str, Handler]:
    async def on_score(envelope: Envelope) -> None:
        await intake.record_score(repos=repos, envelope=envelope)

    async def on_dossier(envelope: Envelope) -> None:
        await intake.record_dossier(repos=repos, envelope=envelope)

    async def on_award(envelope: Envelope) -> None:
        await decisions.apply_award(
            repos=repos,
            scope=event_scope(envelope),
            decided=envelope.payload(AwardDecided),
            actor=event_actor(envelope.id),
        )

    async def on_session_closed(envelope: Envelope) -> None:
        scope = event_scope(envelope)
        session = await repos.sessions.get(scope, envelope.payload(CouncilSessionClosed).session_id)
        if session is not None:
            await counting.settle(repos=repos, scope=scope, session=session, actor=event_actor(envelope.id))

    async def on_proposal_decided(envelope: Envelope) -> None:
        scope = event_scope(envelope)
        proposal = await repos.proposals.get(scope, envelope.payload(AwardProposalDecided).proposal_id)
        if proposal is not None:
            await outcomes.settle_proposal(repos=repos, proposal=proposal, actor=event_actor(envelope.id))

    return {
        ScoreFinalised.event_type: on_score,
        SubmissionSubmitted.event_type: on_dossier,
        SubmissionResubmitted.event_type: on_dossier,
        AwardDecided.event_type: on_award,
        CouncilSessionClosed.event_type: on_session_closed,
        AwardProposalDecided.event_type: on_proposal_decided,
    }
