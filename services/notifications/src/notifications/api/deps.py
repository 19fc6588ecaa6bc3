from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from notifications.adapters.directory import Directory
from notifications.repository import Repositories
from notifications.service.intake import IntakeConfig
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.web import roles_required


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
Officer = Annotated[Principal, Depends(roles_required(Role.COMMUNE_OFFICER))]
Overseer = Annotated[Principal, Depends(roles_required(Role.OPERATOR, Role.PROVINCE_ADMIN, Role.COMMUNE_OFFICER))]
Operator = Annotated[Principal, Depends(roles_required(Role.OPERATOR))]
