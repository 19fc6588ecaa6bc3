"""Vietnamese wording helpers: numbers, dates, vote labels, the movement's name, default legal basis."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

MOVEMENT = "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"
MOVEMENT_QUOTED = f"Phong trào thi đua “{MOVEMENT}”"

VOTE_LABELS: dict[str, str] = {"yes": "Đồng ý", "no": "Không đồng ý", "abstain": "Không biểu quyết"}
BALLOT_LABELS: dict[str, str] = {"secret": "bỏ phiếu kín", "open": "biểu quyết công khai"}


def format_number(value: float, max_decimals: int = 2) -> str:
    """Vietnamese style: "." groups thousands, "," marks decimals, no trailing zeros (92.5 -> "92,5")."""
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r} as a number")
    grouped = f"{value:,.{max_decimals}f}"
    whole, _, fraction = grouped.partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", ".") + (f",{fraction}" if fraction else "")
    return "0" if text == "-0" else text


def _day_month(day: date) -> tuple[str, str]:
    # Nghị định 30/2020/NĐ-CP: days below 10 and months 1 and 2 take a leading zero.
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return dd, mm


def long_date(day: date) -> str:
    """'ngày 05 tháng 02 năm 2026'."""
    dd, mm = _day_month(day)
    return f"ngày {dd} tháng {mm} năm {day.year}"


def short_date(day: date) -> str:
    """'05/02/2026'."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def place_date_line(place: str, day: date) -> str:
    """'Liên Minh, ngày 12 tháng 12 năm 2025'."""
    return f"{place}, {long_date(day)}"


def clock_time(moment: datetime) -> str:
    """'14 giờ 00 phút'."""
    return f"{moment.hour} giờ {moment.minute:02d} phút"


def vote_label(vote: str) -> str:
    try:
        return VOTE_LABELS[vote]
    except KeyError:
        raise ValueError(f"unknown vote {vote!r}: expected one of {sorted(VOTE_LABELS)}") from None


def ballot_label(mode: str) -> str:
    try:
        return BALLOT_LABELS[mode]
    except KeyError:
        raise ValueError(f"unknown ballot mode {mode!r}: expected one of {sorted(BALLOT_LABELS)}") from None


def as_vietnam_time(moment: datetime | date) -> datetime:
    """The moment in Vietnam time (UTC+7); a naive value or a bare date is taken as already in Vietnam time."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0, 0))
    return moment.astimezone(VIETNAM_TZ) if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)


# The laws in force every award document cites (docs/adr/0028): the law on local government of 2025 (communes without
# districts from 1 July 2025; its day of passing is left out until confirmed), the Law on Emulation and Commendation
# No. 06/2022/QH15 and its decree of 2025, with its full title.
LOCAL_GOVERNMENT_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;"
LEGAL_BASIS = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền trong "
    "lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng;",
)


def default_basis(place: str) -> tuple[str, ...]:
    """The usual legal basis of a commune's award decision, when the caller gives none: the commune chairman's
    authority (the law on local government), then the law and decree on emulation and commendation."""
    return (
        LOCAL_GOVERNMENT_LAW,
        *LEGAL_BASIS,
        f"Căn cứ Kế hoạch của Ủy ban nhân dân xã {place} triển khai thực hiện {MOVEMENT_QUOTED};",
        f"Theo đề nghị của Hội đồng Thi đua - Khen thưởng xã {place}.",
    )
