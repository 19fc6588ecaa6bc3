"""The province administrator: the award catalogue and the province's rules, the council and prize-money settings,
the province's default criteria, the notification deliveries, and the province's communes by name. Each page reads
and writes the services' own APIs as the signed-in person; what a service refuses is shown beside its field."""

from fastapi import APIRouter

from portal.pages.admin import communes, criteria, notifications, rules, settings

router = APIRouter(prefix="/admin")
for area in (rules, settings, criteria, notifications, communes):
    router.include_router(area.router)
