"""Report generation as a job with progress: gather the figures, render the workbook and the narrative (in threads,
off the event loop), store both files. The job and its files carry the commune or province they belong to, and
every read of them is scoped (`rollups.repository.ReportJobs`). Each status change (queued by the person who asked,
then running, ready or failed) is audited on the job."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from rollups.adapters.reports.model import build
from rollups.adapters.reports.narrative import render_narrative
from rollups.adapters.reports.workbook import render_workbook
from rollups.domain.aggregates import ReportJob
from rollups.domain.lifecycle import MAX_OPEN_PER_USER, has_files, is_interrupted
from rollups.domain.listing import finalised
from rollups.domain.summary import combine
from rollups.repository import AWARDS, SUBMISSIONS, ReadModels
from rollups.service import views
from thidua_commons.documents.model import Letterhead
from thidua_commons.documents.text import as_vietnam_time
from thidua_commons.units import province_body, province_place, unit_title
from thidua_platform.audit import entry, system_actor
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, NotFound
from thidua_platform.tenancy import Scope, read_scope
from thidua_platform.units import NO_UNITS, ProvinceUnits, UnitDirectory

log = logging.getLogger(__name__)
FILE_KINDS = {"xlsx": "workbook", "pdf": "narrative"}


GENERATOR = system_actor("report")  # the background generation, after the request


async def authorise(
    *, models: ReadModels, principal: Principal, kind: Literal["commune", "province"], code: str
) -> Scope:
    """The scope the report covers, if this person may make it: a commune's report by its own officers and chairman
    or by its province's staff (for a commune of that province with figures); a province's by that province's."""
    if kind == "province":
        views.own_province(principal, code)
        return Scope(province=code)
    scope = read_scope(principal).narrowed_to(code)
    if scope is None or (principal.tenant is None and not await models.known(scope)):
        raise NotFound(f"Không có số liệu của xã {code} / No figures for commune {code}")
    return scope


def default_letterhead(kind: str, code: str, units: ProvinceUnits) -> Letterhead:
    """The letterhead of a report whose maker gave none, from the names the directory has ("ỦY BAN NHÂN DÂN XÃ LIÊN
    MINH" under "TỈNH NINH BÌNH", dated at "Liên Minh"); the codes stand in for names it does not have."""
    province = province_body(units.name) or f"TỈNH {units.province}"
    if kind == "province":
        place = province_place(units.name) or units.title
        return Letterhead(issuing_body=f"ỦY BAN NHÂN DÂN {province}", parent_body="", place=place)
    title = unit_title(units.communes.get(code, ""))
    if title is None:
        return Letterhead(issuing_body="ỦY BAN NHÂN DÂN XÃ", parent_body=province, place=code)
    return Letterhead(issuing_body=title.issuing_body, parent_body=province, place=title.proper)


async def request(
    *,
    models: ReadModels,
    principal: Principal,
    kind: Literal["commune", "province"],
    code: str,
    period: str,
    letterhead: Letterhead | None,
    units: UnitDirectory = NO_UNITS,
) -> ReportJob:
    scope = await authorise(models=models, principal=principal, kind=kind, code=code)
    if letterhead is None:
        letterhead = default_letterhead(kind, code, await units.province(scope.province or ""))
    if await models.reports.in_progress(principal.username) >= MAX_OPEN_PER_USER:
        raise Conflict(
            f"Đang lập {MAX_OPEN_PER_USER} báo cáo, hãy chờ xong / {MAX_OPEN_PER_USER} of your reports are in progress"
        )
    at = datetime.now(UTC)
    job: ReportJob = {
        "_id": str(uuid.uuid4()),
        "kind": kind,
        "code": code,
        "period": period,
        "tenant": scope.tenant,
        "province": scope.province,
        "letterhead": letterhead.__dict__,
        "status": "queued",
        "progress": 0,
        "step": "Chờ lập / Queued",
        "requested_by": principal.username,
        # the province sees finalised work only, in its views and in the reports its staff make
        "finalised_only": principal.tenant is None,
        "created_at": at,
        "finished_at": None,
        "error": None,
        "files": [],
        "revision": 1,
        "audit": [entry(principal.user_id, "requested", at, status="queued", kind=kind, code=code, period=period)],
    }
    await models.reports.add(job)
    return job


def _scope_of(job: ReportJob) -> Scope:
    return Scope(tenant=job.get("tenant"), province=job.get("province"))


async def _progress(models: ReadModels, job: ReportJob, progress: int, step: str, **more: Any) -> None:
    """Progress on the job; a status change is also a revision with its audit entry (without the error's text)."""
    audit = entry(GENERATOR, more["status"], datetime.now(UTC), status=more["status"]) if "status" in more else None
    fields = {"progress": progress, "step": step, **more}
    await models.reports.advance(_scope_of(job), job["_id"], fields, audit=audit)


