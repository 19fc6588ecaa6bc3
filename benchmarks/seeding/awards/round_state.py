"""A period's award round in a commune: when each of its steps happened (`Calendar`) and what the round holds as it
is built (`RoundState`: the commune, its rules and people, the period's final scores, and the candidates, sessions,
decisions, proposals and history made so far), for the steps in candidates.py, sessions.py and decisions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from awards.domain.catalogue import round_of
from awards.domain.rules import AwardRule, rule_for
from benchmarks.seeding.awards.common import Aggregate
from benchmarks.seeding.awards.people import People
from benchmarks.seeding.plan import Dossier
from thidua_contracts.terms import EntrantRef
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope


@dataclass(frozen=True)
class Calendar:
    """When each step of a period's round happened: the year's in December, the reviews' (sơ kết, tổng kết) later
    in the same December; the province answers two weeks after the proposal."""

    evaluated: datetime
    reviewed: datetime
    convened: datetime
    held: datetime
    decided: datetime
    proposed: datetime
    answered: datetime

    @classmethod
    def of(cls, year: int, period: str) -> Calendar:
        first = 1 if round_of(period) == "yearly" else 13

        def day(offset: int, hour: int = 2) -> datetime:  # 02:00 UTC is 09:00 in Vietnam
            return datetime.combine(date(year, 12, first + offset), time(hour), tzinfo=UTC)

        proposed = day(8, 3)
        return cls(
            evaluated=day(0),
            reviewed=day(1),
            convened=day(2),
            held=day(4, 1),
            decided=day(7, 3),
            proposed=proposed,
            answered=proposed + timedelta(days=14),
        )


@dataclass
class RoundState:
    """What one commune's award round for one period holds, the steps that build it adding to it."""

    scope: Scope
    period: str
    index: int  # the period's place in PERIODS: numbers the round's documents
    number: int  # the commune's number in the plan
    rules: list[AwardRule]
    people: People
    authority: str
    finals: list[Dossier]
    refs: dict[str, EntrantRef]
    when: Calendar
    candidates: dict[str, Aggregate] = field(default_factory=dict)
    sessions: list[Document] = field(default_factory=list)
    decisions: list[Document] = field(default_factory=list)
    proposals: list[Document] = field(default_factory=list)
    history: list[Document] = field(default_factory=list)

    @property
    def tenant(self) -> str:
        return str(self.scope.tenant)

    def rule(self, form: str) -> AwardRule | None:
        return rule_for(self.rules, form, round_of(self.period))
