"""Prize money as it is kept: a province's settings, what a decision pays, the commune's fund and its movements."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypedDict

from awards.domain.aggregates.stored import Stored

FundKind = Literal["allocation", "other_income", "decision_payment", "other_expense"]
RECEIPTS: tuple[FundKind, ...] = ("allocation", "other_income")


class ProvincePrizeSettings(Stored):
    """A province's prize-money settings (its code is the id), where it changed the defaults."""

    settings: dict[str, Any]  # as PrizeSettings dumps it (mode="json"), read back with PrizeSettings.model_validate
    updated_at: datetime


class DecisionPrize(TypedDict):
    """What a decision pays, computed once when it is signed (a later change of the settings does not alter it):
    the base salary in force on the signing day, the rounding unit, and per recipient kind the coefficient and the
    amount; each recipient row holds its `amount`."""

    base_salary: int
    base_salary_from: str  # ISO day
    rounding_unit: int
    coefficients: dict[str, float]
    amounts: dict[str, int]
    total: int


class FundMovement(Stored):
    """A receipt into or an expense from the commune's fund (Quỹ thi đua, khen thưởng). `amount` is positive;
    `delta` is what it does to the balance (negative for an expense)."""

    on: str  # ISO day
    kind: FundKind
    amount: int
    delta: int
    description: str
    reference: str | None
    decision_id: str | None
    created_at: datetime
    created_by: str
