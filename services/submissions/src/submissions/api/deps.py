"""Dependencies of the submissions API: repositories, the acting user, upload limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from submissions.repository import Repositories
from submissions.service.access import Actor, commune_actor, reader
from submissions.settings import SubmissionsSettings
from thidua_contracts.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role
from thidua_platform.auth import Principal
from thidua_platform.web import roles_required

READ_ROLES = (*COMMUNE_ROLES, *PROVINCE_ROLES)


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


def settings(request: Request) -> SubmissionsSettings:
    value: SubmissionsSettings = request.app.state.settings
    return value


Repos = Annotated[Repositories, Depends(repositories)]
Settings = Annotated[SubmissionsSettings, Depends(settings)]


async def _reading(principal: Annotated[Principal, Depends(roles_required(*READ_ROLES))], repos: Repos) -> Actor:
    return await reader(principal=principal, entrants=repos.entrants)


async def _acting(
    principal: Annotated[Principal, Depends(roles_required(Role.SUBMITTER, Role.COMMUNE_OFFICER))], repos: Repos
) -> Actor:
    return await commune_actor(principal=principal, entrants=repos.entrants)


async def _officer(
    principal: Annotated[Principal, Depends(roles_required(Role.COMMUNE_OFFICER))], repos: Repos
) -> Actor:
    return await commune_actor(principal=principal, entrants=repos.entrants)


Reader = Annotated[Actor, Depends(_reading)]
Filer = Annotated[Actor, Depends(_acting)]
Officer = Annotated[Actor, Depends(_officer)]
ProvinceAdmin = Annotated[Principal, Depends(roles_required(Role.PROVINCE_ADMIN))]
AnyReader = Annotated[Principal, Depends(roles_required(*READ_ROLES))]
