from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from notifications.api.deps import Officer, Repos
from notifications.api.schemas import Preview, PreviewBody, TemplateBody, TemplateKind, TemplateView
from notifications.domain.templates import KINDS, PARTS
from notifications.service import templates as service
from thidua_platform.tenancy import commune_scope

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", summary="Các loại thông báo và mẫu đang dùng / Message kinds and the templates in use")
async def list_templates(principal: Officer, repos: Repos) -> list[TemplateView]:
    scope = commune_scope(principal)
    return [TemplateView.of(await service.current(repos=repos, scope=scope, kind=kind)) for kind in KINDS]


@router.get("/{kind}", summary="Mẫu đang dùng, các phiên bản và dữ liệu mẫu / Template in use, versions, sample")
async def template_kind(kind: str, principal: Officer, repos: Repos) -> TemplateKind:
    versions, sample = await service.in_use(repos=repos, scope=commune_scope(principal), kind=kind)
    return TemplateKind(
        kind=kind, current=TemplateView.of(versions[0]), versions=[TemplateView.of(v) for v in versions], sample=sample
    )


@router.put("/{kind}", summary="Lưu phiên bản mới của mẫu (của xã) / Save a new version of the commune's template")
async def save_template(kind: str, body: TemplateBody, principal: Officer, repos: Repos) -> TemplateView:
    saved = await service.save(
        repos=repos,
        scope=commune_scope(principal),
        kind=kind,
        parts=body.model_dump(),
        actor=principal.username,
        actor_id=principal.user_id,
    )
    return TemplateView.of(saved)


@router.post("/{kind}/preview", summary="Xem trước thông báo / Preview a message")
async def preview(kind: str, body: PreviewBody, principal: Officer, repos: Repos) -> Preview:
    """Renders the given parts (or the template in use) with the kind's sample facts, overridden by those given."""
    rendered, facts = await service.preview(
        repos=repos,
        scope=commune_scope(principal),
        kind=kind,
        parts={part: getattr(body, part) for part in PARTS},
        facts=body.facts,
    )
    return Preview(**asdict(rendered), text=rendered.text(), html=rendered.html(), facts=facts)
