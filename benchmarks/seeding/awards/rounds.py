"""Seeds one commune's award round for one period: the candidates' steps, the council session and the decisions,
run in the order the use cases would have run them."""

from __future__ import annotations

from benchmarks.seeding.awards.common import EVALUATED_FORMS, _finalised_at
from benchmarks.seeding.awards.decisions import DecisionSteps
from benchmarks.seeding.awards.sessions import SessionSteps


class Round(SessionSteps, DecisionSteps):
    """The documents of one commune's award round for one period, built step by step as the use cases write them."""

    def build(self) -> Round:
        for dossier in sorted(self.finals, key=_finalised_at):
            self.propose_commune_award(dossier)
        verdicts = {form: self.evaluate(form) for form in EVALUATED_FORMS if self.rule(form) is not None}
        self.review(verdicts)
        session = self.convene(verdicts)
        if session is not None:
            self.decide()
            self.propose()
        return self
