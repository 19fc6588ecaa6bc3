"""Seeds one period's award notices in a commune: the council session convened and closed, the chairman's
decision on the Giấy khen, and the proposal of the Bằng khen with the province's answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from benchmarks.seeding.notifications.common import _event, _notice, closes_at
from benchmarks.seeding.notifications.deliveries import Pipeline
from benchmarks.seeding.notifications.recipients import Cast
from benchmarks.seeding.plan import PROVINCE_NAME, CommunePlan
from notifications.domain.notices import form_names
from thidua_contracts.awards import (
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    CouncilSessionClosed,
    CouncilSessionConvened,
)


def seed_awards(pipeline: Pipeline, cast: Cast, plan: CommunePlan, period: str, year: int) -> None:
    """The council session that passed the period's awards, the chairman's decision on the Giấy khen and the
    province's on the proposed Bằng khen: each one notice to its audience (the submitters hear once per decision)."""
    awarded = [d for d in plan.in_period(period) if d.award is not None]
    if not awarded:
        return
    tenant, closes = plan.commune.tenant, closes_at(period, year)
    session, held = _event(tenant, period, "session"), closes + timedelta(days=3)
    entrants = [f"{d.entrant.name} ({form_names(d.award or '')['award_form_vi']})" for d in awarded]
    title = f"Phiên xét khen thưởng kỳ {period}"
    convened = {"title": title, "period": period, "held_at": held.isoformat(), "candidates": len(awarded)}
    members = [p for name in cast.council for p in cast.member(name)]
    notice = _notice("session_convened", convened, _event(session, "convened"), CouncilSessionConvened)
    pipeline.tell(notice, members, session, held - timedelta(days=2))
    closed = {"period": period, "passed": len(awarded), "entrants": entrants}
    notice = _notice("decisions_waiting", closed, _event(session, "closed"), CouncilSessionClosed)
    pipeline.tell(notice, [cast.chair] if cast.chair else [], session, held + timedelta(hours=3))
    submitter = [cast.submitter] if cast.submitter else []
    commune_awards = [d.entrant.name for d in awarded if d.award == "GIAY_KHEN_XA"]
    if commune_awards:
        decision = _event(tenant, period, "decision", "GIAY_KHEN_XA")
        facts = {
            "period": period,
            "number": f"{plan.commune.number + 1}/QĐ-UBND",
            "issuer": f"Chủ tịch UBND {plan.commune.name}",
            **form_names("GIAY_KHEN_XA"),
            "entrants": commune_awards,
        }
        notice = _notice("award_decided", facts, _event(decision, "decided"), AwardDecided)
        pipeline.tell(notice, submitter, decision, held + timedelta(days=3))
    province_awards = [d.entrant.name for d in awarded if d.award == "BANG_KHEN_TINH"]
    if province_awards:
        seed_proposal(pipeline, cast, plan, period, held, province_awards)


def seed_proposal(
    pipeline: Pipeline, cast: Cast, plan: CommunePlan, period: str, held: datetime, entrants: list[str]
) -> None:
    proposal = _event(plan.commune.tenant, period, "proposal", "BANG_KHEN_TINH")
    names = form_names("BANG_KHEN_TINH")
    received = {"period": period, "number": f"{plan.commune.number + 1}/TTr-UBND", "entrants": entrants, **names}
    notice = _notice("proposal_received", received, _event(proposal, "submitted"), AwardProposalSubmitted)
    pipeline.tell(notice, cast.province_staff, proposal, held + timedelta(days=4))
    issuer = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"
    decided = {"period": period, "number": f"{plan.commune.number + 1}/QĐ-UBND", "issuer": issuer, **names}
    notice = _notice(
        "award_decided", {**decided, "entrants": entrants}, _event(proposal, "decided"), AwardProposalDecided
    )
    pipeline.tell(notice, [cast.submitter] if cast.submitter else [], proposal, held + timedelta(days=16))
