"""The commune officer (Phòng Văn hóa - Xã hội): entrants and their Excel import, adapting the criteria before a
period opens, checking dossiers and returning them for correction, the periods' windows and the scoring council,
preparing and running a council session, the commune's reports, ad-hoc awards, the commune's fund (which the
chairman reads too) and the award history imported from Excel."""

from fastapi import APIRouter

from portal.pages.officer import (
    ad_hoc,
    ballots,
    criteria,
    dossiers,
    entrants,
    fund,
    history,
    periods,
    reports,
    sessions,
)

router = APIRouter(prefix="/officer")
for area in (
    entrants,
    criteria,
    dossiers,
    periods,
    sessions,
    ballots,
    reports,
    ad_hoc,
    fund,
    history,
):  # in this order, as the paths were declared
    router.include_router(area.router)
