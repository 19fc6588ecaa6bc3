"""Amounts of money as Vietnamese documents write them: "2.140.000" and "Hai triệu một trăm bốn mươi nghìn đồng".
Pure."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")  # then "tỷ", which repeats: a thousand billion is "nghìn tỷ"
BILLION = 1_000_000_000


def dong(value: int) -> str:
    """'2.140.000': dots group the thousands."""
    return f"{value:,}".replace(",", ".")


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        return ["linh", DIGITS[units]] if after_hundreds else [DIGITS[units]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(value: int, *, leading: bool) -> list[str]:
    """0–999 read out; a group after the leading one reads its hundreds even when zero ("không trăm linh năm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words = [DIGITS[hundreds], "trăm"] if hundreds or not leading else []
    return words + _tens_and_units(tens, units, after_hundreds=bool(words))


def _below_a_billion(value: int, *, leading: bool) -> list[str]:
    groups = [(value // 10**6) % 1000, (value // 1000) % 1000, value % 1000]
    words: list[str] = []
    for group, scale in zip(groups, reversed(SCALES), strict=True):
        if group == 0:
            continue
        words += _group(group, leading=leading and not words)
        if scale:
            words.append(scale)
    return words


def _words(value: int, *, leading: bool = True) -> list[str]:
    billions, rest = divmod(value, BILLION)
    words = [*_words(billions), "tỷ"] if billions else []
    return words + _below_a_billion(rest, leading=leading and not words)


def amount_in_words(value: int) -> str:
    """The amount in đồng in words, capitalised: 2_140_000 → 'Hai triệu một trăm bốn mươi nghìn đồng'."""
    if value < 0:
        raise ValueError(f"cannot write a negative amount {value} in words")
    words = _words(value) if value else ["không"]
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]
