"""The payment list of a decision (danh sách chi tiền thưởng) for the commune's accountant: who gets how much, a
column to sign on receipt, the total as a number and in words."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from awards.domain.money import amount_in_words
from thidua_commons.documents.text import short_date

HEADINGS = ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Số tiền (đồng)", "Ký nhận")
WIDTHS = (6, 40, 28, 18, 18)
MONEY = "#,##0"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TOTAL_LABEL = "Tổng cộng"


@dataclass(frozen=True)
class PaymentRow:
    name: str
    unit: str
    amount: int


@dataclass(frozen=True)
class PaymentList:
    issuing_body: str  # "ỦY BAN NHÂN DÂN XÃ LIÊN MINH"
    authority: str  # "UBND xã Liên Minh"
    number: str
    signed_on: date
    award_form: str
    rows: tuple[PaymentRow, ...]
    total: int
    source: str = "Quỹ thi đua, khen thưởng của xã"


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """A value as data: text stays text (a name starting with "=" never becomes a formula), without the control
    characters no cell can hold."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell: Cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _header(sheet: Worksheet, data: PaymentList) -> int:
    """The commune, the title, the decision and the form; the row the table starts on."""
    lines = (
        (data.issuing_body, BOLD),
        ("DANH SÁCH CHI TIỀN THƯỞNG", Font(bold=True, size=13)),
        (f"Kèm theo Quyết định số {data.number} ngày {short_date(data.signed_on)} của Chủ tịch {data.authority}", None),
        (f"Hình thức khen thưởng: {data.award_form}", None),
        (f"Nguồn kinh phí: {data.source}", None),
    )
    for row, (text, font) in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, text)
        if font is not None:
            cell.font = font
    return len(lines) + 2


def render_payment_list(data: PaymentList) -> bytes:
    """The workbook's bytes: one sheet, the table with a total row whose value is a number (not a formula, so any
    reader sees it without recalculating), and the total in words under it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách chi"
    top = _header(sheet, data)
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True), start=1):
        cell = _put(sheet, top, column, heading)
        cell.font, cell.border = BOLD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, payment in enumerate(data.rows, start=1):
        for column, value in enumerate((offset, payment.name, payment.unit, payment.amount, ""), start=1):
            _put(sheet, top + offset, column, value).border = BOX
        sheet.cell(row=top + offset, column=4).number_format = MONEY
    last = top + len(data.rows) + 1
    for column, value in enumerate(("", TOTAL_LABEL, "", data.total, ""), start=1):
        cell = _put(sheet, last, column, value)
        cell.font, cell.border = BOLD, BOX
    sheet.cell(row=last, column=4).number_format = MONEY
    _put(sheet, last + 1, 1, f"Bằng chữ: {amount_in_words(data.total)}").font = Font(italic=True)
    sheet.freeze_panes = f"A{top + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
