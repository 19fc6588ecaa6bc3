"""Seeds what a round's council result leads to: the chairman's decision for the Giấy khen, the proposal (tờ trình)
for the Bằng khen with the province's answer, and the history entry each award leaves."""

from __future__ import annotations

from datetime import date, datetime

from awards.domain.catalogue import FORMS, round_of
from awards.repository import DECISIONS, HISTORY, PROPOSALS
from awards.service.acts import recipient_rows
from awards.service.decisions import DecisionRequest
from awards.service.outcomes import OutcomeRequest
from awards.service.proposals import ProposalRequest
from awards.service.standing import history_entry
from benchmarks.seeding.awards.common import (
    BANG_KHEN,
    CHAIR,
    GIAY_KHEN,
    PROVINCE_ISSUER,
    PROVINCE_STAFF,
    TRACK,
    Aggregate,
)
from benchmarks.seeding.awards.round_state import RoundState
from benchmarks.seeding.plan import PERIODS
from thidua_contracts.awards import AwardLevel
from thidua_platform.audit import entry
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


class DecisionSteps(RoundState):
    """The round's steps after the council: the commune's decision, the proposal to the province, the awards."""

    def passed(self, form: str, status: str) -> list[Aggregate]:
        return sorted(
            (c for c in self.candidates.values() if c.document["award_form"] == form and c.status == status),
            key=lambda c: (-c.document["total"], c.document["_id"]),
        )

    # decisions.decide → claim → apply_award: the chairman's decision on the Giấy khen
    def decide(self) -> None:
        awarded = self.passed(GIAY_KHEN, "eligible_here")
        if not awarded:
            return
        at = self.when.decided
        request = DecisionRequest(
            number=f"{801 + self.index}/QĐ-UBND",
            signed_on=at.date(),
            signer_name=self.people.chair.name,
            award_form=GIAY_KHEN,
            period=self.period,
            candidate_ids=tuple(c.document["_id"] for c in awarded),
        )
        decision_id = str(derived_id("decision", self.tenant, request.number))
        self.claim(awarded, "decision_id", decision_id, "eligible_here", CHAIR, at)
        issuer = f"Chủ tịch {self.authority}"
        ids = [c.document["_id"] for c in awarded]
        document: Document = {
            "_id": decision_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="json", exclude={"candidate_ids"}),
            "issuer": issuer,
            "round": round_of(self.period),
            "recipients": recipient_rows([c.document for c in awarded]),
            "created_at": at,
            "created_by": CHAIR,
            "audit": [entry(CHAIR, "decided", at, number=request.number, recipients=ids)],
        }
        self.decisions.append(Aggregate(DECISIONS, document, caused_event=True).document)
        self.award(awarded, request.number, request.signed_on, issuer, "commune", decision_id, CHAIR, at)

    # proposals.propose → claim, then outcomes.record_outcome("awarded") by the province → apply_award
    def propose(self) -> None:
        proposed = self.passed(BANG_KHEN, "eligible_upward")
        if not proposed:
            return
        at = self.when.proposed
        request = ProposalRequest(
            number=f"{801 + self.index}/TTr-UBND",
            signed_on=at.date(),
            signer_name=self.people.chair.name,
            award_form=BANG_KHEN,
            period=self.period,
            candidate_ids=tuple(c.document["_id"] for c in proposed),
        )
        proposal_id = str(derived_id("proposal", self.tenant, request.number))
        self.claim(proposed, "proposal_id", proposal_id, "proposed_to_province", CHAIR, at)
        ids = [c.document["_id"] for c in proposed]
        document: Document = {
            "_id": proposal_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="json", exclude={"candidate_ids"}),
            "round": round_of(self.period),
            "level": FORMS[BANG_KHEN].level,
            "status": "submitted_to_province",
            "recipients": recipient_rows([c.document for c in proposed]),
            "created_at": at,
            "created_by": CHAIR,
            "audit": [entry(CHAIR, "submitted_to_province", at, number=request.number, recipients=ids)],
        }
        proposal = Aggregate(PROPOSALS, document, caused_event=True)
        answered = self.when.answered
        outcome = OutcomeRequest(
            outcome="awarded",
            number=f"{2000 + self.number * len(PERIODS) + self.index}/QĐ-UBND",
            signed_on=answered.date(),
            issuer=PROVINCE_ISSUER,
        )
        answer = outcome.model_dump(mode="json") | {"by": PROVINCE_STAFF, "at": answered, "level": "province"}
        proposal.revise(
            entry(PROVINCE_STAFF, "province_awarded", answered, **answer),
            status="province_awarded", province_outcome=answer, updated_at=answered,
        )  # fmt: skip
        self.proposals.append(proposal.document)
        assert outcome.number is not None
        assert outcome.signed_on is not None
        assert outcome.issuer is not None
        decision_id = f"{proposal_id}:province"
        self.award(
            proposed, outcome.number, outcome.signed_on, outcome.issuer, "province", decision_id, PROVINCE_STAFF,
            answered,
        )  # fmt: skip

    @staticmethod
    def claim(
        candidates: list[Aggregate], field_name: str, claim_id: str, status: str, actor: str, at: datetime
    ) -> None:
        for item in candidates:
            item.revise(
                entry(actor, "claimed", at, **{field_name: claim_id, "status": status}),
                **{field_name: claim_id, "status": status, "updated_at": at},
            )

    def award(
        self,
        candidates: list[Aggregate],
        number: str,
        signed_on: date,
        issuer: str,
        level: AwardLevel,
        decision_id: str,
        actor: str,
        at: datetime,
    ) -> None:
        """decisions.apply_award: a history entry per recipient, the candidate awarded."""
        form = candidates[0].document["award_form"]
        for item in candidates:
            recorded = history_entry(
                self.scope,
                entrant=item.document["entrant"],
                award_form=form,
                period=self.period,
                level=level,
                track=TRACK,
                number=number,
                signed_on=signed_on,
                issuer=issuer,
                source={"kind": "decision", "id": decision_id},
                submitted_by=item.document.get("submitted_by"),
                actor=actor,
            )
            recorded["recorded_at"] = at  # history_entry stamps the present; the plan's round happened then
            recorded["audit"][0]["at"] = at
            self.history.append(Aggregate(HISTORY, dict(recorded), caused_event=False).document)
            decision = recorded["decision"]
            item.revise(
                entry(actor, "awarded", at, decision=decision), status="awarded", updated_at=at, decision=decision
            )
