"""Entrants (đối tượng thi đua): the collectives and individuals of a commune. No national ID numbers."""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from submissions.domain.aggregates import Entrant
from submissions.domain.workbook.model import EntrantRow, RowError, WorkbookUnreadable
from submissions.domain.workbook.reading import parse_entrants_workbook
from submissions.repository import Repositories
from submissions.service.access import Actor
from thidua_contracts.submissions import EntrantRecorded
from thidua_contracts.terms import EntrantKind, TargetGroup
from thidua_platform.audit import entry, now, system_actor
from thidua_platform.envelope import Envelope, derived_id, new_event
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText

INDIVIDUAL_GROUPS = ("d1", "d2")
Username = str
SOURCE = "thidua/submissions"


class NewEntrant(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {
                    "name": "Thôn Đông Hưng",
                    "kind": "collective",
                    "target_group": "a",
                    "unit_type": "thôn",
                    "focal_users": ["lm.submitter"],
                },
                {
                    "name": "Nguyễn Thị Hoa",
                    "kind": "individual",
                    "target_group": "d1",
                    "unit_id": "5b7f6c0e-2f0a-4c53-9a1e-1c8f6a0d2b11",
                    "position": "Công chức Văn phòng - Thống kê",
                },
            ]
        },
    )
    name: ShortText
    kind: EntrantKind
    target_group: TargetGroup
    unit_type: ShortText | None = Field(default=None, description="Loại hình tập thể / Kind of collective")
    unit_id: str | None = Field(default=None, max_length=64, description="Cá nhân: thuộc tập thể / Individual's unit")
    position: ShortText | None = Field(default=None, description="Cá nhân: chức vụ / Position")
    focal_users: list[Username] = Field(
        default_factory=list, max_length=20, description="Tập thể: tài khoản cán bộ đầu mối / Focal officers"
    )

    @model_validator(mode="after")
    def _fits_kind(self) -> NewEntrant:
        individual = self.kind == "individual"
        if individual != (self.target_group in INDIVIDUAL_GROUPS):
            raise ValueError(
                "tập thể thuộc nhóm a, b, c; cá nhân thuộc nhóm d1, d2 / "
                "collectives are in groups a, b, c; individuals in d1, d2"
            )
        if individual and not self.unit_id:
            raise ValueError("cá nhân cần unit_id của tập thể mình / an individual needs the unit_id of their unit")
        if not individual and (self.unit_id or self.position):
            raise ValueError("tập thể không có unit_id, position / a collective has no unit_id or position")
        if individual and self.focal_users:
            raise ValueError("cán bộ đầu mối là của tập thể / focal users belong to collectives")
        if any(not u or len(u) > 100 or not u.isprintable() for u in self.focal_users):
            raise ValueError("tên tài khoản không hợp lệ / invalid username in focal_users")
        return self


def natural_key(tenant: str, kind: str, name: str, unit_id: str | None) -> str:
    folded = unicodedata.normalize("NFC", name).strip().casefold()
    return f"{tenant}|{kind}|{folded}|{unit_id or ''}"


def _document(scope: Scope, actor: str, entrant: NewEntrant, *, origin: str) -> Entrant:
    tenant = scope.commune
    key = natural_key(tenant, entrant.kind, entrant.name, entrant.unit_id)
    at = now()
    return {
        "_id": str(derived_id("entrant", key)),
        "tenant": tenant,
        "province": scope.province_code,
        "natural_key": key,
        # entrant.model_dump(), field by field
        "name": entrant.name,
        "kind": entrant.kind,
        "target_group": entrant.target_group,
        "unit_type": entrant.unit_type,
        "unit_id": entrant.unit_id,
        "position": entrant.position,
        "focal_users": list(entrant.focal_users),
        "created_by": actor,
        "created_at": at,
        "announced_at": at,  # its `entrant.recorded` goes out with the insert
        "audit": [entry(actor, "created", at, origin=origin, name=entrant.name)],
    }


def recorded(entrant: Entrant) -> Envelope:
    """The entrant's `entrant.recorded`: the commune's (the envelope's tenant), its kind, group and unit, no name."""
    return new_event(
        EntrantRecorded(
            entrant_id=entrant["_id"],
            kind=entrant["kind"],
            target_group=entrant["target_group"],
            unit_id=entrant.get("unit_id"),
        ),
        source=SOURCE,
        subject=entrant["_id"],
        tenant=entrant["tenant"],
        province=entrant["province"],
    )


async def announce_earlier(*, repos: Repositories) -> int:
    """Write `entrant.recorded` for every entrant created before the event existed, so that the other services (the
    scoring council's roster) know every entrant of a commune, not only those a dossier names. Run by the worker at
    each start: it reads the entrants never announced across communes (none, once done; an entrant created since
    announced itself) and marks each in the change that carries its event, so a restart or a second worker announces
    none twice. Returns how many it announced."""
    announced = 0
    for scope, entrant_id in await repos.entrants.unannounced():
        if await repos.entrants.announce(
            scope, entrant_id, event=recorded, audit=lambda at: entry(system_actor("announce"), "announced", at)
        ):
            announced += 1
    return announced


