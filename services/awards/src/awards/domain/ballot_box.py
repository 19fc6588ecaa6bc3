"""The ballot box of a council session: who voted, kept apart from how.

Every ballot records *that* its member voted (`voters`: the member and the time). How the member voted is kept as the
session's ballot mode allows:
- an open vote (biểu quyết công khai) is public: the member's paper is kept whole (`ballots`: member and votes), and
  the minutes list each member's vote;
- a secret vote (bỏ phiếu kín) keeps no paper: each ballot only adds its votes to the candidates' running counts
  (`tallies`: yes, no, abstain, recuse per candidate). Nothing stored holds a member beside a vote, nor a shape that
  gives one away (a member barred from a candidate leaves no paper without it), and the counts are read only once the
  session is closed.

A secret vote may also be held on paper (`counting: "paper"`): the members present mark paper ballots, the counting
committee (Ban kiểm phiếu) counts them and the officer enters its count (`paper_count`: papers issued, returned and
valid, and each candidate's yes, no and abstain). An absent member's written opinion (ý kiến bằng văn bản) goes into
the box like a ballot, marked `in_writing`, whatever the counting.

Sessions kept before the box existed have `ballots` only, whatever their mode: they are read as they were kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from awards.domain.aggregates import (
    Ballot,
    BallotCount,
    BallotVote,
    CandidateResult,
    CandidateTally,
    SeatedCandidate,
    Session,
    Vote,
    Voter,
)
from awards.domain.council import tally
from awards.domain.rules import AwardRule

VOTES: tuple[Vote, ...] = ("yes", "no", "abstain", "recuse")
MARKS: tuple[Literal["yes", "no", "abstain"], ...] = ("yes", "no", "abstain")  # what a paper ballot can say


def voters_of(session: Session) -> list[Voter]:
    """Who voted, and when, in the order they voted."""
    if "voters" in session:
        return list(session["voters"])
    return [{"member": b["member"], "at": b["at"]} for b in session["ballots"]]


def has_voted(session: Session, member: str) -> bool:
    return any(v["member"] == member for v in voters_of(session))


def is_paper(session: Session) -> bool:
    return session.get("counting", "electronic") == "paper"


def cast(
    session: Session, *, member: str, at: datetime, votes: Sequence[BallotVote], in_writing: bool = False
) -> dict[str, Any]:
    """The session's fields once the member's ballot (or, `in_writing`, an absent member's written opinion) is in the
    box: the voter added and, as the mode allows, the paper kept (open) or its votes counted (secret). The caller has
    checked that the member may cast it."""
    voter: Voter = {"member": member, "at": at, "in_writing": True} if in_writing else {"member": member, "at": at}
    voters: list[Voter] = [*voters_of(session), voter]
    if session["ballot_mode"] == "open":
        paper: Ballot = {"member": member, "at": at, "votes": list(votes)}
        return {"voters": voters, "ballots": [*session["ballots"], paper]}
    return {"voters": voters, "tallies": _counted(_tallies(session), votes)}


def votes_on(session: Session, candidate_id: str) -> list[Vote]:
    """Every vote cast on the candidate, in no particular order (for the count): the ballots and written opinions in
    the box and, for a paper vote, the committee's count."""
    on_paper: list[Vote] = []
    for paper in session["paper_count"]["candidates"] if "paper_count" in session else ():
        if paper["candidate_id"] == candidate_id:
            on_paper = [vote for vote in MARKS for _ in range(paper[vote])]
    if "tallies" in session and session["ballot_mode"] == "secret":
        for tally in session["tallies"]:
            if tally["candidate_id"] == candidate_id:
                return [vote for vote in VOTES for _ in range(tally[vote])] + on_paper
        return on_paper
    return [v["vote"] for b in session["ballots"] for v in b["votes"] if v["candidate_id"] == candidate_id] + on_paper


def ballot_count(session: Session) -> BallotCount:
    """Papers issued to the members present, returned and valid: as the committee entered them for a paper vote;
    for a vote in the platform, one paper per member present, returned and valid when the member voted."""
    if "paper_count" in session:
        entered = session["paper_count"]
        return {"issued": entered["issued"], "returned": entered["returned"], "valid": entered["valid"]}
    present = set(session["present"])
    voted = sum(1 for v in voters_of(session) if v["member"] in present and not v.get("in_writing", False))
    return {"issued": len(present), "returned": voted, "valid": voted}


def written_opinions(session: Session) -> list[str]:
    """The absent members who sent a written opinion, in the order recorded."""
    return [v["member"] for v in voters_of(session) if v.get("in_writing", False)]


def result_of(session: Session, seated: SeatedCandidate) -> CandidateResult:
    """The count of one candidate's votes against the rule its form had when the council was convened (kiểm phiếu):
    members recused when seated and members recusing on their ballot leave the base when the rule says so."""
    rule = AwardRule.model_validate(seated["rule"])
    votes = votes_on(session, seated["candidate_id"])
    recused = len(seated["recused"]) + votes.count("recuse")
    counted = tally([v for v in votes if v != "recuse"], members=len(session["members"]), recused=recused, rule=rule)
    return {
        "candidate_id": seated["candidate_id"],
        "entrant": seated["entrant"],
        "award_form": seated["award_form"],
        "yes": counted.yes,
        "no": counted.no,
        "abstain": counted.abstain,
        "recused": counted.recused,
        "base": counted.base,
        "passed": counted.passed,
        "pass_rule": rule.pass_rule_text(),
    }


def _tallies(session: Session) -> list[CandidateTally]:
    kept = {t["candidate_id"]: t for t in session.get("tallies", [])}
    return [
        kept.get(c["candidate_id"]) or {"candidate_id": c["candidate_id"], "yes": 0, "no": 0, "abstain": 0, "recuse": 0}
        for c in session["candidates"]
    ]


def _counted(tallies: list[CandidateTally], votes: Sequence[BallotVote]) -> list[CandidateTally]:
    cast_on = {v["candidate_id"]: v["vote"] for v in votes}
    counted: list[CandidateTally] = []
    for kept in tallies:
        vote = cast_on.get(kept["candidate_id"])
        counted.append(
            {
                "candidate_id": kept["candidate_id"],
                "yes": kept["yes"] + (vote == "yes"),
                "no": kept["no"] + (vote == "no"),
                "abstain": kept["abstain"] + (vote == "abstain"),
                "recuse": kept["recuse"] + (vote == "recuse"),
            }
        )
    return counted
