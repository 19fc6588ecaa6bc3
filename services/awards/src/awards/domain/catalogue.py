"""The award forms of the movement (DOMAIN.md §4), their deciders and rounds, and the periods' rounds. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from thidua_contracts.awards import AwardLevel, AwardRound
from thidua_contracts.terms import EntrantKind

FormCode = Literal[
    "GIAY_KHEN_XA", "BANG_KHEN_TINH", "CO_THI_DUA_TINH", "BANG_KHEN_TTG", "CO_THI_DUA_CP", "HCLD_HANG_BA"
]
Track = Literal["thematic", "regular"]

BOTH: frozenset[EntrantKind] = frozenset({"collective", "individual"})
COLLECTIVE: frozenset[EntrantKind] = frozenset({"collective"})


@dataclass(frozen=True)
class AwardForm:
    code: FormCode
    name: str
    name_en: str
    recipient_kinds: frozenset[EntrantKind]
    level: AwardLevel  # who decides: the commune chairman, the province, or the central level
    decided_by: str
    rounds: tuple[AwardRound, ...]

    @property
    def proposed_upward(self) -> bool:
        """Forms above the commune travel as a proposal (tờ trình) to the province."""
        return self.level != "commune"


FORMS: dict[str, AwardForm] = {
    form.code: form
    for form in (
        AwardForm(
            "GIAY_KHEN_XA",
            "Giấy khen của Chủ tịch UBND xã",
            "Commune chairman's certificate of merit",
            BOTH,
            "commune",
            "Chủ tịch UBND xã",
            ("yearly", "so_ket", "tong_ket"),
        ),
        AwardForm(
            "BANG_KHEN_TINH",
            "Bằng khen của Chủ tịch UBND tỉnh",
            "Provincial chairman's certificate of merit",
            BOTH,
            "province",
            "Chủ tịch UBND tỉnh, theo đề nghị của xã",
            ("yearly", "so_ket", "tong_ket"),
        ),
        AwardForm(
            "CO_THI_DUA_TINH",
            "Cờ Thi đua của UBND tỉnh",
            "Provincial emulation flag",
            COLLECTIVE,
            "province",
            "UBND tỉnh",
            ("tong_ket",),
        ),
        AwardForm(
            "BANG_KHEN_TTG",
            "Bằng khen của Thủ tướng Chính phủ",
            "Prime Minister's certificate of merit",
            BOTH,
            "central",
            "Thủ tướng Chính phủ, theo đề nghị của tỉnh",
            ("so_ket", "tong_ket"),
        ),
        AwardForm(
            "CO_THI_DUA_CP",
            "Cờ Thi đua của Chính phủ",
            "Government emulation flag",
            COLLECTIVE,
            "central",
            "Thủ tướng Chính phủ",
            ("tong_ket",),
        ),
        AwardForm(
            "HCLD_HANG_BA",
            "Huân chương Lao động hạng Ba",
            "Third-class Labour Order",
            BOTH,
            "central",
            "Chủ tịch nước, qua Thủ tướng Chính phủ",
            ("tong_ket",),
        ),
    )
}

ROUND_NAMES: dict[AwardRound, str] = {
    "yearly": "Khen thưởng hằng năm / Yearly",
    "so_ket": "Sơ kết giai đoạn 2025–2027 / Preliminary review 2027",
    "tong_ket": "Tổng kết giai đoạn 2025–2030 / Final review 2030",
}


def round_of(period: str) -> AwardRound:
    """The award round a period's results feed: a year's results the yearly round, the reviews their own."""
    if period.startswith("so-ket"):
        return "so_ket"
    if period.startswith("tong-ket"):
        return "tong_ket"
    return "yearly"


def period_label(period: str) -> str:
    """As documents say it: "năm 2026", "sơ kết giai đoạn 2025–2027", "tổng kết giai đoạn 2025–2030"."""
    match round_of(period):
        case "so_ket":
            return "sơ kết giai đoạn 2025–2027"
        case "tong_ket":
            return "tổng kết giai đoạn 2025–2030"
        case _:
            return f"năm {period}"
