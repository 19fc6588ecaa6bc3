from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from scoring.repositories import Repositories
from thidua_shared.auth import Principal
from thidua_shared.web import roles_required


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


Repos = Annotated[Repositories, Depends(repositories)]
Officer = Annotated[Principal, Depends(roles_required("commune_officer"))]
Member = Annotated[Principal, Depends(roles_required("council_member"))]
CommuneReader = Annotated[
    Principal,
    Depends(roles_required("commune_officer", "commune_chair", "council_member", "province_staff", "province_admin")),
]
ScoreReader = Annotated[
    Principal,
    Depends(
        roles_required(
            "submitter", "commune_officer", "commune_chair", "council_member", "province_staff", "province_admin"
        )
    ),
]
ProvinceReader = Annotated[Principal, Depends(roles_required("province_staff", "province_admin"))]
ProvinceAdmin = Annotated[Principal, Depends(roles_required("province_admin"))]
