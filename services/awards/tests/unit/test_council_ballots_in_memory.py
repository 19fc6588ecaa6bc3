"""Ballots and the count at a council session (awards.service.voting.cast_ballot, awards.service.counting), without
servers: the use cases on the service's own repositories over an in-memory database, its outbox relayed onto an
in-process bus that calls the worker's handlers (in_memory.py). tests/e2e/test_awards_flow.py proves the same flow
over HTTP on the real stack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import ValidationError

from awards.domain.aggregates import CandidateResult, Session
from awards.domain.rules import AwardRule
from awards.service.counting import close
from awards.service.province_rules import set_rule
from awards.service.sessions import convene
from awards.service.voting import BallotEntry, BallotRequest, OpenRequest, cast_ballot, open_voting
from thidua_contracts.awards import CouncilSessionClosed
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory import OFFICER, PERIOD, SCOPE, TAM_DIEP, Awards, member, on_the_list, session_request

CHAIR = member("lm.chair", Role.COMMUNE_CHAIR)
COUNCIL1 = member("lm.council1")  # works for the school: may not vote on it
COUNCIL2 = member("lm.council2")


@dataclass
class Council:
    awards: Awards
    session_id: str
    hamlet_gk: str
    school_gk: str
    school_bk: str

    async def vote(self, principal: Principal, votes: dict[str, str], *, scope: Scope = SCOPE) -> Session:
        request = BallotRequest.model_validate(
            {
                "votes": [
                    {"candidate_id": c, "vote": v, "reason": "Là người thân" if v == "recuse" else None}
                    for c, v in votes.items()
                ]
            }
        )
        return await cast_ballot(
            repos=self.awards.repos, principal=principal, scope=scope, session_id=self.session_id, request=request
        )

    async def close(self, *, scope: Scope = SCOPE, session_id: str | None = None) -> Session:
        return await close(
            repos=self.awards.repos, principal=OFFICER, scope=scope, session_id=session_id or self.session_id
        )

    async def status(self, candidate_id: str) -> tuple[str, Any]:
        stored = await self.awards.repos.candidates.get(SCOPE, candidate_id)
        assert stored is not None
        return stored["status"], stored.get("council")


async def convened(awards: Awards, *present: str, ballot_mode: str = "secret") -> Council:
    """The list before a council of three, convened; its voting opened with `present` when any are named."""
    hamlet_gk, school_gk, school_bk = await on_the_list(awards)
    convening = session_request(ballot_mode=ballot_mode)
    session = await convene(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=convening)
    if present:
        request = OpenRequest(present=present)
        await open_voting(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, session_id=session["_id"], request=request
        )
    return Council(awards, session["_id"], hamlet_gk, school_gk, school_bk)


@pytest.fixture
def awards() -> Awards:
    return Awards()


@pytest.fixture
async def council(awards: Awards) -> Council:
    """Voting open with every member present."""
    return await convened(awards, "lm.chair", "lm.council1", "lm.council2")


def counts(result: CandidateResult) -> tuple[int, int, int, int, int, bool]:
    """Yes, no, abstain, recused, the base the yes votes are measured against, passed."""
    return result["yes"], result["no"], result["abstain"], result["recused"], result["base"], result["passed"]


def all_yes(council: Council) -> dict[str, str]:
    return {council.hamlet_gk: "yes", council.school_gk: "yes", council.school_bk: "yes"}


async def test_a_member_present_casts_one_vote_on_each_candidate_they_may_vote_on(council: Council) -> None:
    session = await council.vote(COUNCIL1, {council.hamlet_gk: "abstain"})  # recused from the school's two

    # a secret vote: that lm.council1 voted, apart from how; no paper kept
    assert [v["member"] for v in session["voters"]] == ["lm.council1"]
    assert session["ballots"] == []
    assert {t["candidate_id"]: (t["yes"], t["no"], t["abstain"], t["recuse"]) for t in session["tallies"]} == {
        council.hamlet_gk: (0, 0, 1, 0),
        council.school_gk: (0, 0, 0, 0),
        council.school_bk: (0, 0, 0, 0),
    }
    assert session["audit"][-1]["action"] == "ballot_cast"
    assert session["audit"][-1]["changes"] == {"member": "lm.council1"}


async def test_a_member_votes_once(council: Council) -> None:
    await council.vote(CHAIR, all_yes(council))

    with pytest.raises(Conflict):
        await council.vote(CHAIR, {**all_yes(council), council.school_bk: "no"})

    stored = await council.awards.repos.sessions.get(SCOPE, council.session_id)
    assert stored is not None
    assert [v["member"] for v in stored["voters"]] == ["lm.chair"]
    assert sorted((t["yes"], t["no"]) for t in stored["tallies"]) == [(1, 0), (1, 0), (1, 0)]


async def test_a_ballot_names_each_candidate_once(council: Council) -> None:
    twice = BallotRequest(
        votes=(
            BallotEntry(candidate_id=council.hamlet_gk, vote="yes"),
            BallotEntry(candidate_id=council.hamlet_gk, vote="no"),
        )
    )

    with pytest.raises(Unprocessable) as refused:
        await cast_ballot(
            repos=council.awards.repos, principal=COUNCIL1, scope=SCOPE, session_id=council.session_id, request=twice
        )

    assert [e["field"] for e in refused.value.extensions["errors"]] == ["votes"]


def test_a_recusal_on_the_ballot_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        BallotEntry(candidate_id="c-1", vote="recuse")
    assert BallotEntry(candidate_id="c-1", vote="recuse", reason="Là người thân").reason == "Là người thân"


async def test_only_the_sessions_members_vote(council: Council) -> None:
    stranger = member("lm.council9")

    with pytest.raises(Forbidden):
        await council.vote(stranger, all_yes(council))


async def test_a_member_not_recorded_present_cannot_vote(awards: Awards) -> None:
    council = await convened(awards, "lm.chair", "lm.council1")

    with pytest.raises(Forbidden):
        await council.vote(COUNCIL2, all_yes(council))


async def test_no_ballot_is_taken_before_voting_opens_or_after_the_count(awards: Awards) -> None:
    council = await convened(awards)
    with pytest.raises(Conflict) as early:
        await council.vote(CHAIR, all_yes(council))
    assert early.value.extensions["status_now"] == "convened"

    await open_voting(
        repos=awards.repos,
        principal=OFFICER,
        scope=SCOPE,
        session_id=council.session_id,
        request=OpenRequest(present=("lm.chair", "lm.council1")),
    )
    await council.close()
    with pytest.raises(Conflict) as late:
        await council.vote(CHAIR, all_yes(council))
    assert late.value.extensions["status_now"] == "closed"


async def test_a_member_may_not_vote_on_their_own_unit(council: Council) -> None:
    with pytest.raises(Unprocessable) as refused:
        await council.vote(COUNCIL1, {council.hamlet_gk: "yes", council.school_gk: "yes"})

    messages = [e["message"] for e in refused.value.extensions["errors"]]
    assert messages == [f"không được biểu quyết / not yours to vote on: {council.school_gk}"]


async def test_a_ballot_must_cover_every_candidate_the_member_may_vote_on(council: Council) -> None:
    with pytest.raises(Unprocessable) as refused:
        await council.vote(CHAIR, {council.hamlet_gk: "yes"})

    missing = sorted([council.school_gk, council.school_bk])
    assert [e["message"] for e in refused.value.extensions["errors"]] == [f"thiếu / missing: {c}" for c in missing]
    stored = await council.awards.repos.sessions.get(SCOPE, council.session_id)
    assert stored is not None
    assert stored["ballots"] == []


async def test_a_session_takes_no_ballot_from_another_commune(council: Council) -> None:
    with pytest.raises(NotFound):
        await council.vote(CHAIR, all_yes(council), scope=TAM_DIEP)


async def test_the_count_gives_each_candidate_its_result_by_its_forms_rule(council: Council) -> None:
    await council.vote(CHAIR, {council.hamlet_gk: "yes", council.school_gk: "yes", council.school_bk: "yes"})
    await council.vote(COUNCIL1, {council.hamlet_gk: "yes"})
    await council.vote(COUNCIL2, {council.hamlet_gk: "no", council.school_gk: "recuse", council.school_bk: "yes"})
    await council.awards.published()

    session = await council.close()

    assert session["status"] == "closed"
    assert "closed_at" in session
    assert session["audit"][-1]["action"] == "closed"
    assert session["audit"][-1]["changes"] == {"passed": 2}
    results = {r["candidate_id"]: r for r in session["results"]}
    assert counts(results[council.hamlet_gk]) == (2, 1, 0, 0, 3, True)  # 2/3 > 50%
    # lm.council1 seated as recused, lm.council2 recused on the ballot: one yes of all three members
    assert counts(results[council.school_gk]) == (1, 0, 0, 2, 3, False)
    assert counts(results[council.school_bk]) == (2, 0, 0, 1, 3, True)
    assert results[council.hamlet_gk]["pass_rule"] == "trên 50% tổng số thành viên Hội đồng"
    # the commune decides its own Giấy khen; the Bằng khen goes up to the province
    assert await council.status(council.hamlet_gk) == (
        "eligible_here",
        {"yes": 2, "no": 1, "abstain": 0, "recused": 0, "passed": True},
    )
    assert (await council.status(council.school_gk))[0] == "not_eligible"
    assert (await council.status(council.school_bk))[0] == "eligible_upward"


async def test_closing_announces_the_results_and_the_worker_settling_them_again_changes_nothing(
    council: Council,
) -> None:
    await council.vote(CHAIR, all_yes(council))
    await council.vote(COUNCIL2, all_yes(council))
    await council.awards.published()

    session = await council.close()
    published = [e for e in await council.awards.published() if e.type == CouncilSessionClosed.event_type]

    assert len(published) == 1
    closed = published[0].payload(CouncilSessionClosed)
    assert (closed.session_id, closed.period, closed.present, closed.members) == (session["_id"], PERIOD, 3, 3)
    assert {(r.candidate_id, r.yes, r.passed) for r in closed.results} == {
        (council.hamlet_gk, 2, True),
        (council.school_gk, 2, True),
        (council.school_bk, 2, True),
    }
    await council.awards.bus.deliver(published[0])  # delivered again, as Kafka may
    for candidate_id in (council.hamlet_gk, council.school_gk, council.school_bk):
        stored = await council.awards.repos.candidates.get(SCOPE, candidate_id)
        assert stored is not None
        assert [a["action"] for a in stored["audit"]].count("council_result") == 1


async def test_members_absent_or_silent_count_against_a_candidate(awards: Awards) -> None:
    council = await convened(awards, "lm.chair", "lm.council2")
    await council.vote(CHAIR, {**all_yes(council), council.hamlet_gk: "no"})
    await council.vote(COUNCIL2, all_yes(council))

    results = {r["candidate_id"]: r for r in (await council.close())["results"]}

    # lm.council1 is absent: the yes votes are measured against all three members, not the two present
    assert counts(results[council.hamlet_gk]) == (1, 1, 0, 0, 3, False)
    assert counts(results[council.school_bk]) == (2, 0, 0, 1, 3, True)
    [closed] = [e for e in await council.awards.published() if e.type == CouncilSessionClosed.event_type]
    assert (closed.payload(CouncilSessionClosed).present, closed.payload(CouncilSessionClosed).members) == (2, 3)


async def test_the_count_applies_the_rule_as_it_stood_when_the_council_was_convened(council: Council) -> None:
    admin = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province="37")
    stricter = AwardRule.model_validate(
        {"form": "GIAY_KHEN_XA", "round": "yearly", "minimum_total": 80, "threshold_share": 0.9}
    )
    await set_rule(repos=council.awards.repos, principal=admin, rule=stricter)  # while the council votes
    await council.vote(CHAIR, all_yes(council))
    await council.vote(COUNCIL1, {council.hamlet_gk: "yes"})
    await council.vote(COUNCIL2, {**all_yes(council), council.hamlet_gk: "no"})

    results = {r["candidate_id"]: r for r in (await council.close())["results"]}

    assert (results[council.hamlet_gk]["yes"], results[council.hamlet_gk]["passed"]) == (2, True)  # 2/3 > 50%
    assert results[council.hamlet_gk]["pass_rule"] == "trên 50% tổng số thành viên Hội đồng"


async def test_voting_closes_once_and_only_once_opened(awards: Awards) -> None:
    council = await convened(awards)
    with pytest.raises(Conflict) as early:
        await council.close()
    assert early.value.extensions["status_now"] == "convened"
    assert await council.status(council.hamlet_gk) == ("in_session", None)

    await open_voting(
        repos=awards.repos,
        principal=OFFICER,
        scope=SCOPE,
        session_id=council.session_id,
        request=OpenRequest(present=("lm.chair", "lm.council2")),
    )
    first = await council.close()
    with pytest.raises(Conflict) as again:
        await council.close()
    assert again.value.extensions["status_now"] == "closed"
    stored = await awards.repos.sessions.get(SCOPE, council.session_id)
    assert stored is not None
    assert stored["results"] == first["results"]


async def test_a_session_is_closed_only_within_its_commune(council: Council) -> None:
    with pytest.raises(NotFound):
        await council.close(session_id="no-such-session")
    with pytest.raises(NotFound):
        await council.close(scope=TAM_DIEP)
    stored = await council.awards.repos.sessions.get(SCOPE, council.session_id)
    assert stored is not None
    assert stored["status"] == "voting"
