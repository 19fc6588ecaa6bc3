"""A unit's focal officer (submitter): registration for a period, their dossiers (create, report evidence, attach
files, submit, read the reasons of a return, resubmit), their scores and awards. Officers may act for a unit too."""

from fastapi import APIRouter

from portal.pages.submitter import dossiers, registrations, results

router = APIRouter(prefix="/submitter")
for area in (registrations, dossiers, results):  # in this order, as the paths were declared
    router.include_router(area.router)
