"""How an administrative unit names itself on its documents, from the name it was provisioned with (Keycloak's
organization `name`): "Xã Liên Minh" issues as "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", dates its documents at "Liên Minh"
and signs as "UBND xã Liên Minh". Since 1 July 2025 a province's units are xã, phường and đặc khu (NQ 202/2025/QH15);
a name without one of those words (a commune provisioned as just "Tam Điệp") is taken as a xã's. Pure."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# the longest first, so that "Đặc khu" is not read as a name starting with "Đặc"
_KINDS: tuple[str, ...] = ("đặc khu", "phường", "thị trấn", "xã")
_PROVINCE_KINDS: tuple[str, ...] = ("thành phố", "tỉnh")


@dataclass(frozen=True)
class UnitTitle:
    kind: str  # "xã", "phường", "đặc khu" (lower case, as inside a sentence)
    proper: str  # "Liên Minh": the place, in its own capitals

    @property
    def name(self) -> str:
        """ "Xã Liên Minh": the unit's full name, as in a list."""
        return f"{self.kind[:1].upper()}{self.kind[1:]} {self.proper}"

    @property
    def issuing_body(self) -> str:
        return f"ỦY BAN NHÂN DÂN {self.kind} {self.proper}".upper()

    @property
    def authority(self) -> str:
        return f"UBND {self.kind} {self.proper}"


def _split(name: str, kinds: tuple[str, ...], default: str) -> tuple[str, str]:
    text = " ".join(unicodedata.normalize("NFC", name).split())
    lowered = text.lower()
    for kind in kinds:
        if lowered.startswith(kind + " ") and len(text) > len(kind) + 1:
            return kind, text[len(kind) + 1 :]
    return default, text


def unit_title(name: str) -> UnitTitle | None:
    """The kind and proper name of a commune-level unit from its name; None for an empty name."""
    kind, proper = _split(name, _KINDS, "xã")
    return UnitTitle(kind=kind, proper=proper) if proper else None


def province_body(province_name: str) -> str:
    """The parent body line of a commune's letterhead: "Ninh Bình" or "Tỉnh Ninh Bình" → "TỈNH NINH BÌNH"
    ("Thành phố Hà Nội" → "THÀNH PHỐ HÀ NỘI"); empty for no name."""
    kind, proper = _split(province_name, _PROVINCE_KINDS, "tỉnh")
    return f"{kind} {proper}".upper() if proper else ""


def province_place(province_name: str) -> str:
    """The place in a province's date line: "Tỉnh Ninh Bình" → "Ninh Bình"."""
    return _split(province_name, _PROVINCE_KINDS, "tỉnh")[1]
