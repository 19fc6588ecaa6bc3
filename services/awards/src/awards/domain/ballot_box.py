"""The ballot box of a council session: who voted, kept apart from how.

Every ballot records *that* its member voted (`voters`: the member and the time). How the member voted is kept as the
session's ballot mode allows:
- an open vote (biểu quyết công khai) is public: the member's paper is kept whole (`ballots`: member and votes), and
  the minutes list each member's vote;
- a secret vote (bỏ phiếu kín) keeps no paper: each ballot only adds its votes to the candidates' running counts
  (`tallies`: yes, no, abstain, recuse per candidate). Nothing stored holds a member beside a vote, nor a shape that
  gives one away (a member barred from a candidate leaves no paper without it), and the counts are read only once the
  session is closed.

Sessions kept before the box existed have `ballots` only, whatever their mode: they are read as they were kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from awards.domain.aggregates import (
    Ballot,
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


def voters_of(session: Session) -> list[Voter]:
    """Who voted, and when, in the order they voted."""
    if "voters" in session:
        return list(session["voters"])
    return [{"member": b["member"], "at": b["at"]} for b in session["ballots"]]


def has_voted(session: Session, member: str) -> bool:
    return any(v["member"] == member for v in voters_of(session))


def cast(session: Session, *, member: str, at: datetime, votes: Sequence[BallotVote]) -> dict[str, Any]:
    """The session's fields once the member's ballot is in the box: the voter added and, as the mode allows, the
    paper kept (open) or its votes counted (secret). The caller has checked that the member may cast it."""
    voters: list[Voter] = [*voters_of(session), {"member": member, "at": at}]
    if session["ballot_mode"] == "open":
        paper: Ballot = {"member": member, "at": at, "votes": list(votes)}
        return {"voters": voters, "ballots": [*session["ballots"], paper]}
    return {"voters": voters, "tallies": _counted(_tallies(session), votes)}


def votes_on(session: Session, candidate_id: str) -> list[Vote]:
    """Every vote cast on the candidate, in no particular order (for the count)."""
    if "tallies" in session and session["ballot_mode"] == "secret":
        for tally in session["tallies"]:
            if tally["candidate_id"] == candidate_id:
                return [vote for vote in VOTES for _ in range(tally[vote])]
        return []
    return [v["vote"] for b in session["ballots"] for v in b["votes"] if v["candidate_id"] == candidate_id]


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
