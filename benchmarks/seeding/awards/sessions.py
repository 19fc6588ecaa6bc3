"""Seeds a round's council session: convened with every candidate under review, voting opened with every member
present, one ballot per member, closed and counted, each candidate settled with the council's result."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from awards.domain import ballot_box
from awards.domain.aggregates import BallotVote, Session
from awards.domain.catalogue import FORMS, period_label, round_of
from awards.domain.council import DEFAULT_QUORUM_SHARE, SessionMember, quorum_required, recusals
from awards.domain.rules import Verdict
from awards.repository import SESSIONS
from awards.service.sessions import SessionRequest
from benchmarks.seeding.awards.candidates import CandidateSteps
from benchmarks.seeding.awards.common import LOCATION, Aggregate
from benchmarks.seeding.awards.people import _user_id
from benchmarks.seeding.submissions import OFFICER
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


class SessionSteps(CandidateSteps):
    """The round's council session, convened once the candidates are reviewed."""

    # sessions.convene → claim_candidates → voting.open_voting → voting.cast_ballot × members → counting.close → settle
    def convene(self, verdicts: dict[str, dict[str, Verdict]]) -> Document | None:
        at = self.when.convened
        listed = sorted(
            (c for c in self.candidates.values() if c.status == "under_review"),
            key=lambda c: (-c.document["total"], c.document["_id"]),
        )
        if not listed:  # nobody to put before the council: convening is refused
            return None
        for item in listed:  # evaluated again first: only a candidate added by hand has no verdict yet
            if "computed" not in item.document:
                verdict = verdicts[item.document["award_form"]][item.document["entrant"]["id"]]
                computed = {"eligible": verdict.eligible, "reasons": list(verdict.reasons), "rank": verdict.rank}
                self.apply_verdict(item, {**computed, "at": at})
        request = SessionRequest(
            period=self.period,
            title=f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng {period_label(self.period)}",
            held_at=self.when.held,
            location=LOCATION,
            ballot_mode="secret",
            members=self.people.members,
            chair=self.people.chair.username,
        )
        session_id = str(derived_id("bench-session", self.tenant, self.period))
        members = list(request.members)
        document: Document = {
            "_id": session_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="python", exclude={"members"}),
            "quorum_share": DEFAULT_QUORUM_SHARE,
            "round": round_of(self.period),
            "members": [m.model_dump() for m in members],
            "candidates": [self.seat(c.document, members) for c in listed],
            "status": "convened",
            "present": [],
            "ballots": [],
            "voters": [],
            "results": [],
            "created_at": at,
            "created_by": OFFICER,
            "audit": [entry(OFFICER, "convened", at, candidates=len(listed))],
        }
        session = Aggregate(SESSIONS, document, caused_event=True)
        for item in listed:
            item.revise(
                entry(OFFICER, "before_council", at, session_id=session_id),
                status="in_session", session_id=session_id, updated_at=at,
            )  # fmt: skip
        self.vote(session)
        self.settle(session)
        self.sessions.append(session.document)
        return session.document

    def seat(self, listed: Document, members: list[SessionMember]) -> Document:
        rule = self.rule(listed["award_form"])
        assert rule is not None
        conflicts = recusals(members, EntrantRef.model_validate(listed["entrant"]))
        return {
            "candidate_id": listed["_id"],
            "entrant": listed["entrant"],
            "award_form": listed["award_form"],
            "total": listed["total"],
            "grade": listed["grade"],
            "submission_id": listed["submission_id"],
            "submitted_by": listed.get("submitted_by"),
            "rule": rule.model_dump(mode="json"),
            "recused": [{"member": m, "reason": why} for m, why in conflicts.items()],
        }

    def vote(self, session: Aggregate) -> None:
        """Every member present and voting yes, but the last member abstains on every seventh candidate."""
        document = session.document
        present = [m["username"] for m in document["members"]]
        opened = self.when.held + timedelta(minutes=15)
        required = quorum_required(len(present), document["quorum_share"])
        session.revise(
            entry(OFFICER, "voting_opened", opened, present=present),
            status="voting", present=present, quorum_required=required, opened_at=opened,
        )  # fmt: skip
        for number, member in enumerate(present):
            at = opened + timedelta(minutes=15 + number)
            votes = [
                {"candidate_id": c["candidate_id"], "vote": _vote(number, len(present), place), "reason": None}
                for place, c in enumerate(document["candidates"])
                if member not in {r["member"] for r in c["recused"]}
            ]
            box = ballot_box.cast(as_session(document), member=member, at=at, votes=as_votes(votes))  # secret vote
            session.revise(entry(_user_id(member), "ballot_cast", at, member=member), **box)
        closed = opened + timedelta(minutes=45)
        counted = as_session(document)
        results = [ballot_box.result_of(counted, c) for c in counted["candidates"]]
        passed = sum(r["passed"] for r in results)
        session.revise(
            entry(OFFICER, "closed", closed, passed=passed), status="closed", results=results, closed_at=closed
        )

    def settle(self, session: Aggregate) -> None:
        at = session.document["closed_at"]
        for result in session.document["results"]:
            status = "not_eligible"
            if result["passed"]:
                status = "eligible_upward" if FORMS[result["award_form"]].proposed_upward else "eligible_here"
            counts = {k: result[k] for k in ("yes", "no", "abstain", "recused", "passed")}
            self.candidates[result["candidate_id"]].revise(
                entry(OFFICER, "council_result", at, session_id=session.document["_id"], **counts),
                status=status, council=counts, updated_at=at,
            )  # fmt: skip


def _vote(member: int, members: int, place: int) -> str:
    return "abstain" if member == members - 1 and place % 7 == 6 else "yes"


def as_session(document: Document) -> Session:
    return cast(Session, document)


def as_votes(votes: list[Document]) -> list[BallotVote]:
    return cast(list[BallotVote], votes)
