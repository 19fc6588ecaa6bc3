"""The showcase (nhân rộng điển hình tiên tiến): published by a commune's officers, read across the province."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from awards.api.deps import AnyUser, Officer, Repos
from awards.api.schemas import ShowcaseItem
from awards.service import showcase
from awards.service.common import province_scope
from awards.service.showcase import ShowcaseRequest
from thidua_platform.pagination import Page, Paging
from thidua_platform.tenancy import Scope, commune_scope

router = APIRouter(tags=["showcase"])
HistoryId = Annotated[
    str, Path(min_length=1, max_length=300, description="Mã mục trong lịch sử khen thưởng / A history entry's id")
]


@router.get("/showcase", summary="Điển hình tiên tiến trong tỉnh / The province's showcase, newest first")
async def list_showcase(
    principal: AnyUser,
    repos: Repos,
    paging: Paging,
    commune: Annotated[
        str | None, Query(max_length=64, description="Chỉ của một xã / Only one commune's items")
    ] = None,
) -> Page[ShowcaseItem]:
    scope = province_scope(principal)
    if commune:  # a commune's own items (its officer's publishing page), read without the province's
        scope = Scope(tenant=commune, province=scope.province)
    documents, total = await showcase.published(repos=repos, scope=scope, paging=paging)
    return Page(
        items=[ShowcaseItem.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size
    )


@router.put("/showcase/{history_id}", summary="Đăng một khen thưởng của xã / Publish an award of the commune")
async def publish(history_id: HistoryId, body: ShowcaseRequest, principal: Officer, repos: Repos) -> ShowcaseItem:
    document = await showcase.publish(
        repos=repos, principal=principal, scope=commune_scope(principal), history_id=history_id, request=body
    )
    return ShowcaseItem.of(document)


@router.delete(
    "/showcase/{history_id}",
    status_code=204,
    response_class=Response,
    summary="Gỡ khỏi điển hình tiên tiến / Unpublish",
)
async def withdraw(history_id: HistoryId, principal: Officer, repos: Repos) -> Response:
    await showcase.withdraw(repos=repos, principal=principal, scope=commune_scope(principal), history_id=history_id)
    return Response(status_code=204)