async def create_entrant(*, repos: Repositories, actor: Actor, entrant: NewEntrant) -> Entrant:
    actor.require_officer()
    if entrant.unit_id:
        unit = await repos.entrants.get(actor.scope, entrant.unit_id, kind="collective")
        if unit is None:
            raise Unprocessable(
                "Không có tập thể này trong xã / No such collective in the commune",
                errors=[{"field": "unit_id", "message": "không có tập thể này / unknown collective"}],
            )
    document = _document(actor.scope, actor.user, entrant, origin="api")
    if not await repos.entrants.add(document, [recorded(document)]):
        raise Conflict(
            f"Xã đã có «{entrant.name}» / The commune already has {entrant.name}", existing_id=document["_id"]
        )
    return await get_entrant(repos=repos, actor=actor, entrant_id=document["_id"])


async def get_entrant(*, repos: Repositories, actor: Actor, entrant_id: str) -> Entrant:
    actor.require_entrant(entrant_id)
    document = await repos.entrants.get(actor.scope, entrant_id)
    if document is None:
        raise NotFound(f"Không có đối tượng {entrant_id} / No entrant {entrant_id}")
    return document


async def list_entrants(
    *,
    repos: Repositories,
    actor: Actor,
    group: str | None,
    kind: str | None,
    unit_id: str | None,
    paging: PageRequest,
) -> tuple[list[Entrant], int]:
    return await repos.entrants.listed(
        actor.scope,
        entrants=actor.own_entrants,
        group=group,
        kind=kind,
        unit_id=unit_id,
        skip=paging.skip,
        limit=paging.page_size,
    )


@dataclass(frozen=True)
class ImportReport:
    imported: int
    already_present: int
    skipped: int
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...]


async def import_workbook(*, repos: Repositories, actor: Actor, data: bytes, skip_invalid: bool) -> ImportReport:
    """All rows or nothing: with errors, nothing is imported unless `skip_invalid` is asked for.

    Ids derive from the commune and the entrant's name (and unit), so importing the same workbook twice adds
    nothing the second time.
    """
    actor.require_officer()
    try:
        parsed = await asyncio.to_thread(parse_entrants_workbook, data)  # seconds of CPU at worst: off the loop
    except WorkbookUnreadable as exc:
        raise Unprocessable(str(exc), errors=[{"field": "body", "message": str(exc)}]) from exc
    errors = list(parsed.errors)
    collectives = [row for row in parsed.rows if row.kind == "collective"]
    units = {unicodedata.normalize("NFC", row.name).casefold(): row for row in collectives}
    planned: list[tuple[EntrantRow, NewEntrant]] = []
    unit_ids: dict[str, str] = {}
    for row in collectives:
        try:
            entrant = NewEntrant(
                name=row.name,
                kind="collective",
                target_group=row.target_group,
                unit_type=row.unit_type,
                focal_users=list(row.focal_users),
            )
        except ValidationError as exc:
            errors.append(RowError(row.row, None, _first_error(exc)))
            continue
        planned.append((row, entrant))
        unit_ids[row.name.casefold()] = str(
            derived_id("entrant", natural_key(actor.scope.commune, "collective", row.name, None))
        )
    for row in parsed.rows:
        if row.kind != "individual":
            continue
        unit_name = (row.unit_name or "").casefold()
        unit_id = unit_ids.get(unit_name) if unit_name in units else await _existing_unit(repos, actor, unit_name)
        if unit_id is None:
            errors.append(
                RowError(
                    row.row,
                    "Đơn vị",
                    f"không có tập thể «{row.unit_name}» trong xã hay trong tệp / "
                    f"unit not found in the commune or the workbook",
                )
            )
            continue
        try:
            person = NewEntrant(
                name=row.name, kind="individual", target_group=row.target_group, unit_id=unit_id, position=row.position
            )
        except ValidationError as exc:
            errors.append(RowError(row.row, None, _first_error(exc)))
            continue
        planned.append((row, person))
    if errors and not skip_invalid:
        raise Unprocessable(
            "Tệp có lỗi, chưa nhập dòng nào / The workbook has errors; nothing was imported",
            errors=[
                {"field": f"row {e.row}" + (f": {e.column}" if e.column else ""), "message": e.message} for e in errors
            ],
            ignored_columns=list(parsed.ignored_columns),
        )
    imported = already = 0
    for _row, entrant in planned:
        document = _document(actor.scope, actor.user, entrant, origin="import")
        if await repos.entrants.add(document, [recorded(document)]):
            imported += 1
        else:
            already += 1
    return ImportReport(
        imported=imported,
        already_present=already,
        skipped=len(errors),
        errors=tuple(errors),
        ignored_columns=parsed.ignored_columns,
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error.get("loc", ()))
    return f"{location}: {error.get('msg', '')}" if location else str(error.get("msg", ""))


async def _existing_unit(repos: Repositories, actor: Actor, folded_name: str) -> str | None:
    if not folded_name:
        return None
    key = natural_key(actor.scope.commune, "collective", folded_name, None)
    found = await repos.entrants.by_natural_keys(actor.scope, [key])
    return str(found[0]["_id"]) if found else None
