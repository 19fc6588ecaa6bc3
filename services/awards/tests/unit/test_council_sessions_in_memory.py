"""Convening a council session and opening its voting (awards.service.sessions, awards.service.voting.open_voting),
without servers: the use cases on the service's own repositories over an in-memory database, its outbox relayed onto
an in-process bus (in_memory.py). tests/e2e/test_awards_flow.py proves the same flow over HTTP on the real stack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from awards.domain.aggregates import Session
from awards.service import sessions
from awards.service.intake import candidate
from awards.service.sessions import convene
from awards.service.voting import OpenRequest, open_voting
from thidua_contracts.awards import CouncilSessionConvened
from thidua_platform.audit import entry
from thidua_platform.problems import Conflict, NotFound, Problem, Unprocessable
from thidua_platform.tenancy import Scope

from .in_memory import MEMBERS, OFFICER, PERIOD, SCHOOL, SCOPE, TAM_DIEP, Awards, on_the_list, session_request


@pytest.fixture
def awards() -> Awards:
    return Awards()


async def convened(awards: Awards, **overrides: object) -> Session:
    return await convene(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=session_request(**overrides))


async def opened(awards: Awards, session_id: str, *present: str, scope: Scope = SCOPE) -> Session:
    request = OpenRequest(present=present)
    return await open_voting(repos=awards.repos, principal=OFFICER, scope=scope, session_id=session_id, request=request)


def field_of(problem: Problem) -> list[str]:
    return [e["field"] for e in problem.extensions["errors"]]


class Crash(Exception):
    """The API process dying between two writes."""


async def test_convening_puts_the_periods_candidates_before_the_council_highest_total_first(awards: Awards) -> None:
    hamlet_gk, school_gk, school_bk = await on_the_list(awards)

    session = await convened(awards)

    assert session["status"] == "convened"
    assert (session["present"], session["ballots"], session["results"]) == ([], [], [])
    assert [c["total"] for c in session["candidates"]] == [95.0, 95.0, 85.0]
    assert {c["candidate_id"] for c in session["candidates"]} == {hamlet_gk, school_gk, school_bk}
    assert [m["username"] for m in session["members"]] == ["lm.chair", "lm.council1", "lm.council2"]
    assert session["audit"][-1]["action"] == "convened"
    assert await awards.repos.sessions.get(SCOPE, session["_id"]) is not None
    for candidate_id in (hamlet_gk, school_gk, school_bk):
        before = await awards.repos.candidates.get(SCOPE, candidate_id)
        assert before is not None
        assert (before["status"], before.get("session_id")) == ("in_session", session["_id"])
    published = [e for e in await awards.published() if e.type == CouncilSessionConvened.event_type]
    assert len(published) == 1
    announced = published[0].payload(CouncilSessionConvened)
    assert (announced.session_id, announced.period, announced.candidates) == (session["_id"], PERIOD, 3)
    assert announced.members == ("lm.chair", "lm.council1", "lm.council2")


async def test_each_candidate_keeps_its_forms_rule_and_the_members_who_may_not_vote_on_it(awards: Awards) -> None:
    hamlet_gk, school_gk, school_bk = await on_the_list(awards)

    seated = {c["candidate_id"]: c for c in (await convened(awards))["candidates"]}

    assert (seated[hamlet_gk]["rule"]["form"], seated[hamlet_gk]["rule"]["minimum_total"]) == ("GIAY_KHEN_XA", 80)
    assert (seated[school_bk]["rule"]["form"], seated[school_bk]["rule"]["minimum_total"]) == ("BANG_KHEN_TINH", 90)
    assert seated[hamlet_gk]["recused"] == []
    for school in (school_gk, school_bk):  # lm.council1 works for the school
        assert seated[school]["recused"] == [{"member": "lm.council1", "reason": "đơn vị của mình / their own unit"}]
        assert seated[school]["entrant"]["id"] == SCHOOL


async def test_a_session_for_some_forms_seats_only_their_candidates(awards: Awards) -> None:
    hamlet_gk, school_gk, school_bk = await on_the_list(awards)

    session = await convened(awards, award_forms=["BANG_KHEN_TINH"])

    assert [c["candidate_id"] for c in session["candidates"]] == [school_bk]
    for waiting in (hamlet_gk, school_gk):
        left = await awards.repos.candidates.get(SCOPE, waiting)
        assert left is not None
        assert left["status"] == "under_review"


async def test_convening_applies_the_quota_again_so_an_entrant_over_it_stays_off_the_list(awards: Awards) -> None:
    # A score alone makes a Giấy khen candidate; the quota (30% of a group, at least one) is applied when the
    # council is convened: of two hamlets in group a, only the better one goes before it.
    await awards.scored("e-dong", 92.0, name="Thôn Đông Hưng")
    await awards.scored("e-tay", 86.0, name="Thôn Tây Sơn")

    session = await convened(awards)

    assert [c["entrant"]["id"] for c in session["candidates"]] == ["e-dong"]
    left_off = await awards.repos.candidates.find(SCOPE, {"entrant.id": "e-tay"})
    assert [(c["status"], c["computed"]["eligible"]) for c in left_off] == [("excluded", False)]


async def test_a_candidate_of_a_form_not_awarded_this_round_is_not_put_before_the_council(awards: Awards) -> None:
    hamlet_gk, _school_gk, _school_bk = await on_the_list(awards)
    at = datetime.now(UTC)
    score = {
        "entrant": {"id": "e-coop", "name": "HTX Nông nghiệp Liên Minh", "kind": "collective", "target_group": "b"},
        "submission_id": "s-coop",
        "submission_version": 1,
        "submitted_by": "u-1",
        "total": 99.0,
        "grade": "Xuất sắc",
    }
    flag = candidate(  # the province's emulation flag is awarded at the final review, not in a yearly round
        SCOPE, PERIOD, "CO_THI_DUA_TINH", score=score, status="under_review", at=at, by=entry("u-1", "added", at)
    )
    assert await awards.repos.candidates.add(flag)

    session = await convened(awards)

    assert flag["_id"] not in {c["candidate_id"] for c in session["candidates"]}
    assert hamlet_gk in {c["candidate_id"] for c in session["candidates"]}
    kept = await awards.repos.candidates.get(SCOPE, flag["_id"])
    assert kept is not None
    assert kept["status"] == "under_review"


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"held_at": "2032-01-05T08:00:00+07:00"}, "2025–2031"),  # after the movement
        ({"members": [*MEMBERS, MEMBERS[0]]}, "listed twice"),
        ({"chair": "lm.officer"}, "chair must be a member"),
        ({"secretary": "lm.officer"}, "secretary must be a member"),
        ({"members": MEMBERS[:2]}, "at least 3 items"),
    ],
)
def test_a_council_is_convened_within_the_movement_with_at_least_three_distinct_members_chaired_by_one(
    overrides: dict[str, object], why: str
) -> None:
    with pytest.raises(ValidationError, match=why):
        session_request(**overrides)


async def test_a_council_cannot_be_convened_for_a_period_with_no_candidates_under_review(awards: Awards) -> None:
    await on_the_list(awards)

    with pytest.raises(Unprocessable) as refused:
        await convened(awards, period="2027")

    assert field_of(refused.value) == ["period"]
    assert await awards.repos.sessions.find(SCOPE, {}) == []


async def test_a_candidate_goes_before_one_council_only(awards: Awards) -> None:
    await on_the_list(awards)
    first = await convened(awards)

    with pytest.raises(Unprocessable) as refused:
        await convened(awards, title="Họp lần hai")

    assert field_of(refused.value) == ["period"]
    assert [s["_id"] for s in await awards.repos.sessions.find(SCOPE, {})] == [first["_id"]]


async def test_opening_a_session_drops_the_candidates_another_session_took_after_a_crash(
    awards: Awards, monkeypatch: pytest.MonkeyPatch
) -> None:
    hamlet_gk, school_gk, school_bk = await on_the_list(awards)
    with monkeypatch.context() as crash:  # the API dies after saving the session, before claiming its candidates

        async def dies(**_: object) -> Session:
            raise Crash

        crash.setattr(sessions, "claim_candidates", dies)
        with pytest.raises(Crash):
            await convened(awards)
    [first] = await awards.repos.sessions.find(SCOPE, {})
    second = await convened(awards, award_forms=["BANG_KHEN_TINH"], title="Họp xét Bằng khen")

    voting = await opened(awards, first["_id"], "lm.chair", "lm.council1")

    assert [c["candidate_id"] for c in second["candidates"]] == [school_bk]
    assert {c["candidate_id"] for c in voting["candidates"]} == {hamlet_gk, school_gk}
    assert voting["status"] == "voting"
    dropped = [a for a in voting["audit"] if a["action"] == "candidates_dropped"]
    assert [a["changes"]["dropped"] for a in dropped] == [[school_bk]]
    for ours in (hamlet_gk, school_gk):
        claimed = await awards.repos.candidates.get(SCOPE, ours)
        assert claimed is not None
        assert (claimed["status"], claimed.get("session_id")) == ("in_session", first["_id"])


async def test_a_session_whose_candidates_all_went_to_another_session_cannot_open(
    awards: Awards, monkeypatch: pytest.MonkeyPatch
) -> None:
    await on_the_list(awards)
    with monkeypatch.context() as crash:

        async def dies(**_: object) -> Session:
            raise Crash

        crash.setattr(sessions, "claim_candidates", dies)
        with pytest.raises(Crash):
            await convened(awards)
    [first] = await awards.repos.sessions.find(SCOPE, {})
    await convened(awards, title="Họp lại")

    with pytest.raises(Conflict):
        await opened(awards, first["_id"], "lm.chair", "lm.council1", "lm.council2")

    still = await awards.repos.sessions.get(SCOPE, first["_id"])
    assert still is not None
    assert (still["status"], still["present"]) == ("convened", [])


async def test_voting_opens_with_a_quorum_of_two_thirds_of_the_members_present(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)

    voting = await opened(awards, session["_id"], "lm.chair", "lm.council2")

    assert (voting["status"], voting["present"], voting["quorum_required"]) == (
        "voting",
        ["lm.chair", "lm.council2"],
        2,
    )
    assert "opened_at" in voting
    assert voting["audit"][-1]["action"] == "voting_opened"
    assert voting["audit"][-1]["changes"] == {"present": ["lm.chair", "lm.council2"]}
    assert len(voting["candidates"]) == 3  # opening claims the candidates again: all are still this session's


async def test_voting_does_not_open_without_a_quorum(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)

    with pytest.raises(Unprocessable) as refused:
        await opened(awards, session["_id"], "lm.council1")

    assert field_of(refused.value) == ["present"]
    assert "2" in refused.value.extensions["errors"][0]["message"]  # at least 2 of the 3 members
    still = await awards.repos.sessions.get(SCOPE, session["_id"])
    assert still is not None
    assert still["status"] == "convened"


async def test_only_the_sessions_members_can_be_recorded_present(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)

    with pytest.raises(Unprocessable) as refused:
        await opened(awards, session["_id"], "lm.chair", "lm.council1", "lm.officer")

    assert field_of(refused.value) == ["present"]
    assert "lm.officer" in refused.value.extensions["errors"][0]["message"]


async def test_a_member_cannot_be_recorded_present_twice(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)

    with pytest.raises(Unprocessable) as refused:
        await opened(awards, session["_id"], "lm.chair", "lm.chair")

    assert field_of(refused.value) == ["present"]


async def test_voting_opens_once(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)
    await opened(awards, session["_id"], "lm.chair", "lm.council1")

    with pytest.raises(Conflict) as refused:
        await opened(awards, session["_id"], "lm.chair", "lm.council1", "lm.council2")

    assert refused.value.extensions["status_now"] == "voting"
    again = await awards.repos.sessions.get(SCOPE, session["_id"])
    assert again is not None
    assert again["present"] == ["lm.chair", "lm.council1"]


async def test_a_session_is_not_found_outside_its_commune(awards: Awards) -> None:
    await on_the_list(awards)
    session = await convened(awards)

    with pytest.raises(NotFound):
        await opened(awards, "no-such-session", "lm.chair", "lm.council1")
    with pytest.raises(NotFound):
        await opened(awards, session["_id"], "lm.chair", "lm.council1", scope=TAM_DIEP)
