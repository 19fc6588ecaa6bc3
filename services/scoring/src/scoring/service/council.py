"""The council roster a commune officer keeps: who reviews, and what each member may not review."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scoring.domain.aggregates import Council
from scoring.domain.council import CouncilMember
from scoring.repositories import Repositories, stored_members
from thidua_shared.audit import entry as audit
from thidua_shared.audit import now
from thidua_shared.auth import Principal
from thidua_shared.problems import Conflict
from thidua_shared.tenancy import Scope


class Roster(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "members": [
                        {"username": "lm.council1", "unit_entrant_ids": ["5b7f6c0e-2f0a-4c53-9a1e-1c8f6a0d2b11"]},
                        {"username": "lm.council2"},
                    ]
                }
            ]
        },
    )
    members: tuple[CouncilMember, ...] = Field(max_length=50)


async def roster(repos: Repositories, scope: Scope) -> list[CouncilMember]:
    document = await repos.councils.get(scope, scope.commune)
    members = document.get("members", []) if document else []
    return [CouncilMember.model_validate(m) for m in members]


async def set_roster(*, repos: Repositories, principal: Principal, scope: Scope, request: Roster) -> Council:
    names = [m.username for m in request.members]
    if len(names) != len(set(names)):
        raise Conflict("Thành viên bị trùng / A member is listed twice")
    members = stored_members(request.members)
    at = now()
    current = await repos.councils.get(scope, scope.commune)
    if current is None:
        created = await repos.councils.add(
            {
                "_id": scope.commune,
                "tenant": scope.commune,
                "province": scope.province,
                "members": members,
                "updated_at": at,
                "audit": [audit(principal.user_id, "roster_set", at, members=members)],
            }
        )
        if not created:
            raise Conflict("Danh sách vừa được thay đổi / The roster changed meanwhile, reload it")
    elif not await repos.councils.set_members(
        scope,
        scope.commune,
        revision=current["revision"],
        members=members,
        audit=audit(principal.user_id, "roster_set", at, members=members),
    ):
        raise Conflict("Danh sách vừa được thay đổi / The roster changed meanwhile, reload it")
    document = await repos.councils.get(scope, scope.commune)
    assert document is not None
    return document
