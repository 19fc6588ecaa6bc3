"""Voting at a council session: record who is present and open voting with a quorum (điểm danh), then each member
present casts one ballot paper (phiếu biểu quyết), a vote on every candidate the member may vote on. Opening and
every ballot are revisions of the session (`awards.service.sessions`), so a member cannot vote twice even with
concurrent requests. A ballot goes into the session's box (awards.domain.ballot_box): a secret one keeps no link
between its member and its votes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awards.domain.aggregates import BallotVote, Session
from awards.domain.ballot_box import cast, has_voted
from awards.domain.council import quorum_required
from awards.repository import Repositories
from awards.service.common import distinct, field_error, found
from awards.service.sessions import claim_candidates
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


class OpenRequest(BaseModel):
    """Who is present (điểm danh); voting opens only with a quorum."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    present: tuple[str, ...] = Field(min_length=1, max_length=50)


class BallotEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    candidate_id: str = Field(min_length=1, max_length=100)
    vote: Literal["yes", "no", "abstain", "recuse"]
    reason: ShortText | None = Field(default=None, description="Lý do xin miễn biểu quyết / Why the member recuses")

    @model_validator(mode="after")
    def _recusal_has_reason(self) -> BallotEntry:
        if self.vote == "recuse" and not self.reason:
            raise ValueError("Xin miễn biểu quyết phải nêu lý do / A recusal needs a reason")
        return self


class BallotRequest(BaseModel):
    """One ballot paper (phiếu biểu quyết) per member: a vote on every candidate the member may vote on."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    votes: tuple[BallotEntry, ...] = Field(min_length=1, max_length=500)


async def open_voting(
    *, repos: Repositories, principal: Principal, scope: Scope, session_id: str, request: OpenRequest
) -> Session:
    present = distinct(list(request.present), "present")
    at = now()
    session = found(await repos.sessions.get(scope, session_id), "phiên họp / council session")
    if session["status"] == "convened":
        await claim_candidates(repos=repos, scope=scope, session=session, actor=principal.user_id)

    def quorum(session: Session) -> int:
        if session["status"] != "convened":
            raise Conflict("Phiên họp đã bắt đầu biểu quyết / Voting has already opened", status_now=session["status"])
        usernames = {m["username"] for m in session["members"]}
        strangers = sorted(set(present) - usernames)
        if strangers:
            raise field_error(
                "present",
                f"không phải thành viên / not members: {strangers}",
                "Có người không phải thành viên / Some are not members of the session",
            )
        required = quorum_required(len(usernames), session["quorum_share"])
        if len(present) < required:
            raise Unprocessable(
                f"Không đủ số thành viên dự họp: {len(present)}/{required} / No quorum: {len(present)} of {required}",
                errors=[
                    {"field": "present", "message": f"cần ít nhất {required} thành viên / at least {required} members"}
                ],
            )
        return required

    opened = await repos.sessions.open_voting(
        scope,
        session_id,
        present=present,
        quorum=quorum,
        audit=audit(principal.user_id, "voting_opened", at, present=present),
    )
    return found(opened, "phiên họp / council session")


async def cast_ballot(
    *, repos: Repositories, principal: Principal, scope: Scope, session_id: str, request: BallotRequest
) -> Session:
    at = now()
    entries = {e.candidate_id: e for e in request.votes}
    if len(entries) != len(request.votes):
        raise field_error(
            "votes",
            "mỗi đề xuất chỉ một phiếu / one vote per candidate",
            "Một đề xuất được bỏ phiếu hai lần / A candidate twice",
        )

    member = principal.username

    def ballot(session: Session) -> dict[str, Any]:
        if member not in {m["username"] for m in session["members"]}:
            raise Forbidden("Bạn không phải thành viên của phiên họp này / You are not a member of this session")
        if session["status"] != "voting":
            raise Conflict(
                "Phiên họp không trong thời gian biểu quyết / Voting is not open", status_now=session["status"]
            )
        if member not in session["present"]:
            raise Forbidden("Bạn không có mặt trong phiên họp / You were not recorded as present")
        if has_voted(session, member):
            raise Conflict("Bạn đã bỏ phiếu / You have already voted")
        expected = {
            c["candidate_id"] for c in session["candidates"] if member not in {r["member"] for r in c["recused"]}
        }
        barred = sorted(set(entries) - expected)
        missing = sorted(expected - set(entries))
        if barred or missing:
            raise Unprocessable(
                "Phiếu phải có đúng các đề xuất bạn được biểu quyết / The ballot must cover exactly your candidates",
                errors=[
                    *(
                        {"field": "votes", "message": f"không được biểu quyết / not yours to vote on: {c}"}
                        for c in barred
                    ),
                    *({"field": "votes", "message": f"thiếu / missing: {c}"} for c in missing),
                ],
            )
        votes: list[BallotVote] = [
            {"candidate_id": e.candidate_id, "vote": e.vote, "reason": e.reason} for e in entries.values()
        ]
        return cast(session, member=member, at=at, votes=votes)

    voted = await repos.sessions.record_ballot(
        scope, session_id, ballot=ballot, audit=audit(principal.user_id, "ballot_cast", at, member=member)
    )
    return found(voted, "phiên họp / council session")
