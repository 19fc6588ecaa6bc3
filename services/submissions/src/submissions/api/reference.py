"""The movement's reference lists in Vietnamese: themes, target groups, rule kinds, dossier statuses."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from submissions.domain.criteria import TARGET_GROUPS, THEMES
from submissions.domain.lifecycle import STATUS_NAMES
from thidua_platform.web import CurrentPrincipal

router = APIRouter(tags=["reference"])

RULE_KINDS = {
    "ratio": "Tỷ lệ so với chỉ tiêu",
    "steps": "Theo bậc",
    "level": "Mức độ hoàn thành (đủ, một phần, chưa)",
    "assessment": "Hội đồng chấm",
    "bonus_penalty": "Điểm thưởng / điểm trừ",
}


class Reference(BaseModel):
    themes: dict[int, str]
    target_groups: dict[str, str]
    rule_kinds: dict[str, str]
    statuses: dict[str, str]


@router.get("/reference", summary="Danh mục dùng chung / Reference lists")
async def reference(principal: CurrentPrincipal) -> Reference:
    return Reference(
        themes=THEMES,
        target_groups=TARGET_GROUPS,
        rule_kinds=RULE_KINDS,
        statuses={status.value: name for status, name in STATUS_NAMES.items()},
    )
