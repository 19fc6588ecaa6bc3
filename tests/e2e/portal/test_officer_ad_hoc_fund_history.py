"""The officer's pages added for issue #22 in a phone-sized browser: an ad-hoc award proposed for a unit named on the
form (a proposal naming no entrant comes back with what was typed) and listed with its achievement; the commune's
fund, a day to come refused under its field, a receipt recorded and listed, the chairman reading it without the
form; the award history's template downloaded and a workbook imported, a wrong row named by row and column, then
the right one recorded. Data that is not the subject is made through the APIs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ..world import recorded_award
from .conftest import PORTAL, screenshot, submit_form

TODAY = datetime.now(timezone(timedelta(hours=7))).date()  # Vietnam's day: nothing is dated later


@pytest.mark.skipif(not 2025 <= TODAY.year <= 2030, reason="an achievement's year is one of the movement's")
def test_an_ad_hoc_award_is_proposed_for_a_named_unit(person: Callable[..., Page]) -> None:
    tag = uuid.uuid4().hex[:6]
    achievement = f"Hướng dẫn 320 người dân kích hoạt VNeID mức 2 trong 10 ngày ({tag})"
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/ad-hoc")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khen thưởng đột xuất")

    page.get_by_label("Thành tích đột xuất").fill(achievement)
    page.get_by_label("Ngày đạt thành tích").fill(TODAY.isoformat())
    submit_form(page, "Gửi đề xuất")
    expect(page.locator("#entrant_id-error")).to_contain_text("Chọn đối tượng trong danh sách")
    expect(page.get_by_label("Thành tích đột xuất")).to_have_value(achievement)

    unit = f"Đội thanh niên tình nguyện {tag}"
    page.get_by_label("Tên đơn vị hoặc họ tên").fill(unit)
    page.get_by_label("Tài liệu chứng minh", exact=False).fill("Báo cáo của Công an xã | Số 12/BC-CA")
    submit_form(page, "Gửi đề xuất")
    expect(page.get_by_role("status")).to_contain_text(f"Đã đề xuất khen thưởng đột xuất cho “{unit}”")
    listed = page.get_by_test_id("ad-hoc-candidates")
    expect(listed).to_contain_text(unit)
    expect(listed).to_contain_text(achievement)
    expect(listed).to_contain_text("Báo cáo của Công an xã — Số 12/BC-CA")
    screenshot(page, "29c-officer-ad-hoc")


def test_the_fund_records_a_receipt_and_the_chairman_reads_it(person: Callable[..., Page]) -> None:
    tag = uuid.uuid4().hex[:6]
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/fund")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quỹ thi đua, khen thưởng")

    page.locator("#on").fill((TODAY + timedelta(days=3)).isoformat())
    page.get_by_label("Số tiền (đồng)").fill("1.000.000")
    page.get_by_label("Nội dung").fill(f"Kinh phí bổ sung {tag}")
    submit_form(page, "Ghi sổ quỹ")
    expect(page.locator("#on-error")).to_be_visible()  # a day to come
    expect(page.get_by_label("Nội dung")).to_have_value(f"Kinh phí bổ sung {tag}")

    page.locator("#on").fill(TODAY.isoformat())
    page.get_by_label("Chứng từ (số, ngày)").fill(f"QĐ {tag}")
    submit_form(page, "Ghi sổ quỹ")
    expect(page.get_by_role("status")).to_contain_text("Đã ghi sổ quỹ. Số dư:")
    expect(page.get_by_test_id("movements")).to_contain_text(f"Kinh phí bổ sung {tag}")
    screenshot(page, "29d-officer-fund")

    chair = person("lm.chair")
    chair.goto(f"{PORTAL}/officer/fund")
    expect(chair.get_by_test_id("balance")).to_be_visible()
    expect(chair.get_by_role("button", name="Ghi sổ quỹ")).to_have_count(0)


def filled(template: Path, rows: list[tuple[Any, ...]], folder: Path, name: str) -> Path:
    """The template with its example rows replaced by `rows`, under its own header row."""
    book = load_workbook(template)
    sheet = book["Danh sách"]
    sheet.delete_rows(2, sheet.max_row)
    for cells in rows:
        sheet.append(list(cells))
    path = folder / name
    book.save(path)
    return path


@pytest.mark.usefixtures("lien_minh")
def test_the_award_history_is_imported_from_the_template(
    person: Callable[..., Page], http: httpx.Client, token: Callable[[str], str], tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    entrant, _ = recorded_award(http, token("lm.officer"), name="Thôn Lịch Sử")  # the awards service knows it
    page = person("lm.officer")
    page.goto(f"{PORTAL}/officer/history")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Tải tệp mẫu Excel").click()
    template = tmp_path / "mau.xlsx"
    downloaded.value.save_as(template)
    assert load_workbook(BytesIO(template.read_bytes()))["Danh sách"]["A1"].value == "Mã đối tượng"

    row = (entrant["id"], entrant["name"], "THON_VAN_HOA", None, 2024, "huyện", "Thường xuyên",
           f"1520/QĐ-UBND-{tag}", "20/12/2024", "Chủ tịch UBND huyện Kim Sơn")  # fmt: skip
    unknown = (f"khong-co-{tag}", "Không Có", *row[2:7], f"1/QĐ-{tag}", *row[8:])
    field = page.get_by_label("Tệp lịch sử khen thưởng (.xlsx, tối đa 5 MB)")
    field.set_input_files(filled(template, [row, unknown], tmp_path, "loi.xlsx"))
    submit_form(page, "Nhập lịch sử khen thưởng")
    problems = page.get_by_test_id("import-errors")
    expect(problems.get_by_role("row").filter(has=page.get_by_role("cell", name="3", exact=True))).to_be_visible()
    expect(page.locator("#import-problem")).to_contain_text("không dòng nào được ghi")
    screenshot(page, "29e-officer-history-import-errors")

    field.set_input_files(filled(template, [row], tmp_path, "dung.xlsx"))
    submit_form(page, "Nhập lịch sử khen thưởng")
    expect(page.get_by_test_id("import-result")).to_contain_text("ghi mới 1, đã có từ trước 0")
