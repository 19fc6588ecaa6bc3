"""The awards an entrant's history may hold: the movement's six forms and the titles, certificates, flags and orders
a commune's units and people received before the platform or outside this movement (Luật Thi đua, khen thưởng
2022). Pure.

Beside the movement's `catalogue.FORMS`, never inside it: the movement proposes and decides only its six forms; the
history records any. `OTHER` takes a free name for what the list lacks. The level is who decided; "district" is a
level of the past only (no district since 1 July 2025: two-level local government, Luật Tổ chức chính quyền địa
phương 2025), so a district's award was signed before that day.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from awards.domain.catalogue import BOTH, COLLECTIVE, FORMS
from thidua_contracts.terms import EntrantKind

PastFormCode = Literal[
    # the movement's forms (catalogue.FORMS)
    "GIAY_KHEN_XA",
    "BANG_KHEN_TINH",
    "CO_THI_DUA_TINH",
    "BANG_KHEN_TTG",
    "CO_THI_DUA_CP",
    "HCLD_HANG_BA",
    # titles (danh hiệu thi đua)
    "LAO_DONG_TIEN_TIEN",
    "CSTD_CO_SO",
    "CSTD_TINH",
    "CSTD_TOAN_QUOC",
    "TAP_THE_LDTT",
    "TAP_THE_LDXS",
    "GIA_DINH_VAN_HOA",
    "THON_VAN_HOA",
    "DON_VI_VAN_HOA",
    # certificates, flags and orders of any issuer
    "GIAY_KHEN",
    "BANG_KHEN",
    "CO_THI_DUA",
    "HUAN_CHUONG",
    # anything else, by its name
    "OTHER",
]
HistoryLevel = Literal["commune", "district", "province", "ministry", "central"]
HISTORY_LEVELS: tuple[HistoryLevel, ...] = get_args(HistoryLevel)
LEVEL_NAMES: dict[HistoryLevel, str] = {
    "commune": "Cấp xã / Commune",
    "district": "Cấp huyện, trước 01/7/2025 / District, before 1 July 2025",
    "province": "Cấp tỉnh / Province",
    "ministry": "Cấp bộ, ngành, đoàn thể trung ương / Ministry or central body",
    "central": "Nhà nước, Chính phủ / State or Government",
}
DISTRICTS_ENDED = date(2025, 7, 1)  # two-level local government: no district from this day
OTHER: PastFormCode = "OTHER"
INDIVIDUAL: frozenset[EntrantKind] = frozenset({"individual"})
ANY_LEVEL: frozenset[HistoryLevel] = frozenset(HISTORY_LEVELS)
UNIT_HEADS: frozenset[HistoryLevel] = frozenset({"commune", "district", "province", "ministry"})


@dataclass(frozen=True)
class PastForm:
    code: PastFormCode
    name: str
    name_en: str
    recipient_kinds: frozenset[EntrantKind]
    usual_level: HistoryLevel | None  # None: the level must be given (OTHER)
    levels: frozenset[HistoryLevel]  # the levels that may decide it
    by_issuer: bool = False  # one entrant may hold several in a year, from different issuers (id per decision)
    movement: bool = False  # one of the movement's six forms

    @property
    def label(self) -> str:
        return f"{self.name} / {self.name_en}"


def _movement_forms() -> list[PastForm]:
    return [
        PastForm(f.code, f.name, f.name_en, f.recipient_kinds, f.level, frozenset({f.level}), movement=True)
        for f in FORMS.values()
    ]


PAST_FORMS: dict[str, PastForm] = {
    form.code: form
    for form in (
        *_movement_forms(),
        PastForm("LAO_DONG_TIEN_TIEN", "Lao động tiên tiến", "Advanced worker", INDIVIDUAL, "commune", UNIT_HEADS),
        PastForm(
            "CSTD_CO_SO", "Chiến sĩ thi đua cơ sở", "Grassroots emulation fighter", INDIVIDUAL, "commune", UNIT_HEADS
        ),
        PastForm(
            "CSTD_TINH",
            "Chiến sĩ thi đua cấp tỉnh",
            "Provincial emulation fighter",
            INDIVIDUAL,
            "province",
            frozenset({"province", "ministry"}),
        ),
        PastForm(
            "CSTD_TOAN_QUOC",
            "Chiến sĩ thi đua toàn quốc",
            "National emulation fighter",
            INDIVIDUAL,
            "central",
            frozenset({"central"}),
        ),
        PastForm(
            "TAP_THE_LDTT",
            "Tập thể lao động tiên tiến",
            "Advanced labour collective",
            COLLECTIVE,
            "commune",
            UNIT_HEADS,
        ),
        PastForm(
            "TAP_THE_LDXS",
            "Tập thể lao động xuất sắc",
            "Excellent labour collective",
            COLLECTIVE,
            "province",
            frozenset({"province", "ministry"}),
        ),
        # a household: recorded on whichever entrant the commune keeps for it (its head, or the household itself)
        PastForm("GIA_DINH_VAN_HOA", "Gia đình văn hóa", "Cultured family", BOTH, "commune", frozenset({"commune"})),
        PastForm(
            "THON_VAN_HOA",
            "Thôn, tổ dân phố văn hóa",
            "Cultured village or residential group",
            COLLECTIVE,
            "commune",
            frozenset({"commune", "district"}),
        ),
        PastForm(
            "DON_VI_VAN_HOA",
            "Cơ quan, đơn vị văn hóa",
            "Cultured agency or unit",
            COLLECTIVE,
            "commune",
            frozenset({"commune", "district"}),
        ),
        PastForm("GIAY_KHEN", "Giấy khen", "Certificate of merit", BOTH, "commune", UNIT_HEADS, by_issuer=True),
        PastForm(
            "BANG_KHEN",
            "Bằng khen (tỉnh, bộ, Thủ tướng)",
            "Certificate of merit (province, ministry, Prime Minister)",
            BOTH,
            "province",
            frozenset({"province", "ministry", "central"}),
            by_issuer=True,
        ),
        PastForm(
            "CO_THI_DUA",
            "Cờ thi đua (tỉnh, bộ, Chính phủ)",
            "Emulation flag (province, ministry, Government)",
            COLLECTIVE,
            "province",
            frozenset({"province", "ministry", "central"}),
            by_issuer=True,
        ),
        PastForm("HUAN_CHUONG", "Huân chương", "Order", BOTH, "central", frozenset({"central"}), by_issuer=True),
        PastForm("OTHER", "Khác (ghi rõ tên)", "Other (name it)", BOTH, None, ANY_LEVEL, by_issuer=True),
    )
}
assert set(get_args(PastFormCode)) <= set(PAST_FORMS), "every code has its form"


def fold(value: str) -> str:
    """Lower-case, diacritics stripped (đ→d), whitespace collapsed: for comparing what people type."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def check_recipient(code: str, kind: EntrantKind) -> None:
    """ValueError when the form is not awarded to this kind of entrant (Lao động tiên tiến to a village)."""
    form = PAST_FORMS[code]
    if kind not in form.recipient_kinds:
        whom = "tập thể" if kind == "collective" else "cá nhân"
        raise ValueError(f"{form.name} không tặng cho {whom} / {form.name_en} is not awarded to a {kind}")


