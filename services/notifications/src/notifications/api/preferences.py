from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from notifications.api.deps import Officer, Repos
from notifications.api.schemas import Gateway, GatewayView, PreferencesBody
from notifications.domain.delivery import Preferences
from notifications.service import preferences as service
from thidua_platform.problems import NotFound
from thidua_platform.tenancy import commune_scope, read_scope
from thidua_platform.web import CurrentPrincipal

router = APIRouter(tags=["preferences"])


@router.get("/preferences", summary="Tùy chọn nhận thông báo của tôi / My notification preferences")
async def my_preferences(principal: CurrentPrincipal, repos: Repos) -> PreferencesBody:
    chosen = await service.preferences_of(repos=repos, scope=read_scope(principal), principal=principal)
    return PreferencesBody(**asdict(chosen))


@router.put("/preferences", summary="Đặt tùy chọn nhận thông báo / Set my notification preferences")
async def set_my_preferences(body: PreferencesBody, principal: CurrentPrincipal, repos: Repos) -> PreferencesBody:
    chosen = await service.set_preferences(
        repos=repos, scope=read_scope(principal), principal=principal, chosen=Preferences(**body.model_dump())
    )
    return PreferencesBody(**asdict(chosen))


@router.get("/webhook", summary="Cổng webhook của xã (Zalo OA, SMS) / The commune's webhook gateway")
async def commune_gateway(principal: Officer, repos: Repos) -> GatewayView:
    found = await service.gateway(repos=repos, scope=commune_scope(principal))
    if found is None:
        raise NotFound("Xã chưa cấu hình cổng webhook / The commune has no webhook gateway")
    return GatewayView.of(found)


@router.put("/webhook", summary="Đặt cổng webhook của xã / Set the commune's webhook gateway")
async def set_commune_gateway(body: Gateway, principal: Officer, repos: Repos, request: Request) -> GatewayView:
    """HTTPS to a public address only (unless the deployment allows private gateways, as local development does)."""
    saved = await service.set_gateway(
        repos=repos,
        scope=commune_scope(principal),
        principal=principal,
        url=str(body.url),
        secret=body.secret.get_secret_value(),
        enabled=body.enabled,
        allow_private=request.app.state.webhook_allow_private,
    )
    return GatewayView.of(saved)
