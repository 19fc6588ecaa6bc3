"""The awards lifecycle on the real database, through the service functions: a Huân chương proposal forwarded to
the central level and decided there, a returned proposal proposed again, and replayed or stray events changing
nothing. (The yearly round through the HTTP API is tests/e2e/test_awards_flow.py; central forms are not awarded in
the yearly period the e2e stack has open.)"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from awards.domain.aggregates import Candidate
from awards.repository import Repositories, repositories
from awards.service import decisions, outcomes, proposals
from awards.service.intake import candidate
from awards.service.outcomes import OutcomeRequest
from awards.service.proposals import ProposalRequest
from thidua_contracts.awards import AwardDecided
from thidua_platform.audit import entry
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

TENANT, PROVINCE, PERIOD = "ph-37-lien-minh", "37", "tong-ket-2030"
SCOPE = Scope(tenant=TENANT, province=PROVINCE)
CHAIR = Principal(
    user_id="u-chair", username="lm.chair", roles=frozenset({"commune_chair"}), tenant=TENANT, province=PROVINCE
)
STAFF = Principal(user_id="u-staff", username="nb.staff", roles=frozenset({"province_staff"}), province=PROVINCE)


@pytest.fixture
async def repos() -> AsyncIterator[Repositories]:
    async with scratch_database() as database:
        yield repositories(database)


async def passed_candidate(repos: Repositories, form: str) -> Candidate:
    """A candidate the council passed for a form decided above the commune."""
    entrant = {"id": str(uuid.uuid4()), "name": "Trường Tiểu học Liên Minh", "kind": "collective", "target_group": "c"}
    score = {
        "entrant": entrant,
        "submission_id": str(uuid.uuid4()),
        "submission_version": 1,
        "submitted_by": "u-submitter",
        "total": 99.0,
        "grade": "Xuất sắc",
    }
    at = datetime.now(UTC)
    by = entry("u-officer", "added", at, status="eligible_upward")
    document = candidate(SCOPE, PERIOD, form, score=score, status="eligible_upward", at=at, by=by)
    assert await repos.candidates.add(document)
    return document


def proposal(candidate_id: str, number: str) -> ProposalRequest:
    return ProposalRequest.model_validate(
        {
            "award_form": "HCLD_HANG_BA",
            "period": PERIOD,
            "number": number,
            "signed_on": "2030-11-20",
            "signer_name": "Phạm Văn Minh",
            "candidate_ids": [candidate_id],
        }
    )


async def status_of(repos: Repositories, candidate_id: str) -> str:
    document = await repos.candidates.get(SCOPE, candidate_id)
    assert document is not None
    return str(document["status"])


async def test_a_central_award_goes_through_the_province(repos: Repositories) -> None:
    passed = await passed_candidate(repos, "HCLD_HANG_BA")
    sent, created = await proposals.propose(
        repos=repos, principal=CHAIR, scope=SCOPE, request=proposal(passed["_id"], "21/TTr-UBND")
    )
    assert created
    assert sent["status"] == "submitted_to_province"
    assert await status_of(repos, passed["_id"]) == "proposed_to_province"

    province = Scope(province=PROVINCE)
    awarded = OutcomeRequest(outcome="awarded", number="9/QĐ-UBND", signed_on=date(2030, 12, 1), issuer="UBND tỉnh")
    with pytest.raises(Unprocessable):  # the province cannot award a central form
        await outcomes.record_outcome(
            repos=repos, principal=STAFF, scope=province, proposal_id=sent["_id"], request=awarded
        )
    forwarded = await outcomes.record_outcome(
        repos=repos,
        principal=STAFF,
        scope=province,
        proposal_id=sent["_id"],
        request=OutcomeRequest(outcome="forwarded_to_central"),
    )
    assert forwarded["status"] == "forwarded_to_central"
    assert await status_of(repos, passed["_id"]) == "proposed_to_central"

    central = OutcomeRequest(
        outcome="awarded", number="1234/QĐ-CTN", signed_on=date(2031, 4, 30), issuer="Chủ tịch nước"
    )
    done = await outcomes.record_outcome(
        repos=repos, principal=STAFF, scope=province, proposal_id=sent["_id"], request=central
    )
    assert done["status"] == "central_awarded"
    assert done["central_outcome"]["number"] == "1234/QĐ-CTN"
    assert await status_of(repos, passed["_id"]) == "awarded"
    history = await repos.history.find(SCOPE, {"entrant.id": passed["entrant"]["id"]})
    assert [(h["award_form"], h["level"], h["decision"]["issuer"]) for h in history] == [
        ("HCLD_HANG_BA", "central", "Chủ tịch nước")
    ]
    with pytest.raises(Conflict):  # nothing after the central answer
        await outcomes.record_outcome(
            repos=repos, principal=STAFF, scope=province, proposal_id=sent["_id"], request=central
        )

    # the worker replays every event: the same award again, and the proposal's earlier status, change nothing
    award = AwardDecided(
        proposal_id=sent["_id"],
        decision_id=f"{sent['_id']}:central",
        award_form="HCLD_HANG_BA",
        period=PERIOD,
        round="tong_ket",
        level="central",
        number="1234/QĐ-CTN",
        signed_on=date(2031, 4, 30),
        issuer="Chủ tịch nước",
        recipients=({"candidate_id": passed["_id"], "entrant": passed["entrant"]},),
    )
    await decisions.apply_award(repos=repos, scope=SCOPE, decided=award, actor="system")
    await outcomes.settle_proposal(repos=repos, proposal=forwarded, actor="system")
    assert await status_of(repos, passed["_id"]) == "awarded"
    assert len(await repos.history.find(SCOPE, {"entrant.id": passed["entrant"]["id"]})) == 1
    # an award carried by another proposal does not touch this candidate
    stray = award.model_copy(update={"proposal_id": "another", "decision_id": "another:central", "number": "1/QĐ-CTN"})
    await decisions.apply_award(repos=repos, scope=SCOPE, decided=stray, actor="system")
    [only] = await repos.history.find(SCOPE, {"entrant.id": passed["entrant"]["id"]})
    assert only["decision"]["number"] == "1234/QĐ-CTN"


async def test_a_returned_proposal_can_be_made_again_and_only_once(repos: Repositories) -> None:
    passed = await passed_candidate(repos, "HCLD_HANG_BA")
    first, _ = await proposals.propose(
        repos=repos, principal=CHAIR, scope=SCOPE, request=proposal(passed["_id"], "30/TTr-UBND")
    )
    with pytest.raises(Conflict) as refused:  # already in a proposal: a conflict, as for the loser of a race
        await proposals.propose(
            repos=repos, principal=CHAIR, scope=SCOPE, request=proposal(passed["_id"], "31/TTr-UBND")
        )
    assert refused.value.extensions["candidate_ids"] == [passed["_id"]]
    returned = OutcomeRequest(outcome="returned", reason="Bổ sung báo cáo thành tích có xác nhận")
    await outcomes.record_outcome(
        repos=repos, principal=STAFF, scope=Scope(province=PROVINCE), proposal_id=first["_id"], request=returned
    )
    assert await status_of(repos, passed["_id"]) == "eligible_upward"
    again, created = await proposals.propose(
        repos=repos, principal=CHAIR, scope=SCOPE, request=proposal(passed["_id"], "32/TTr-UBND")
    )
    assert created
    assert again["_id"] != first["_id"]
    # the same proposal sent again (a retry) returns it; the returned one's late replay does not pull the candidate back
    assert (
        await proposals.propose(
            repos=repos, principal=CHAIR, scope=SCOPE, request=proposal(passed["_id"], "32/TTr-UBND")
        )
    )[1] is False
    stale = await repos.proposals.get(SCOPE, first["_id"])
    assert stale is not None
    await outcomes.settle_proposal(repos=repos, proposal=stale, actor="system")
    assert await status_of(repos, passed["_id"]) == "proposed_to_province"
