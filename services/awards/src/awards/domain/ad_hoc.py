"""Ad-hoc awards (khen thưởng đột xuất): an outstanding achievement commended when it happens, outside the yearly,
sơ kết and tổng kết rounds (docs/adr/0026). Pure.

An ad-hoc candidate has no score: the rules' score, grade, quota and prerequisite conditions do not apply; the bars
(discipline, inspection, complaint) do, and the council passes it by the threshold its form has in the rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from awards.domain.catalogue import FORMS, FormCode, round_of
from awards.domain.rules import AwardRule
from thidua_contracts.awards import AwardRound

# The round a candidate, session, act or history entry is of: a round of the movement, or ad hoc. Events keep the
# contract's rounds and say `ad_hoc: true` (`announced_round`), so consumers that know no ad-hoc round read them.
Round = AwardRound | Literal["ad_hoc"]

# Forms given for an achievement out of the rounds: the commune's Giấy khen, and the certificates of merit above it
# proposed upward, each for collectives and individuals alike. Emulation flags and orders crown a period's work, not
# one achievement.
AD_HOC_FORMS: tuple[FormCode, ...] = ("GIAY_KHEN_XA", "BANG_KHEN_TINH", "BANG_KHEN_TTG")
FIRST_YEAR, LAST_YEAR = 2025, 2030  # the movement's years (thidua_contracts.terms.PERIOD_CODE_PATTERN)
AD_HOC_NAME = "Khen thưởng đột xuất / Ad-hoc award"


def period_of(achieved_on: date) -> str:
    """The period an ad-hoc award belongs to: the year of the achievement, so the year's reports count it."""
    return str(achieved_on.year)


def announced_round(round_: Round, period: str) -> AwardRound:
    """The round an event announces: an ad-hoc award's is its year's (the event flags it ad hoc)."""
    return round_of(period) if round_ == "ad_hoc" else round_


def council_rule(rules: Sequence[AwardRule], form: str) -> AwardRule:
    """What the council needs to pass an ad-hoc candidate for the form: its threshold in the rounds (the province's
    rule of the form's first round, as the province set it), without the conditions a score answers."""
    for round_ in FORMS[form].rounds:
        rule = next((r for r in rules if r.form == form and r.round == round_), None)
        if rule is not None:
            break
    else:
        rule = AwardRule.model_validate({"form": form, "round": FORMS[form].rounds[0]})
    no_score = {"target_groups": (), "minimum_total": None, "minimum_grade": None, "quota_percent": None}
    return rule.model_copy(update={**no_score, "prerequisites": ()})
