"""Dependencies of the submissions API: repositories, the acting user, upload limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from submissions.repositories import Repositories
from submissions.service.access import Actor, commune_actor, reader
from submissions.settings import SubmissionsSettings
from thidua_shared.auth import Principal
from thidua_shared.web import roles_required

COMMUNE_ROLES = ("submitter", "commune_officer", "council_member", "commune_chair")
READ_ROLES = (*COMMUNE_ROLES, "province_staff", "province_admin")


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


def settings(request: Request) -> SubmissionsSettings:
    value: SubmissionsSettings = request.app.state.settings
    return value


Repos = Annotated[Repositories, Depends(repositories)]
Settings = Annotated[SubmissionsSettings, Depends(settings)]


async def _reading(principal: Annotated[Principal, Depends(roles_required(*READ_ROLES))], repos: Repos) -> Actor:
    return await reader(principal, repos.entrants)


async def _acting(
    principal: Annotated[Principal, Depends(roles_required("submitter", "commune_officer"))], repos: Repos
) -> Actor:
    return await commune_actor(principal, repos.entrants)


async def _officer(principal: Annotated[Principal, Depends(roles_required("commune_officer"))], repos: Repos) -> Actor:
    return await commune_actor(principal, repos.entrants)


Reader = Annotated[Actor, Depends(_reading)]
Filer = Annotated[Actor, Depends(_acting)]
Officer = Annotated[Actor, Depends(_officer)]
ProvinceAdmin = Annotated[Principal, Depends(roles_required("province_admin"))]
AnyReader = Annotated[Principal, Depends(roles_required(*READ_ROLES))]
