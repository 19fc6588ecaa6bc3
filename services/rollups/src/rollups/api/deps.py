"""Dependencies of the rollups API: the reader by role, the read models, the consumers' lag, the units' names, the
period asked for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from rollups.repository import ReadModels
from thidua_contracts.roles import Role
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.auth import Principal
from thidua_platform.lag import LagProbe
from thidua_platform.units import UnitDirectory
from thidua_platform.web import roles_required

COMMUNE_READERS = (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN)
PROVINCE_READERS = (Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN)


def read_models(request: Request) -> ReadModels:
    models: ReadModels = request.app.state.read_models
    return models


def lag_probe(request: Request) -> LagProbe:
    probe: LagProbe = request.app.state.lag
    return probe


def unit_directory(request: Request) -> UnitDirectory:
    units: UnitDirectory = request.app.state.units
    return units


Models = Annotated[ReadModels, Depends(read_models)]
Lag = Annotated[LagProbe, Depends(lag_probe)]
Units = Annotated[UnitDirectory, Depends(unit_directory)]
CommuneReader = Annotated[Principal, Depends(roles_required(*COMMUNE_READERS))]
ProvinceReader = Annotated[Principal, Depends(roles_required(*PROVINCE_READERS))]
# whoever reads a commune's figures may make its report (the service checks which commune or province)
Reporter = Annotated[Principal, Depends(roles_required(*COMMUNE_READERS))]
Period = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]
