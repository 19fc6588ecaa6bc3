"""The ballot box (awards.domain.ballot_box) through the council's use cases, in memory: a secret vote keeps who
voted apart from how, everywhere the service stores anything; an open vote keeps each member's paper; sessions kept
before the box are counted as they were kept. tests/e2e/test_secret_ballot.py reads the real stack's every store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from awards.domain.aggregates import BallotVote
from awards.domain.ballot_box import cast, has_voted, voters_of, votes_on
from awards.service.counting import close

from .in_memory import OFFICER, SCOPE, Awards
from .test_council_ballots_in_memory import CHAIR, COUNCIL1, COUNCIL2, Council, convened

MEMBERS = ("lm.chair", "lm.council1", "lm.council2")
USER_IDS = tuple(f"u-{m}" for m in MEMBERS)
VOTED_AT = datetime(2026, 12, 5, 1, 30, tzinfo=UTC)


def linked(value: Any) -> Iterator[Any]:
    """Every mapping (at any depth) that names a council member beside a vote: the link a secret vote may not leave."""
    if isinstance(value, dict):
        names_member = any(v in MEMBERS or v in USER_IDS for v in value.values() if isinstance(v, str))
        if names_member and ({"vote", "votes"} & value.keys()):
            yield value
        for inner in value.values():
            yield from linked(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from linked(inner)


async def everything_stored(awards: Awards) -> list[dict[str, Any]]:
    database = awards.repos.sessions.collection.database
    found: list[dict[str, Any]] = []
    for name in await database.list_collection_names():
        found += [document async for document in database[name].find({})]
    return found


async def three_ballots(council: Council) -> None:
    await council.vote(CHAIR, {council.hamlet_gk: "yes", council.school_gk: "no", council.school_bk: "yes"})
    await council.vote(COUNCIL1, {council.hamlet_gk: "no"})  # barred from the school's two
    await council.vote(COUNCIL2, {council.hamlet_gk: "yes", council.school_gk: "abstain", council.school_bk: "yes"})


async def test_a_secret_vote_leaves_no_member_beside_a_vote_in_anything_the_service_stores() -> None:
    awards = Awards()
    council = await convened(awards, *MEMBERS)
    await three_ballots(council)
    closed = await council.close()
    await awards.published()  # the outbox relayed: what the change log kept of each change is gone

    assert [v["member"] for v in voters_of(closed)] == list(MEMBERS)  # that each voted
    stored = await everything_stored(awards)
    assert len(stored) > 5
    assert [link for document in stored for link in linked(document)] == []
    assert not any("at" in t for t in closed["tallies"])  # no moment to match a voter's either
    results = {r["candidate_id"]: (r["yes"], r["no"], r["abstain"]) for r in closed["results"]}
    assert results == {council.hamlet_gk: (2, 1, 0), council.school_gk: (0, 1, 1), council.school_bk: (2, 0, 0)}


async def test_the_link_check_finds_an_open_votes_papers() -> None:
    """The check above can fail: an open vote's papers name their members beside their votes, as they must."""
    awards = Awards()
    council = await convened(awards, *MEMBERS, ballot_mode="open")
    await three_ballots(council)
    closed = await council.close()

    assert [b["member"] for b in closed["ballots"]] == list(MEMBERS)
    assert "tallies" not in closed
    assert len([link for document in await everything_stored(awards) for link in linked(document)]) == 3
    results = {r["candidate_id"]: (r["yes"], r["no"], r["abstain"]) for r in closed["results"]}
    assert results == {council.hamlet_gk: (2, 1, 0), council.school_gk: (0, 1, 1), council.school_bk: (2, 0, 0)}


async def test_a_session_kept_before_the_ballot_box_is_counted_from_its_papers() -> None:
    awards = Awards()
    council = await convened(awards, "lm.chair", "lm.council2")
    papers = [
        {"member": m, "at": VOTED_AT, "votes": [{"candidate_id": c, "vote": "yes", "reason": None} for c in ids]}
        for m, ids in (
            ("lm.chair", (council.hamlet_gk, council.school_gk, council.school_bk)),
            ("lm.council2", (council.hamlet_gk,)),
        )
    ]
    kept = awards.repos.sessions.collection
    await kept.update_one({"_id": council.session_id}, {"$set": {"ballots": papers}, "$unset": {"voters": ""}})
    session = await awards.repos.sessions.get(SCOPE, council.session_id)
    assert session is not None
    assert has_voted(session, "lm.council2")
    assert not has_voted(session, "lm.council1")

    closed = await close(repos=awards.repos, principal=OFFICER, scope=SCOPE, session_id=council.session_id)
    assert {r["candidate_id"]: r["yes"] for r in closed["results"]} == {
        council.hamlet_gk: 2,
        council.school_gk: 1,
        council.school_bk: 1,
    }


async def test_the_box_counts_each_ballot_once_on_the_candidates_it_names() -> None:
    awards = Awards()
    council = await convened(awards, *MEMBERS)
    session = await awards.repos.sessions.get(SCOPE, council.session_id)
    assert session is not None
    votes: list[BallotVote] = [{"candidate_id": council.hamlet_gk, "vote": "recuse", "reason": "Là người thân"}]
    fields = cast(session, member="lm.council1", at=VOTED_AT, votes=votes)

    after = {**session, **fields}
    assert votes_on(after, council.hamlet_gk) == ["recuse"]  # type: ignore[arg-type]
    assert votes_on(after, council.school_gk) == []  # type: ignore[arg-type]
    assert "reason" not in str(fields["tallies"])  # a recusal's reason would say whose paper it was
