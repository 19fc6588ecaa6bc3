"""What the chairman's acts share (awards.service.acts), through the proposal letter (awards.service.proposals):
the candidates an act claims, each of its form and period, passed by the council, barred by no flag, in one act
only; a retry of the same act and the loser of a race. Without servers: the use cases on the service's own
repositories over an in-memory database, its outbox relayed onto an in-process bus (in_memory.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from awards.domain.aggregates import Candidate, Proposal
from awards.domain.catalogue import FormCode
from awards.domain.lifecycle import CandidateStatus
from awards.service import acts
from awards.service.acts import CLAIMED_ELSEWHERE
from awards.service.intake import candidate
from awards.service.proposals import ProposalRequest, propose
from awards.service.standing import StandingInput, set_standing
from thidua_contracts.awards import AwardProposalSubmitted
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH, entrant
from thidua_platform.audit import entry
from thidua_platform.envelope import derived_id
from thidua_platform.problems import Conflict, Problem, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory import OFFICER, PERIOD, SCHOOL, SCOPE, TAM_DIEP, Awards, member

CHAIR = member("lm.chair", Role.COMMUNE_CHAIR)
NUMBER = "12/TTr-UBND"


@pytest.fixture
def awards() -> Awards:
    return Awards()


async def passed(
    awards: Awards,
    entrant_id: str,
    *,
    form: FormCode = "BANG_KHEN_TINH",
    period: str = PERIOD,
    status: CandidateStatus = "eligible_upward",
    scope: Scope = SCOPE,
) -> str:
    """A candidate the council passed for a higher form (or in `status`); its id."""
    at = datetime.now(UTC)
    score = {
        "entrant": {"id": entrant_id, "name": f"Đơn vị {entrant_id}", "kind": "collective", "target_group": "c"},
        "submission_id": f"s-{entrant_id}",
        "submission_version": 1,
        "submitted_by": "u-submitter",
        "total": 96.0,
        "grade": "Xuất sắc",
    }
    document = candidate(scope, period, form, score=score, status=status, at=at, by=entry("u-officer", "added", at))
    assert await awards.repos.candidates.add(document)
    return document["_id"]


def letter(*candidate_ids: str, number: str = NUMBER, **overrides: Any) -> ProposalRequest:
    fields: dict[str, Any] = {
        "award_form": "BANG_KHEN_TINH",
        "period": PERIOD,
        "number": number,
        "signed_on": "2026-12-10",
        "signer_name": "Phạm Văn Minh",
        "candidate_ids": list(candidate_ids),
    }
    return ProposalRequest.model_validate(fields | overrides)


async def proposed(awards: Awards, request: ProposalRequest) -> tuple[Proposal, bool]:
    return await propose(repos=awards.repos, principal=CHAIR, scope=SCOPE, request=request)


async def stored(awards: Awards, identifier: str) -> Candidate:
    document = await awards.repos.candidates.get(SCOPE, identifier)
    assert document is not None
    return document


async def submitted(awards: Awards) -> list[AwardProposalSubmitted]:
    return [
        e.payload(AwardProposalSubmitted)
        for e in await awards.published()
        if e.type == AwardProposalSubmitted.event_type
    ]


def proposal_id(number: str) -> str:
    return str(derived_id("proposal", LIEN_MINH, number))


def messages(problem: Problem) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in problem.extensions["errors"]]


async def untouched(awards: Awards, *identifiers: str) -> None:
    """Each candidate still waits for an act, claimed by none; and no proposal was saved."""
    for identifier in identifiers:
        waiting = await stored(awards, identifier)
        assert (waiting["status"], waiting.get("proposal_id")) == ("eligible_upward", None)
    assert await awards.repos.proposals.find(SCOPE, {}) == []
    assert await submitted(awards) == []


async def test_a_proposal_claims_its_candidates_for_the_province_and_announces_them(awards: Awards) -> None:
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")

    document, created = await proposed(awards, letter(school, hamlet))

    assert created
    assert (document["_id"], document["status"], document["number"]) == (
        proposal_id(NUMBER),
        "submitted_to_province",
        NUMBER,
    )
    assert [(r["candidate_id"], r["entrant"]["id"], r["total"]) for r in document["recipients"]] == [
        (school, SCHOOL, 96.0),
        (hamlet, "e-hamlet", 96.0),
    ]
    assert await awards.repos.proposals.get(SCOPE, document["_id"]) is not None
    for identifier in (school, hamlet):
        claimed = await stored(awards, identifier)
        assert (claimed["status"], claimed.get("proposal_id")) == ("proposed_to_province", document["_id"])
        assert claimed["audit"][-1]["action"] == "claimed"
        assert claimed["audit"][-1]["actor"] == CHAIR.user_id
    [announced] = await submitted(awards)
    assert (announced.proposal_id, announced.number, announced.proposed_by) == (document["_id"], NUMBER, CHAIR.user_id)
    assert [(r.candidate_id, r.entrant.id, r.submitted_by) for r in announced.recipients] == [
        (school, SCHOOL, "u-submitter"),
        (hamlet, "e-hamlet", "u-submitter"),
    ]


async def test_the_same_proposal_sent_again_is_answered_with_the_one_recorded_and_announced_once(
    awards: Awards,
) -> None:
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")
    first, _ = await proposed(awards, letter(school, hamlet))
    assert len(await submitted(awards)) == 1

    again, created = await proposed(awards, letter(hamlet, school))  # the candidates in another order: the same act

    assert not created
    assert again == await awards.repos.proposals.get(SCOPE, first["_id"])  # as stored, not made anew
    assert [r["candidate_id"] for r in again["recipients"]] == [school, hamlet]
    assert await submitted(awards) == []
    assert [a["action"] for a in (await stored(awards, school))["audit"]] == ["added", "claimed"]


@pytest.mark.parametrize("changed", ["another form", "other candidates"])
async def test_a_number_already_used_by_another_proposal_is_a_conflict(awards: Awards, changed: str) -> None:
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")
    first, _ = await proposed(awards, letter(school))
    await awards.published()
    reused = letter(school, award_form="CO_THI_DUA_TINH") if changed == "another form" else letter(school, hamlet)

    with pytest.raises(Conflict, match=NUMBER):
        await proposed(awards, reused)

    assert [p["_id"] for p in await awards.repos.proposals.find(SCOPE, {})] == [first["_id"]]
    hamlet_now = await stored(awards, hamlet)
    assert (hamlet_now["status"], hamlet_now.get("proposal_id")) == ("eligible_upward", None)
    assert await submitted(awards) == []


async def test_a_commune_form_is_decided_by_the_chairman_not_proposed(awards: Awards) -> None:
    hamlet = await passed(awards, "e-hamlet", form="GIAY_KHEN_XA", status="eligible_here")

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(hamlet, award_form="GIAY_KHEN_XA"))

    assert [field for field, _ in messages(refused.value)] == ["award_form"]
    still = await stored(awards, hamlet)
    assert (still["status"], still.get("proposal_id")) == ("eligible_here", None)
    assert await awards.repos.proposals.find(SCOPE, {}) == []


async def not_for_the_letter(awards: Awards, case: str) -> str:
    if case == "unknown":
        return "no-such-candidate"
    if case == "another form":
        return await passed(awards, "e-hamlet", form="GIAY_KHEN_XA", status="eligible_here")
    if case == "another period":
        return await passed(awards, "e-hamlet", period="2025")
    return await passed(awards, "e-hamlet", scope=TAM_DIEP)  # another commune's


@pytest.mark.parametrize("case", ["unknown", "another form", "another period", "another commune"])
async def test_only_candidates_of_the_letters_form_and_period_in_the_commune_can_be_proposed(
    awards: Awards, case: str
) -> None:
    school = await passed(awards, SCHOOL)
    stranger = await not_for_the_letter(awards, case)

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(school, stranger))

    [(field, message)] = messages(refused.value)
    assert field == "candidate_ids"
    assert message.startswith(stranger)
    assert f"BANG_KHEN_TINH {PERIOD}" in message
    await untouched(awards, school)


@pytest.mark.parametrize("status", ["under_review", "in_session", "not_eligible"])
async def test_a_candidate_the_council_has_not_passed_for_a_higher_form_cannot_be_proposed(
    awards: Awards, status: CandidateStatus
) -> None:
    school = await passed(awards, SCHOOL)
    waiting = await passed(awards, "e-hamlet", status=status)

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(school, waiting))

    assert messages(refused.value) == [
        ("candidate_ids", f"{waiting}: trạng thái / status {status}, cần / needs eligible_upward")
    ]
    await untouched(awards, school)


async def test_a_candidate_named_twice_is_refused(awards: Awards) -> None:
    school = await passed(awards, SCHOOL)

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(school, school))

    assert [field for field, _ in messages(refused.value)] == ["candidate_ids"]
    await untouched(awards, school)


async def test_a_candidate_goes_into_one_proposal_only(awards: Awards) -> None:
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")
    first, _ = await proposed(awards, letter(school))
    await awards.published()

    with pytest.raises(Conflict) as refused:
        await proposed(awards, letter(hamlet, school, number="13/TTr-UBND"))

    assert refused.value.extensions["candidate_ids"] == [school]
    assert (await stored(awards, school)).get("proposal_id") == first["_id"]
    assert [p["_id"] for p in await awards.repos.proposals.find(SCOPE, {})] == [first["_id"]]
    hamlet_now = await stored(awards, hamlet)
    assert (hamlet_now["status"], hamlet_now.get("proposal_id")) == ("eligible_upward", None)
    assert await submitted(awards) == []


async def test_a_candidate_in_another_proposal_is_reported_beside_those_that_do_not_fit(awards: Awards) -> None:
    school = await passed(awards, SCHOOL)
    await proposed(awards, letter(school))

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(school, "no-such-candidate", number="13/TTr-UBND"))

    assert messages(refused.value) == [
        ("candidate_ids", f"no-such-candidate: không phải đề xuất / not a candidate for BANG_KHEN_TINH {PERIOD}"),
        ("candidate_ids", f"{school}: {CLAIMED_ELSEWHERE}"),
    ]


async def test_an_entrant_under_discipline_may_not_be_proposed_until_the_flag_is_lifted(awards: Awards) -> None:
    await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")  # known to the commune
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")
    await awards.published()
    school_ref = entrant(id=SCHOOL, name="Trường Tiểu học Liên Minh", target_group="c")
    flagged = StandingInput(entrant=school_ref, flags=("discipline", "complaint"), note="QĐ 5/QĐ-UBND")
    await set_standing(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=flagged)

    with pytest.raises(Unprocessable) as refused:
        await proposed(awards, letter(hamlet, school))

    assert messages(refused.value) == [("candidate_ids", f"{school}: đang bị / under complaint, discipline")]
    await untouched(awards, school, hamlet)

    lifted = StandingInput(entrant=school_ref, note="Đã hết thời hạn kỷ luật")
    await set_standing(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=lifted)
    document, created = await proposed(awards, letter(hamlet, school))
    assert created
    assert [r["candidate_id"] for r in document["recipients"]] == [hamlet, school]


async def test_the_loser_of_a_race_for_a_candidate_gives_back_what_it_claimed_and_is_refused(
    awards: Awards, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = await passed(awards, SCHOOL)
    hamlet = await passed(awards, "e-hamlet")
    checked = acts.refuse_barred

    async def meanwhile(**kwargs: Any) -> None:
        """Another request of the chairman takes the hamlet after this one read it, before it claims it."""
        await checked(**kwargs)
        monkeypatch.setattr(acts, "refuse_barred", checked)
        await proposed(awards, letter(hamlet, number="14/TTr-UBND"))

    monkeypatch.setattr(acts, "refuse_barred", meanwhile)

    with pytest.raises(Conflict) as refused:
        await proposed(awards, letter(school, hamlet))

    assert refused.value.extensions["candidate_ids"] == [hamlet]
    given_back = await stored(awards, school)
    assert (given_back["status"], given_back.get("proposal_id")) == ("eligible_upward", None)
    assert [a["action"] for a in given_back["audit"]] == ["added", "claimed", "released"]
    assert (await stored(awards, hamlet)).get("proposal_id") == proposal_id("14/TTr-UBND")
    assert [p["_id"] for p in await awards.repos.proposals.find(SCOPE, {})] == [proposal_id("14/TTr-UBND")]
    assert [s.number for s in await submitted(awards)] == ["14/TTr-UBND"]


class Crash(Exception):
    """The API process dying between two writes."""


async def test_a_proposal_retried_after_a_crash_before_it_was_saved_is_recorded_with_what_it_had_claimed(
    awards: Awards, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = await passed(awards, SCHOOL)
    with monkeypatch.context() as crash:

        async def dies(*_: object) -> bool:
            raise Crash

        crash.setattr(awards.repos.proposals, "add", dies)
        with pytest.raises(Crash):
            await proposed(awards, letter(school))
    held = await stored(awards, school)
    assert (held["status"], held.get("proposal_id")) == ("proposed_to_province", proposal_id(NUMBER))
    assert await awards.repos.proposals.find(SCOPE, {}) == []

    document, created = await proposed(awards, letter(school))

    assert created
    assert [r["candidate_id"] for r in document["recipients"]] == [school]
    assert [a["action"] for a in (await stored(awards, school))["audit"]] == ["added", "claimed"]  # not claimed twice
    assert [s.proposal_id for s in await submitted(awards)] == [document["_id"]]


async def test_two_requests_for_the_same_proposal_at_once_are_both_answered_with_the_one_saved(
    awards: Awards, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = await passed(awards, SCHOOL)
    saves = awards.repos.proposals.add

    async def saved_meanwhile(document: Proposal, events: Sequence[Any] = ()) -> bool:
        """The other request, reading no proposal either, saves it first."""
        other: Proposal = {**document, "created_by": "u-other-request"}
        assert await saves(other, events)
        return await saves(document, events)

    monkeypatch.setattr(awards.repos.proposals, "add", saved_meanwhile)

    document, created = await proposed(awards, letter(school))

    assert not created
    assert document["created_by"] == "u-other-request"
    assert len(await submitted(awards)) == 1
