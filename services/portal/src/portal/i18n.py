"""Vietnamese first, English on request: the language lives in a cookie; templates carry both texts side by side.

`t("Hồ sơ", "Dossiers")` picks one. Texts the services send already bilingual ("Đang xét / Under review") are split
by `pick`. Everything shown is NFC-normalised.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any

from thidua_commons.groups import group_name
from thidua_commons.periods import period_name

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
COOKIE = "thidua_lang"
VIETNAM = timezone(timedelta(hours=7), "ICT")  # times are shown in Vietnam's time


def today() -> date:
    """Today's date in Vietnam (the server's clock may run in UTC)."""
    return datetime.now(VIETNAM).date()


def language(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, vi: str, en: str) -> str:
        return nfc(vi if self.lang == "vi" else en)

    def pick(self, text: Any) -> str:
        """One half of a bilingual "Tiếng Việt / English" text; any other text as it is."""
        if text is None:
            return ""
        value = nfc(str(text))
        if " / " not in value:
            return value
        vi, en = value.split(" / ", 1)
        return vi if self.lang == "vi" else en

    def period(self, code: Any) -> str:
        """A period by its name: "Năm 2026", "Sơ kết 2027" (thidua_commons.periods), "Year 2026" in English."""
        return period_name(str(code), english=self.lang == "en") if code not in (None, "") else ""

    def group(self, code: Any) -> str:
        """A target group by its name ("d1" → "Cán bộ, công chức, viên chức, người lao động"; thidua_commons.groups)."""
        return group_name(str(code), english=self.lang == "en") if code not in (None, "") else ""

    def date(self, value: Any) -> str:
        """dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English; datetimes with their time (hh:mm)."""
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            try:
                value = (
                    date.fromisoformat(value)
                    if len(value) == 10
                    else datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(VIETNAM)
                )
            except ValueError:
                return str(value)
        if isinstance(value, datetime):
            return value.strftime("%d/%m/%Y %H:%M" if self.lang == "vi" else "%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y" if self.lang == "vi" else "%Y-%m-%d")
        return str(value)

    def number(self, value: Any, digits: int = 2) -> str:
        """Vietnamese writes 1.234,5; English 1,234.5. Whole numbers without decimals."""
        if value is None or value == "":
            return "–"
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        text = f"{number:,.0f}" if number == int(number) else f"{number:,.{digits}f}".rstrip("0").rstrip(".")
        if self.lang == "vi":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text


def lang_of_cookie_max_age() -> int:
    """The language choice is kept for a year."""
    return 365 * 24 * 3600
