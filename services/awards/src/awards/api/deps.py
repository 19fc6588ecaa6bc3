from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from awards.repositories import Repositories
from thidua_shared.auth import Principal
from thidua_shared.web import roles_required


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


def font_dir(request: Request) -> Path:
    fonts: Path = request.app.state.fonts
    return fonts


Repos = Annotated[Repositories, Depends(repositories)]
Fonts = Annotated[Path, Depends(font_dir)]
Officer = Annotated[Principal, Depends(roles_required("commune_officer"))]
Chair = Annotated[Principal, Depends(roles_required("commune_chair"))]
Voter = Annotated[Principal, Depends(roles_required("council_member", "commune_chair"))]
ProvinceStaff = Annotated[Principal, Depends(roles_required("province_staff"))]
ProvinceAdmin = Annotated[Principal, Depends(roles_required("province_admin"))]
Reader = Annotated[
    Principal,
    Depends(roles_required("commune_officer", "council_member", "commune_chair", "province_staff", "province_admin")),
]
HistoryReader = Annotated[
    Principal,
    Depends(
        roles_required(
            "submitter", "commune_officer", "council_member", "commune_chair", "province_staff", "province_admin"
        )
    ),
]
AnyUser = HistoryReader
