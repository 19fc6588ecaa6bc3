"""Registration to take part in a period (đăng ký thi đua)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from submissions.api.deps import Filer, Reader, Repos
from submissions.api.schemas import RegistrationCount, RegistrationView
from submissions.service import registrations
from submissions.service.registrations import NewRegistration
from thidua_contracts.terms import PERIOD_CODE_PATTERN, TargetGroup
from thidua_platform.idempotency import IdempotencyKeyHeader, answer_replay, idempotency
from thidua_platform.pagination import Page, Paging

router = APIRouter(prefix="/registrations", tags=["registrations"])
PeriodQuery = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Đăng ký thi đua / Register for a period")
async def register(
    body: NewRegistration, actor: Filer, repos: Repos, response: Response, key: IdempotencyKeyHeader = None
) -> RegistrationView:
    document, created = await registrations.register(
        repos=repos,
        actor=actor,
        request=body,
        key=idempotency(actor.principal, "registration", key, body.model_dump()),
    )
    answer_replay(response, created)
    return RegistrationView.of(document)


@router.get("", summary="Danh sách đăng ký / Registrations")
async def list_registrations(
    actor: Reader,
    repos: Repos,
    paging: Paging,
    period: PeriodQuery = None,
    group: TargetGroup | None = None,
    entrant: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[RegistrationView]:
    documents, total = await registrations.list_registrations(
        repos=repos, actor=actor, period=period, group=group, entrant=entrant, paging=paging
    )
    return Page(
        items=[RegistrationView.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size
    )


@router.get("/counts", summary="Số đăng ký theo xã và nhóm / Registrations per commune and group")
async def counts(
    actor: Reader, repos: Repos, period: Annotated[str, Query(pattern=PERIOD_CODE_PATTERN)]
) -> list[RegistrationCount]:
    rows = await registrations.registration_counts(repos=repos, actor=actor, period=period)
    return [RegistrationCount.model_validate(row) for row in rows]


@router.get("/{registration_id}", summary="Xem đăng ký / A registration")
async def get_registration(registration_id: str, actor: Reader, repos: Repos) -> RegistrationView:
    document = await registrations.get_registration(repos=repos, actor=actor, registration_id=registration_id)
    return RegistrationView.of(document)
