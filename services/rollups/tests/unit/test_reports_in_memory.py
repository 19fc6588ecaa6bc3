"""Reports as jobs without servers (rollups.service.reports): asked for, then queued → running → ready with a
workbook and a narrative made in memory from the read models' figures, or failed with its reason; read within the
reader's scope. The read models are filled by the worker's own handlers, in memory (memory_worker)."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from rollups.domain.aggregates import ReportJob
from rollups.domain.lifecycle import MAX_OPEN_PER_USER
from rollups.service import reports
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, NotFound

from .memory_worker import (
    DONG_HUNG,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    PERIOD,
    PROVINCE,
    STAFF,
    YEN_THANG,
    Rollups,
    commune,
    decided,
    event,
    finalised,
    person,
    submitted,
)

LAN = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")


@pytest.fixture
async def rollups() -> Rollups:
    """Liên Minh: two dossiers scored (92, 85), a third not yet, one award; Yên Thắng: one scored (71)."""
    made = Rollups()
    yen_thang = person("e-9", "Thôn Yên Thắng")
    await made.receive(
        event(submitted("s-1")),
        event(finalised("s-1", 92.0, "Xuất sắc")),
        event(submitted("s-2", LAN)),
        event(finalised("s-2", 85.0, "Tốt", LAN)),
        event(submitted("s-3", person("e-3", "Hội Phụ nữ", group="b"))),
        event(decided("d-1", DONG_HUNG)),
        event(submitted("s-9", yen_thang), tenant=YEN_THANG),
        event(finalised("s-9", 71.0, "Khá", yen_thang), tenant=YEN_THANG),
    )
    await made.refresh()
    return made


async def ask(
    rollups: Rollups, principal: Principal, kind: Literal["commune", "province"] = "commune", code: str = LIEN_MINH
) -> ReportJob:
    return await reports.request(
        models=rollups.models, principal=principal, kind=kind, code=code, period=PERIOD, letterhead=None
    )


def summary_sheet(workbook: bytes) -> dict[str, Any]:
    """The workbook's summary sheet as label → value."""
    sheet = load_workbook(io.BytesIO(workbook))["Tổng hợp"]
    return {str(label): value for label, value in sheet.iter_rows(min_row=4, max_col=2, values_only=True) if label}


def sheet_rows(workbook: bytes, name: str) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(workbook))[name].iter_rows(min_row=5, values_only=True))


