"""Awards' handlers and use cases without servers: its repositories and change log on an in-memory database, its
outbox relayed onto an in-process bus that calls the handlers its worker registers, its own events included
(thidua_platform.memory). tests/integration/test_awards_lifecycle.py and the e2e tier prove the same on the real
stack."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from awards.service import proposals
from awards.service.intake import candidate
from awards.service.outcomes import OutcomeRequest, record_outcome
from awards.service.proposals import ProposalRequest
from thidua_contracts.awards import AwardCandidateProposed, AwardDecided, AwardProposalDecided
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised, submission_submitted
from thidua_platform.audit import entry
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import Scope

from .in_memory import SCOPE, Awards

PROVINCE = Scope(province="37")
CHAIR = Principal("u-chair", "lm.chair", frozenset({Role.COMMUNE_CHAIR}), tenant=LIEN_MINH, province="37")
STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province="37")


@pytest.fixture
def awards() -> Awards:
    return Awards()


def final(total: float, *, entrant_id: str = "e-1") -> Envelope:
    return envelope_of(
        score_finalised(str(uuid.uuid4()), total=total, grade="Xuất sắc", entrant=entrant(id=entrant_id))
    )


async def test_a_final_score_that_meets_the_commune_award_makes_a_candidate_once(awards: Awards) -> None:
    scored = final(92.0)
    published = await awards.receive(scored)

    assert [e.type for e in published] == [AwardCandidateProposed.event_type]
    proposed = published[0].payload(AwardCandidateProposed)
    assert (proposed.award_form, proposed.total, proposed.entrant.id) == ("GIAY_KHEN_XA", 92.0, "e-1")
    assert await awards.receive(scored) == []  # redelivered
    assert len(await awards.repos.candidates.find(SCOPE, {"entrant.id": "e-1"})) == 1


async def test_a_final_score_below_the_bar_makes_no_candidate(awards: Awards) -> None:
    assert await awards.receive(final(79.9)) == []
    assert await awards.repos.candidates.find(SCOPE, {}) == []
    assert [s["total"] for s in await awards.repos.scores.find(SCOPE, {})] == [79.9]  # kept all the same


async def test_the_dossiers_evidence_is_kept_for_the_proposal(awards: Awards) -> None:
    submitted = envelope_of(submission_submitted("s-9", entrant=entrant()))
    assert await awards.receive(submitted) == []
    assert await awards.receive(submitted) == []
    assert len(await awards.repos.dossiers.find(SCOPE, {})) == 1


async def test_an_award_decided_by_the_province_reaches_the_history_once(awards: Awards) -> None:
    at = datetime.now(UTC)
    score = {
        "entrant": {"id": "e-5", "name": "Trường Tiểu học Liên Minh", "kind": "collective", "target_group": "c"},
        "submission_id": "s-5",
        "submission_version": 1,
        "submitted_by": "u-submitter",
        "total": 96.0,
        "grade": "Xuất sắc",
    }
    passed = candidate(
        SCOPE,
        "2026",
        "BANG_KHEN_TINH",
        score=score,
        status="eligible_upward",
        at=at,
        by=entry("u-officer", "added", at),
    )
    assert await awards.repos.candidates.add(passed)
    request = ProposalRequest.model_validate(
        {
            "award_form": "BANG_KHEN_TINH",
            "period": "2026",
            "number": "12/TTr-UBND",
            "signed_on": "2026-12-01",
            "signer_name": "Phạm Văn Minh",
            "candidate_ids": [passed["_id"]],
        }
    )
    sent, _created = await proposals.propose(repos=awards.repos, principal=CHAIR, scope=SCOPE, request=request)
    await awards.bus.settle()

    awarded = OutcomeRequest(outcome="awarded", number="9/QĐ-UBND", signed_on=date(2026, 12, 20), issuer="UBND tỉnh")
    await record_outcome(repos=awards.repos, principal=STAFF, scope=PROVINCE, proposal_id=sent["_id"], request=awarded)
    published = [e for e in await awards.bus.settle() if e.source == "thidua/awards"]

    assert {AwardProposalDecided.event_type, AwardDecided.event_type} <= {e.type for e in published}
    for event in published:  # delivered again, as Kafka may: nothing changes
        await awards.bus.deliver(event)
    await awards.bus.settle()
    history = await awards.repos.history.find(SCOPE, {"entrant.id": "e-5"})
    assert [(h["award_form"], h["level"], h["decision"]["number"]) for h in history] == [
        ("BANG_KHEN_TINH", "province", "9/QĐ-UBND")
    ]
    after = await awards.repos.candidates.get(SCOPE, passed["_id"])
    assert after is not None
    assert after["status"] == "awarded"
