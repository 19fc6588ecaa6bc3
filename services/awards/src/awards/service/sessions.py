"""Council sessions (phiên họp Hội đồng Thi đua - Khen thưởng): convene, check the quorum, vote, close.

A session's ballots live inside the session document, so every ballot and the closing are revisions of one
aggregate: a member cannot vote twice even with concurrent requests, and no ballot slips in after the count.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from awards.domain.aggregates import (
    Ballot,
    Candidate,
    CandidateResult,
    CouncilCounts,
    SeatedCandidate,
    SeatedMember,
    Session,
)
from awards.domain.catalogue import FORMS, FormCode, round_of
from awards.domain.council import (
    DEFAULT_QUORUM_SHARE,
    BallotMode,
    SessionMember,
    quorum_required,
    recusals,
    tally,
)
from awards.domain.lifecycle import CandidateStatus
from awards.domain.rules import AwardRule, rule_for
from awards.repository import Repositories
from awards.service.candidates import EvaluateRequest, evaluate_list
from awards.service.common import distinct, entrant_of, event, field_error, found
from awards.service.province_rules import effective_rules
from thidua_commons.council import USERNAME_PATTERN
from thidua_contracts.awards import CouncilSessionClosed, CouncilSessionConvened, SessionCandidateResult
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict, Forbidden, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED, ShortText


class SessionRequest(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {
                    "period": "2026",
                    "title": "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2026",
                    "held_at": "2026-12-05T08:00:00+07:00",
                    "location": "Hội trường UBND xã",
                    "ballot_mode": "secret",
                    "members": [
                        {"username": "lm.chair", "name": "Nguyễn Văn An", "role": "Chủ tịch Hội đồng"},
                        {"username": "lm.council1", "name": "Trần Thị Bình"},
                        {"username": "lm.council2", "name": "Lê Văn Cường"},
                    ],
                    "chair": "lm.chair",
                }
            ]
        },
    )
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    title: ShortText
    held_at: datetime
    location: ShortText
    ballot_mode: BallotMode = "secret"
    members: tuple[SessionMember, ...] = Field(min_length=3, max_length=50)
    chair: str = Field(pattern=USERNAME_PATTERN, max_length=100, description="Người chủ trì / Who chairs")
    secretary: str | None = Field(default=None, pattern=USERNAME_PATTERN, max_length=100)
    award_forms: tuple[FormCode, ...] = Field(default=(), description="Rỗng: mọi hình thức đang xét / Empty: all")

    @field_validator("held_at")
    @classmethod
    def _within_the_movement(cls, value: datetime) -> datetime:
        if not 2025 <= value.year <= 2031:
            raise ValueError("Thời gian họp phải trong giai đoạn 2025–2031 / The meeting must fall in 2025–2031")
        return value

    @model_validator(mode="after")
    def _officers_are_members(self) -> SessionRequest:
        names = [m.username for m in self.members]
        if len(names) != len(set(names)):
            raise ValueError("Thành viên bị trùng / A member is listed twice")
        for role, username in (("chair", self.chair), ("secretary", self.secretary)):
            if username is not None and username not in names:
                raise ValueError(f"{role} phải là thành viên / {role} must be a member")
        return self


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


def seated(member: SessionMember) -> SeatedMember:
    """A member as the session keeps it: what `member.model_dump()` gives."""
    return {
        "username": member.username,
        "unit_entrant_ids": member.unit_entrant_ids,
        "person_entrant_id": member.person_entrant_id,
        "name": member.name,
        "role": member.role,
    }


async def convene(*, repos: Repositories, principal: Principal, scope: Scope, request: SessionRequest) -> Session:
    """Seat the council for the period's candidates still under review. The rule of each form is applied once more
    first (quota, flags), and recorded with each candidate, so the threshold cannot change while the council votes.
    The session is saved before its candidates are claimed; opening the session claims again, so a crash in between
    leaves nothing stuck."""
    assert scope.province is not None
    assert scope.tenant is not None
    rules = await effective_rules(repos=repos, province=scope.province)
    round_ = round_of(request.period)
    under_review = await repos.candidates.under_review(
        scope, period=request.period, forms=request.award_forms, limit=2000
    )
    forms = sorted({c["award_form"] for c in under_review})
    for form in forms:
        if rule_for(rules, form, round_) is not None:
            await evaluate_list(
                repos=repos,
                principal=principal,
                scope=scope,
                request=EvaluateRequest(period=request.period, award_form=form),
            )
    listed = [
        c
        for c in await repos.candidates.under_review(
            scope, period=request.period, forms=request.award_forms, limit=500, sort=("total", -1)
        )
        if rule_for(rules, c["award_form"], round_) is not None
    ]
    if not listed:
        raise field_error(
            "period",
            "không có đề xuất đang xét / no candidates under review",
            "Chưa có đề xuất nào đang xét trong kỳ này / No candidates under review for this period",
        )
    session_id = str(uuid.uuid4())
    at = now()
    members = list(request.members)
    candidates: list[SeatedCandidate] = [
        {
            "candidate_id": c["_id"],
            "entrant": c["entrant"],
            "award_form": c["award_form"],
            "total": c["total"],
            "grade": c["grade"],
            "submission_id": c["submission_id"],
            "submitted_by": c.get("submitted_by"),
            "rule": rule_for(rules, c["award_form"], round_).model_dump(mode="json"),  # type: ignore[union-attr]
            "recused": [{"member": m, "reason": why} for m, why in recusals(members, entrant_of(c)).items()],
        }
        for c in listed
    ]
    convened = event(
        CouncilSessionConvened(
            session_id=session_id,
            period=request.period,
            title=request.title,
            held_at=request.held_at,
            members=tuple(m.username for m in members),
            candidates=len(candidates),
        ),
        scope=scope,
        subject=session_id,
    )
    document: Session = {
        "_id": session_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "period": request.period,
        "title": request.title,
        "held_at": request.held_at,
        "location": request.location,
        "ballot_mode": request.ballot_mode,
        "chair": request.chair,
        "secretary": request.secretary,
        "award_forms": request.award_forms,
        "quorum_share": DEFAULT_QUORUM_SHARE,
        "round": round_,
        "members": [seated(m) for m in members],
        "candidates": candidates,
        "status": "convened",
        "present": [],
        "ballots": [],
        "results": [],
        "created_at": at,
        "created_by": principal.user_id,
        "audit": [audit(principal.user_id, "convened", at, candidates=len(candidates))],
    }
    await repos.sessions.add(document, [convened])
    return await claim_candidates(repos=repos, scope=scope, session=document, actor=principal.user_id)


async def claim_candidates(*, repos: Repositories, scope: Scope, session: Session, actor: str) -> Session:
    """Put each of the session's candidates before it; one that went to another session meanwhile is taken off this
    one. Safe to repeat (a candidate already before this session stays)."""
    at = now()
    kept = []
    for item in session["candidates"]:
        current: Candidate | None = await repos.candidates.put_before_council(
            scope,
            item["candidate_id"],
            session_id=session["_id"],
            audit=audit(actor, "before_council", at, session_id=session["_id"]),
        )
        if current is None:
            current = await repos.candidates.get(scope, item["candidate_id"])
        if current is not None and current["status"] == "in_session" and current.get("session_id") == session["_id"]:
            kept.append(item)
    if len(kept) == len(session["candidates"]):
        return session
    if not kept:
        raise Conflict("Các đề xuất vừa được đưa vào phiên họp khác / The candidates went to another session")
    kept_ids = {k["candidate_id"] for k in kept}
    return await repos.sessions.drop_candidates(scope, session["_id"], kept=kept_ids, actor=actor) or session


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

    def ballot(session: Session) -> Ballot:
        if member not in {m["username"] for m in session["members"]}:
            raise Forbidden("Bạn không phải thành viên của phiên họp này / You are not a member of this session")
        if session["status"] != "voting":
            raise Conflict(
                "Phiên họp không trong thời gian biểu quyết / Voting is not open", status_now=session["status"]
            )
        if member not in session["present"]:
            raise Forbidden("Bạn không có mặt trong phiên họp / You were not recorded as present")
        if any(b["member"] == member for b in session["ballots"]):
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
        return {
            "member": member,
            "at": at,
            "votes": [{"candidate_id": e.candidate_id, "vote": e.vote, "reason": e.reason} for e in entries.values()],
        }

    voted = await repos.sessions.record_ballot(
        scope, session_id, ballot=ballot, audit=audit(principal.user_id, "ballot_cast", at, member=member)
    )
    return found(voted, "phiên họp / council session")


async def close(*, repos: Repositories, principal: Principal, scope: Scope, session_id: str) -> Session:
    """Count the ballots against each form's threshold; the result goes into the minutes and the candidates."""
    at = now()

    def count(session: Session) -> tuple[list[CandidateResult], list[Envelope]]:
        if session["status"] != "voting":
            raise Conflict("Phiên họp chưa mở hoặc đã kết thúc / Voting is not open", status_now=session["status"])
        members = len(session["members"])
        results: list[CandidateResult] = []
        for c in session["candidates"]:
            rule = AwardRule.model_validate(c["rule"])  # as it stood when the council was convened
            votes = [
                v["vote"] for b in session["ballots"] for v in b["votes"] if v["candidate_id"] == c["candidate_id"]
            ]
            recused = len(c["recused"]) + votes.count("recuse")
            counted = tally([v for v in votes if v != "recuse"], members=members, recused=recused, rule=rule)
            results.append(
                {
                    "candidate_id": c["candidate_id"],
                    "entrant": c["entrant"],
                    "award_form": c["award_form"],
                    "yes": counted.yes,
                    "no": counted.no,
                    "abstain": counted.abstain,
                    "recused": counted.recused,
                    "base": counted.base,
                    "passed": counted.passed,
                    "pass_rule": rule.pass_rule_text(),
                }
            )
        closed = event(
            CouncilSessionClosed(
                session_id=session_id,
                period=session["period"],
                present=len(session["present"]),
                members=members,
                results=tuple(
                    SessionCandidateResult.model_validate(
                        {k: v for k, v in r.items() if k in SessionCandidateResult.model_fields}, context=STORED
                    )
                    for r in results
                ),
            ),
            scope=Scope(tenant=session["tenant"], province=session["province"]),
            subject=session_id,
        )
        return results, [closed]

    counted = await repos.sessions.close_session(scope, session_id, count=count, actor=principal.user_id, at=at)
    session = found(counted, "phiên họp / council session")
    await settle(repos=repos, scope=scope, session=session, actor=principal.user_id)
    return session


async def settle(*, repos: Repositories, scope: Scope, session: Session, actor: str) -> None:
    """Give each candidate of a closed session its result. Idempotent: the worker repeats it from the event."""
    at = now()
    for result in session["results"]:
        status: CandidateStatus
        if result["passed"]:
            status = "eligible_upward" if FORMS[result["award_form"]].proposed_upward else "eligible_here"
        else:
            status = "not_eligible"
        counts: CouncilCounts = {
            "yes": result["yes"],
            "no": result["no"],
            "abstain": result["abstain"],
            "recused": result["recused"],
            "passed": result["passed"],
        }
        await repos.candidates.record_council_result(
            scope,
            result["candidate_id"],
            session_id=session["_id"],
            status=status,
            counts=counts,
            audit=audit(actor, "council_result", at, session_id=session["_id"], **counts),
        )
