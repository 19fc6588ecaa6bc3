"""What every official document names: the issuing body and its signers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    """The issuing body shown top-left, e.g. "ỦY BAN NHÂN DÂN XÃ LIÊN MINH" under "TỈNH NINH BÌNH"."""

    issuing_body: str
    parent_body: str
    place: str  # used in the place-and-date line, e.g. "Liên Minh"


@dataclass(frozen=True)
class Signature:
    """A signer: ``title`` may hold several lines separated by "\\n" (e.g. "TM. ỦY BAN NHÂN DÂN\\nCHỦ TỊCH")."""

    title: str
    name: str
