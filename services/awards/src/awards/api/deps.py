from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from awards.repository import Repositories
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.web import roles_required


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


def font_dir(request: Request) -> Path:
    fonts: Path = request.app.state.fonts
    return fonts


Repos = Annotated[Repositories, Depends(repositories)]
Fonts = Annotated[Path, Depends(font_dir)]
Officer = Annotated[Principal, Depends(roles_required(Role.COMMUNE_OFFICER))]
Chair = Annotated[Principal, Depends(roles_required(Role.COMMUNE_CHAIR))]
Voter = Annotated[Principal, Depends(roles_required(Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR))]
Treasurer = Annotated[Principal, Depends(roles_required(Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR))]  # the fund's
ProvinceStaff = Annotated[Principal, Depends(roles_required(Role.PROVINCE_STAFF))]
ProvinceAdmin = Annotated[Principal, Depends(roles_required(Role.PROVINCE_ADMIN))]
Reader = Annotated[
    Principal,
    Depends(
        roles_required(
            Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN
        )
    ),
]
HistoryReader = Annotated[
    Principal,
    Depends(
        roles_required(
            Role.SUBMITTER,
            Role.COMMUNE_OFFICER,
            Role.COUNCIL_MEMBER,
            Role.COMMUNE_CHAIR,
            Role.PROVINCE_STAFF,
            Role.PROVINCE_ADMIN,
        )
    ),
]
AnyUser = HistoryReader
