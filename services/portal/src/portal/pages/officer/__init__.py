"""The commune officer (Phòng Văn hóa - Xã hội): entrants and their Excel import, adapting the criteria before a
period opens, checking dossiers and returning them for correction, the periods' windows and the scoring council,
preparing and running a council session, and the commune's reports."""

from fastapi import APIRouter

from portal.pages.officer import ballots, criteria, dossiers, entrants, periods, reports, sessions

router = APIRouter(prefix="/officer")
for area in (
    entrants,
    criteria,
    dossiers,
    periods,
    sessions,
    ballots,
    reports,
):  # in this order, as the paths were declared
    router.include_router(area.router)
