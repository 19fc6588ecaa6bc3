"""The payment list of a commune decision (danh sách chi tiền thưởng), for the commune's accountant."""

from __future__ import annotations

import asyncio
from datetime import date

from awards.adapters.spreadsheets import PaymentList, PaymentRow, render_payment_list
from awards.domain.catalogue import FORMS
from awards.repository import Repositories
from awards.service.common import found
from awards.service.documents import GROUP_NAMES
from awards.service.letterhead import letterhead_of
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope


async def payment_list(*, repos: Repositories, scope: Scope, decision_id: str) -> bytes:
    """The workbook of the decision's payments (404 for a decision outside the commune; 409 for a decision stored
    before prize money, which names no amount)."""
    decision = found(await repos.decisions.get(scope, decision_id), "quyết định / decision")
    prize = decision.get("prize")
    if prize is None:
        raise Conflict("Quyết định này không ghi tiền thưởng / This decision names no prize money")
    head = await letterhead_of(repos=repos, scope=scope)
    data = PaymentList(
        issuing_body=head.issuing_body,
        authority=head.authority,
        number=decision["number"],
        signed_on=date.fromisoformat(decision["signed_on"]),
        award_form=FORMS[decision["award_form"]].name,
        rows=tuple(
            PaymentRow(
                name=r["entrant"]["name"],
                unit=GROUP_NAMES.get(r["entrant"]["target_group"], ""),
                amount=r.get("amount", 0),
            )
            for r in decision["recipients"]
        ),
        total=prize["total"],
    )
    return await asyncio.to_thread(render_payment_list, data)
