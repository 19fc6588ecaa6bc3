"""Voting at a council session: record who is present and open voting with a quorum (điểm danh), then each member
present casts one ballot paper (phiếu biểu quyết), a vote on every candidate the member may vote on. Opening and
every ballot are revisions of the session (`awards.service.sessions`), so a member cannot vote twice even with
concurrent requests. A ballot goes into the session's box (awards.domain.ballot_box): a secret one keeps no link
between its member and its votes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awards.domain.aggregates import AuditEntry, BallotVote, Session
from awards.domain.ballot_box import cast, has_voted, is_paper
from awards.domain.council import quorum_required
from awards.repository import Repositories
from awards.service.common import distinct, field_error, found
from awards.service.sessions import claim_candidates
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


class OpenRequest(BaseModel):
    """Who is present (điểm danh), and the counting committee (Ban kiểm phiếu) they chose, its head first; voting
    opens only with a quorum. A paper vote needs the committee."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    present: tuple[str, ...] = Field(min_length=1, max_length=50)
    counting_committee: tuple[str, ...] = Field(
        default=(), max_length=7, description="Ban kiểm phiếu, Trưởng ban trước / The counting committee, head first"
    )


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
    committee = distinct(list(request.counting_committee), "counting_committee")
    outsiders = sorted(set(committee) - set(present))
    if outsiders:
        raise field_error(
            "counting_committee",
            f"không có mặt / not present: {outsiders}",
            "Ban kiểm phiếu gồm các thành viên có mặt / The counting committee is chosen among those present",
        )
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
        if is_paper(session) and not committee:
            raise field_error(
                "counting_committee",
                "bỏ phiếu giấy cần Ban kiểm phiếu / a paper vote needs a counting committee",
                "Chưa có Ban kiểm phiếu / No counting committee",
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
        committee=committee,
        quorum=quorum,
        audit=audit(principal.user_id, "voting_opened", at, present=present),
    )
    return found(opened, "phiên họp / council session")


async def cast_ballot(
    *, repos: Repositories, principal: Principal, scope: Scope, session_id: str, request: BallotRequest
) -> Session:
    """A member present casts their ballot paper."""
    member = principal.username

    def may_cast(session: Session) -> None:
        if member not in {m["username"] for m in session["members"]}:
            raise Forbidden("Bạn không phải thành viên của phiên họp này / You are not a member of this session")
        if is_paper(session):
            raise Conflict(
                "Phiên họp bỏ phiếu giấy: Ban kiểm phiếu nhập kết quả / A paper vote: the counting committee enters "
                "the count"
            )
        _voting_is_open(session)
        if member not in session["present"]:
            raise Forbidden("Bạn không có mặt trong phiên họp / You were not recorded as present")

    return await _into_the_box(
        repos=repos, scope=scope, session_id=session_id, member=member, request=request, may_cast=may_cast,
        in_writing=False, audit_entry=audit(principal.user_id, "ballot_cast", now(), member=member),
    )  # fmt: skip


async def record_written_opinion(
    *, repos: Repositories, principal: Principal, scope: Scope, session_id: str, member: str, request: BallotRequest
) -> Session:
    """The officer records an absent member's written opinion (ý kiến bằng văn bản), sent before the vote: it is
    counted like the member's ballot, marked as written, and, in a secret vote, kept without its member."""

    def may_cast(session: Session) -> None:
        if member not in {m["username"] for m in session["members"]}:
            raise NotFound("Không phải thành viên của phiên họp / Not a member of this session")
        _voting_is_open(session)
        if member in session["present"]:
            raise Conflict(
                "Thành viên có mặt tự bỏ phiếu / A member present votes in person, not in writing",
                status_now=session["status"],
            )

    return await _into_the_box(
        repos=repos, scope=scope, session_id=session_id, member=member, request=request, may_cast=may_cast,
        in_writing=True,
        audit_entry=audit(principal.user_id, "written_opinion_recorded", now(), member=member),
    )  # fmt: skip


def _voting_is_open(session: Session) -> None:
    if session["status"] != "voting":
        raise Conflict("Phiên họp không trong thời gian biểu quyết / Voting is not open", status_now=session["status"])


async def _into_the_box(
    *,
    repos: Repositories,
    scope: Scope,
    session_id: str,
    member: str,
    request: BallotRequest,
    may_cast: Callable[[Session], None],
    in_writing: bool,
    audit_entry: AuditEntry,
) -> Session:
    """Put the member's votes into the session's box, once: `may_cast` raises when the session as read may not take
    them; the votes must cover exactly the candidates the member may vote on."""
    at = audit_entry["at"]
    entries = {e.candidate_id: e for e in request.votes}
    if len(entries) != len(request.votes):
        raise field_error(
            "votes",
            "mỗi đề xuất chỉ một phiếu / one vote per candidate",
            "Một đề xuất được bỏ phiếu hai lần / A candidate twice",
        )

    def ballot(session: Session) -> dict[str, Any]:
        may_cast(session)
        if has_voted(session, member):
            raise Conflict(
                "Thành viên đã gửi ý kiến / The member's opinion is already in"
                if in_writing
                else "Bạn đã bỏ phiếu / You have already voted"
            )
        expected = {
            c["candidate_id"] for c in session["candidates"] if member not in {r["member"] for r in c["recused"]}
        }
        barred = sorted(set(entries) - expected)
        missing = sorted(expected - set(entries))
        if barred or missing:
            raise Unprocessable(
                "Phiếu phải có đúng các đề xuất được biểu quyết / The ballot must cover exactly the candidates to "
                "vote on",
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
        return cast(session, member=member, at=at, votes=votes, in_writing=in_writing)

    voted = await repos.sessions.record_ballot(scope, session_id, ballot=ballot, audit=audit_entry)
    return found(voted, "phiên họp / council session")
