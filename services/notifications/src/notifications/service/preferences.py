"""A user's channels and digest choice, and a commune's webhook gateway; every change is audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from notifications.adapters.channels import resolves_inside
from notifications.domain.aggregates import WebhookGateway
from notifications.domain.delivery import Preferences
from notifications.repository import Repositories
from thidua_platform.audit import entry, now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Unprocessable
from thidua_platform.tenancy import Scope


async def preferences_of(*, repos: Repositories, scope: Scope, principal: Principal) -> Preferences:
    return Preferences.of(await repos.preferences.get(scope, principal.user_id))


async def set_preferences(
    *, repos: Repositories, scope: Scope, principal: Principal, chosen: Preferences
) -> Preferences:
    fields = chosen.choices()
    audited = entry(principal.user_id, "preferences.set", now(), **fields)
    return Preferences.of(await repos.preferences.choose(scope, principal.user_id, choices=fields, audit=audited))


async def gateway(*, repos: Repositories, scope: Scope) -> WebhookGateway | None:
    return await repos.webhooks.get(scope, scope.tenant or "")


async def set_gateway(
    *,
    repos: Repositories,
    scope: Scope,
    principal: Principal,
    url: str,
    secret: str,
    enabled: bool,
    allow_private: bool,
) -> WebhookGateway:
    """The commune's webhook gateway: HTTPS to a public address only, unless the deployment allows private gateways
    (as local development does). The secret is kept to sign calls and never shown again."""
    if not allow_private:
        message = None
        if urlsplit(url).scheme != "https":
            message = "Cổng webhook phải dùng https / The gateway must use https"
        elif await resolves_inside(url):
            message = "Cổng webhook không được trỏ vào mạng nội bộ / The gateway must not point into a private network"
        if message:
            raise Unprocessable(message, errors=[{"field": "url", "message": message}])
    shown = {"url": url, "enabled": enabled}
    saved = await repos.webhooks.save(
        scope, {**shown, "secret": secret}, entry(principal.user_id, "webhook.set", now(), **shown)
    )
    if saved is None:
        raise Conflict("Không lưu được cổng webhook, hãy thử lại / The gateway was not saved, try again")
    return saved
