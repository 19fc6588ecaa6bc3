"""Seeds a commune's entrants, as the officer's workbook import writes them, and the registration of each entrant
and period that has a dossier."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from benchmarks.seeding.plan import PROVINCE, Dossier, Entrant
from benchmarks.seeding.submissions.campaign import Campaign
from benchmarks.seeding.submissions.common import IMPORTED_AT, OFFICER, REGISTERED_BEFORE, _applied, _registration_id
from submissions.domain import aggregates
from submissions.service.entrants import NewEntrant, natural_key
from submissions.service.registrations import entrant_ref
from thidua_platform.audit import entry
from thidua_platform.mongo import Document


def _entrant(entrant: Entrant, number: int) -> Document:
    """As the officer's workbook import writes it (`entrants._document`), under the plan's id."""
    model = NewEntrant(
        name=entrant.name,
        kind=entrant.kind,
        target_group=entrant.target_group,
        unit_id=entrant.unit_id,
        position=entrant.position,
        focal_users=list(entrant.focal_users),
    )
    at = IMPORTED_AT + timedelta(milliseconds=number)
    return {
        "_id": entrant.id,
        "tenant": entrant.tenant,
        "province": PROVINCE,
        "natural_key": natural_key(entrant.tenant, entrant.kind, entrant.name, entrant.unit_id),
        **model.model_dump(),
        "created_by": OFFICER,
        "created_at": at,
        "announced_at": at,
        "audit": [entry(OFFICER, "created", at, origin="import", name=entrant.name)],
        "revision": 1,
        "applied_changes": _applied(entrant.id, [1]),  # EntrantRecorded
    }


def _registration(dossier: Dossier, campaign: Campaign, entrant: Document) -> Document:
    registration_id = _registration_id(dossier)
    at = dossier.created_at - REGISTERED_BEFORE
    return {
        "_id": registration_id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "campaign_id": campaign.id,
        "period": dossier.period,
        "entrant": entrant_ref(cast(aggregates.Entrant, entrant)).model_dump(),
        "targets": {},
        "registered_by": dossier.submitted_by,
        "created_at": at,
        "audit": [entry(dossier.submitted_by, "registered", at, targets={})],
        "revision": 1,
        "applied_changes": _applied(registration_id, [1]),  # RegistrationRecorded
    }
