"""What operators and officers see of deliveries: dead letters with their reason, and putting one back to send.

Operators see every commune; a province admin the communes of their province; a commune officer their commune.
"""

from __future__ import annotations

from datetime import UTC, datetime

from notifications.domain.aggregates import Delivery, HistoryEntry
from notifications.repository import Repositories, scope_of
from thidua_contracts.roles import Role
from thidua_platform.audit import entry as audit
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, NotFound
from thidua_platform.tenancy import Scope


def oversight_scope(principal: Principal) -> Scope | None:
    """The bound on what this person may oversee: None for operators (every commune)."""
    if principal.has_any_role(Role.OPERATOR):
        return None
    if principal.tenant and principal.has_any_role(Role.COMMUNE_OFFICER):
        return Scope(tenant=principal.tenant, province=principal.province)
    if principal.province and principal.has_any_role(Role.PROVINCE_ADMIN):
        return Scope(province=principal.province)
    raise Forbidden("Chỉ cán bộ vận hành, quản trị tỉnh hoặc cán bộ xã / Operators, province admins or officers only")


async def deliveries(
    *, repos: Repositories, principal: Principal, status: str | None, channel: str | None, skip: int, limit: int
) -> tuple[list[Delivery], int]:
    scope = oversight_scope(principal)
    return await repos.deliveries.overseen(scope, status=status, channel=channel, skip=skip, limit=limit)


async def retry(*, repos: Repositories, principal: Principal, delivery_id: str) -> Delivery:
    """Put a dead or uncertain delivery back to be sent now, with a fresh set of attempts; audited in its history.
    Retrying an uncertain e-mail is the operator's decision that it did not arrive (or that a repeat is better)."""
    found = await repos.deliveries.overseen_one(oversight_scope(principal), delivery_id)
    if found is None:
        raise NotFound(f"Không có lượt gửi {delivery_id} / No delivery {delivery_id}")
    now = datetime.now(UTC)
    entry: HistoryEntry = {"at": now, "outcome": "retried", "actor": principal.username, "error": None, "attempt": 0}
    audited = audit(principal.user_id, "retried", now, status="pending", attempts=0)
    revised = await repos.deliveries.put_back(scope_of(found), delivery_id, at=now, history=entry, audit=audited)
    if revised is not None:
        await repos.deliveries.enqueue(revised)
    if revised is None:  # only from PUT_BACK_FROM (notifications.domain.lifecycle)
        raise Conflict(
            "Chỉ gửi lại được lượt đã hỏng hoặc chưa rõ / Only a dead or uncertain delivery can be retried "
            f"(it is {found['status']})"
        )
    return revised
