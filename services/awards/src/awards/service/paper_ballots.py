"""A secret vote held on paper (bỏ phiếu kín bằng phiếu giấy): the members present mark paper ballots, the counting
committee (Ban kiểm phiếu) counts them, and the officer enters the committee's count. The count may be entered again to
correct it until the session closes; closing counts it with any written opinions (awards.domain.ballot_box)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import PaperCount, PaperTally, Session
from awards.domain.ballot_box import is_paper
from awards.repository import Repositories
from awards.service.common import found
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope

MAX_PAPERS = 50  # a council's members, at most


class PaperTallyEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    candidate_id: str = Field(min_length=1, max_length=100)
    yes: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu đồng ý / Yes")
    no: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu không đồng ý / No")
    abstain: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu không biểu quyết / Abstain")


class PaperCountRequest(BaseModel):
    """The counting committee's minutes in figures (biên bản kiểm phiếu): papers issued, returned and valid, and the
    count on every candidate of the session."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    issued: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu phát ra / Papers issued")
    returned: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu thu về / Papers returned")
    valid: int = Field(ge=0, le=MAX_PAPERS, description="Số phiếu hợp lệ / Valid papers")
    candidates: tuple[PaperTallyEntry, ...] = Field(min_length=1, max_length=500)


def _problems(session: Session, request: PaperCountRequest) -> list[dict[str, str]]:
    """Every way the count cannot be right for this session, each naming its field."""
    problems: list[dict[str, str]] = []
    present = len(session["present"])
    if request.issued > present:
        problems.append({"field": "issued", "message": f"nhiều hơn {present} thành viên có mặt / more than present"})
    if request.returned > request.issued:
        problems.append({"field": "returned", "message": "nhiều hơn số phiếu phát ra / more than issued"})
    if request.valid > request.returned:
        problems.append({"field": "valid", "message": "nhiều hơn số phiếu thu về / more than returned"})
    seated = {c["candidate_id"]: c for c in session["candidates"]}
    counted = [entry.candidate_id for entry in request.candidates]
    for candidate_id in sorted(set(seated) - set(counted)):
        problems.append({"field": "candidates", "message": f"thiếu / missing: {candidate_id}"})
    for index, entry in enumerate(request.candidates):
        field = f"candidates.{index}"
        if entry.candidate_id not in seated:
            message = f"không có trong phiên họp / not before the council: {entry.candidate_id}"
            problems.append({"field": field, "message": message})
            continue
        if counted.count(entry.candidate_id) > 1:
            problems.append({"field": field, "message": f"nhập hai lần / counted twice: {entry.candidate_id}"})
        recused = {r["member"] for r in seated[entry.candidate_id]["recused"]}
        # at most one mark per valid paper, and none from a member present who may not vote on it
        voters = min(request.valid, len(session["present"]) - len(recused & set(session["present"])))
        marked = entry.yes + entry.no + entry.abstain
        if marked > voters:
            message = f"{marked} phiếu, vượt {voters} phiếu hợp lệ được tính / more votes than {voters} valid papers"
            problems.append({"field": field, "message": message})
    return problems


async def enter_count(
    *, repos: Repositories, principal: Principal, scope: Scope, session_id: str, request: PaperCountRequest
) -> Session:
    at = now()
    tallies: list[PaperTally] = [
        {"candidate_id": e.candidate_id, "yes": e.yes, "no": e.no, "abstain": e.abstain} for e in request.candidates
    ]

    def count(session: Session) -> PaperCount:
        if not is_paper(session):
            raise Conflict("Phiên họp không bỏ phiếu giấy / Members vote in the platform in this session")
        if session["status"] != "voting":
            raise Conflict(
                "Phiên họp không trong thời gian biểu quyết / Voting is not open", status_now=session["status"]
            )
        problems = _problems(session, request)
        if problems:
            raise Unprocessable("Kết quả kiểm phiếu không khớp / The count does not add up", errors=problems)
        return {"issued": request.issued, "returned": request.returned, "valid": request.valid, "candidates": tallies}

    entered = await repos.sessions.enter_paper_count(
        scope,
        session_id,
        count=count,
        audit=audit(
            principal.user_id, "paper_count_entered", at, issued=request.issued, returned=request.returned,
            valid=request.valid,
        ),
    )  # fmt: skip
    return found(entered, "phiên họp / council session")