def check_name(code: str, name: str | None) -> str | None:
    """OTHER needs its name; the catalogue's forms have theirs."""
    if code == OTHER and not (name or "").strip():
        raise ValueError("Hình thức OTHER cần ghi rõ tên / OTHER needs the award's name")
    return name


def check_level(code: str, level: HistoryLevel | None, *, signed_on: date | None) -> HistoryLevel:
    """The level that decided the award: the one given, else the form's usual one; one that may decide the form, and
    a district only before 1 July 2025. ValueError otherwise."""
    form = PAST_FORMS[code]
    chosen = level or form.usual_level
    if chosen is None:
        raise ValueError("Cần ghi cấp khen thưởng cho hình thức này / The level is required for this form")
    if chosen not in form.levels:
        allowed = ", ".join(LEVEL_NAMES[lv].split(" / ")[0].lower() for lv in HISTORY_LEVELS if lv in form.levels)
        raise ValueError(f"{form.name} chỉ do {allowed} quyết định / {form.name_en} is not decided at level {chosen}")
    if chosen == "district" and signed_on is not None and signed_on >= DISTRICTS_ENDED:
        raise ValueError(
            "Từ 01/7/2025 không còn cấp huyện: quyết định cấp huyện phải ký trước ngày đó / "
            "No district since 1 July 2025: a district's decision is signed before that day"
        )
    return chosen


def award_name_of(code: str, name: str | None) -> str:
    """The name the history shows: the catalogue's, or the one written for OTHER."""
    if code == OTHER:
        return (name or "").strip()
    return PAST_FORMS[code].name


def entry_key(code: str, *, period: str, track: str, name: str | None, decision_number: str) -> str:
    """What makes an award one in the history, after tenant and entrant: the form, period and track (as decisions
    of the movement key it), and for forms an entrant may receive several times a year from different issuers, the
    decision (and OTHER's name). The same award recorded or imported twice gives the same key."""
    key = f"{code}:{period}:{track}"
    form = PAST_FORMS.get(code)
    if form is None or not form.by_issuer:
        return key
    qualifier = f"{fold(decision_number)}\n{fold(name or '') if code == OTHER else ''}"
    return f"{key}:{hashlib.sha256(qualifier.encode()).hexdigest()[:16]}"


def year_of(period: str) -> int:
    """The year a period ends in: "2026" → 2026, "so-ket-2027" → 2027, "tong-ket-2030" → 2030."""
    return int(period[-4:])
