"""Which finalised scores make an entrant a candidate. The score proposes; people decide later."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CandidacyRule:
    award_form: str
    round: str
    minimum_total: float


# Default yearly rule for the commune chairman's certificate of merit; configurable in later work.
GIAY_KHEN_XA_YEARLY = CandidacyRule(award_form="GIAY_KHEN_XA", round="yearly", minimum_total=80.0)


def is_candidate(rule: CandidacyRule, *, total: float) -> bool:
    return total >= rule.minimum_total