async def test_a_communes_report_goes_queued_running_ready_with_the_read_models_figures(
    rollups: Rollups, fonts: Path
) -> None:
    job = await ask(rollups, OFFICER)
    assert (job["status"], job["progress"], job["finalised_only"]) == ("queued", 0, False)
    assert (job["tenant"], job["province"]) == (LIEN_MINH, PROVINCE)
    with pytest.raises(NotFound, match="chưa lập xong"):
        await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension="xlsx")

    await reports.generate(models=rollups.models, job=job, fonts=fonts)

    done = await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"])
    assert (done["status"], done["progress"], done["error"], done["files"]) == ("ready", 100, None, ["xlsx", "pdf"])
    assert [a["action"] for a in done["audit"]] == ["requested", "running", "ready"]
    assert done["revision"] == 3
    summary = await rollups.summary()
    assert summary is not None
    workbook = await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension="xlsx")
    assert summary_sheet(workbook) | {"Phong trào": None} == {
        "Phong trào": None,
        "Kỳ báo cáo": f"Năm {PERIOD}",
        "Đơn vị báo cáo": "ỦY BAN NHÂN DÂN XÃ",
        "Xã": LIEN_MINH,
        "Hồ sơ đã chấm điểm": summary["scored"],  # 2
        "Điểm bình quân": summary["average_score"],  # 88.5
        "Số khen thưởng đã quyết định": summary["awards"]["total"],  # 1
        "Trong đó khen thưởng đột xuất": 0,
        "Tờ trình đang chờ cấp trên": 0,
        "Xếp loại Tốt": 1,
        "Xếp loại Xuất sắc": 1,
        "Khen thưởng cấp xã": 1,
    }
    # the commune's own report counts every dossier taking part, the one not scored yet too
    [movement] = sheet_rows(workbook, "0601.N")
    assert movement[5:] == (2, 1, 2, 88.5)  # collectives, individuals, scored, mean
    pdf = await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension="pdf")
    text = unicodedata.normalize("NFC", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "2 hồ sơ thi đua đã được chấm điểm, điểm bình quân 88,5/100" in " ".join(text.split())


async def test_a_provinces_report_ranks_its_communes_and_counts_finalised_work_only(
    rollups: Rollups, fonts: Path
) -> None:
    job = await ask(rollups, STAFF, kind="province", code=PROVINCE)
    assert (job["tenant"], job["finalised_only"]) == (None, True)
    await reports.generate(models=rollups.models, job=job, fonts=fonts)

    workbook = await reports.file_of(models=rollups.models, principal=STAFF, job_id=job["_id"], extension="xlsx")
    figures = summary_sheet(workbook)
    assert (figures["Số xã"], figures["Hồ sơ đã chấm điểm"], figures["Điểm bình quân"]) == (2, 3, 82.67)
    ranking = [(row[1], row[2], row[8], row[9]) for row in sheet_rows(workbook, "TH")]
    assert ranking == [(LIEN_MINH, 2, 88.5, 1), (YEN_THANG, 1, 71.0, 2)]
    [movement] = sheet_rows(workbook, "0601.N")
    assert movement[5:8] == (2, 1, 3)  # Hội Phụ nữ's dossier, not scored, is not the province's to see


async def test_a_commune_without_figures_yet_gets_a_report_of_zeros(rollups: Rollups, fonts: Path) -> None:
    newcomer = Principal("u-tl", "tl.officer", OFFICER.roles, tenant="ph-37-tan-lap", province=PROVINCE)
    job = await ask(rollups, newcomer, code="ph-37-tan-lap")
    await reports.generate(models=rollups.models, job=job, fonts=fonts)

    done = await reports.job_of(models=rollups.models, principal=newcomer, job_id=job["_id"])
    assert done["status"] == "ready"
    workbook = await reports.file_of(models=rollups.models, principal=newcomer, job_id=job["_id"], extension="xlsx")
    figures = summary_sheet(workbook)
    assert (figures["Hồ sơ đã chấm điểm"], figures["Điểm bình quân"], figures["Số khen thưởng đã quyết định"]) == (
        0,
        None,
        0,
    )
    assert sheet_rows(workbook, "Điển hình") == []  # none of Liên Minh's role models


async def test_a_report_that_cannot_be_made_fails_with_its_reason(rollups: Rollups, tmp_path: Path) -> None:
    job = await ask(rollups, OFFICER)
    await reports.generate(models=rollups.models, job=job, fonts=tmp_path)  # no fonts there

    failed = await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"])
    assert (failed["status"], failed["progress"], failed["files"]) == ("failed", 100, [])
    assert failed["error"] is not None
    assert "DejaVuSans" in failed["error"]
    assert [a["action"] for a in failed["audit"]] == ["requested", "running", "failed"]
    for extension in ("xlsx", "pdf"):
        with pytest.raises(NotFound):
            await reports.file_of(models=rollups.models, principal=OFFICER, job_id=job["_id"], extension=extension)


async def test_a_job_left_unfinished_is_failed_when_next_read(rollups: Rollups) -> None:
    """A job still queued or running 15 minutes on was cut off (the API process stopped): request it again."""
    job = await ask(rollups, OFFICER)
    stale: ReportJob = {**job, "_id": "stale", "created_at": job["created_at"] - timedelta(minutes=16)}
    await rollups.models.reports.add(stale)

    fresh = await reports.job_of(models=rollups.models, principal=OFFICER, job_id=job["_id"])
    assert fresh["status"] == "queued"
    read = await reports.job_of(models=rollups.models, principal=OFFICER, job_id="stale")
    assert read["status"] == "failed"
    assert "Interrupted" in (read["error"] or "")
    stored = await rollups.models.reports.job(commune(), "stale")
    assert stored is not None
    assert (stored["status"], stored["revision"]) == ("failed", 2)


async def test_a_person_has_at_most_three_reports_in_progress(rollups: Rollups) -> None:
    for _ in range(MAX_OPEN_PER_USER):
        await ask(rollups, OFFICER)
    with pytest.raises(Conflict):
        await ask(rollups, OFFICER)
    await ask(rollups, STAFF)  # someone else may


async def test_a_report_is_read_within_the_readers_scope(rollups: Rollups) -> None:
    job = await ask(rollups, OFFICER)
    for outsider in (OTHER_OFFICER, OTHER_STAFF):
        with pytest.raises(NotFound):
            await reports.job_of(models=rollups.models, principal=outsider, job_id=job["_id"])
    seen = await reports.job_of(models=rollups.models, principal=STAFF, job_id=job["_id"])  # its province's staff
    assert seen["_id"] == job["_id"]


async def test_who_may_ask_for_which_report(rollups: Rollups) -> None:
    with pytest.raises(Forbidden):
        await ask(rollups, OFFICER, kind="province", code=PROVINCE)
    with pytest.raises(Forbidden):
        await ask(rollups, OTHER_STAFF, kind="province", code=PROVINCE)
    with pytest.raises(NotFound):
        await ask(rollups, OFFICER, code=YEN_THANG)  # another commune's
    with pytest.raises(NotFound):
        await ask(rollups, STAFF, code="ph-37-no-figures")
    assert (await ask(rollups, STAFF, code=YEN_THANG))["finalised_only"] is True
