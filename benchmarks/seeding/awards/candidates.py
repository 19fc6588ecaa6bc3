"""Seeds a round's candidates: each final score meeting a commune form's rule proposed by the intake, the officer's
evaluation of the Giấy khen and Bằng khen lists by the province's rules (quota, minimum score), then the officer's
review: the plan's awardees kept (or put back by hand), every other candidate taken off with a reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from awards.domain.catalogue import FORMS
from awards.domain.lifecycle import OPEN_TO_REVIEW
from awards.domain.rules import Scored, Verdict, evaluate
from awards.repository import CANDIDATES
from awards.service.common import candidate_id
from awards.service.intake import candidate, new_candidate
from benchmarks.seeding.awards.common import (
    EVALUATED_FORMS,
    KEEP,
    LEFT_FOR,
    LEFT_OUT,
    PUT_BACK,
    RECORDED_AFTER,
    Aggregate,
    _finalised_at,
)
from benchmarks.seeding.awards.intake import _score_event_id, _score_fields
from benchmarks.seeding.awards.round_state import RoundState
from benchmarks.seeding.plan import Dossier
from benchmarks.seeding.submissions import OFFICER
from thidua_contracts.scoring import ScoreFinalised
from thidua_platform.audit import entry, from_event
from thidua_platform.mongo import Document


class CandidateSteps(RoundState):
    """The round's steps up to the council: the intake's proposals, the officer's evaluation and review."""

    # intake.record_score → propose_commune_award: a final score meeting a commune form's rule (without its quota)
    def propose_commune_award(self, dossier: Dossier) -> None:
        ref = self.refs[dossier.entrant.id]
        single = [Scored(entrant=ref, total=dossier.total or 0.0, grade=dossier.grade or "")]
        for form in (f for f in FORMS.values() if f.level == "commune"):
            rule = self.rule(form.code)
            if rule is None:
                continue
            verdict = evaluate(rule.model_copy(update={"quota_percent": None}), single, flags={}, history={})
            if not verdict[ref.id].eligible:
                continue
            cause = _score_event_id(dossier)
            at = _finalised_at(dossier) + RECORDED_AFTER
            by = from_event(
                cause, ScoreFinalised.event_type, "proposed", at, status="under_review", total=dossier.total
            )
            document, _ = new_candidate(
                self.scope, self.period, form.code, _score_fields(dossier, ref), at=at, by=by, cause=cause
            )
            self.candidates[document["_id"]] = Aggregate(CANDIDATES, dict(document), caused_event=True)

    # candidates.evaluate_list: the form's rule over every final score of the period
    def evaluate(self, form: str) -> dict[str, Verdict]:
        rule = self.rule(form)
        assert rule is not None
        scored = [
            Scored(entrant=self.refs[d.entrant.id], total=d.total or 0.0, grade=d.grade or "") for d in self.finals
        ]
        verdicts = evaluate(rule, scored, flags={}, history={})
        at = self.when.evaluated + timedelta(minutes=EVALUATED_FORMS.index(form) * 5)
        for dossier in self.finals:
            verdict = verdicts[dossier.entrant.id]
            computed = {"eligible": verdict.eligible, "reasons": list(verdict.reasons), "rank": verdict.rank}
            current = self.candidates.get(self.candidate_id(form, dossier))
            if verdict.eligible and current is None:
                by = entry(OFFICER, "evaluated", at, status="under_review", eligible=True, rank=verdict.rank)
                fields = _score_fields(dossier, self.refs[dossier.entrant.id])
                document, _ = new_candidate(self.scope, self.period, form, fields, at=at, by=by)
                evaluated: Document = {**document, "computed": {**computed, "at": at}}
                self.candidates[document["_id"]] = Aggregate(CANDIDATES, evaluated, caused_event=True)
            elif current is not None and current.status in OPEN_TO_REVIEW:
                before = {k: v for k, v in (current.document.get("computed") or {}).items() if k != "at"}
                if before != computed:
                    self.apply_verdict(current, {**computed, "at": at})
        return verdicts

    @staticmethod
    def apply_verdict(current: Aggregate, computed: dict[str, Any]) -> None:
        """candidates._apply_verdict: left out by the rule unless the officer put them there by hand."""
        fields: dict[str, Any] = {"computed": computed, "updated_at": computed["at"]}
        by_hand = (current.document.get("officer_review") or {}).get("included")
        if not computed["eligible"] and by_hand is not True and current.status == "under_review":
            fields["status"] = "excluded"
        elif computed["eligible"] and by_hand is not False and current.status == "excluded":
            fields["status"] = "under_review"
        changes = {k: computed[k] for k in ("eligible", "rank")}
        current.revise(entry(OFFICER, "evaluated", computed["at"], **changes), **fields)

    def candidate_id(self, form: str, dossier: Dossier) -> str:
        return candidate_id(self.tenant, self.period, form, dossier.entrant.id)

    # candidates.review and candidates.add: the officer keeps the plan's awardees and takes the others off
    def review(self, verdicts: dict[str, dict[str, Verdict]]) -> None:
        at = self.when.reviewed
        for form in verdicts:
            for dossier in sorted(self.finals, key=lambda d: d.id):
                current = self.candidates.get(self.candidate_id(form, dossier))
                wanted = dossier.award == form
                if wanted and current is None:  # tied at the cutoff of an empty list: added by hand
                    current = self.add(form, dossier, at)
                if current is None or (current.status != "under_review" and not wanted):
                    continue
                reason = KEEP if current.status == "under_review" else PUT_BACK
                if not wanted:
                    reason = LEFT_FOR.get(dossier.award or "", LEFT_OUT)
                note = {"included": wanted, "reason": reason, "by": OFFICER, "at": at}
                current.revise(
                    entry(OFFICER, "reviewed", at, **note),
                    status="under_review" if wanted else "excluded",
                    officer_review=note,
                    updated_at=at,
                )
                at += timedelta(seconds=30)

    def add(self, form: str, dossier: Dossier, at: datetime) -> Aggregate:
        fields = _score_fields(dossier, self.refs[dossier.entrant.id])
        by = entry(OFFICER, "added", at, status="excluded", submission_id=dossier.id)
        document = candidate(self.scope, self.period, form, score=fields, status="excluded", at=at, by=by)
        added = Aggregate(CANDIDATES, dict(document), caused_event=False)
        self.candidates[document["_id"]] = added
        return added
