"""Prize money: the province's settings, the commune's fund, the payment list of a decision."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from awards.api.deps import AnyUser, Officer, ProvinceAdmin, Repos, Treasurer
from awards.domain.aggregates import FundKind, FundMovement
from awards.domain.prize import PrizeSettings
from awards.service import fund, payments, prize
from awards.service.common import province_scope
from awards.service.fund import Balance, MovementRequest
from thidua_platform.pagination import Paging
from thidua_platform.tenancy import commune_scope

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_NAMES: dict[FundKind, str] = {
    "allocation": "Ngân sách cấp / Budget allocation",
    "other_income": "Thu khác / Other income",
    "decision_payment": "Chi thưởng theo quyết định / A decision's prize money",
    "other_expense": "Chi khác / Other expense",
}


class MovementView(BaseModel):
    id: str
    on: date
    kind: FundKind
    kind_name: str
    amount: int
    delta: int = Field(description="Tác động lên số dư / What it does to the balance (negative: an expense)")
    description: str
    reference: str | None
    decision_id: str | None
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, movement: FundMovement) -> MovementView:
        return cls.model_validate({**movement, "id": movement["_id"], "kind_name": KIND_NAMES[movement["kind"]]})


class FundPage(BaseModel):
    items: list[MovementView]
    total: int
    page: int
    page_size: int
    balance: int = Field(description="Số dư, đồng / The balance in đồng")
    warning: str | None = Field(default=None, description="Quỹ âm / The fund is short")


class Recorded(BaseModel):
    movement: MovementView
    balance: int
    warning: str | None = None


@router.get(
    "/prize-settings", tags=["prize"], summary="Tiền thưởng: hệ số và lương cơ sở của tỉnh / The province's prize money"
)
async def get_prize_settings(principal: AnyUser, repos: Repos) -> PrizeSettings:
    return await prize.prize_settings(repos=repos, province=province_scope(principal).province_code)


@router.put("/prize-settings", tags=["prize"], summary="Đặt mức tiền thưởng của tỉnh / Set the province's prize money")
async def put_prize_settings(body: PrizeSettings, principal: ProvinceAdmin, repos: Repos) -> PrizeSettings:
    return await prize.set_prize_settings(repos=repos, principal=principal, settings=body)


@router.get(
    "/fund",
    tags=["prize"],
    summary="Quỹ thi đua, khen thưởng của xã: thu, chi, số dư / The commune's fund",
    description="Theo trang; ngày gần nhất trước. / Paged; the latest day first.",
)
async def get_fund(principal: Treasurer, repos: Repos, paging: Paging) -> FundPage:
    found, total, balance = await fund.movements(
        repos=repos, scope=commune_scope(principal), skip=paging.skip, limit=paging.page_size
    )
    return FundPage(
        items=[MovementView.of(m) for m in found],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
        balance=balance.amount,
        warning=balance.warning,
    )


@router.post(
    "/fund/movements",
    tags=["prize"],
    status_code=201,
    summary="Ghi thu hoặc chi của quỹ / Record a receipt or an expense",
)
async def post_movement(body: MovementRequest, principal: Officer, repos: Repos) -> Recorded:
    movement, balance = await fund.record_movement(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    return _recorded(movement, balance)


def _recorded(movement: FundMovement, balance: Balance) -> Recorded:
    return Recorded(movement=MovementView.of(movement), balance=balance.amount, warning=balance.warning)


@router.get(
    "/decisions/{decision_id}/payments.xlsx",
    tags=["decisions"],
    summary="Danh sách chi tiền thưởng (Excel) / The decision's payment list",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Danh sách chi / The payment list"}},
)
async def payment_list(decision_id: str, principal: Treasurer, repos: Repos) -> Response:
    content = await payments.payment_list(repos=repos, scope=commune_scope(principal), decision_id=decision_id)
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="danh-sach-chi-{decision_id}.xlsx"'},
    )
