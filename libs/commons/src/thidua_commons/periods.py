"""A period's name as people read it, from its code (`thidua_contracts.terms.PERIOD_CODE_PATTERN`): a year's period
"2026" is "Năm 2026", the movement's mid-term review "so-ket-2027" is "Sơ kết 2027" and its final review
"tong-ket-2030" is "Tổng kết 2030". A code of no known shape is shown as it is."""

from __future__ import annotations

import re

_REVIEW = re.compile(r"^(so-ket|tong-ket)-(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_NAMES = {"so-ket": ("Sơ kết", "Mid-term review"), "tong-ket": ("Tổng kết", "Final review")}


def period_name(code: str, *, english: bool = False) -> str:
    """ "Năm 2026" / "Year 2026", "Sơ kết 2027" / "Mid-term review 2027", "Tổng kết 2030" / "Final review 2030"."""
    if _YEAR.fullmatch(code):
        return f"Year {code}" if english else f"Năm {code}"
    review = _REVIEW.fullmatch(code)
    if review:
        vi, en = _NAMES[review.group(1)]
        return f"{en if english else vi} {review.group(2)}"
    return code
