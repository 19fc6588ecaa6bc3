"""Reports asked for as the API asks (POST /rollups/reports: `reports.make`), made in the background of the process
(`reports.Background`, app.state.reports): the job answers at once, queued, and moves to running, then ready (or
failed) on its own; a few are made at a time, the others wait queued. The read models are filled by the worker's own
handlers, in memory (memory_worker). Each test waits for the state it needs with a deadline, never a fixed time."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
from openpyxl import load_workbook

from rollups.domain.aggregates import ReportJob
from rollups.service import reports
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.problems import Forbidden, NotFound
from thidua_platform.testing import eventually

from .memory_worker import OFFICER, PERIOD, PROVINCE, YEN_THANG, Rollups, event, finalised, submitted

WITHIN = 20.0  # seconds: a report is made in well under one here; each wait ends as soon as its state is there


@pytest.fixture
async def rollups() -> Rollups:
    """Liên Minh: one dossier scored 92."""
    made = Rollups()
    await made.receive(event(submitted("s-1")), event(finalised("s-1", 92.0, "Xuất sắc")))
    await made.refresh()
    return made


async def make(
    rollups: Rollups,
    background: reports.Background,
    principal: Principal = OFFICER,
    kind: Literal["commune", "province"] = "commune",
    code: str = LIEN_MINH,
) -> ReportJob:
    return await reports.make(
        models=rollups.models,
        background=background,
        principal=principal,
        kind=kind,
        code=code,
        period=PERIOD,
        letterhead=None,
    )


async def finished(background: reports.Background) -> None:
    """Every report the background was making has ended (its task is done and let go)."""

    async def idle() -> bool:
        return not background.running

    await eventually(idle, within=WITHIN, every=0.01, what="the background's reports made")


def audited(job: ReportJob) -> list[tuple[str, str | None, datetime]]:
    """(action, status, when) of each entry of the job's audit."""
    return [(a["action"], a["changes"].get("status"), a["at"]) for a in job["audit"]]


async def test_a_report_asked_for_answers_queued_at_once_and_is_made_ready_in_the_background(
    rollups: Rollups, fonts: Path
) -> None:
    background = reports.Background(fonts=fonts)

    job = await make(rollups, background)

    assert (job["status"], job["progress"], job["files"], job["requested_by"]) == ("queued", 0, [], "lm.officer")
    assert len(background.running) == 1  # kept until it ends, so it is not collected half-way
    await finished(background)
    done = await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"])
    assert (done["status"], done["progress"], done["error"], done["files"]) == ("ready", 100, None, ["xlsx", "pdf"])
    assert [(action, status) for action, status, _ in audited(done)] == [
        ("requested", "queued"),
        ("running", "running"),
        ("ready", "ready"),
    ]
    workbook = await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension="xlsx")
    sheet = load_workbook(io.BytesIO(workbook))["Tổng hợp"]
    figures = {label: value for label, value in sheet.iter_rows(min_row=4, max_col=2, values_only=True) if label}
    assert (figures["Xã"], figures["Hồ sơ đã chấm điểm"], figures["Điểm bình quân"]) == (LIEN_MINH, 1, 92.0)
    pdf = await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension="pdf")
    assert pdf.startswith(b"%PDF")


async def test_a_report_the_background_cannot_make_ends_failed_with_its_reason(
    rollups: Rollups, tmp_path: Path
) -> None:
    background = reports.Background(fonts=tmp_path)  # no fonts there: the narrative cannot be made

    job = await make(rollups, background)
    await finished(background)

    failed = await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"])
    assert (failed["status"], failed["progress"], failed["files"]) == ("failed", 100, [])
    assert "DejaVuSans" in (failed["error"] or "")
    assert [action for action, _, _ in audited(failed)] == ["requested", "running", "failed"]


async def test_reports_are_made_two_at_a_time_and_a_third_waits_queued_for_a_turn(
    rollups: Rollups, tmp_path: Path
) -> None:
    """Each report ends failed at once here (no fonts): what is under test is when each one runs."""
    background = reports.Background(fonts=tmp_path)

    jobs = [await make(rollups, background) for _ in range(3)]
    assert [job["status"] for job in jobs] == ["queued"] * 3
    assert len(background.running) == 3
    await finished(background)

    ended = [await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"]) for job in jobs]
    assert [job["status"] for job in ended] == ["failed"] * 3
    trails = [{action: at for action, _, at in audited(job)} for job in ended]
    first_ended = min(trails[0]["failed"], trails[1]["failed"])
    assert trails[1]["running"] < trails[0]["failed"]  # the first two were made at once
    assert trails[2]["running"] >= first_ended  # started only once one of the first two was done
    assert trails[2]["requested"] < first_ended  # though asked for before: it waited queued


async def test_a_report_someone_may_not_ask_for_is_refused_and_nothing_is_started(rollups: Rollups) -> None:
    background = reports.Background(fonts=Path("/nonexistent"))

    with pytest.raises(NotFound):
        await make(rollups, background, code=YEN_THANG)  # another commune's
    with pytest.raises(Forbidden):
        await make(rollups, background, kind="province", code=PROVINCE)  # a commune officer, the province's

    assert background.running == set()
    assert await rollups.models.reports.in_progress(OFFICER.username) == 0  # no job stored queued
