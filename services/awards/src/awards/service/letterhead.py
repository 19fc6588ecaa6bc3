"""How the commune names itself on its documents (tiêu đề văn bản): set once by the commune officer."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from awards.domain.aggregates import Letterhead
from awards.repository import Repositories
from thidua_commons.units import province_body, unit_title
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED, ShortText, TextRule


class LetterheadInput(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH",
                    "parent_body": "TỈNH NINH BÌNH",
                    "place": "Liên Minh",
                    "authority": "UBND xã Liên Minh",
                }
            ]
        },
    )
    issuing_body: ShortText = Field(description="Tên cơ quan ban hành, chữ in hoa / Issuing body, capitals")
    parent_body: Annotated[str, TextRule(max_length=300, min_length=0, multi_line=False)] = Field(
        default="", description="Cơ quan cấp trên / Parent body"
    )
    place: ShortText = Field(description="Địa danh ghi trước ngày tháng / Place before the date")
    authority: ShortText = Field(description="Tên ngắn của UBND, ví dụ UBND xã Liên Minh / Short name")


def default_letterhead(scope: Scope, name: str = "", province_name: str = "") -> LetterheadInput:
    """Until the officer sets it, the letterhead the commune's provisioned name gives ("Xã Liên Minh" → "ỦY BAN NHÂN
    DÂN XÃ LIÊN MINH", "Liên Minh", "UBND xã Liên Minh", under "TỈNH NINH BÌNH"); without a name, the commune code
    stands in for it (visibly a placeholder)."""
    title = unit_title(name)
    if title is None:
        return LetterheadInput(
            issuing_body=f"ỦY BAN NHÂN DÂN {scope.tenant}".upper(),
            place=scope.commune,
            authority=f"UBND {scope.tenant}",
        )
    return LetterheadInput(
        issuing_body=title.issuing_body,
        parent_body=province_body(province_name),
        place=title.proper,
        authority=title.authority,
    )


async def letterhead_of(*, repos: Repositories, scope: Scope) -> LetterheadInput:
    """The officer's saved letterhead, or else the default from the commune's name in the directory."""
    document = await repos.letterheads.get(scope, scope.commune)
    if document is None:
        units = await repos.units.province(scope.province or "")
        return default_letterhead(scope, units.communes.get(scope.commune, ""), units.name)
    stored = {k: v for k, v in document.items() if k in LetterheadInput.model_fields}
    return LetterheadInput.model_validate(stored, context=STORED)


async def authority_of(*, repos: Repositories, scope: Scope) -> str:
    return (await letterhead_of(repos=repos, scope=scope)).authority


async def set_letterhead(
    *, repos: Repositories, principal: Principal, scope: Scope, request: LetterheadInput
) -> LetterheadInput:
    at = now()
    entry = audit(principal.user_id, "letterhead_set", at, **request.model_dump())
    letterhead: Letterhead = {
        "_id": scope.commune,
        "tenant": scope.tenant,
        "province": scope.province,
        "issuing_body": request.issuing_body,
        "parent_body": request.parent_body,
        "place": request.place,
        "authority": request.authority,
        "updated_at": at,
    }
    await repos.letterheads.set_letterhead(scope, letterhead, entry)
    return request
