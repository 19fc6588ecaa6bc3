"""The routers' Annotated dependencies: the principal by role, the repositories, the period parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from scoring.repository import Repositories
from thidua_contracts.roles import Role
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.auth import Principal
from thidua_platform.web import roles_required


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


Repos = Annotated[Repositories, Depends(repositories)]
Officer = Annotated[Principal, Depends(roles_required(Role.COMMUNE_OFFICER))]
Member = Annotated[Principal, Depends(roles_required(Role.COUNCIL_MEMBER))]
CommuneReader = Annotated[
    Principal,
    Depends(
        roles_required(
            Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.COUNCIL_MEMBER, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN
        )
    ),
]
ScoreReader = Annotated[
    Principal,
    Depends(
        roles_required(
            Role.SUBMITTER,
            Role.COMMUNE_OFFICER,
            Role.COMMUNE_CHAIR,
            Role.COUNCIL_MEMBER,
            Role.PROVINCE_STAFF,
            Role.PROVINCE_ADMIN,
        )
    ),
]
ProvinceReader = Annotated[Principal, Depends(roles_required(Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN))]
ProvinceAdmin = Annotated[Principal, Depends(roles_required(Role.PROVINCE_ADMIN))]
PeriodQuery = Annotated[str, Query(pattern=PERIOD_CODE_PATTERN)]
PeriodPath = Annotated[str, Path(pattern=PERIOD_CODE_PATTERN)]
