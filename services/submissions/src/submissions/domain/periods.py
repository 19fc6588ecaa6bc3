"""Campaign periods (kỳ thi đua) and their submission windows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thidua_contracts.terms import PERIOD_CODE_PATTERN

VIETNAM = timezone(timedelta(hours=7))
PeriodKind = Literal["yearly", "so_ket", "tong_ket"]
PERIOD_NAMES = {"yearly": "Năm {year}", "so_ket": "Sơ kết {year}", "tong_ket": "Tổng kết {year}"}


class Period(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    code: str = Field(pattern=PERIOD_CODE_PATTERN)
    kind: PeriodKind
    year: int = Field(ge=2025, le=2030)
    opens_at: datetime
    closes_at: datetime

    @model_validator(mode="after")
    def _window_is_ordered(self) -> Period:
        if self.closes_at <= self.opens_at:
            raise ValueError("ngày đóng phải sau ngày mở / closes_at must be after opens_at")
        return self

    @property
    def name(self) -> str:
        return PERIOD_NAMES[self.kind].format(year=self.year)

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def has_opened(self, now: datetime) -> bool:
        return now >= self.opens_at


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=VIETNAM)


def default_periods() -> tuple[Period, ...]:
    """Yearly periods 2025–2030 (closing before the 15 December report), sơ kết 2027 and tổng kết 2030."""
    yearly = [
        Period(
            code=str(year),
            kind="yearly",
            year=year,
            opens_at=_at(year, 7, 1) if year == 2025 else _at(year, 1, 1),
            closes_at=_at(year, 12, 10),
        )
        for year in range(2025, 2031)
    ]
    reviews = [
        Period(code="so-ket-2027", kind="so_ket", year=2027, opens_at=_at(2027, 7, 1), closes_at=_at(2027, 11, 30)),
        Period(code="tong-ket-2030", kind="tong_ket", year=2030, opens_at=_at(2030, 7, 1), closes_at=_at(2030, 11, 30)),
    ]
    return (*yearly, *reviews)


def window_limits(period: Period) -> tuple[datetime, datetime]:
    """The earliest opening and the latest closing a commune may give a period's window (Vietnam time): within the
    period's year; a yearly period may close until the end of January of the following year (dossiers finished after
    the December report), a sơ kết or tổng kết period closes within its year."""
    latest = _at(period.year + 1, 2, 1) if period.kind == "yearly" else _at(period.year + 1, 1, 1)
    return _at(period.year, 1, 1), latest


def window_errors(period: Period, opens_at: datetime, closes_at: datetime) -> list[dict[str, str]]:
    """What is wrong with a window a commune gives the period, per field (empty when it may be set)."""
    earliest, latest = window_limits(period)
    last_day = latest - timedelta(days=1)
    errors = []
    if not earliest <= opens_at < _at(period.year + 1, 1, 1):
        errors.append(
            {
                "field": "opens_at",
                "message": f"Kỳ {period.code} mở trong năm {period.year} (từ 01/01/{period.year}) / "
                f"period {period.code} opens within {period.year}",
            }
        )
    if not earliest < closes_at <= latest:
        errors.append(
            {
                "field": "closes_at",
                "message": f"Kỳ {period.code} đóng muộn nhất hết ngày {last_day:%d/%m/%Y} / "
                f"period {period.code} closes by the end of {last_day:%Y-%m-%d} at the latest (Vietnam time)",
            }
        )
    if closes_at <= opens_at:
        message = "ngày đóng phải sau ngày mở / closes_at must be after opens_at"
        errors.append({"field": "closes_at", "message": message})
    return errors


class PeriodClosed(Exception):
    """The action needs the period's window to be open."""


def require_open(period: Period, now: datetime) -> None:
    if not period.is_open(now):
        raise PeriodClosed(
            f"Kỳ {period.code} chỉ nhận từ {period.opens_at:%d/%m/%Y %H:%M} đến {period.closes_at:%d/%m/%Y %H:%M} / "
            f"period {period.code} accepts this only from {period.opens_at.isoformat()} to "
            f"{period.closes_at.isoformat()}"
        )
