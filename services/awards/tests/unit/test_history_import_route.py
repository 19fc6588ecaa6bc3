"""The award-history workbook's routes (awards.api.history) over the service's repositories in memory: the template,
the forms, and the upload as a multipart form or a raw body; its size bounded, an .xls refused, officers only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from awards.adapters.workbook import MAX_BYTES
from awards.api import history
from awards.api.deps import repositories
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import install_problem_handlers
from thidua_platform.web import current_principal

from .history_workbooks import VILLAGE, row, workbook
from .in_memory import OFFICER, SCOPE, Awards, member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def awards() -> Awards:
    awards = Awards()
    await awards.scored(VILLAGE["id"], 70.0, name=VILLAGE["name"])
    return awards


def client(awards: Awards, who: Principal = OFFICER) -> httpx.AsyncClient:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(history.router)

    async def principal() -> Principal:
        return who

    app.dependency_overrides = {current_principal: principal, repositories: lambda: awards.repos}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://awards")


async def test_an_officer_uploads_the_workbook_as_a_form_or_as_the_body(awards: Awards) -> None:
    data = workbook([row()])
    async with client(awards) as http:
        form = await http.post("/history/import", files={"file": ("lich-su.xlsx", data, XLSX)})
        assert form.status_code == 200, form.text
        assert form.json() == {"recorded": 1, "already_present": 0}
        raw = await http.post("/history/import", content=data, headers={"content-type": XLSX})
        assert raw.json() == {"recorded": 0, "already_present": 1}


async def test_a_wrong_row_answers_422_with_its_row_and_column(awards: Awards) -> None:
    async with client(awards) as http:
        answer = await http.post(
            "/history/import", files={"file": ("a.xlsx", workbook([row(), row(signed_on="2024.12.20")]), XLSX)}
        )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert "chưa ghi dòng nào" in body["detail"]
    assert [(e["row"], e["column"], e["field"]) for e in body["errors"]] == [(3, "Ngày ký", "row 3: Ngày ký")]


async def test_an_xls_an_empty_form_or_a_file_too_large_is_refused(awards: Awards) -> None:
    async with client(awards) as http:
        old = ("cu.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")
        xls = await http.post("/history/import", files={"file": old})
        assert xls.status_code == 422
        assert ".xls" in xls.json()["errors"][0]["message"]
        none = await http.post("/history/import", data={"note": "x"}, files={"other": ("a.txt", b"x", "text/plain")})
        assert none.status_code == 422
        assert none.json()["errors"][0]["field"] == "file"
        large = await http.post("/history/import", content=bytes(MAX_BYTES + 1), headers={"content-type": XLSX})
        assert large.status_code == 413

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(6):
                yield bytes(1024 * 1024)

        streamed = await http.post("/history/import", content=chunks(), headers={"content-type": XLSX})
        assert streamed.status_code == 413
    assert await awards.repos.history.find(SCOPE, {}) == []


async def test_the_template_and_the_forms(awards: Awards) -> None:
    async with client(awards) as http:
        template = await http.get("/history/template.xlsx")
        assert template.status_code == 200
        assert template.headers["content-type"] == XLSX
        assert "mau-lich-su-khen-thuong.xlsx" in template.headers["content-disposition"]
        assert load_workbook(BytesIO(template.content)).sheetnames == ["Danh sách", "Hình thức", "Hướng dẫn"]
        forms = (await http.get("/history/forms")).json()
    codes = [f["code"] for f in forms["items"]]
    assert {"LAO_DONG_TIEN_TIEN", "THON_VAN_HOA", "OTHER", "GIAY_KHEN_XA"} <= set(codes)
    assert forms["levels"]["district"].startswith("Cấp huyện")


async def test_only_the_communes_officer_imports(awards: Awards) -> None:
    data = workbook([row()])
    for who in (member("lm.submitter", Role.SUBMITTER), member("lm.chair", Role.COMMUNE_CHAIR)):
        async with client(awards, who) as http:
            assert (await http.post("/history/import", content=data, headers={"content-type": XLSX})).status_code == 403
            assert (await http.get("/history/template.xlsx")).status_code == 403
    assert await awards.repos.history.find(SCOPE, {}) == []