async def _gather(
    models: ReadModels, job: ReportJob, units: ProvinceUnits
) -> tuple[Mapping[str, Any], list[dict[str, Any]]]:
    """The report's figures and rows: the province with every commune ranked (those without figures with zeros), or
    the commune alone."""
    rows, totals = await views.ranked(models=models, province=job["province"] or "", period=job["period"], units=units)
    if job["kind"] == "province":
        return totals, rows
    empty: dict[str, Any] = {  # no figures yet
        "commune": job["code"],
        "name": units.commune_name(job["code"]),
        **combine([]),
        "rank": None,
        "index_rank": None,
    }
    row = next((r for r in rows if r["commune"] == job["code"]), empty)
    return row, [row]


async def generate(*, models: ReadModels, job: ReportJob, fonts: Path, units: UnitDirectory = NO_UNITS) -> None:
    """Make the files, reporting progress on the job; a failure is recorded on the job with its reason. Communes and
    the province are named as the directory names them (one cached read of the province's units)."""
    try:
        await _progress(models, job, 5, "Đọc số liệu / Reading the figures", status="running")
        known = await units.province(job["province"] or "")
        figures, rows = await _gather(models, job, known)
        scope, period = _scope_of(job), job["period"]
        keep = finalised if job.get("finalised_only") else None
        submissions = await models.find_all(SUBMISSIONS, scope, period=period, keep=keep)
        awards = await models.find_all(AWARDS, scope, period=period)
        data = await asyncio.to_thread(
            build,
            kind=job["kind"],
            code=job["code"],
            period=period,
            letterhead=Letterhead(**job["letterhead"]),
            made_on=as_vietnam_time(datetime.now(UTC)).date(),
            figures=figures,
            rows=rows,
            submissions=submissions,
            awards=awards,
            labels={**known.communes, known.province: known.title},
        )
        await _progress(models, job, 40, "Lập biểu Excel / Making the workbook")
        workbook = await asyncio.to_thread(render_workbook, data)
        await _progress(models, job, 70, "Lập báo cáo PDF / Making the narrative")
        narrative = await asyncio.to_thread(render_narrative, data, fonts=fonts)
        for extension, content in (("xlsx", workbook), ("pdf", narrative)):
            await models.reports.save_file(scope, job["_id"], extension, content)
        await _progress(
            models, job, 100, "Xong / Ready", status="ready", finished_at=datetime.now(UTC), files=list(FILE_KINDS)
        )
    except Exception as exc:
        log.exception("report %s failed", job["_id"])
        await _progress(models, job, 100, "Lỗi / Failed", status="failed", error=f"{type(exc).__name__}: {exc}")


async def job_of(*, models: ReadModels, principal: Principal, job_id: str) -> ReportJob:
    found = await models.reports.job(read_scope(principal), job_id)
    if found is None:
        raise NotFound(f"Không có báo cáo {job_id} / No report {job_id}")
    if is_interrupted(found["status"], found["created_at"], datetime.now(UTC)):
        interrupted = "Bị gián đoạn, hãy lập lại / Interrupted (the service restarted): request it again"
        await _progress(models, found, 100, "Lỗi / Failed", status="failed", error=interrupted)
        found = {**found, "status": "failed", "progress": 100, "error": interrupted}
    return found


async def file_of(*, models: ReadModels, principal: Principal, job_id: str, extension: str) -> bytes:
    job = await job_of(models=models, principal=principal, job_id=job_id)
    if not has_files(job["status"]):
        raise NotFound(f"Báo cáo chưa lập xong ({job['progress']}%) / The report is not ready yet")
    content = await models.reports.file(read_scope(principal), job_id, extension)
    if content is None:
        raise NotFound(f"Không có tệp {extension} / No {extension} file")
    return content


@dataclass
class Background:
    """Makes reports in the background of the API process, a few at a time (the others wait queued); keeps the tasks
    so that none is collected before it finishes."""

    fonts: Path
    units: UnitDirectory = NO_UNITS
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))
    running: set[asyncio.Task[None]] = field(default_factory=set)

    def start(self, *, models: ReadModels, job: ReportJob) -> None:
        async def in_turn() -> None:
            async with self.gate:
                await generate(models=models, job=job, fonts=self.fonts, units=self.units)

        task = asyncio.create_task(in_turn())
        self.running.add(task)
        task.add_done_callback(self.running.discard)


async def make(
    *,
    models: ReadModels,
    background: Background,
    principal: Principal,
    kind: Literal["commune", "province"],
    code: str,
    period: str,
    letterhead: Letterhead | None,
) -> ReportJob:
    """Ask for a report and start making it: the job answers at once, queued; its progress is read on the job."""
    job = await request(
        models=models,
        principal=principal,
        kind=kind,
        code=code,
        period=period,
        letterhead=letterhead,
        units=background.units,
    )
    background.start(models=models, job=job)
    return job
