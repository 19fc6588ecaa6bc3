"""Award history imported from the commune's Excel workbook, on the real stack (issue #22): xã Liên Minh's officer
downloads the template, imports a unit's earlier titles and certificates (a district's Thôn văn hóa of 2024, a
ministry's Bằng khen, an award of no code with its name), all recorded with their issuers and levels; the same file
again records nothing; a workbook with one wrong row records nothing and names each fault by row and column; an
.xls is refused; another commune's officer cannot import the unit's awards; nobody but an officer imports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from io import BytesIO
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from thidua_platform.client import SERVICE_URLS

from .world import bearer, ok, recorded_award

AWARDS = SERVICE_URLS["awards"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    "Mã đối tượng", "Tên đối tượng", "Mã hình thức", "Tên hình thức", "Năm", "Cấp", "Loại khen thưởng",
    "Số quyết định", "Ngày ký", "Người ký",
)  # fmt: skip


def workbook(rows: list[tuple[Any, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for cells in rows:
        sheet.append(list(cells))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(http: httpx.Client, token: str, data: bytes, filename: str = "lich-su.xlsx") -> httpx.Response:
    return http.post(f"{AWARDS}/history/import", files={"file": (filename, data, XLSX)}, headers=bearer(token))


def history_of(http: httpx.Client, token: str, entrant_id: str) -> list[dict[str, Any]]:
    page = ok(http.get(f"{AWARDS}/history", params={"entrant_id": entrant_id, "page_size": 200}, headers=bearer(token)))
    return list(page["items"])


@pytest.mark.usefixtures("lien_minh")
def test_an_officer_imports_a_units_earlier_awards_from_excel(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    entrant, _giay_khen = recorded_award(http, officer, name="Thôn Truyền Thống")  # the awards service knows it
    known = len(history_of(http, officer, entrant["id"]))
    suffix = uuid.uuid4().hex[:6]

    template = http.get(f"{AWARDS}/history/template.xlsx", headers=bearer(officer))
    assert template.status_code == 200, template.text
    assert template.headers["content-type"] == XLSX
    book = load_workbook(BytesIO(template.content))
    assert [c.value for c in book["Danh sách"][1]] == list(HEADERS)
    assert "THON_VAN_HOA" in [r[0].value for r in book["Hình thức"].iter_rows(min_row=2)]

    who = (entrant["id"], entrant["name"])
    rows = [
        (*who, "THON_VAN_HOA", None, 2024, "huyện", "Thường xuyên", f"1520/QĐ-UBND-{suffix}", "20/12/2024",
         "Chủ tịch UBND huyện Kim Sơn"),
        (*who, "BANG_KHEN", None, 2023, "bộ", None, f"88/QĐ-BVHTTDL-{suffix}", "15/01/2024",
         "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"),
        (*who, "OTHER", "Kỷ niệm chương vì sự nghiệp văn hóa", 2022, "bộ", None, f"9/QĐ-{suffix}", "02/09/2022",
         "Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch"),
    ]  # fmt: skip
    data = workbook(rows)

    # nobody but the commune's officer imports; another commune's officer does not know the unit
    assert upload(http, token("lm.submitter"), data).status_code == 403
    assert upload(http, token("lm.chair"), data).status_code == 403
    foreign = upload(http, token("td.officer"), data)
    assert foreign.status_code == 422, foreign.text
    assert {(e["row"], e["column"]) for e in foreign.json()["errors"]} == {(2, "Mã đối tượng"), (3, "Mã đối tượng"),
                                                                          (4, "Mã đối tượng")}  # fmt: skip

    # one wrong row: nothing recorded, each fault by row and column
    wrong = workbook([*rows, (*who, "LAO_DONG_TIEN_TIEN", None, 2024, None, None, "1/QĐ", "2024.12.20", "Hiệu trưởng")])
    refused = upload(http, officer, wrong)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    # the date's cell as read, then the row as a whole: a person's title for a unit
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(5, "Ngày ký"), (5, "Mã hình thức")]
    assert len(history_of(http, officer, entrant["id"])) == known
    xls = upload(http, officer, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), filename="lich-su.xls")
    assert xls.status_code == 422
    assert ".xls" in xls.json()["errors"][0]["message"]

    # recorded, with their levels and issuers; the same file again records nothing
    assert ok(upload(http, officer, data)) == {"recorded": 3, "already_present": 0}
    assert ok(upload(http, officer, data)) == {"recorded": 0, "already_present": 3}
    listed = history_of(http, officer, entrant["id"])
    assert len(listed) == known + 3
    entries = {h["award_form"]: h for h in listed}
    assert (entries["THON_VAN_HOA"]["level"], entries["THON_VAN_HOA"]["period"]) == ("district", "2024")
    assert entries["THON_VAN_HOA"]["decision"]["issuer"] == "Chủ tịch UBND huyện Kim Sơn"
    assert entries["THON_VAN_HOA"]["award_name"] == "Thôn, tổ dân phố văn hóa"
    assert (entries["BANG_KHEN"]["level"], entries["BANG_KHEN"]["decision"]["signed_on"]) == ("ministry", "2024-01-15")
    assert entries["OTHER"]["award_name"] == "Kỷ niệm chương vì sự nghiệp văn hóa"
    assert {entries[f]["source"]["kind"] for f in ("THON_VAN_HOA", "BANG_KHEN", "OTHER")} == {"imported"}
