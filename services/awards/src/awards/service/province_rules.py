"""A province's eligibility rules as the use cases apply them: the defaults (`awards.domain.rules.DEFAULT_RULES`)
until its administrators change one, and the change."""

from __future__ import annotations

from awards.domain.aggregates import ProvinceRule
from awards.domain.rules import DEFAULT_RULES, AwardRule
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
