"""Closing a council session (kiểm phiếu): count the ballots on each candidate against the rule its form had when the
council was convened, then give each candidate its result. The closing is a revision of the session
(`awards.service.sessions`), so no ballot slips in after the count."""

from __future__ import annotations

from awards.domain.aggregates import CandidateResult, CouncilCounts, Session
from awards.domain.ballot_box import is_paper, result_of
from awards.domain.catalogue import FORMS
from awards.domain.lifecycle import CandidateStatus
from awards.repository import Repositories
from awards.service.common import event, found
from thidua_contracts.awards import CouncilSessionClosed, SessionCandidateResult
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED


async def close(*, repos: Repositories, principal: Principal, scope: Scope, session_id: str) -> Session:
    """Count the ballots against each form's threshold; the result goes into the minutes and the candidates."""
    at = now()

    def count(session: Session) -> tuple[list[CandidateResult], list[Envelope]]:
        if session["status"] != "voting":
            raise Conflict("Phiên họp chưa mở hoặc đã kết thúc / Voting is not open", status_now=session["status"])
        if is_paper(session) and "paper_count" not in session:
            raise Conflict(
                "Ban kiểm phiếu chưa nhập kết quả kiểm phiếu / The counting committee's count is not entered yet",
                status_now=session["status"],
            )
        members = len(session["members"])
        results = [result_of(session, c) for c in session["candidates"]]
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
