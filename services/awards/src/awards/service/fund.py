"""The commune's fund (Quỹ thi đua, khen thưởng): what its officers record (receipts, other expenses), the payment of
each of the commune's decisions (recorded once, however often it is applied), and the balance.

A balance below zero is answered with a warning, never refused: the chairman's decision is legal whatever the fund
holds, and the accountant needs to see the shortfall recorded, not a payment left out (docs/adr/0025)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import RECEIPTS, Decision, FundKind, FundMovement
from awards.domain.money import dong
from awards.repository import Repositories
from awards.service.common import field_error
from thidua_commons.documents.text import VIETNAM_TZ
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText

MAX_MOVEMENT = 100_000_000_000  # đồng


class MovementRequest(BaseModel):
    """A receipt or an expense an officer records (a decision's payment is recorded with the decision)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    on: date = Field(description="Ngày / Day")
    kind: Literal["allocation", "other_income", "other_expense"] = Field(
        description="Ngân sách cấp, thu khác, chi khác / Budget allocation, other income, other expense"
    )
    amount: int = Field(gt=0, le=MAX_MOVEMENT, description="Số tiền, đồng / Amount in đồng")
    description: ShortText
    reference: ShortText | None = Field(default=None, description="Chứng từ / Voucher or document number")


@dataclass(frozen=True)
class Balance:
    """The fund's balance, and the warning to show when it is below zero."""

    amount: int

    @property
    def warning(self) -> str | None:
        if self.amount >= 0:
            return None
        return (
            f"Quỹ thi đua, khen thưởng đang âm {dong(-self.amount)} đồng / "
            f"The emulation and awards fund is {dong(-self.amount)} đồng short"
        )


def _movement(
    scope: Scope,
    movement_id: str,
    *,
    on: date,
    kind: FundKind,
    amount: int,
    description: str,
    reference: str | None,
    decision_id: str | None,
    actor: str,
) -> FundMovement:
    at = now()
    return {
        "_id": movement_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "on": on.isoformat(),
        "kind": kind,
        "amount": amount,
        "delta": amount if kind in RECEIPTS else -amount,
        "description": description,
        "reference": reference,
        "decision_id": decision_id,
        "created_at": at,
        "created_by": actor,
        "audit": [audit(actor, "recorded", at, kind=kind, amount=amount, on=on.isoformat())],
    }


async def record_movement(
    *, repos: Repositories, principal: Principal, scope: Scope, request: MovementRequest
) -> tuple[FundMovement, Balance]:
    """An officer records a receipt or another expense; the movement and the balance after it."""
    if request.on > datetime.now(VIETNAM_TZ).date():
        raise field_error("on", "ngày trong tương lai / a future day", "Chưa đến ngày này / The day has not come yet")
    movement = _movement(
        scope, str(uuid.uuid4()), on=request.on, kind=request.kind, amount=request.amount,
        description=request.description, reference=request.reference, decision_id=None, actor=principal.user_id,
    )  # fmt: skip
    await repos.fund.record(movement)
    return movement, await balance(repos=repos, scope=scope)


async def record_payment(*, repos: Repositories, scope: Scope, decision: Decision, actor: str) -> bool:
    """The decision's payment out of the fund, recorded once (its id derives from the decision's): whether it was
    new. A decision that pays no prize records nothing."""
    prize = decision.get("prize")
    if prize is None or prize["total"] <= 0:
        return False
    movement = _movement(
        scope, str(derived_id("fund-payment", decision["_id"])), on=date.fromisoformat(decision["signed_on"]),
        kind="decision_payment", amount=prize["total"], reference=decision["number"], decision_id=decision["_id"],
        description=f"Chi tiền thưởng theo Quyết định số {decision['number']}", actor=actor,
    )  # fmt: skip
    return await repos.fund.record(movement)


async def balance(*, repos: Repositories, scope: Scope) -> Balance:
    return Balance(await repos.fund.balance(scope))


async def movements(
    *, repos: Repositories, scope: Scope, skip: int, limit: int
) -> tuple[list[FundMovement], int, Balance]:
    """A page of the fund's movements, the latest day first, how many in all, and the balance."""
    found, total = await repos.fund.listed(scope, skip=skip, limit=limit)
    return found, total, await balance(repos=repos, scope=scope)
