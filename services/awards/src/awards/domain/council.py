"""A council session's arithmetic: quorum, recusal and the vote on each candidate. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from pydantic import Field

from awards.domain.rules import AwardRule
from thidua_commons.council import CouncilMember, conflict
from thidua_contracts.terms import EntrantRef
from thidua_platform.text import ShortText

Vote = Literal["yes", "no", "abstain"]
BallotMode = Literal["secret", "open"]
DEFAULT_QUORUM_SHARE = 2 / 3


class SessionMember(CouncilMember):
    """A member seated for a session, with the name and office the minutes print."""

    name: ShortText = Field(description="Họ và tên / Full name")
    role: ShortText = Field(default="Thành viên", description="Chức danh trong Hội đồng / Role in the council")


def quorum_required(members: int, share: float = DEFAULT_QUORUM_SHARE) -> int:
    """Members who must be present: the share of all members, rounded up (2/3 of 7 is 5)."""
    return math.ceil(Fraction(members) * Fraction(share).limit_denominator(1000))


def recusals(members: Sequence[SessionMember], entrant: EntrantRef) -> dict[str, str]:
    """Members who may not vote on this entrant and why: the entrant themselves or their own unit."""
    return {m.username: why for m in members if (why := conflict(m, entrant)) is not None}


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    recused: int
    base: int  # the number the yes votes are measured against
    passed: bool


def tally(votes: Sequence[Vote], *, members: int, recused: int, rule: AwardRule) -> Tally:
    """Count one candidate's votes against the form's pass threshold. Absent members and members who did not vote
    count against the candidate when the base is all members, as the law measures it."""
    yes, no, abstain = (sum(1 for v in votes if v == kind) for kind in ("yes", "no", "abstain"))
    base = members if rule.threshold_base == "all_members" else members - recused
    share = Fraction(rule.threshold_share).limit_denominator(1000)
    if base <= 0:
        passed = False
    elif rule.threshold_inclusive:
        passed = Fraction(yes, base) >= share
    else:
        passed = Fraction(yes, base) > share
    return Tally(yes=yes, no=no, abstain=abstain, recused=recused, base=base, passed=passed)
