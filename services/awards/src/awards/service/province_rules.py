"""A province's eligibility rules and settings as the use cases apply them: the defaults
(`awards.domain.rules.DEFAULT_RULES`, `awards.domain.settings.ProvinceSettings()`) until its administrators change
them, and the change."""

from __future__ import annotations

from awards.domain.aggregates import ProvinceRule, StoredProvinceSettings
from awards.domain.rules import DEFAULT_RULES, AwardRule
from awards.domain.settings import ProvinceSettings
from awards.repository import Repositories
from awards.service.common import province_scope
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.tenancy import Scope


async def effective_rules(*, repos: Repositories, province: str) -> list[AwardRule]:
    stored = {
        document["key"]: AwardRule.model_validate(document["rule"])
        for document in await repos.rules.find(Scope(province=province), {})
    }
    return [stored.get(rule.key, rule) for rule in DEFAULT_RULES]


async def set_rule(*, repos: Repositories, principal: Principal, rule: AwardRule) -> AwardRule:
    scope = province_scope(principal)
    document_id = f"{scope.province}:{rule.key}"
    at = now()
    entry = audit(principal.user_id, "rule_set", at, rule=rule.model_dump(mode="json"))
    document: ProvinceRule = {
        "_id": document_id,
        "tenant": None,
        "province": scope.province,
        "key": rule.key,
        "rule": rule.model_dump(mode="json"),
        "updated_at": at,
    }
    await repos.rules.set_rule(scope, document, entry)
    return rule


async def effective_settings(*, repos: Repositories, province: str) -> ProvinceSettings:
    """The province's council quorum and central quotas: what it set, else the defaults."""
    stored = await repos.settings.get(Scope(province=province), province)
    return ProvinceSettings() if stored is None else ProvinceSettings.model_validate(stored["settings"])


async def set_settings(*, repos: Repositories, principal: Principal, settings: ProvinceSettings) -> ProvinceSettings:
    """The province administrator sets the quorum and the central quotas; sessions convened afterwards use them."""
    scope = province_scope(principal)
    assert scope.province is not None
    at = now()
    dumped = settings.model_dump(mode="json")
    entry = audit(principal.user_id, "settings_set", at, settings=dumped)
    document: StoredProvinceSettings = {
        "_id": scope.province,
        "tenant": None,
        "province": scope.province,
        "settings": dumped,
        "updated_at": at,
    }
    await repos.settings.set_settings(scope, document, entry)
    return settings
