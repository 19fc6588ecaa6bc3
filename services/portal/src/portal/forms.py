"""Reading what people type into forms: numbers the Vietnamese way (1.234,5) or the English way (1,234.5)."""

from __future__ import annotations

import math
import re

THOUSANDS_WITH_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.234 or 12.345.678: thousands, not decimals


def parse_number(text: str) -> float:
    """A finite number from "7,5", "7.5", "1.234,5", "1.234" (one thousand two hundred thirty-four) or "1234";
    ValueError for anything else (words, NaN, infinities, 1e999)."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." in cleaned:  # both: the last one is the decimal mark
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif THOUSANDS_WITH_DOTS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(f"not a number: {text!r}")
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text!r}")
    return number


def parse_whole(text: str) -> int:
    number = parse_number(text)
    if number != int(number):
        raise ValueError(f"not a whole number: {text!r}")
    return int(number)
