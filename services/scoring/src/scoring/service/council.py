"""The council roster a commune officer keeps: who reviews, and what each member may not review."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from scoring.domain.aggregates import Council
from scoring.domain.council import not_the_communes
from scoring.domain.standing_council import Establishment, StandingMember, role_problems
from scoring.repository import Repositories, stored_members
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope


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
    members: tuple[StandingMember, ...] = Field(max_length=50)
    established_by: Establishment | None = Field(
        default=None, description="Quyết định thành lập Hội đồng và nhiệm kỳ / The establishing decision and the term"
    )


ENTRANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _named_entrants(request: Roster) -> list[tuple[str, str]]:
    """Every entrant id the roster names, with the field naming it (`members.0.unit_entrant_ids.1`)."""
    named: list[tuple[str, str]] = []
    for number, member in enumerate(request.members):
        named += [(f"members.{number}.unit_entrant_ids.{n}", e) for n, e in enumerate(member.unit_entrant_ids)]
        if member.person_entrant_id is not None:
            named.append((f"members.{number}.person_entrant_id", member.person_entrant_id))
    return named


async def check_entrants(*, repos: Repositories, scope: Scope, request: Roster) -> None:
    """The entrant ids of a roster are the commune's own, as scoring knows them (docs/adr/0020): every entrant
    submissions announced (`entrant.recorded`), and, for those created before that event existed and not announced
    yet, every entrant a dossier named. An id that is no entrant id at all answers 422; one scoring does not know as
    the commune's — another commune's, none at all, or one created a moment ago whose event has not arrived — 404
    naming the field and the id, as another tenant's id in a body does (ADR 0003), and nothing is stored."""
    named = _named_entrants(request)
    malformed = [field for field, entrant_id in named if not ENTRANT_ID.fullmatch(entrant_id)]
    if malformed:
        message = "Không phải mã đối tượng thi đua (UUID) / not an entrant id (a UUID)"
        raise Unprocessable(
            "Mã đối tượng không hợp lệ / Some entrant ids are not valid",
            errors=[{"field": field, "message": message} for field in malformed],
        )
    wanted = {entrant_id for _, entrant_id in named}
    communes: dict[str, set[str]] = {e: {c} for e, c in (await repos.entrants.communes_of(wanted)).items()}
    if unannounced := wanted - communes.keys():
        communes |= await repos.scores.communes_of_entrants(unannounced)
    refused = not_the_communes(named, scope.commune, communes)
    if refused:
        raise NotFound(
            "Có đối tượng thi đua mà dịch vụ chấm điểm chưa biết là của xã; đối tượng vừa tạo cần vài giây để được "
            "cập nhật, hãy thử lại / Scoring does not know some entrants named as the commune's; one just created "
            "takes a few seconds to become known, try again",
            errors=[{"field": field, "message": _unknown(entrant_id)} for field, entrant_id in refused],
        )


def _unknown(entrant_id: str) -> str:
    return (
        f"Xã không có đối tượng {entrant_id}, hoặc dịch vụ chấm điểm chưa biết (nếu vừa tạo, hãy thử lại sau ít "
        f"giây) / No entrant {entrant_id} of the commune known to scoring yet (if just created, try again in a few "
        "seconds)"
    )


async def roster(*, repos: Repositories, scope: Scope) -> list[StandingMember]:
    document = await repos.councils.get(scope, scope.commune)
    members = document.get("members", []) if document else []
    return [StandingMember.model_validate(m) for m in members]


async def standing_council(*, repos: Repositories, scope: Scope) -> Roster:
    """The council as the officer last set it: its members, and the decision that established it when given."""
    document = await repos.councils.get(scope, scope.commune)
    if document is None:
        return Roster(members=())
    return Roster.model_validate({"members": document["members"], "established_by": document.get("established_by")})


async def set_roster(*, repos: Repositories, principal: Principal, scope: Scope, request: Roster) -> Council:
    names = [m.username for m in request.members]
    if len(names) != len(set(names)):
        raise Conflict("Thành viên bị trùng / A member is listed twice")
    problems = role_problems(request.members, established=request.established_by is not None)
    if problems:
        raise Unprocessable("Vị trí trong Hội đồng chưa đúng / The places in the council are wrong", errors=problems)
    members = stored_members(request.members)
    established = request.established_by.model_dump(mode="json") if request.established_by else None
    at = now()
    current = await repos.councils.get(scope, scope.commune)
    if current is None:
        created = await repos.councils.add(
            {
                "_id": scope.commune,
                "tenant": scope.commune,
                "province": scope.province,
                "members": members,
                "established_by": established,
                "updated_at": at,
                "audit": [audit(principal.user_id, "roster_set", at, members=members, established_by=established)],
            }
        )
        if not created:
            raise Conflict("Danh sách vừa được thay đổi / The roster changed meanwhile, reload it")
    elif not await repos.councils.set_members(
        scope,
        scope.commune,
        revision=current["revision"],
        members=members,
        established_by=established,
        audit=audit(principal.user_id, "roster_set", at, members=members, established_by=established),
    ):
        raise Conflict("Danh sách vừa được thay đổi / The roster changed meanwhile, reload it")
    document = await repos.councils.get(scope, scope.commune)
    assert document is not None
    return document
