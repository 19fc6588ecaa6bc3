"""Small pieces the awards use cases share."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TypeVar

from awards.domain.aggregates import Candidate, Entrant, Score
from awards.domain.catalogue import FORMS, AwardForm
from thidua_contracts.terms import EntrantRef
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope as Envelope
from thidua_platform.envelope import EventData, derived_id, new_event
from thidua_platform.problems import Forbidden, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import STORED

SOURCE = "thidua/awards"
Found = TypeVar("Found")


def event(
    data: EventData, *, scope: Scope, subject: str, tenant: str | None = None, event_id: uuid.UUID | None = None
) -> Envelope:
    province = scope.province
    assert province is not None, "awards events always belong to a province"
    return new_event(
        data, source=SOURCE, subject=subject, tenant=tenant or scope.tenant, province=province, event_id=event_id
    )


def province_scope(principal: Principal) -> Scope:
    """What belongs to the whole province (its rules, its showcase): every user of the province reads the same."""
    if not principal.province:
        raise Forbidden("Người dùng không thuộc tỉnh nào / The user belongs to no province")
    return Scope(province=principal.province)


def candidate_id(tenant: str, period: str, form: str, entrant_id: str) -> str:
    """One candidate per entrant, form and period: the same id however often it is computed."""
    return str(derived_id("candidate", tenant, period, form, entrant_id))


def entrant_of(document: Candidate | Score) -> EntrantRef:
    """The entrant as the document keeps it, its name as stored (thidua_platform.text)."""
    return EntrantRef.model_validate(document["entrant"], context=STORED)


def stored_entrant(entrant: EntrantRef) -> Entrant:
    """An entrant as the aggregates keep it: what `entrant.model_dump()` gives."""
    return {
        "id": entrant.id,
        "name": entrant.name,
        "kind": entrant.kind,
        "target_group": entrant.target_group,
        "unit_id": entrant.unit_id,
    }


def form_or_422(code: str, field: str = "award_form") -> AwardForm:
    form = FORMS.get(code)
    if form is None:
        raise Unprocessable(
            "Hình thức khen thưởng không có trong danh mục / Unknown award form",
            errors=[{"field": field, "message": f"phải là một trong / must be one of {sorted(FORMS)}"}],
        )
    return form


def found(document: Found | None, what: str) -> Found:
    """The document, or 404 naming what was looked for ("đợt họp / council session")."""
    if document is None:
        raise NotFound(f"Không tìm thấy {what} / Not found")
    return document


def field_error(field: str, message: str, detail: str) -> Unprocessable:
    return Unprocessable(detail, errors=[{"field": field, "message": message}])


def distinct(values: Sequence[str], field: str) -> list[str]:
    if len(values) != len(set(values)):
        raise field_error(field, "có mục trùng / duplicates", "Danh sách có mục trùng / The list has duplicates")
    return list(values)
