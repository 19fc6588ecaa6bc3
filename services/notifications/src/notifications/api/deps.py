from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from notifications.directory import Directory
from notifications.repository import Repositories
from notifications.service.intake import IntakeConfig
from thidua_shared.auth import Principal
from thidua_shared.web import roles_required


def repositories(request: Request) -> Repositories:
    repos: Repositories = request.app.state.repositories
    return repos


def directory(request: Request) -> Directory:
    people: Directory = request.app.state.directory
    return people


def intake(request: Request) -> IntakeConfig:
    config: IntakeConfig = request.app.state.intake
    return config


Repos = Annotated[Repositories, Depends(repositories)]
People = Annotated[Directory, Depends(directory)]
Intake = Annotated[IntakeConfig, Depends(intake)]
Officer = Annotated[Principal, Depends(roles_required("commune_officer"))]
Overseer = Annotated[Principal, Depends(roles_required("operator", "province_admin", "commune_officer"))]
Operator = Annotated[Principal, Depends(roles_required("operator"))]
