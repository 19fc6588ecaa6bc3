"""A province's prize-money settings as the use cases apply them: the defaults (`DEFAULT_PRIZE_SETTINGS`) until its
administrator sets its own, and the change (audited); and the prize a decision pays under them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from awards.domain.aggregates import DecisionPrize, ProvincePrizeSettings, RecipientRow
from awards.domain.prize import DEFAULT_PRIZE_SETTINGS, PrizeSettings, prize_of
from awards.repository import Repositories
from awards.service.common import province_scope
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.tenancy import Scope


async def prize_settings(*, repos: Repositories, province: str) -> PrizeSettings:
    """The province's settings, or the defaults while it has set none."""
    stored = await repos.prize_settings.get(Scope(province=province), province)
    return DEFAULT_PRIZE_SETTINGS if stored is None else PrizeSettings.model_validate(stored["settings"])


async def set_prize_settings(*, repos: Repositories, principal: Principal, settings: PrizeSettings) -> PrizeSettings:
    """The province administrator replaces the province's settings as a whole; the change is audited."""
    scope = province_scope(principal)
    at = now()
    dumped = settings.model_dump(mode="json")
    document: ProvincePrizeSettings = {
        "_id": scope.province_code,
        "tenant": None,
        "province": scope.province,
        "settings": dumped,
        "updated_at": at,
    }
    await repos.prize_settings.set_settings(scope, document, audit(principal.user_id, "prize_set", at, **dumped))
    return settings


async def decision_prize(
    *, repos: Repositories, scope: Scope, form: str, signed_on: date, rows: Sequence[RecipientRow]
) -> tuple[DecisionPrize | None, list[RecipientRow]]:
    """What a decision of the form signed on `signed_on` pays under the province's settings: its prize and its rows,
    each with its amount; (None, the rows unchanged) when the settings set no amount for it."""
    settings = await prize_settings(repos=repos, province=scope.province_code)
    prize = prize_of(settings, form, (r["entrant"]["kind"] for r in rows), signed_on)
    if prize is None:
        return None, list(rows)
    paid: list[RecipientRow] = []
    for row in rows:
        with_amount = row.copy()
        with_amount["amount"] = prize.amounts[row["entrant"]["kind"]]
        paid.append(with_amount)
    return {
        "base_salary": prize.base_salary,
        "base_salary_from": prize.base_salary_from.isoformat(),
        "rounding_unit": prize.rounding_unit,
        "coefficients": dict(prize.coefficients.items()),
        "amounts": dict(prize.amounts.items()),
        "total": sum(prize.amounts[row["entrant"]["kind"]] for row in rows),
    }, paid
