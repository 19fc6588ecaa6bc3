"""Council sessions (phiên họp Hội đồng Thi đua - Khen thưởng): convene the council and put its candidates before it.
What follows is `awards.service.voting` (the quorum, the ballots) and `awards.service.counting` (the close, the count,
each candidate's result).

A session's ballots live inside the session document, so every ballot and the closing are revisions of one
aggregate: a member cannot vote twice even with concurrent requests, and no ballot slips in after the count.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from awards.domain.ad_hoc import Round
from awards.domain.aggregates import Candidate, Counting, SeatedCandidate, SeatedMember, Session
from awards.domain.catalogue import FormCode, round_of
from awards.domain.council import BallotMode, SessionMember, recusals
from awards.domain.rules import AwardRule, rule_for
from awards.repository import Repositories
from awards.service.ad_hoc import ad_hoc_before_the_council
from awards.service.candidates import EvaluateRequest, evaluate_list
from awards.service.common import entrant_of, event, field_error
from awards.service.province_rules import effective_rules, effective_settings
from thidua_commons.council import USERNAME_PATTERN
from thidua_contracts.awards import AwardRound, CouncilSessionConvened
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


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
    counting: Counting = Field(
        default="electronic",
        description=(
            "electronic: thành viên bỏ phiếu trên hệ thống; paper: bỏ phiếu giấy, Ban kiểm phiếu nhập kết quả (chỉ với "
            "bỏ phiếu kín) / electronic: members vote in the platform; paper: paper ballots whose count the counting "
            "committee enters (secret votes only)"
        ),
    )
    members: tuple[SessionMember, ...] = Field(min_length=3, max_length=50)
    chair: str = Field(pattern=USERNAME_PATTERN, max_length=100, description="Người chủ trì / Who chairs")
    secretary: str | None = Field(default=None, pattern=USERNAME_PATTERN, max_length=100)
    award_forms: tuple[FormCode, ...] = Field(default=(), description="Rỗng: mọi hình thức đang xét / Empty: all")
    ad_hoc: bool = Field(
        default=False,
        description="Phiên xét khen thưởng đột xuất: chỉ các đề xuất đột xuất của năm / An ad-hoc session: the year's "
        "ad-hoc candidates only",
    )

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
        if self.counting == "paper" and self.ballot_mode != "secret":
            raise ValueError(
                "counting: bỏ phiếu giấy chỉ dùng với bỏ phiếu kín / paper ballots are for a secret vote only"
            )
        return self


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
    """Seat the council for the period's candidates still under review: those of its round, or for an ad-hoc session
    the year's ad-hoc ones (docs/adr/0026). The rule of each form is applied once more
    first (quota, flags), and recorded with each candidate, so the threshold cannot change while the council votes.
    The session is saved before its candidates are claimed; opening the session claims again, so a crash in between
    leaves nothing stuck."""
    assert scope.province is not None
    assert scope.tenant is not None
    rules = await effective_rules(repos=repos, province=scope.province)
    round_: Round
    if request.ad_hoc:
        round_ = "ad_hoc"
        listed = await ad_hoc_before_the_council(repos=repos, scope=scope, request=request, rules=rules)
    else:
        round_ = period_round = round_of(request.period)
        await _evaluate_again(
            repos=repos, principal=principal, scope=scope, request=request, rules=rules, round_=period_round
        )
        listed = await _before_the_council(repos=repos, scope=scope, request=request, rules=rules, round_=period_round)
    session_id = str(uuid.uuid4())
    at = now()
    members = list(request.members)
    candidates = [_seated_candidate(c, rule=rule, members=members) for c, rule in listed]
    convened = event(_convened(request, session_id, candidates=len(candidates)), scope=scope, subject=session_id)
    settings = await effective_settings(repos=repos, province=scope.province)
    document = _session(
        request, scope, session_id, round_=round_, candidates=candidates, by=principal, at=at,
        quorum_share=settings.quorum_share,
    )  # fmt: skip
    await repos.sessions.add(document, [convened])
    return await claim_candidates(repos=repos, scope=scope, session=document, actor=principal.user_id)


async def _evaluate_again(
    *,
    repos: Repositories,
    principal: Principal,
    scope: Scope,
    request: SessionRequest,
    rules: Sequence[AwardRule],
    round_: AwardRound,
) -> None:
    """Apply once more the rule of each form with candidates under review (a form without a rule this round is
    left as it is)."""
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


async def _before_the_council(
    *, repos: Repositories, scope: Scope, request: SessionRequest, rules: Sequence[AwardRule], round_: AwardRound
) -> list[tuple[Candidate, AwardRule]]:
    """The candidates still under review whose form has a rule this round, highest total first, each with its form's
    rule; 422 when there is none."""
    under_review = await repos.candidates.under_review(
        scope, period=request.period, forms=request.award_forms, limit=500, sort=("total", -1)
    )
    listed = [(c, rule) for c in under_review if (rule := rule_for(rules, c["award_form"], round_)) is not None]
    if not listed:
        raise field_error(
            "period",
            "không có đề xuất đang xét / no candidates under review",
            "Chưa có đề xuất nào đang xét trong kỳ này / No candidates under review for this period",
        )
    return listed


def _seated_candidate(candidate: Candidate, *, rule: AwardRule, members: Sequence[SessionMember]) -> SeatedCandidate:
    """A candidate as the session keeps it: the rule of its form as it stands now, and the members who may not vote on
    it and why."""
    seat: SeatedCandidate = {
        "candidate_id": candidate["_id"],
        "entrant": candidate["entrant"],
        "award_form": candidate["award_form"],
        "total": candidate["total"],
        "grade": candidate["grade"],
        "submission_id": candidate["submission_id"],
        "submitted_by": candidate.get("submitted_by"),
        "rule": rule.model_dump(mode="json"),
        "recused": [{"member": m, "reason": why} for m, why in recusals(members, entrant_of(candidate)).items()],
    }
    if "ad_hoc" in candidate:
        seat["achievement"] = candidate["ad_hoc"]["achievement"]
    return seat


def _convened(request: SessionRequest, session_id: str, *, candidates: int) -> CouncilSessionConvened:
    """The session as the `session.convened` event announces it."""
    return CouncilSessionConvened(
        session_id=session_id,
        period=request.period,
        title=request.title,
        held_at=request.held_at,
        members=tuple(m.username for m in request.members),
        candidates=candidates,
    )


def _session(
    request: SessionRequest,
    scope: Scope,
    session_id: str,
    *,
    round_: Round,
    candidates: list[SeatedCandidate],
    by: Principal,
    at: datetime,
    quorum_share: float,
) -> Session:
    """The session as it is kept, convened: no one present yet, no ballot, no result; the province's quorum share
    as it stands now, kept with the session so a later change of the setting does not change it."""
    return {
        "_id": session_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "period": request.period,
        "title": request.title,
        "held_at": request.held_at,
        "location": request.location,
        "ballot_mode": request.ballot_mode,
        "counting": request.counting,
        "chair": request.chair,
        "secretary": request.secretary,
        "award_forms": request.award_forms,
        "quorum_share": quorum_share,
        "round": round_,
        "members": [seated(m) for m in request.members],
        "candidates": candidates,
        "status": "convened",
        "present": [],
        "ballots": [],
        "voters": [],
        "results": [],
        "created_at": at,
        "created_by": by.user_id,
        "audit": [audit(by.user_id, "convened", at, candidates=len(candidates))],
    }


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
