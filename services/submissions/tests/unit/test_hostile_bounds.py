"""Bounds on what a commune types (issue #20): a period's window within its year, dates written as text, percentages
within 0–100, and workbooks whose rows reach far below the list."""

from __future__ import annotations

import time
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook
from pydantic import ValidationError

from submissions.domain.criteria import Criterion, Indicator, Rule
from submissions.domain.periods import VIETNAM, Period, default_periods, window_errors
from submissions.domain.submission import EvidenceInput, EvidenceRefused, check_evidence, is_percentage
from submissions.domain.workbook.model import WorkbookUnreadable
from submissions.domain.workbook.reading import MAX_ROW_NUMBER, parse_entrants_workbook
from submissions.service.campaigns import PeriodWindow

PERIODS = {period.code: period for period in default_periods()}


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=VIETNAM)


def fields(period: Period, opens_at: datetime, closes_at: datetime) -> set[str]:
    return {error["field"] for error in window_errors(period, opens_at, closes_at)}


@pytest.mark.parametrize("period", list(PERIODS.values()), ids=lambda p: p.code)
def test_the_default_windows_lie_within_their_bounds(period: Period) -> None:
    assert window_errors(period, period.opens_at, period.closes_at) == []


def test_a_yearly_window_lies_in_its_year_and_may_close_in_the_following_january() -> None:
    year = PERIODS["2026"]
    assert fields(year, at(2026, 1, 1), at(2027, 2, 1)) == set()  # closing at the very end of 31 January 2027
    assert fields(year, at(1970, 1, 1), at(2026, 12, 10)) == {"opens_at"}
    assert fields(year, at(1900, 1, 1), at(9999, 12, 31)) == {"opens_at", "closes_at"}
    assert fields(year, at(2026, 1, 1), at(2027, 2, 2)) == {"closes_at"}
    assert fields(year, at(2027, 1, 5), at(2027, 1, 20)) == {"opens_at"}  # opening in the following year
    assert fields(year, at(2025, 12, 31), at(2026, 12, 10)) == {"opens_at"}
    assert fields(year, at(2026, 12, 1), at(2026, 1, 1)) == {"closes_at"}  # backwards
    message = window_errors(year, at(2026, 1, 1), at(2027, 3, 1))[0]["message"]
    assert "31/01/2027" in message
    assert "2027-01-31" in message


@pytest.mark.parametrize("code", ["so-ket-2027", "tong-ket-2030"])
def test_a_review_period_lies_within_its_year(code: str) -> None:
    period = PERIODS[code]
    assert fields(period, at(period.year, 7, 1), at(period.year + 1, 1, 1)) == set()  # until the end of 31 December
    assert fields(period, at(period.year, 7, 1), at(period.year + 1, 1, 2)) == {"closes_at"}
    assert fields(period, at(period.year - 1, 12, 1), at(period.year, 11, 30)) == {"opens_at"}


@pytest.mark.parametrize("moment", [12345, 12345.5, True, 1_767_200_000])
def test_numbers_are_not_moments(moment: object) -> None:
    with pytest.raises(ValidationError) as refused:
        PeriodWindow.model_validate({"opens_at": moment, "closes_at": "2026-12-10T00:00:00+07:00"})
    assert [error["loc"] for error in refused.value.errors()] == [("opens_at",)]
    with pytest.raises(ValidationError):
        PeriodWindow.model_validate_json('{"opens_at": "2026-01-01T00:00:00+07:00", "closes_at": 12345}')


def test_a_backwards_window_names_closes_at() -> None:
    with pytest.raises(ValidationError) as refused:
        PeriodWindow.model_validate({"opens_at": "2026-12-01T00:00:00+07:00", "closes_at": "2026-01-01T00:00:00+07:00"})
    assert [error["loc"] for error in refused.value.errors()] == [("closes_at",)]
    window = PeriodWindow.model_validate({"opens_at": "2026-01-01T00:00:00+07:00", "closes_at": at(2026, 12, 10)})
    assert window.closes_at == at(2026, 12, 10)


PERCENTAGE = Criterion(
    code="a8",
    theme=3,
    title="Tỷ lệ hồ sơ trực tuyến toàn trình",
    max_points=10,
    rule=Rule(kind="ratio"),
    indicator=Indicator(name="Tỷ lệ", unit="%", target=100),
)
COUNT = Criterion(
    code="a7",
    theme=1,
    title="Họp Ban Chỉ đạo",
    max_points=10,
    rule=Rule(kind="ratio"),
    indicator=Indicator(name="Số cuộc họp", unit="cuộc", target=4),
)


def test_a_percentage_lies_between_0_and_100() -> None:
    check_evidence(PERCENTAGE, EvidenceInput(value=100))
    check_evidence(PERCENTAGE, EvidenceInput(value=0))
    with pytest.raises(EvidenceRefused) as refused:
        check_evidence(PERCENTAGE, EvidenceInput(value=250))
    assert refused.value.field == "value"
    assert "0" in refused.value.message
    assert "100" in refused.value.message
    check_evidence(COUNT, EvidenceInput(value=250))  # 250 meetings is many, not impossible
    with pytest.raises(ValidationError):
        EvidenceInput(value=-1)  # no count is negative
    assert is_percentage(" % ")
    assert is_percentage("Phần trăm")
    assert not is_percentage("người/100 dân")


def lone_far_row(row: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm"])
    sheet.cell(row=row, column=1, value="Thôn Xa")
    sheet.cell(row=row, column=2, value="Tập thể")
    sheet.cell(row=row, column=3, value="a")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_row_numbered_1048576_is_refused_at_once() -> None:
    data = lone_far_row(1_048_576)
    assert len(data) < 8 * 1024
    started = time.monotonic()
    with pytest.raises(WorkbookUnreadable, match=str(MAX_ROW_NUMBER)):
        parse_entrants_workbook(data)
    assert time.monotonic() - started < 2


def test_the_last_row_read_is_read() -> None:
    assert [row.row for row in parse_entrants_workbook(lone_far_row(MAX_ROW_NUMBER)).rows] == [MAX_ROW_NUMBER]
    with pytest.raises(WorkbookUnreadable):
        parse_entrants_workbook(lone_far_row(MAX_ROW_NUMBER + 1))
