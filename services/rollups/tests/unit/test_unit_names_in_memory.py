"""The province's views and reports by names, with every commune of the province (rollups.service.views, reports):
the names and the list of communes come from the directory of units (Keycloak organizations; here `KnownUnits`), read
once per view; a commune the directory lists without figures yet is there with zeros and no rank."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from rollups.service import reports, views
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.problems import Forbidden, NotFound
from thidua_platform.units import KnownUnits, ProvinceUnits

from .memory_worker import (
    OFFICER,
    OTHER_STAFF,
    PERIOD,
    PROVINCE,
    STAFF,
    YEN_THANG,
    Rollups,
    decided,
    event,
    finalised,
    person,
    submitted,
)

TAN_LAP = "ph-37-tan-lap"  # provisioned, no data yet
NINH_BINH = ProvinceUnits(
    PROVINCE,
    "Tỉnh Ninh Bình",
    {LIEN_MINH: "Xã Liên Minh", YEN_THANG: "Phường Yên Thắng", TAN_LAP: "Xã Tân Lập"},
)
LAN = person("e-2", "Nguyễn Thị Lan", kind="individual", group="d1")


@pytest.fixture
async def rollups() -> Rollups:
    """Liên Minh: 92 and 85 (one award to an individual of group d1); Yên Thắng: 71; Tân Lập: nothing."""
    made = Rollups()
    yen_thang = person("e-9", "Thôn Yên Thắng")
    await made.receive(
        event(submitted("s-1")),
        event(finalised("s-1", 92.0, "Xuất sắc")),
        event(submitted("s-2", LAN)),
        event(finalised("s-2", 85.0, "Tốt", LAN)),
        event(decided("d-1", LAN)),
        event(submitted("s-9", yen_thang), tenant=YEN_THANG),
        event(finalised("s-9", 71.0, "Khá", yen_thang), tenant=YEN_THANG),
    )
    await made.refresh()
    return made


async def test_the_province_lists_every_commune_by_name_those_without_figures_with_zeros(rollups: Rollups) -> None:
    units = KnownUnits(NINH_BINH)
    view = await views.province(
        models=rollups.models, units=units, principal=STAFF, code=PROVINCE, period=PERIOD, skip=0, limit=20
    )
    assert view["province_name"] == "Tỉnh Ninh Bình"
    shown = [(r["commune"], r["name"], r["rank"], r["scored"], r["awards"]["total"]) for r in view["communes"]]
    assert shown == [
        (LIEN_MINH, "Xã Liên Minh", 1, 2, 1),
        (YEN_THANG, "Phường Yên Thắng", 2, 1, 0),
        (TAN_LAP, "Xã Tân Lập", None, 0, 0),  # provisioned, nothing yet: listed, with zeros, unranked
    ]
    assert view["total"] == 3
    assert view["totals"]["scored"] == 3  # the zeros change no total
    assert units.reads == 1  # one read of the directory (cached there), none per commune


async def test_without_a_directory_the_communes_with_figures_are_listed_by_code(rollups: Rollups) -> None:
    view = await views.province(models=rollups.models, principal=STAFF, code=PROVINCE, period=PERIOD, skip=0, limit=20)
    assert [(r["commune"], r["name"]) for r in view["communes"]] == [(LIEN_MINH, LIEN_MINH), (YEN_THANG, YEN_THANG)]
    assert view["province_name"] == ""


async def test_a_provisioned_commune_without_figures_opens_with_zeros(rollups: Rollups) -> None:
    units = KnownUnits(NINH_BINH)
    row = await views.commune(models=rollups.models, units=units, principal=STAFF, tenant=TAN_LAP, period=PERIOD)
    assert (row["name"], row["scored"], row["rank"], row["awards"]["total"]) == ("Xã Tân Lập", 0, None, 0)
    mine = await views.commune(models=rollups.models, units=units, principal=OFFICER, tenant=LIEN_MINH, period=PERIOD)
    assert (mine["name"], mine["rank"]) == ("Xã Liên Minh", 1)
    with pytest.raises(NotFound):  # neither provisioned nor with figures
        await views.commune(models=rollups.models, units=units, principal=STAFF, tenant="ph-37-khac", period=PERIOD)


async def test_the_provinces_units_by_name_for_its_own_staff_only() -> None:
    units = KnownUnits(NINH_BINH)
    found = await views.unit_names(units=units, principal=STAFF, code=PROVINCE)
    assert found == {
        "province": PROVINCE,
        "name": "Tỉnh Ninh Bình",
        "communes": [
            {"commune": LIEN_MINH, "name": "Xã Liên Minh"},
            {"commune": TAN_LAP, "name": "Xã Tân Lập"},
            {"commune": YEN_THANG, "name": "Phường Yên Thắng"},
        ],
    }
    for outsider in (OTHER_STAFF, OFFICER):
        with pytest.raises(Forbidden):
            await views.unit_names(units=units, principal=outsider, code=PROVINCE)


def sheet(workbook: bytes, name: str, first: int = 1) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(workbook))[name].iter_rows(min_row=first, values_only=True))


async def made(rollups: Rollups, job: Any, fonts: Path, units: KnownUnits) -> bytes:
    await reports.generate(models=rollups.models, job=job, fonts=fonts, units=units)
    done = await reports.job_of(models=rollups.models, principal=STAFF, job_id=job["_id"])
    assert done["status"] == "ready", done["error"]
    return await reports.file_of(models=rollups.models, principal=STAFF, job_id=job["_id"], extension="xlsx")


async def test_the_provinces_report_names_every_commune_and_the_groups(rollups: Rollups, fonts: Path) -> None:
    units = KnownUnits(NINH_BINH)
    job = await reports.request(
        models=rollups.models, principal=STAFF, kind="province", code=PROVINCE, period=PERIOD, letterhead=None,
        units=units,
    )  # fmt: skip
    assert job["letterhead"] == {
        "issuing_body": "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "parent_body": "", "place": "Ninh Bình",
    }  # fmt: skip
    workbook = await made(rollups, job, fonts, units)
    ranking = [(row[1], row[2], row[9]) for row in sheet(workbook, "TH", first=5)]
    assert ranking == [("Xã Liên Minh", 2, 1), ("Phường Yên Thắng", 1, 2), ("Xã Tân Lập", 0, None)]
    header = next(row for row in sheet(workbook, "0603.N") if row and row[0] == "STT")
    assert header[5:] == (
        "Phòng, ban, ngành, thôn, xóm, tổ dân phố",
        "Ủy ban MTTQ và các tổ chức chính trị - xã hội",
        "Đơn vị sự nghiệp, doanh nghiệp, hợp tác xã",
        "Cán bộ, công chức, viên chức, người lao động",
        "Đối tượng khác (người dân, doanh nhân)",
    )
    assert not any("Nhóm" in str(cell) for row in sheet(workbook, "0603.N") for cell in row)


async def test_a_communes_report_is_headed_with_its_name(rollups: Rollups, fonts: Path) -> None:
    units = KnownUnits(NINH_BINH)
    background = reports.Background(fonts=fonts, units=units)
    job = await reports.request(
        models=rollups.models, principal=OFFICER, kind="commune", code=LIEN_MINH, period=PERIOD, letterhead=None,
        units=background.units,
    )  # fmt: skip
    assert job["letterhead"] == {
        "issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "parent_body": "TỈNH NINH BÌNH", "place": "Liên Minh",
    }  # fmt: skip
    workbook = await made(rollups, job, fonts, units)
    summary = {row[0]: row[1] for row in sheet(workbook, "Tổng hợp", first=4) if row[0]}
    assert (summary["Xã"], summary["Đơn vị báo cáo"]) == ("Xã Liên Minh", "ỦY BAN NHÂN DÂN XÃ LIÊN MINH")
    role_models = sheet(workbook, "Điển hình", first=5)
    assert {row[2] for row in role_models} == {"Xã Liên Minh"}


async def test_a_letterhead_given_is_kept_and_without_names_the_codes_stand_in(rollups: Rollups) -> None:
    job = await reports.request(
        models=rollups.models, principal=OFFICER, kind="commune", code=LIEN_MINH, period=PERIOD, letterhead=None
    )
    assert job["letterhead"] == {"issuing_body": "ỦY BAN NHÂN DÂN XÃ", "parent_body": "TỈNH 37", "place": LIEN_MINH}
